package storetest

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// ratesOf are USD-based rates of the day before Start.
func ratesOf(perBase map[string]float64) directory.Rates {
	return directory.Rates{Base: "USD", Date: Start.Add(-24 * time.Hour), Source: "test table", PerBase: perBase}
}

// payJob publishes a job of gcoop with the given salary; cur "" for none.
func payJob(t *testing.T, e *Env, title string, lo, hi int64, cur, period string) *directory.Job {
	t.Helper()
	e.Clock.Advance(time.Second)
	j := directory.Job{Title: title, Description: "We are hiring.", Remote: directory.RemoteFull,
		EmploymentType: directory.FullTime, ApplyEmail: "jobs@gcoop.example"}
	if cur != "" {
		j.Salary = &directory.Salary{Min: lo, Max: hi, Currency: cur, Period: period}
	}
	out, err := e.Svc.CreateJob(e.Context, e.Admin, "gcoop", j)
	if err != nil {
		t.Fatalf("create job %q: %v", title, err)
	}
	return out
}

func testRates(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	r, err := e.Svc.Rates(e.Context)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Empty() {
		t.Fatalf("a new store has rates: %+v", r)
	}
	set := ratesOf(map[string]float64{"ars": 1050.5, "GBP": 0.79, "EUR": 0.92, "USD": 1})
	got, err := e.Svc.SetRates(e.Context, e.Admin, set)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "base", got.Base, "USD")
	eq(t, "date", got.Date.Format(directory.RatesDateLayout), "2026-03-01")
	eq(t, "source", got.Source, "test table")
	eq(t, "rates", got.PerBase, map[string]float64{"ARS": 1050.5, "GBP": 0.79, "EUR": 0.92})
	eq(t, "currencies", got.Currencies(), []string{"ARS", "EUR", "GBP", "USD"})

	_, err = e.Svc.SetRates(e.Context, directory.Principal{CoopID: 1}, set)
	mustKind(t, err, directory.KindForbidden)

	// Bad documents are refused naming the field, and nothing changes.
	bad := []struct {
		field string
		r     directory.Rates
	}{
		{"rates.ARS", ratesOf(map[string]float64{"GBP": 0.8, "ARS": 0})},
		{"rates.ARS", ratesOf(map[string]float64{"ARS": -3})},
		{"rates.ARS", ratesOf(map[string]float64{"ARS": math.NaN()})},
		{"rates.ARS", ratesOf(map[string]float64{"ARS": math.Inf(1)})},
		{"rates.ZZZ", ratesOf(map[string]float64{"ZZZ": 2})},
		{"rates.USD", ratesOf(map[string]float64{"USD": 2})},
		{"rates.ARS", ratesOf(map[string]float64{"ARS": 1000, "ars": 1001})},
		{"base", directory.Rates{Base: "dollars", Date: Start, PerBase: map[string]float64{"ARS": 1}}},
		{"base", directory.Rates{Date: Start, PerBase: map[string]float64{"ARS": 1}}},
		{"date", directory.Rates{Base: "USD", PerBase: map[string]float64{"ARS": 1}}},
		{"date", directory.Rates{Base: "USD", Date: Start.Add(-15 * 24 * time.Hour), PerBase: map[string]float64{"ARS": 1}}},
		{"date", directory.Rates{Base: "USD", Date: Start.Add(48 * time.Hour), PerBase: map[string]float64{"ARS": 1}}},
	}
	for _, b := range bad {
		_, err := e.Svc.SetRates(e.Context, e.Admin, b.r)
		mustKind(t, err, directory.KindInvalid)
		var de *directory.Error
		if !errors.As(err, &de) || de.Field != b.field {
			t.Fatalf("%+v: got %v, want field %s", b.r, err, b.field)
		}
	}
	after, err := e.Svc.Rates(e.Context)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "rates kept", after.PerBase, got.PerBase)

	// A replacement drops what it does not name.
	next := directory.Rates{Base: "EUR", Date: Start, Source: "other", PerBase: map[string]float64{"USD": 1.08}}
	if _, err := e.Svc.SetRates(e.Context, e.Admin, next); err != nil {
		t.Fatal(err)
	}
	after, err = e.Svc.Rates(e.Context)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "replaced", after.PerBase, map[string]float64{"USD": 1.08})
	eq(t, "replaced base", after.Base, "EUR")
}

