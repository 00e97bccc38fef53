package demo

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
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

// internCeiling is the most an intern may be paid, by currency and
// period: about a junior's pay at the very most, and in the UK about the
// Living Wage for a full year.
var internCeiling = map[string]int64{
	"GBP/year": 28_000, "GBP/hour": 16, "ARS/month": 1_000_000, "USD/month": 1_500, "USD/hour": 30,
	"EUR/month": 2_500, "EUR/year": 30_000, "CAD/hour": 28, "AUD/hour": 35, "NZD/hour": 30, "BRL/month": 3_000,
	"MXN/month": 14_000, "UYU/month": 50_000, "CLP/month": 900_000, "COP/month": 2_600_000, "SEK/month": 28_000,
	"PLN/month": 6_500, "KES/month": 60_000, "ZAR/month": 14_000, "INR/month": 45_000,
}

// TestPlausiblePay: interns are paid like interns in their country's
// currency and period; pay rises with the level; Argentine co-ops pay in
// pesos and often in dollars, British ones in pounds.
func TestPlausiblePay(t *testing.T) {
	for _, f := range Federations(1) {
		// Full-time pay at home by country, currency and period, by level.
		byLevel := map[string]map[string][]int64{}
		currencies := map[string]int{}
		salaried := 0
		for _, c := range f.Coops {
			for _, j := range c.Jobs {
				if j.Salary == nil {
					continue
				}
				salaried++
				currencies[j.Salary.Currency]++
				key := j.Salary.Currency + "/" + j.Salary.Period
				if j.EmploymentType == directory.Internship {
					ceiling, ok := internCeiling[key]
					if !ok || j.Salary.Max > ceiling {
						t.Errorf("%s intern %q: %s %d–%d, ceiling %d", c.Handle, j.Title, key, j.Salary.Min, j.Salary.Max, ceiling)
					}
					if j.Seniority != directory.Trainee {
						t.Errorf("%s intern %q: level %q", c.Handle, j.Title, j.Seniority)
					}
				}
				if j.EmploymentType == directory.FullTime && j.Country == c.Country && j.Seniority != "" {
					g := c.Country + " " + key
					if byLevel[g] == nil {
						byLevel[g] = map[string][]int64{}
					}
					byLevel[g][j.Seniority] = append(byLevel[g][j.Seniority], j.Salary.Min)
				}
			}
		}
		// A junior earns less than anyone in the middle, who earns less
		// than any senior, in the same place and currency.
		order := []string{directory.Junior, directory.Mid, directory.Senior}
		compared := 0
		for g, levels := range byLevel {
			for a := range order {
				for b := a + 1; b < len(order); b++ {
					for _, lo := range levels[order[a]] {
						for _, hi := range levels[order[b]] {
							compared++
							if lo >= hi {
								t.Errorf("%s %s: a %s is paid from %d, a %s from %d", f.Handle, g, order[a], lo, order[b], hi)
							}
						}
					}
				}
			}
		}
		if compared < 3 {
			t.Errorf("%s: only %d comparisons of pay by level", f.Handle, compared)
		}
		switch f.Handle {
		case "soberaniax":
			usd := float64(currencies["USD"]) / float64(salaried)
			if usd < 0.2 || usd > 0.6 || currencies["ARS"]+currencies["USD"] != salaried {
				t.Errorf("SoberaniaX pays in %v", currencies)
			}
		case "ethix":
			if currencies["GBP"] != salaried {
				t.Errorf("EthiX pays in %v", currencies)
			}
		}
	}
}

