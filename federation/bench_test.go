package federation_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// benchEngines runs a benchmark on SQLite, and on PostgreSQL when the
// test command provides one.
func benchEngines(b *testing.B, fn func(b *testing.B, open teststore.Opener)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, teststore.SQLite) })
	b.Run("postgres", func(b *testing.B) { fn(b, teststore.Postgres) })
}

// BenchmarkInbox measures signed Creates of job Notes accepted and stored
// per second, eight senders at once. Requests are signed before timing.
func BenchmarkInbox(b *testing.B) {
	benchEngines(b, func(b *testing.B, open teststore.Opener) {
		n := newBenchNode(b, open)
		masto := newFake(b)
		coop := masto.actorID("ana")
		if err := n.store.UpsertRemoteCoop(b.Context(), &directory.Coop{APID: coop, Handle: "ana", Host: hostOf(coop), Name: "Ana",
			Country: "GB", Workers: 3, URL: coop, CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
			b.Fatal(err)
		}
		reqs := make([]*http.Request, b.N)
		sign := func(i int) {
			id := fmt.Sprintf("%s/jobs/%d-%d", masto.srv.URL, time.Now().UnixNano(), i)
			note := map[string]any{"id": id, "type": "Note", "attributedTo": coop, "published": time.Now().UTC().Format(time.RFC3339),
				"content": "<p>job</p>", "jobPosting": &federation.JobPosting{Type: "sdo:JobPosting", Title: fmt.Sprintf("Job %d", i),
					DatePosted: time.Now().UTC().Format(time.RFC3339), EmploymentType: "FULL_TIME", Skills: []string{"go"},
					InLanguage: []string{"en"}, URL: id, Remote: "remote", ApplyEmail: "jobs@example.org"}}
			body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id + "/activity",
				"type": "Create", "actor": coop, "object": note})
			req, _ := http.NewRequest(http.MethodPost, n.srv.URL+"/inbox", bytes.NewReader(body))
			req.Header.Set("Content-Type", federation.ContentTypeAS)
			if err := federation.SignRequest(req, body, coop+"#main-key", masto.key, time.Now()); err != nil {
				b.Error(err)
			}
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			reqs[i] = req
		}
		// Signing is not what is measured: it is done before the timer
		// starts, on every core.
		var signers sync.WaitGroup
		for w := range runtime.GOMAXPROCS(0) {
			signers.Go(func() {
				for i := w; i < len(reqs); i += runtime.GOMAXPROCS(0) {
					sign(i)
				}
			})
		}
		signers.Wait()
		if b.Failed() {
			return
		}
		cpu0 := cpuTime()
		b.ResetTimer()
		var wg sync.WaitGroup
		work := make(chan *http.Request)
		var failed sync.Once
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range work {
					resp, err := http.DefaultClient.Do(r)
					if err != nil || resp.StatusCode != http.StatusAccepted {
						failed.Do(func() { b.Errorf("delivery: %v %v", err, resp) })
					}
					if resp != nil {
						resp.Body.Close()
					}
				}
			}()
		}
		for _, r := range reqs {
			work <- r
		}
		close(work)
		wg.Wait()
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
		// The process's CPU time per activity: the node and the senders'
		// HTTP clients both, so an upper bound on the node's own cost.
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/activity")
		res, err := n.svc.SearchJobs(b.Context(), directory.JobQuery{Limit: 1})
		if err != nil || res.Total != b.N {
			b.Fatalf("%d jobs stored of %d sent (%v)", res.Total, b.N, err)
		}
	})
}

// BenchmarkBackfill measures how long a node takes to import a federation
// of 100 co-ops and 2,000 open jobs after following it.
func BenchmarkBackfill(b *testing.B) {
	benchEngines(b, func(b *testing.B, open teststore.Opener) {
		a := newBenchNode(b, open)
		ctx := b.Context()
		for i := range 100 {
			if _, err := a.svc.CreateCoop(ctx, a.admin, directory.Coop{Handle: fmt.Sprintf("coop%d", i), Name: fmt.Sprintf("Coop %d", i),
				Country: "AR", Workers: 10}); err != nil {
				b.Fatal(err)
			}
		}
		for i := range 2000 {
			if _, err := a.svc.CreateJob(ctx, a.admin, fmt.Sprintf("coop%d", i%100), directory.Job{Title: fmt.Sprintf("Job %d", i),
				Description: "Work.", Skills: []string{"go"}, Remote: "remote", EmploymentType: "full_time", ApplyEmail: "a@b.example"}); err != nil {
				b.Fatal(err)
			}
		}
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			nb := newBenchNode(b, open)
			b.StartTimer()
			if _, err := nb.fed.Follow(ctx, directory.Principal{Admin: true}, "bench@"+a.svc.Links().Host()); err != nil {
				b.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Minute)
			for {
				res, err := nb.svc.SearchJobs(ctx, directory.JobQuery{Limit: 1})
				if err == nil && res.Total == 2000 {
					break
				}
				if time.Now().After(deadline) {
					b.Fatalf("backfill incomplete after 5 minutes: %v", res)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/backfill")
	})
}

// BenchmarkInboxDeepRefusal measures what refusing a signed activity
// nested 9,990 levels deep (about 500 KB) costs the node: time and bytes
// allocated per refusal, the whole handler chain in process.
func BenchmarkInboxDeepRefusal(b *testing.B) {
	n := newBenchNode(b, teststore.SQLite)
	masto := newFake(b)
	ana := masto.actorID("ana")
	body := deepActivity(masto.srv.URL+"/create/deep", ana, 9990, false)
	signed, _ := http.NewRequest(http.MethodPost, n.url()+"/inbox", bytes.NewReader(body))
	signed.Header.Set("Content-Type", federation.ContentTypeAS)
	if err := federation.SignRequest(signed, body, ana+"#main-key", masto.key, time.Now()); err != nil {
		b.Fatal(err)
	}
	h := n.srv.Config.Handler
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, n.url()+"/inbox", bytes.NewReader(body))
		req.Header = signed.Header
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}

// cpuTime is the CPU time, user and system, the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