func testPaySearch(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	if _, err := e.Svc.SetRates(e.Context, e.Admin, ratesOf(map[string]float64{"ARS": 1000, "GBP": 0.8, "EUR": 0.9})); err != nil {
		t.Fatal(err)
	}
	payJob(t, e, "ARS month", 1_500_000, 2_000_000, "ARS", directory.PerMonth) // USD 2,000
	payJob(t, e, "USD hour", 15, 15, "USD", directory.PerHour)                 // 15 × 40 × 52 / 12 = USD 2,600
	payJob(t, e, "GBP year", 24_000, 24_000, "GBP", directory.PerYear)         // GBP 2,000 = USD 2,500
	payJob(t, e, "EUR range", 900, 1800, "EUR", directory.PerMonth)            // USD 2,000, newer than ARS
	payJob(t, e, "UYU month", 100_000, 100_000, "UYU", directory.PerMonth)     // no rate
	payJob(t, e, "No salary", 0, 0, "", "")

	bySalary := []string{"USD hour", "GBP year", "EUR range", "ARS month", "No salary", "UYU month"}
	res := search(t, e, directory.JobQuery{Sort: directory.SortSalary})
	eq(t, "by salary", titles(res.Items), bySalary)

	// Paging by salary walks the same order.
	var paged []string
	q := directory.JobQuery{Sort: directory.SortSalary, Limit: 2}
	for range 10 {
		res := search(t, e, q)
		paged = append(paged, titles(res.Items)...)
		if res.Next == nil {
			break
		}
		q.After = res.Next
	}
	eq(t, "paged by salary", paged, bySalary)

	floor := func(amount int64, cur, period string) []string {
		t.Helper()
		res := search(t, e, directory.JobQuery{Pay: &directory.PayFloor{Amount: amount, Currency: cur, Period: period}, Sort: directory.SortSalary})
		eq(t, "total", res.Total, len(res.Items))
		return titles(res.Items)
	}
	eq(t, "USD 2,400 a month", floor(2400, "USD", directory.PerMonth), []string{"USD hour", "GBP year"})
	eq(t, "GBP 1,900 a month", floor(1900, "GBP", ""), []string{"USD hour", "GBP year"})
	eq(t, "USD 30,000 a year", floor(30_000, "usd", directory.PerYear), []string{"USD hour", "GBP year"})
	eq(t, "USD 16 an hour", floor(16, "USD", directory.PerHour), []string{})
	eq(t, "USD 15 an hour", floor(15, "USD", directory.PerHour), []string{"USD hour"})
	// A range reaching the floor qualifies.
	eq(t, "ARS 1,900,000", floor(1_900_000, "ARS", directory.PerMonth), []string{"USD hour", "GBP year", "EUR range", "ARS month"})
	// A currency without a rate compares with jobs in that currency only.
	eq(t, "UYU 50", floor(50, "UYU", directory.PerMonth), []string{"UYU month"})
	eq(t, "UYU 200,000", floor(200_000, "UYU", directory.PerMonth), []string{})

	for _, f := range []struct {
		field string
		f     directory.PayFloor
	}{
		{"salary_min", directory.PayFloor{Amount: 0, Currency: "USD"}},
		{"salary_min", directory.PayFloor{Amount: -5, Currency: "USD"}},
		{"salary_min", directory.PayFloor{Amount: 2_000_000_000, Currency: "USD"}},
		{"salary_currency", directory.PayFloor{Amount: 5, Currency: "dollars"}},
		{"salary_currency", directory.PayFloor{Amount: 5}},
		{"salary_period", directory.PayFloor{Amount: 5, Currency: "USD", Period: "week"}},
	} {
		_, err := e.Svc.SearchJobs(e.Context, directory.JobQuery{Pay: &f.f})
		var de *directory.Error
		if !errors.As(err, &de) || de.Kind != directory.KindInvalid || de.Field != f.field {
			t.Fatalf("%+v: got %v, want invalid %s", f.f, err, f.field)
		}
	}
	_, err := e.Svc.SearchJobs(e.Context, directory.JobQuery{Sort: "pay"})
	mustKind(t, err, directory.KindInvalid)
}

