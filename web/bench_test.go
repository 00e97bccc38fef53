package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/internal/teststore"
	"github.com/colmena-coop/colmena/web"
)

func benchJobs() int {
	if n, err := strconv.Atoi(os.Getenv("COLMENA_BENCH_JOBS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// searchPages are the searches the load mixes: what seekers click.
var searchPages = []string{
	"/?",
	"/?skill=go",
	"/?q=backend&country=AR&remote=remote",
	"/?skill=go&remote=remote&country=AR",
	"/?q=developer&sort=newest&language=es",
	"/?currency=USD&type=contract",
	"/?q=rust+OR+elixir",
	"/?country=GB&skill=python&remote=hybrid",
}

// BenchmarkSearchPage renders the search page, with every facet, under
// load from concurrent clients over real HTTP, on a store holding
// COLMENA_BENCH_JOBS jobs (100,000 by default). It reports p50 and p99 of
// the whole request as the clients see it. COLMENA_BENCH_SQLITE names a
// database file to keep between runs: the first run seeds it.
func BenchmarkSearchPage(b *testing.B) {
	openers := map[string]func(b *testing.B) directory.Store{
		"sqlite": func(b *testing.B) directory.Store {
			path := os.Getenv("COLMENA_BENCH_SQLITE")
			if path == "" {
				path = filepath.Join(b.TempDir(), "bench.db")
			}
			s, err := sqlite.Open(b.Context(), path)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		},
		"postgres": func(b *testing.B) directory.Store { return teststore.Postgres(b) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			if name == "postgres" && os.Getenv("COLMENA_TEST_POSTGRES") == "" {
				b.Skip("COLMENA_TEST_POSTGRES is not set (scripts/bench.sh sets it)")
			}
			st := openers[name](b)
			svc := seeded(b, st, benchJobs())
			srv := httptest.NewServer(web.New(web.Config{Service: svc, Version: "bench"}).Handler())
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
			get := func(path string) time.Duration {
				start := time.Now()
				req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
				req.Header.Set("Accept-Language", "es-AR,es;q=0.9")
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return 0
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("%s: %d", path, resp.StatusCode)
				}
				return time.Since(start)
			}
			for _, p := range searchPages { // warm the database's caches and plans
				get(p + "&limit=99")
			}
			// repeated cycles through the searches, as seekers repeat the
			// popular ones; distinct makes every request a new search (a
			// new page size), so that none is answered from the cache.
			// distinct-1 is the same with a single client: the time one
			// person waits when nobody else is searching.
			for _, mode := range []string{"repeated", "distinct", "distinct-1"} {
				b.Run(mode, func(b *testing.B) {
					clients := 8
					if mode == "distinct-1" {
						clients = 1
					}
					load(b, clients, func(k int) string {
						p := searchPages[k%len(searchPages)]
						if mode != "repeated" {
							p += "&limit=" + strconv.Itoa(1+(k/len(searchPages))%100)
						}
						if mode == "distinct-1" {
							// Not the searches the previous mode cached.
							p += "&posted_within=3650d"
						}
						return p
					}, get)
				})
			}
		})
	}
}

// load runs b.N requests from concurrent clients and reports the latency
// percentiles the clients saw.
func load(b *testing.B, clients int, path func(k int) string, get func(string) time.Duration) {
	lat := make([]time.Duration, b.N)
	var mu sync.Mutex
	next := 0
	b.ResetTimer()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				k := next
				next++
				mu.Unlock()
				if k >= b.N {
					return
				}
				lat[k] = get(path(k))
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// seeded returns the service over st, seeding n jobs unless a kept
// database already holds them.
func seeded(b *testing.B, st directory.Store, n int) *directory.Service {
	b.Helper()
	links, _ := directory.NewLinks("https://bench.example")
	svc := directory.NewService(st, links, time.Now)
	if _, err := svc.Init(context.Background(), directory.FederationSettings{Name: "Bench", Handle: "bench"}); err != nil {
		b.Fatal(err)
	}
	res, err := svc.SearchJobs(context.Background(), directory.JobQuery{Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	if res.Total >= n {
		return svc
	}
	return storetest.SeedJobs(b, st, 300, n)
}
