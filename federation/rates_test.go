package federation_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// logBuffer collects log lines written from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRatesFetched: the worker fetches the rates URL and puts a good
// document in use; a malformed, stale or failing one is logged and the
// last good rates stay.
func TestRatesFetched(t *testing.T) {
	day := func(d time.Duration) string { return time.Now().UTC().Add(d).Format("2006-01-02") }
	eachEngine(t, func(t *testing.T, open opener) {
		var doc atomic.Value
		var fetches atomic.Int64
		good := fmt.Sprintf(`{"base": "USD", "date": %q, "source": "test bank", "rates": {"ARS": 1050.5, "GBP": 0.79}, "timestamp": 1}`, day(0))
		doc.Store(good)
		rates := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fetches.Add(1)
			d := doc.Load().(string)
			if d == "500" {
				http.Error(w, "down", http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, d)
		}))
		t.Cleanup(rates.Close)
		logs := &logBuffer{}
		n := newNodeTuned(t, open, "SoberaniaX", "soberaniax", "127.0.0.1", func(c *federation.Config) {
			c.RatesURL = rates.URL + "/rates.json"
			c.RatesEvery = 50 * time.Millisecond
			c.Logger = slog.New(slog.NewTextHandler(logs, nil))
		})
		current := func() *directory.Rates {
			r, err := n.svc.Rates(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		doc.Store(good)
		eventually(t, "the rates fetched", func() bool { return current().PerBase["ARS"] == 1050.5 })
		if r := current(); r.Base != "USD" || r.Source != "test bank" || r.Date.Format("2006-01-02") != day(0) {
			t.Fatalf("rates: %+v", r)
		}
		for _, bad := range []struct{ doc, says string }{
			{`{"base": "USD", "date": "` + day(0) + `", "rates": {"ARS": 0}}`, "rates.ARS"},
			{`{"base": "USD", "date": "` + day(-30*24*time.Hour) + `", "rates": {"ARS": 2000}}`, "older than"},
			{`{"base": "USD", "date": "` + day(72*time.Hour) + `", "rates": {"ARS": 2000}}`, "in the future"},
			{`{"base": "USD", "date": "yesterday", "rates": {"ARS": 2000}}`, "not a date"},
			{`{"base": "USD", "rates": {"ARS": "many"}}`, "not a rates document"},
			{`<html>rates</html>`, "not a rates document"},
			{`{"base": "USD", "date": "` + day(0) + `", "source": "` + strings.Repeat("x", federation.MaxRatesDocument) + `"}`, "bytes"},
			{"500", "500"},
		} {
			doc.Store(bad.doc)
			before := fetches.Load()
			eventually(t, "a fetch of "+bad.says, func() bool {
				return fetches.Load() >= before+2 && strings.Contains(logs.String(), bad.says)
			})
			if r := current(); r.PerBase["ARS"] != 1050.5 {
				t.Fatalf("after %q the rates changed: %+v", bad.doc, r)
			}
		}
		if !strings.Contains(logs.String(), "the last good rates stay") {
			t.Fatalf("logs: %s", logs.String())
		}
		doc.Store(strings.Replace(good, "1050.5", "1100", 1))
		eventually(t, "new rates fetched", func() bool { return current().PerBase["ARS"] == 1100 })
	})
}
