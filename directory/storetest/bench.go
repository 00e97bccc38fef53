package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// BenchJobs is how many jobs a benchmark seeds: COLMENA_BENCH_JOBS, or
// 100,000.
func BenchJobs() int {
	if n, err := strconv.Atoi(os.Getenv("COLMENA_BENCH_JOBS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

var (
	benchSkills = strings.Fields("go rust python django elixir phoenix ruby rails php laravel java kotlin scala c c++ c# " +
		"javascript typescript react vue svelte node.js postgresql mysql redis kubernetes docker terraform aws linux " +
		"android ios swift flutter figma ux accessibility devops security")
	benchCountries = strings.Fields("AR GB UY CL BR MX ES FR DE IT PT NL BE IE US CA KE NG ZA IN")
	benchCurrency  = map[string]string{"AR": "ARS", "GB": "GBP", "US": "USD", "UY": "UYU", "BR": "BRL", "MX": "MXN", "IN": "INR"}
	benchRoles     = strings.Fields("developer engineer designer administrator analyst architect tester consultant")
	benchLevels    = strings.Fields("junior senior lead principal trainee staff")
	benchWords     = strings.Fields("cooperativa cooperative worker owned software libre free open source team clients " +
		"projects backend frontend mobile infrastructure data platform maintenance community assembly democratic " +
		"salary equal remote flexible hours training mentoring public sector ngo health education energy")
)

// SeedJobs fills a store with n jobs from coops co-ops, written by eight
// goroutines, and returns the service over it. The data is random but
// seeded, so runs are comparable.
func SeedJobs(b testing.TB, st directory.Store, coops, n int) *directory.Service {
	b.Helper()
	ctx := context.Background()
	links, _ := directory.NewLinks("https://bench.example")
	clock := NewClock(time.Now().Add(-time.Duration(n) * time.Second))
	svc := directory.NewService(st, links, clock.Now)
	if _, err := svc.Init(ctx, directory.FederationSettings{Name: "Bench", Handle: "bench"}); err != nil {
		b.Fatal(err)
	}
	admin := directory.Principal{Admin: true}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range coops {
		country := benchCountries[r.IntN(len(benchCountries))]
		if _, err := svc.CreateCoop(ctx, admin, directory.Coop{Handle: fmt.Sprintf("coop%d", i), Name: fmt.Sprintf("Cooperativa %d", i),
			Country: country, Workers: 1 + r.IntN(60), Skills: pick(r, benchSkills, 4)}); err != nil {
			b.Fatal(err)
		}
	}
	jobs := make([]directory.Job, n)
	for i := range jobs {
		country := benchCountries[r.IntN(len(benchCountries))]
		skills := pick(r, benchSkills, 1+r.IntN(4))
		j := directory.Job{
			Title:       fmt.Sprintf("%s %s %s", benchLevels[r.IntN(len(benchLevels))], skills[0], benchRoles[r.IntN(len(benchRoles))]),
			Description: strings.Join(pick(r, benchWords, 30), " ") + ". " + strings.Join(skills, ", ") + ".",
			Skills:      skills, Remote: []string{"remote", "hybrid", "onsite"}[r.IntN(3)], Country: country,
			EmploymentType: []string{"full_time", "part_time", "contract", "internship"}[r.IntN(4)],
			Languages:      [][]string{{"es"}, {"en"}, {"es", "en"}, {"pt"}}[r.IntN(4)],
			ApplyEmail:     "jobs@bench.example",
		}
		if cur, ok := benchCurrency[country]; ok || r.IntN(2) == 0 {
			if !ok {
				cur = "USD"
			}
			j.Salary = &directory.Salary{Min: int64(1000 + r.IntN(3000)), Currency: cur, Period: "month"}
		}
		jobs[i] = j
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				if _, err := svc.CreateJob(ctx, admin, fmt.Sprintf("coop%d", i%coops), jobs[i]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	// A running node refreshes planner statistics periodically.
	if o, ok := st.(interface{ Optimize(context.Context) error }); ok {
		if err := o.Optimize(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return svc
}

func pick(r *rand.Rand, from []string, n int) []string {
	idx := r.Perm(len(from))[:n]
	sort.Ints(idx)
	out := make([]string, n)
	for i, k := range idx {
		out[i] = from[k]
	}
	return out
}

// Bench measures job search over 100,000 jobs and the insert rate. Set
// COLMENA_BENCH_JOBS to change the size.
//
// The store is the one the environment variable env names, kept between
// runs (the first seeds it, later ones reuse it), or else a fresh one at
// the place fresh makes.
//
// grow, when not nil, makes a kept store of fewer jobs larger by copying
// its jobs, with new ids, to at least n in all: far faster than writing
// them one by one, for sizes such as 1,000,000.
func Bench[S directory.Store](b *testing.B, env string, fresh func() string, open func(context.Context, string) (S, error),
	grow func(ctx context.Context, dsn string, n int) error) {
	jobs := BenchJobs()
	dsn := os.Getenv(env)
	if dsn == "" {
		dsn = fresh()
	}
	st, err := open(b.Context(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { st.Close() }()
	ctx := context.Background()
	var svc *directory.Service
	// The first search of a store reads every job into its index in
	// memory: what that costs, and the heap it leaves, are logged.
	var heap0 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&heap0)
	load0, cpuLoad0 := time.Now(), cpuTime()
	first, err := st.SearchJobs(ctx, directory.JobQuery{Limit: 1, Now: time.Now()})
	if err == nil {
		var heap runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&heap)
		b.Logf("first search (reads %d jobs into the index): %v, %v of CPU; heap %.1f MB above before",
			first.Total, time.Since(load0).Round(time.Millisecond), (cpuTime() - cpuLoad0).Round(time.Millisecond),
			float64(int64(heap.HeapAlloc)-int64(heap0.HeapAlloc))/(1<<20))
	}
	if res, err := first, err; err == nil && res.Total > 0 && res.Total < jobs && grow != nil {
		start := time.Now()
		if err := grow(ctx, dsn, jobs); err != nil {
			b.Fatal(err)
		}
		b.Logf("grew %d jobs to %d in %v", res.Total, jobs, time.Since(start).Round(time.Millisecond))
		st.Close()
		if st, err = open(ctx, dsn); err != nil {
			b.Fatal(err)
		}
		if o, ok := any(st).(interface{ Optimize(context.Context) error }); ok {
			if err := o.Optimize(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	if res, err := st.SearchJobs(ctx, directory.JobQuery{Limit: 1, Now: time.Now()}); err == nil && res.Total >= jobs {
		links, _ := directory.NewLinks("https://bench.example")
		svc = directory.NewService(st, links, nil)
		b.Logf("reusing %d seeded jobs", res.Total)
	} else {
		start := time.Now()
		svc = SeedJobs(b, st, 300, jobs)
		b.Logf("seeded %d jobs in %v (%.0f jobs/s, 8 writers)", jobs, time.Since(start).Round(time.Millisecond),
			float64(jobs)/time.Since(start).Seconds())
	}
	searches := map[string]directory.JobQuery{
		"q+2filters+facets": {Text: directory.ParseQuery("senior developer"), Remote: []string{"remote", "hybrid"},
			Languages: []string{"es"}, Facets: true},
		"2filters+facets":  {Skills: []string{"go", "rust"}, Countries: []string{"AR", "UY"}, Facets: true},
		"facets-only":      {Facets: true},
		"q-only":           {Text: directory.ParseQuery("kubernetes")},
		"q+2filters+page5": {Text: directory.ParseQuery("developer"), Remote: []string{"remote"}, Countries: []string{"AR", "GB"}},
	}
	for name, q := range searches {
		// What the service does to a query before the store sees it,
		// without its cache: the store's own search is what is measured.
		q.Limit, q.Now = directory.DefaultLimit, time.Now()
		q.Sort = directory.SortNewest
		if len(q.Text.Positive()) > 0 {
			q.Sort = directory.SortRelevance
		}
		b.Run("Search/"+name, func(b *testing.B) {
			if name == "q+2filters+page5" {
				for range 4 {
					res, err := st.SearchJobs(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					if res.Next == nil {
						b.Fatal("the search has fewer than five pages")
					}
					q.After = res.Next
				}
			}
			// One search first, so that what a node does once (statistics,
			// an index in memory) is not counted as a search.
			if _, err := st.SearchJobs(ctx, q); err != nil {
				b.Fatal(err)
			}
			lat := make([]time.Duration, 0, b.N)
			cpu0 := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				res, err := st.SearchJobs(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				if res.Total == 0 || len(res.Items) == 0 {
					b.Fatal("the search matched nothing")
				}
				if q.Facets && (res.Facets == nil || len(res.Facets.Skill) == 0) {
					b.Fatal("the search counted no facets")
				}
			}
			reportPercentiles(b, lat)
			// This process's CPU per search, which the machine's load
			// changes less than latency (on SQLite, all of the search).
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
		})
	}
	b.Run("Insert", func(b *testing.B) {
		admin := directory.Principal{Admin: true}
		b.ResetTimer()
		i := 0
		for b.Loop() {
			i++
			if _, err := svc.CreateJob(ctx, admin, "coop1", directory.Job{Title: fmt.Sprintf("Insert %d", i),
				Description: "Benchmark job with a few words of text.", Skills: []string{"go", "postgresql"},
				Remote: "remote", EmploymentType: "contract", ApplyEmail: "a@b.example"}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inserts/s")
	})
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
