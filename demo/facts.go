package demo

import (
	"math/rand/v2"
	"slices"

	"github.com/colmena-coop/colmena/directory"
)

// Where applicants may work from, the hours and the co-op facts of the
// demo's jobs. They come from a random source of their own, so that the
// rest of the data (titles, salaries) is the same with or without them.

// eligibleFor is where a remote job of a co-op in country may be open to:
// the country, a region around it, or anywhere.
func eligibleFor(r *rand.Rand, country string) []string {
	var choices [][]string
	own := []string{directory.EligibleCode(country)}
	switch {
	case slices.Contains(directory.RegionCountries("EU"), country):
		choices = [][]string{own, {"EU"}, {"EU"}, {"EEA"}, {"EUROPE"}}
	case slices.Contains(directory.RegionCountries("LATAM"), country):
		choices = [][]string{own, {"LATAM"}, {"LATAM"}, {"SA"}}
	case country == "GB":
		choices = [][]string{own, own, {"GB", "IE"}, {"EUROPE"}, {"GB", "LATAM"}}
	default:
		choices = [][]string{own, own}
	}
	return choices[r.IntN(len(choices))]
}

// coreHours are the windows co-ops ask for, in their own zone.
var coreHours = [][2]int{{9 * 60, 13 * 60}, {10 * 60, 15 * 60}, {13 * 60, 17 * 60}, {10 * 60, 18 * 60}, {9 * 60, 17 * 60}}

// addFacts gives a job the facts a co-op states: where a remote job is
// open to, often a window of hours in the co-op's zone, and most of the
// co-op facts. A remote job open to Argentina asks for hours in
// Argentina's zone, or none.
func addFacts(r *rand.Rand, j *directory.Job, country, currency string) {
	if j.Remote == directory.RemoteFull {
		switch {
		case j.Country == "":
			j.Eligible = []string{directory.Anywhere}
		case j.Country == "AR" && country != "AR":
			j.Eligible = [][]string{{"AR"}, {"AR"}, {"LATAM"}, {"AR", "UY", "CL"}}[r.IntN(4)]
		default:
			j.Eligible = eligibleFor(r, country)
		}
	}
	if r.IntN(5) < 3 {
		zone := directory.CountryZones(country)[0]
		if slices.Contains(j.Eligible, "AR") || slices.Contains(j.Eligible, "LATAM") && country != "AR" {
			zone = "America/Argentina/Buenos_Aires"
		}
		w := coreHours[r.IntN(len(coreHours))]
		j.Hours = &directory.Hours{Zone: zone, Start: w[0], End: w[1]}
	}
	switch j.EmploymentType {
	case directory.FullTime:
		j.HoursPerWeek = []int{35, 36, 40, 30, 32}[r.IntN(5)]
	case directory.PartTime:
		j.HoursPerWeek = []int{20, 24, 25}[r.IntN(3)]
	}
	// The level is the title's (jobs.go); a few middle ones leave it
	// unsaid.
	if j.Seniority == directory.Mid && r.IntN(6) == 0 {
		j.Seniority = ""
	}
	if r.IntN(4) > 0 {
		m := &directory.Membership{LeadsToMembership: j.EmploymentType != directory.Contract && r.IntN(5) > 0}
		if m.LeadsToMembership {
			m.TrialMonths = []int{3, 6, 6, 12, 0}[r.IntN(5)]
			if r.IntN(2) == 0 {
				m.Capital = &directory.Capital{Currency: currency}
				if r.IntN(2) == 0 {
					m.Capital.Amount = []int64{500, 1000, 2000}[r.IntN(3)]
					if currency == "ARS" {
						m.Capital.Amount *= 1000
					}
				}
			}
		}
		j.Membership = m
	}
	switch r.IntN(4) {
	case 0:
		j.PayPolicy = &directory.PayPolicy{Kind: directory.PayEqual}
	case 1, 2:
		j.PayPolicy = &directory.PayPolicy{Kind: directory.PayRatio, Ratio: []float64{1.5, 2, 2.5, 3}[r.IntN(4)]}
	}
	if r.IntN(5) > 0 {
		j.Decisions = directory.DecisionKinds()[r.IntN(4)]
	}
}
