package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/demo"
	"github.com/colmena-coop/colmena/directory"
)

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEndpoints serves the federation endpoints scripts/fedbench.sh
// measures over HTTP, in process, on one demo node seeded on SQLite, so
// that a CPU profile (-cpuprofile) shows what a request costs without the
// network.
func BenchmarkEndpoints(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	seeds := demo.Federations(1)
	f := seeds[0]
	c := &config{listen: "127.0.0.1:18999", publicURL: "http://127.0.0.1:18999", database: "sqlite:" + filepath.Join(dir, "colmena.db"),
		name: f.Name, handle: f.Handle, allowPrivateNetwork: true, logFormat: "text", currency: f.Currency}
	n, err := openNode(ctx, c, newLogger("text", io.Discard))
	if err != nil {
		b.Fatal(err)
	}
	defer n.store.Close()
	clock := demo.NewClock(time.Now().Add(-28 * 24 * time.Hour))
	if err := demo.Seed(ctx, directory.NewService(n.store, n.svc.Links(), clock.Now), &f, clock); err != nil {
		b.Fatal(err)
	}
	h := n.web.Handler()
	coop := f.Coops[0].Handle
	cases := []struct{ name, path, accept string }{
		{"webfinger", "/.well-known/webfinger?resource=acct:" + coop + "@127.0.0.1:18999", ""},
		{"nodeinfo", "/nodeinfo/2.1", ""},
		{"actor", "/coops/" + coop, "application/activity+json"},
		{"search", "/", "text/html"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			before := cpuTime(b)
			for b.Loop() {
				// net/http gives every request a context it cancels when
				// the client goes away; so does this.
				rctx, cancel := context.WithCancel(ctx)
				r := httptest.NewRequestWithContext(rctx, http.MethodGet, "http://127.0.0.1:18999"+tc.path, nil)
				r.RemoteAddr = "127.0.0.1:40000"
				if tc.accept != "" {
					r.Header.Set("Accept", tc.accept)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", tc.path, w.Code, w.Body.String())
				}
				cancel()
			}
			// The process's CPU time, garbage collection and every
			// goroutine included: steadier than the elapsed time on a
			// shared machine.
			b.ReportMetric(float64(cpuTime(b)-before)/float64(b.N)/1e3, "cpu-µs/op")
		})
	}
}
