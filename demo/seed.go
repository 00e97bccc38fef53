// Package demo makes the fictional but realistic data of Colmena's
// demonstration: three federations of tech worker co-operatives sized like
// the real ones they stand for. SoberaniaX is Argentine (about 35 co-ops
// of 26 workers on average, Spanish first), EthiX British (about 40 co-ops
// of 8 or 9 workers), Astrateq worldwide (about 65 co-ops in some 20
// countries, 800 workers, a few of them co-ops hosted by the other two).
// The data is the same on every run.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Federation is one demo federation: who it is and what it holds.
type Federation struct {
	Name, Handle, Summary string
	Languages             []string
	// Currency is the node's own: pay is shown in it by default.
	Currency string
	Coops    []Coop
	// Guests are co-ops of the other demo federations that are members of
	// this one too, as handle and the federation handle hosting them.
	Guests []Guest
}

// Guest names a co-op hosted by another demo node.
type Guest struct {
	Coop, Host string // co-op handle; handle of the federation hosting it
}

// Coop is a co-op with the jobs it publishes.
type Coop struct {
	directory.Coop
	Jobs []directory.Job
}

// Workers sums the worker-members of the federation's own co-ops.
func (f *Federation) Workers() int {
	n := 0
	for _, c := range f.Coops {
		n += c.Workers
	}
	return n
}

// JobCount counts the jobs of the federation's own co-ops.
func (f *Federation) JobCount() int {
	n := 0
	for _, c := range f.Coops {
		n += len(c.Jobs)
	}
	return n
}

// Federations returns the three federations. scale (0 < scale ≤ 1)
// shrinks the number of co-ops, for tests; 1 is the real size.
func Federations(scale float64) []Federation {
	if scale <= 0 || scale > 1 {
		scale = 1
	}
	n := func(full int) int { return max(3, int(float64(full)*scale+0.5)) }
	sob := build("soberaniax", soberaniax, n(35))
	eth := build("ethix", ethix, n(40))
	ast := build("astrateq", astrateq, n(57))
	sob.Currency, eth.Currency, ast.Currency = "ARS", "GBP", "USD"
	// Astrateq also counts co-ops hosted by the other two among its
	// members, as the worldwide federation does.
	guests := max(1, n(4)*1)
	for i := 0; i < guests && i < len(sob.Coops); i++ {
		ast.Guests = append(ast.Guests, Guest{Coop: sob.Coops[i*len(sob.Coops)/guests].Handle, Host: "soberaniax"})
	}
	for i := 0; i < guests && i < len(eth.Coops); i++ {
		ast.Guests = append(ast.Guests, Guest{Coop: eth.Coops[i*len(eth.Coops)/guests].Handle, Host: "ethix"})
	}
	// Each blurb states what its node counts: Astrateq's own co-ops and
	// its guests.
	feds := []Federation{sob, eth, ast}
	for i, p := range []profile{soberaniax, ethix, astrateq} {
		f := &feds[i]
		coops, workers, countries := len(f.Coops), f.Workers(), map[string]bool{}
		for _, c := range f.Coops {
			countries[c.Country] = true
		}
		for _, g := range f.Guests {
			for _, other := range feds {
				for _, c := range other.Coops {
					if other.Handle == g.Host && c.Handle == g.Coop {
						coops, workers, countries[c.Country] = coops+1, workers+c.Workers, true
					}
				}
			}
		}
		f.Summary = p.summary(coops, workers, len(countries))
	}
	return feds
}

// profile is what shapes one federation's data.
type profile struct {
	name string
	// summary is the federation's blurb, stating its figures.
	summary   func(coops, workers, countries int) string
	languages []string
	// places are the countries its co-ops are in.
	places []place
	// workers draws a co-op's size.
	minWorkers, maxWorkers int
	// jobsPerCoop bounds how many openings a co-op has.
	jobsPerCoop int
}