func testPayRecompute(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	// Jobs written before any rate have none in the base currency.
	payJob(t, e, "ARS month", 2_000_000, 2_000_000, "ARS", directory.PerMonth)
	gbp := payJob(t, e, "GBP year", 24_000, 24_000, "GBP", directory.PerYear)
	payJob(t, e, "UYU month", 100_000, 100_000, "UYU", directory.PerMonth)
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	remote := remoteJob("https://ethix.example/jobs/r1", rc.APID, "Remote EUR", Start)
	remote.Salary = &directory.Salary{Min: 3000, Max: 3000, Currency: "EUR", Period: directory.PerMonth}
	if err := e.Store.UpsertRemoteJob(e.Context, remote); err != nil {
		t.Fatal(err)
	}
	usd := func(amount int64) *directory.PayFloor {
		return &directory.PayFloor{Amount: amount, Currency: "USD", Period: directory.PerMonth}
	}
	eq(t, "no rates", titles(search(t, e, directory.JobQuery{Pay: usd(1)}).Items), []string{})

	if _, err := e.Svc.SetRates(e.Context, e.Admin, ratesOf(map[string]float64{"ARS": 1000, "GBP": 0.8, "EUR": 1})); err != nil {
		t.Fatal(err)
	}
	// ARS 2,000, GBP 2,500, EUR 3,000 in USD; UYU has no rate.
	eq(t, "first rates", titles(search(t, e, directory.JobQuery{Sort: directory.SortSalary}).Items),
		[]string{"Remote EUR", "GBP year", "ARS month", "UYU month"})
	eq(t, "first rates, USD 2,100", titles(search(t, e, directory.JobQuery{Pay: usd(2100), Sort: directory.SortSalary}).Items),
		[]string{"Remote EUR", "GBP year"})

	// The peso halves, UYU gains a rate, GBP loses its own.
	e.Clock.Advance(time.Hour)
	if _, err := e.Svc.SetRates(e.Context, e.Admin, ratesOf(map[string]float64{"ARS": 500, "UYU": 40, "EUR": 1})); err != nil {
		t.Fatal(err)
	}
	eq(t, "new rates", titles(search(t, e, directory.JobQuery{Sort: directory.SortSalary}).Items),
		[]string{"ARS month", "Remote EUR", "UYU month", "GBP year"})
	eq(t, "new rates, USD 2,100", titles(search(t, e, directory.JobQuery{Pay: usd(2100), Sort: directory.SortSalary}).Items),
		[]string{"ARS month", "Remote EUR", "UYU month"})

	// A job's pay follows its edits at the rates in use.
	sal := &directory.Salary{Min: 5000, Max: 5000, Currency: "USD", Period: directory.PerMonth}
	if _, err := e.Svc.UpdateJob(e.Context, e.Admin, gbp.APID, directory.JobPatch{SetSalary: true, Salary: sal}); err != nil {
		t.Fatal(err)
	}
	eq(t, "edited", titles(search(t, e, directory.JobQuery{Pay: usd(4500)}).Items), []string{"GBP year"})
	if _, err := e.Svc.UpdateJob(e.Context, e.Admin, gbp.APID, directory.JobPatch{SetSalary: true}); err != nil {
		t.Fatal(err)
	}
	eq(t, "salary removed", titles(search(t, e, directory.JobQuery{Pay: usd(4500)}).Items), []string{})
	eq(t, "salary removed, last", titles(search(t, e, directory.JobQuery{Sort: directory.SortSalary}).Items),
		[]string{"ARS month", "Remote EUR", "UYU month", "GBP year"})
}

// testPayConcurrent replaces rates while jobs are written: every job ends
// with its pay in the last rates, whichever committed first.
func testPayConcurrent(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	const writers, each = 4, 6
	var wg sync.WaitGroup
	errs := make(chan error, writers*each+10)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				_, err := e.Svc.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: fmt.Sprintf("Job %d-%d", w, i),
					Description: "We are hiring.", Remote: directory.RemoteFull, EmploymentType: directory.FullTime,
					ApplyEmail: "jobs@gcoop.example",
					Salary:     &directory.Salary{Min: 1_000_000, Currency: "ARS", Period: directory.PerMonth}})
				errs <- err
			}
		})
	}
	var last float64
	for i := range 8 {
		last = float64(800 + 50*i)
		_, err := e.Svc.SetRates(e.Context, e.Admin, ratesOf(map[string]float64{"ARS": last}))
		errs <- err
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// ARS 1,000,000 at the last rate, in whole dollars.
	usd := int64(math.Floor(1_000_000 / last))
	at := search(t, e, directory.JobQuery{Pay: &directory.PayFloor{Amount: usd, Currency: "USD"}, Limit: directory.MaxLimit})
	above := search(t, e, directory.JobQuery{Pay: &directory.PayFloor{Amount: usd + 1, Currency: "USD"}})
	eq(t, "jobs at the last rate", at.Total, writers*each)
	eq(t, "jobs above it", above.Total, 0)
}
