package demo

import (
	"slices"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// TestFederationsSized checks the data stands for the real federations:
// their sizes, countries and currencies, and that every record is one the
// directory accepts.
func TestFederationsSized(t *testing.T) {
	feds := Federations(1)
	want := []struct {
		handle           string
		coops            int
		avgLo, avgHi     float64
		countriesAtLeast int
	}{
		{"soberaniax", 35, 22, 30, 1},
		{"ethix", 40, 7, 10, 1},
		{"astrateq", 57, 10, 13.5, 20},
	}
	for i, w := range want {
		f := feds[i]
		if f.Handle != w.handle || len(f.Coops) != w.coops {
			t.Errorf("%s: %d co-ops, want %d", f.Handle, len(f.Coops), w.coops)
		}
		avg := float64(f.Workers()) / float64(len(f.Coops))
		if avg < w.avgLo || avg > w.avgHi {
			t.Errorf("%s: average size %.1f, want %.0f–%.0f", f.Handle, avg, w.avgLo, w.avgHi)
		}
		countries := map[string]bool{}
		handles := map[string]bool{}
		for _, c := range f.Coops {
			countries[c.Country] = true
			if handles[c.Handle] || !directory.ValidHandle(c.Handle) {
				t.Errorf("%s: handle %q repeated or invalid", f.Handle, c.Handle)
			}
			handles[c.Handle] = true
			cc := c.Coop
			if err := directory.ValidateCoop(&cc, c.CreatedAt.AddDate(2026, 0, 0)); err != nil {
				t.Errorf("%s: %v", c.Handle, err)
			}
			for _, j := range c.Jobs {
				jj := j
				jj.ValidThrough = jj.ValidThrough.AddDate(3000, 0, 0)
				if err := directory.ValidateJob(&jj); err != nil {
					t.Errorf("%s job %q: %v", c.Handle, j.Title, err)
				}
			}
		}
		if len(countries) < w.countriesAtLeast {
			t.Errorf("%s: %d countries, want %d or more", f.Handle, len(countries), w.countriesAtLeast)
		}
		if f.JobCount() < len(f.Coops) {
			t.Errorf("%s: only %d jobs", f.Handle, f.JobCount())
		}
	}
	// Astrateq's workers, its guests included, are about 800.
	ast := feds[2]
	total := ast.Workers()
	for _, g := range ast.Guests {
		for _, f := range feds[:2] {
			for _, c := range f.Coops {
				if f.Handle == g.Host && c.Handle == g.Coop {
					total += c.Workers
				}
			}
		}
	}
	if len(ast.Guests) == 0 || total < 700 || total > 900 {
		t.Errorf("Astrateq: %d guests, %d workers in all, want about 800", len(ast.Guests), total)
	}
	// The same data every run.
	again := Federations(1)
	if again[0].Coops[3].Name != feds[0].Coops[3].Name || again[2].Coops[10].Jobs == nil && feds[2].Coops[10].Jobs != nil {
		t.Error("the data differs between runs")
	}
	if small := Federations(0.1); len(small[0].Coops) != 4 || len(small[2].Coops) != 6 {
		t.Errorf("scale 0.1: %d and %d co-ops", len(small[0].Coops), len(small[2].Coops))
	}
}

// TestRatesCoverSalaries: the demo's rates are a valid document of their
// own date and convert every currency its salaries and nodes use, so that
// every salary can be compared.
func TestRatesCoverSalaries(t *testing.T) {
	r := Rates()
	if err := directory.ValidateRates(&r, RatesDate); err != nil {
		t.Fatal(err)
	}
	periods := map[string]bool{}
	for _, f := range Federations(1) {
		if _, ok := r.Rate(f.Currency); !ok {
			t.Errorf("%s: no rate for the node's currency %q", f.Handle, f.Currency)
		}
		for _, c := range f.Coops {
			for _, j := range c.Jobs {
				if j.Salary == nil {
					continue
				}
				periods[j.Salary.Period] = true
				p, ok := r.Normalize(&j, "USD", RatesDate)
				if !ok {
					t.Errorf("%s job %q: no rate for %s", c.Handle, j.Title, j.Salary.Currency)
					continue
				}
				// Realistic pay for tech workers: USD 300 to 15,000 a month.
				if p.MonthMax < 300 || p.MonthMax > 15_000 {
					t.Errorf("%s job %q: %s %d–%d a %s is USD %d a month", c.Handle, j.Title, j.Salary.Currency,
						j.Salary.Min, j.Salary.Max, j.Salary.Period, p.MonthMax)
				}
			}
		}
	}
	if len(periods) != 3 {
		t.Errorf("salaries are paid by %v; want hour, month and year", periods)
	}
}

// TestSeekerInRosario: every federation has remote jobs a seeker in
// Argentina can take with at least 4 hours overlap with Buenos Aires, Go
// jobs among them paid in several currencies, and jobs state a mix of
// eligibility, hours and co-op facts.
func TestSeekerInRosario(t *testing.T) {
	ba, _ := time.LoadLocation("America/Argentina/Buenos_Aires")
	codes := directory.SeekerCodes("AR")
	for _, day := range []time.Time{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)} {
		goCurrencies := map[string]bool{}
		for _, f := range Federations(1) {
			goJobs := 0
			fits, eligible, hours, facts := 0, map[string]int{}, 0, 0
			for _, c := range f.Coops {
				for _, j := range c.Jobs {
					for _, e := range j.Eligible {
						eligible[e]++
					}
					if j.Hours != nil {
						hours++
					}
					if j.Seniority != "" && j.Membership != nil {
						facts++
					}
					open := j.Remote == directory.RemoteFull && slices.ContainsFunc(j.Eligible, func(e string) bool { return slices.Contains(codes, e) })
					if open && (j.Hours == nil || directory.Overlap(*j.Hours, ba, day, directory.DefaultDayStart, directory.DefaultDayEnd) >= 4*time.Hour) {
						fits++
						if slices.Contains(j.Skills, "go") && j.Salary != nil {
							goJobs++
							goCurrencies[j.Salary.Currency] = true
						}
					}
				}
			}
			if goJobs < 3 {
				t.Errorf("%s on %s: %d remote Go jobs with pay for Rosario", f.Handle, day.Format("Jan"), goJobs)
			}
			if fits < 3 || hours < f.JobCount()/3 || facts < f.JobCount()/3 || eligible[directory.Anywhere] == 0 {
				t.Errorf("%s on %s: %d remote jobs for Rosario, %d with hours, %d with facts, eligibility %v",
					f.Handle, day.Format("Jan"), fits, hours, facts, eligible)
			}
		}
		for _, c := range []string{"ARS", "USD", "GBP", "EUR"} {
			if !goCurrencies[c] {
				t.Errorf("on %s no remote Go job for Rosario pays in %s: %v", day.Format("Jan"), c, goCurrencies)
			}
		}
	}
}
