package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
	"github.com/colmena-coop/colmena/web"
)

// records keeps what a logger was given.
type records struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *records) Enabled(context.Context, slog.Level) bool { return true }
func (h *records) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r.Clone())
	return nil
}
func (h *records) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *records) WithGroup(string) slog.Handler      { return h }

// TestClientGoneIsNotAnError: a request whose client went away while the
// store was being asked is logged as the client's doing (status 499, no
// ERROR), on the API and on pages.
func TestClientGoneIsNotAnError(t *testing.T) {
	for name, open := range engines() {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			links, _ := directory.NewLinks("http://colmena.example")
			svc := directory.NewService(st, links, time.Now)
			if _, err := svc.Init(t.Context(), directory.FederationSettings{Name: "EthiX", Handle: "ethix"}); err != nil {
				t.Fatal(err)
			}
			logs := &records{}
			log := slog.New(logs)
			fed := federation.New(federation.Config{Service: svc, Store: st, Logger: log, Version: "test"})
			h := web.New(web.Config{Service: svc, Version: "test", Logger: log, Federation: fed}).Handler()
			paths := []string{"/api/v1/jobs?q=go", "/api/v1/coops", "/?q=go", "/coops", "/coops/gcoop", "/federation"}
			for _, path := range paths {
				ctx, cancel := context.WithCancel(t.Context())
				cancel() // the client has gone before the store is asked
				for _, accept := range []string{"text/html", federation.ContentTypeAS} {
					req := httptest.NewRequestWithContext(ctx, http.MethodGet, "http://colmena.example"+path, nil)
					req.Header.Set("Accept", accept)
					h.ServeHTTP(httptest.NewRecorder(), req)
				}
			}
			logs.mu.Lock()
			defer logs.mu.Unlock()
			seen := 0
			for _, r := range logs.recs {
				if r.Level >= slog.LevelError {
					t.Errorf("logged as an error: %s", r.Message)
				}
				r.Attrs(func(a slog.Attr) bool {
					if a.Key == "status" {
						seen++
						if a.Value.Int64() != 499 {
							t.Errorf("%s: status %d", r.Message, a.Value.Int64())
						}
					}
					return true
				})
			}
			if seen != 2*len(paths) {
				t.Errorf("%d access log lines with a status, want %d", seen, 2*len(paths))
			}
		})
	}
}