// TestBelievableText: titles and descriptions vary, a job asks for skills
// its co-op has, co-ops are named and placed after their country.
func TestBelievableText(t *testing.T) {
	feds := Federations(1)
	places := map[string]place{}
	for _, p := range []profile{soberaniax, ethix, astrateq} {
		for _, pl := range p.places {
			places[pl.country] = pl
		}
	}
	for _, f := range feds {
		titles, descs, summaries := map[string]bool{}, map[string]bool{}, map[string]bool{}
		jobs := 0
		for _, c := range f.Coops {
			summaries[c.Summary] = true
			pl := places[c.Country]
			if !slices.Contains(pl.cities, c.City) || !slices.ContainsFunc(pl.names, func(n string) bool { return strings.HasPrefix(c.Name, n+" ") }) {
				t.Errorf("%s: %q in %s, %s is not named or placed after its country", f.Handle, c.Name, c.City, c.Country)
			}
			for _, j := range c.Jobs {
				jobs++
				titles[j.Title] = true
				descs[j.Description] = true
				for _, s := range j.Skills {
					if !slices.Contains(c.Skills, s) {
						t.Errorf("%s job %q asks for %s, which %s does not list", f.Handle, j.Title, s, c.Handle)
					}
				}
				if strings.Contains(j.Description, "%!") || strings.Contains(j.Title, "%!") {
					t.Errorf("%s job %q: bad format in its text", f.Handle, j.Title)
				}
			}
		}
		if len(descs) < jobs*95/100 || len(titles) < jobs*6/10 || len(summaries) < len(f.Coops)*95/100 {
			t.Errorf("%s: %d jobs with %d titles and %d descriptions; %d co-ops with %d summaries",
				f.Handle, jobs, len(titles), len(descs), len(f.Coops), len(summaries))
		}
	}
}

// TestSizedLikeTheFederations: head counts like the real federations', and
// each blurb states what its node counts.
func TestSizedLikeTheFederations(t *testing.T) {
	feds := Federations(1)
	want := map[string]struct{ coops, workersLo, workersHi, countriesLo, countriesHi int }{
		"soberaniax": {35, 800, 1000, 1, 1},
		"ethix":      {40, 300, 380, 1, 1},
		"astrateq":   {65, 700, 900, 18, 24}, // its guests included
	}
	for _, f := range feds {
		coops, workers, countries := len(f.Coops), f.Workers(), map[string]bool{}
		for _, c := range f.Coops {
			countries[c.Country] = true
		}
		for _, g := range f.Guests {
			for _, o := range feds {
				for _, c := range o.Coops {
					if o.Handle == g.Host && c.Handle == g.Coop {
						coops, workers, countries[c.Country] = coops+1, workers+c.Workers, true
					}
				}
			}
		}
		w := want[f.Handle]
		if coops != w.coops || workers < w.workersLo || workers > w.workersHi || len(countries) < w.countriesLo || len(countries) > w.countriesHi {
			t.Errorf("%s: %d co-ops, %d workers, %d countries", f.Handle, coops, workers, len(countries))
		}
		if !strings.Contains(f.Summary, strconv.Itoa(coops)+" co") || !strings.Contains(f.Summary, strconv.Itoa(about(workers))+" ") {
			t.Errorf("%s: blurb %q, but %d co-ops and %d workers", f.Handle, f.Summary, coops, workers)
		}
		if d := about(workers) - workers; d < -25 || d > 25 {
			t.Errorf("%s: %d workers said as %d", f.Handle, workers, about(workers))
		}
	}
}

// TestDeterministic: the same data on every run, at any scale.
func TestDeterministic(t *testing.T) {
	for _, scale := range []float64{1, 0.1} {
		if a, b := Federations(scale), Federations(scale); !reflect.DeepEqual(a, b) {
			t.Errorf("scale %v: the data differs between runs", scale)
		}
	}
}

func TestArticle(t *testing.T) {
	for n, want := range map[int]string{8: "an", 11: "an", 18: "an", 80: "an", 800: "an", 9: "a", 1: "a", 12: "a", 110: "a", 42: "a"} {
		if got := article(n); got != want {
			t.Errorf("article(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestApplyBothWays checks that each federation's jobs are applied to in
// both ways a job page shows: by e-mail and on the co-op's site.
func TestApplyBothWays(t *testing.T) {
	for _, f := range Federations(1) {
		var mail, site, both, jobs int
		for _, c := range f.Coops {
			for _, j := range c.Jobs {
				jobs++
				switch {
				case j.ApplyEmail != "" && j.ApplyURL != "":
					both++
				case j.ApplyEmail != "":
					mail++
				case j.ApplyURL != "":
					site++
					if !strings.HasPrefix(j.ApplyURL, "https://") {
						t.Errorf("%s: apply URL %q", c.Handle, j.ApplyURL)
					}
				default:
					t.Errorf("%s job %q: no way to apply", c.Handle, j.Title)
				}
			}
		}
		for name, n := range map[string]int{"e-mail": mail, "site": site, "both": both} {
			if n*10 < jobs {
				t.Errorf("%s: %d of %d jobs by %s, want a tenth or more", f.Handle, n, jobs, name)
			}
		}
	}
}
