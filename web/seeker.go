package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/collate"

	"github.com/colmena-coop/colmena/directory"
)

// What the pages show of where applicants may work from, the hours a job
// needs and the co-op facts, in the visitor's language.

// Eligible names an eligibility code: a country, a region or anywhere.
func (l *Locale) Eligible(code string) string {
	if code == directory.Anywhere {
		return l.T("eligible.anywhere")
	}
	if c := directory.EligibleCountry(code); c != "" {
		return l.Country(c)
	}
	if directory.IsRegion(code) {
		return l.T("region." + code)
	}
	return code
}

// eligibleText lists where applicants may work from.
func (l *Locale) eligibleText(codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = l.Eligible(c)
	}
	return strings.Join(names, ", ")
}

// window writes a window of hours in its own zone and, when the visitor's
// zone is known and differs, in theirs on today's date.
func (l *Locale) window(h *directory.Hours, viewer *time.Location, now time.Time) string {
	if h == nil {
		return ""
	}
	text := l.T("hours.window", "Start", directory.Clock(h.Start), "End", directory.Clock(h.End), "Zone", h.Zone)
	jz, err := time.LoadLocation(h.Zone)
	if viewer == nil || err != nil || viewer.String() == h.Zone {
		return text
	}
	y, m, d := now.In(jz).Date()
	start := time.Date(y, m, d, h.Start/60, h.Start%60, 0, 0, jz).In(viewer)
	end := time.Date(y, m, d, h.End/60, h.End%60, 0, 0, jz).In(viewer)
	yours := start.Format("15:04") + "–" + end.Format("15:04")
	if end.YearDay() != start.YearDay() {
		yours += " " + l.T("hours.next_day")
	}
	return text + " · " + l.T("hours.yours", "Hours", yours, "Zone", viewer.String())
}

// fact is one line of a job's co-op facts.
type fact struct{ Label, Value string }

// jobFacts are the lines a job page shows of where applicants may work
// from, the hours and the co-op facts a job states.
func (l *Locale) jobFacts(j *directory.Job, viewer *time.Location, now time.Time) []fact {
	var out []fact
	if j.Remote == directory.RemoteFull && len(j.Eligible) > 0 {
		out = append(out, fact{l.T("job.eligible"), l.eligibleText(j.Eligible)})
	}
	if w := l.window(j.Hours, viewer, now); w != "" {
		out = append(out, fact{l.T("job.hours"), w})
	}
	if j.HoursPerWeek > 0 {
		out = append(out, fact{l.T("job.hours_per_week"), l.T("job.hours_per_week_value", "Hours", j.HoursPerWeek)})
	}
	if j.Seniority != "" {
		out = append(out, fact{l.T("job.seniority"), l.T("seniority." + j.Seniority)})
	}
	if m := j.Membership; m != nil {
		v := l.T("membership.no")
		if m.LeadsToMembership {
			v = l.T("membership.yes")
			if m.TrialMonths > 0 {
				v = l.N("membership.after", m.TrialMonths)
			}
		}
		out = append(out, fact{l.T("job.membership"), v})
		if c := m.Capital; c != nil && m.LeadsToMembership {
			v := l.T("capital.none")
			if c.Amount > 0 {
				v = l.T("capital.amount", "Currency", c.Currency, "Amount", l.Num(int(c.Amount)))
			}
			out = append(out, fact{l.T("job.capital"), v})
		}
	}
	if p := j.PayPolicy; p != nil {
		v := l.T("pay.equal")
		if p.Kind == directory.PayRatio {
			ratio := l.Dec(p.Ratio)
			if p.Ratio == float64(int(p.Ratio)) {
				ratio = l.Num(int(p.Ratio))
			}
			v = l.T("pay.ratio", "Ratio", ratio)
		}
		out = append(out, fact{l.T("job.pay_policy"), v})
	}
	if j.Decisions != "" {
		out = append(out, fact{l.T("job.decisions"), l.T("decisions." + j.Decisions)})
	}
	return out
}

// seekerForm is what the search page asks of the seeker: where they live,
// their time zone and the hours of overlap they need, and whether the job
// should lead to membership.
type seekerForm struct {
	Countries []option
	City      string
	Zones     []option
	// Overlaps are the hours of overlap to choose from, with counts.
	Overlaps   []option
	Membership bool
	// Eligible counts what the matching remote jobs are open to.
	Eligible []facetOption
	// Zone is the seeker's zone, to show windows in it.
	Zone *time.Location
}

func (l *Locale) seekerForm(v url.Values, f *directory.Facets) seekerForm {
	sf := seekerForm{City: v.Get("city"), Membership: v.Get("leads_to_membership") == "true"}
	liveIn := strings.ToUpper(strings.TrimSpace(v.Get("live_in")))
	sorted := l.countries
	if sorted == nil {
		sorted = l.sortedCountries()
	}
	sf.Countries = slices.Clone(sorted)
	for i := range sf.Countries {
		sf.Countries[i].Selected = sf.Countries[i].Value == liveIn
	}
	tz := strings.TrimSpace(v.Get("tz"))
	if loc, err := directory.LoadZone("tz", tz); err == nil {
		sf.Zone = loc
	}
	zones := directory.Zones()
	if tz != "" && !slices.Contains(zones, tz) {
		zones = append([]string{tz}, zones...)
	}
	for _, z := range zones {
		sf.Zones = append(sf.Zones, option{Value: z, Label: strings.ReplaceAll(z, "_", " "), Selected: z == tz})
	}
	counts := map[string]int{}
	if f != nil {
		for _, fv := range f.Overlap {
			counts[fv.Value] = fv.Count
		}
		for i, fv := range f.Eligible {
			sf.Eligible = append(sf.Eligible, facetOption{ID: "eligible-" + strconv.Itoa(i), Value: fv.Value,
				Label: l.Eligible(fv.Value), Count: fv.Count})
		}
	}
	overlap := v.Get("overlap")
	for k := 1; k <= 8; k++ {
		val := strconv.Itoa(k)
		label := l.N("search.overlap_hours", k)
		if n, ok := counts[val]; ok {
			label += " (" + l.Num(n) + ")"
		}
		sf.Overlaps = append(sf.Overlaps, option{Value: val, Label: label, Selected: overlap == val})
	}
	return sf
}

// sortedCountries are the country options sorted by their names in the
// locale's language.
func (l *Locale) sortedCountries() []option {
	var out []option
	for _, c := range directory.Countries() {
		out = append(out, option{Value: c, Label: l.Country(c)})
	}
	col := collate.New(l.tag)
	slices.SortStableFunc(out, func(a, b option) int { return col.CompareString(a.Label, b.Label) })
	return out
}