type place struct {
	country string
	// coops is how many of the federation's co-ops are here; 0 in a
	// federation of one country, which has them all.
	coops  int
	cities []string // weighted by repetition
	// language is the one co-ops here write in.
	language string
	// names are words of the place that co-op names are made of, with the
	// legal suffixes used there.
	names, suffixes []string
	// stacks are the indexes in skillSets of what co-ops here mostly do;
	// empty for any.
	stacks []int
	// pay is what a full-time worker of middle seniority is paid here, in
	// the currencies co-ops here pay in, weighted; intern what an intern
	// is.
	pay    []pay
	intern pay
}

type pay struct {
	currency string
	period   string
	amount   int64 // the lower end of the range
	weight   int
}

// slots lays out where a federation's co-ops are: round after round over
// the places, so that a federation shrunk for tests still spans several
// countries.
func slots(p profile, coops int) []place {
	var out []place
	if len(p.places) == 1 {
		for range coops {
			out = append(out, p.places[0])
		}
		return out
	}
	for round := 0; len(out) < coops; round++ {
		added := false
		for _, pl := range p.places {
			if round < pl.coops && len(out) < coops {
				out = append(out, pl)
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

func build(handle string, p profile, coops int) Federation {
	r := rand.New(rand.NewPCG(uint64(len(handle)), uint64(handle[0])))
	// facts draws the jobs' facts (facts.go) apart from the rest.
	facts := rand.New(rand.NewPCG(uint64(len(handle)), uint64(handle[0])+1))
	f := Federation{Name: p.name, Handle: handle, Languages: p.languages}
	used := map[string]bool{}
	next := map[string]int{} // the next name of each place
	for i, pl := range slots(p, coops) {
		word := pl.names[next[pl.country]%len(pl.names)]
		next[pl.country]++
		name := strings.TrimSpace(word + " " + pl.suffixes[r.IntN(len(pl.suffixes))])
		h := handleOf(word)
		for k := 2; used[h]; k++ {
			h = fmt.Sprintf("%s%d", handleOf(word), k)
		}
		used[h] = true
		// Sizes spread around the federation's average.
		workers := p.minWorkers + r.IntN(p.maxWorkers-p.minWorkers+1)
		stack := r.IntN(len(skillSets))
		if len(pl.stacks) > 0 && r.IntN(5) > 0 {
			stack = pl.stacks[r.IntN(len(pl.stacks))]
		}
		skills := pick(r, skillSets[stack], 3+r.IntN(3))
		// A co-op offers the main skill of at least one of its stack's
		// roles, and Go when it hires Go developers in Argentina.
		if !slices.ContainsFunc(roles[stack], func(ro role) bool { return slices.Contains(skills, ro.skills[0]) }) {
			skills = append(skills, roles[stack][0].skills[0])
		}
		goAR := pl.country != "AR" && i%12 == 4
		for _, s := range []string{"go", "postgresql"} {
			if goAR && !slices.Contains(skills, s) {
				skills = append(skills, s)
			}
		}
		langs := []string{pl.language}
		if pl.language != "en" && r.IntN(2) == 0 {
			langs = append(langs, "en")
		}
		city := pl.cities[r.IntN(len(pl.cities))]
		sector := sectors[r.IntN(len(sectors))]
		c := Coop{Coop: directory.Coop{
			Handle: h, Name: name, Country: pl.country, City: city, Workers: workers,
			Founded:   1995 + r.IntN(30),
			Website:   "https://" + strings.ReplaceAll(h, "_", "-") + ".coop.example",
			Email:     "hola@" + strings.ReplaceAll(h, "_", "-") + ".coop.example",
			Languages: langs, Skills: skills,
			Governance: governance[pl.language],
		}}
		c.Summary = coopSummary(r, pl.language, &c.Coop, stack, sector)
		for j := 0; j < r.IntN(p.jobsPerCoop+1); j++ {
			c.Jobs = append(c.Jobs, job(r, pl, &c.Coop, stack, sector))
		}
		// Co-ops abroad hire Go developers in Argentina, paying dollars
		// or their own pounds or euros: the search the demo suggests spans
		// federations and currencies.
		if goAR {
			c.Jobs = append(c.Jobs, goInArgentina(r, i, pl, &c.Coop, sector))
		}
		for k := range c.Jobs {
			addFacts(facts, &c.Jobs[k], pl.country, pl.pay[0].currency)
		}
		f.Coops = append(f.Coops, c)
	}
	return f
}

// handleOf turns a name word into a handle: lower case, ASCII, underscores.
func handleOf(word string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(word) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteRune('_')
		default:
			if a, ok := ascii[r]; ok {
				b.WriteRune(a)
			}
		}
	}
	h := b.String()
	if len(h) > 30 {
		h = h[:30]
	}
	return h
}

var ascii = map[rune]rune{'á': 'a', 'é': 'e', 'í': 'i', 'ó': 'o', 'ú': 'u', 'ñ': 'n', 'ü': 'u', 'ã': 'a', 'õ': 'o',
	'ç': 'c', 'â': 'a', 'ê': 'e', 'ô': 'o', 'à': 'a', 'è': 'e', 'ö': 'o', 'ä': 'a', 'ß': 's', 'ø': 'o', 'å': 'a', 'ł': 'l'}

func pick(r *rand.Rand, from []string, n int) []string {
	idx := r.Perm(len(from))
	out := make([]string, 0, n)
	for _, i := range idx[:min(n, len(from))] {
		out = append(out, from[i])
	}
	return out
}

// hireInArgentina is the pay of a co-op abroad hiring in Argentina, lo to
// hi US dollars a month: in dollars, or in the co-op's own pounds, euros
// or reais and period when it pays in those, at the demo's rates.
func hireInArgentina(lo, hi int64, own pay) *directory.Salary {
	s := &directory.Salary{Min: lo, Max: hi, Currency: "USD", Period: directory.PerMonth}
	rates := Rates()
	rate, ok := rates.Rate(own.currency)
	if !ok || own.currency == "USD" && own.period == directory.PerMonth ||
		own.currency != "USD" && own.currency != "GBP" && own.currency != "EUR" && own.currency != "BRL" {
		return s
	}
	in := func(usd int64) int64 {
		v := float64(usd) * rate
		switch own.period {
		case directory.PerYear:
			v *= 12
		case directory.PerHour:
			v = v * 12 / (40 * 52)
		}
		n := int64(v)
		return n - n%roundTo(n)
	}
	return &directory.Salary{Min: in(lo), Max: in(hi), Currency: own.currency, Period: own.period}
}

func roundTo(v int64) int64 {
	switch {
	case v >= 1_000_000:
		return 50_000
	case v >= 10_000:
		return 1_000
	case v >= 1_000:
		return 100
	default:
		return 1
	}
}

// Seed stores a federation's co-ops and jobs through the service, with
// publication dates spread over the last four weeks. now is the service's
// clock, which Seed moves forward job by job.
func Seed(ctx context.Context, svc *directory.Service, f *Federation, clock *Clock) error {
	admin := directory.Principal{Admin: true}
	for _, c := range f.Coops {
		if _, err := svc.CreateCoop(ctx, admin, c.Coop); err != nil {
			return fmt.Errorf("co-op %s: %w", c.Handle, err)
		}
	}
	// Jobs interleave across co-ops so that the newest are not all one
	// co-op's.
	total := f.JobCount()
	step := 28 * 24 * time.Hour / time.Duration(max(total, 1))
	for k := 0; ; k++ {
		any := false
		for _, c := range f.Coops {
			if k < len(c.Jobs) {
				any = true
				clock.Advance(step)
				j := c.Jobs[k]
				j.ValidThrough = clock.Now().Add(60 * 24 * time.Hour)
				if _, err := svc.CreateJob(ctx, admin, c.Handle, j); err != nil {
					return fmt.Errorf("job %q of %s: %w", j.Title, c.Handle, err)
				}
			}
		}
		if !any {
			return nil
		}
	}
}

// Clock is a clock that seeding moves forward.
type Clock struct{ t time.Time }

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now tells the time.
func (c *Clock) Now() time.Time { return c.t }

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) { c.t = c.t.Add(d) }
