package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// placeJob publishes a job with a place, an eligibility and a window, open
// for a year.
func (e *Env) placeJob(t *testing.T, coop, title, remote, country, city string, eligible []string, hours *directory.Hours) *directory.Job {
	t.Helper()
	e.Clock.Advance(time.Second)
	j, err := e.Svc.CreateJob(e.Context, e.Admin, coop, directory.Job{
		Title: title, Description: "We are hiring.", Remote: remote, Country: country, City: city, Eligible: eligible,
		Hours: hours, EmploymentType: directory.FullTime, ApplyEmail: "jobs@" + coop + ".example",
		ValidThrough: e.Clock.Now().Add(365 * 24 * time.Hour),
	})
	if err != nil {
		t.Fatalf("create job %q: %v", title, err)
	}
	return j
}

func testEligibility(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	e.placeJob(t, "gcoop", "Anywhere", "remote", "", "", []string{"anywhere"}, nil)
	e.placeJob(t, "gcoop", "LATAM", "remote", "", "", []string{"latam"}, nil)
	e.placeJob(t, "gcoop", "EU", "remote", "", "", []string{"EU"}, nil)
	e.placeJob(t, "gcoop", "AR only", "remote", "", "", []string{"AR"}, nil)
	e.placeJob(t, "gcoop", "UY and ES", "remote", "", "", []string{"UY", "ES"}, nil)
	e.placeJob(t, "gcoop", "Remote from AR, stated the old way", "remote", "AR", "", nil, nil)
	e.placeJob(t, "gcoop", "Onsite Rosario", "onsite", "AR", "Rosario", nil, nil)
	e.placeJob(t, "gcoop", "Hybrid Córdoba", "hybrid", "AR", "Córdoba", nil, nil)
	e.placeJob(t, "gcoop", "Onsite Madrid", "onsite", "ES", "Madrid", nil, nil)
	e.placeJob(t, "gcoop", "Namibia", "remote", "", "", []string{"NAM"}, nil)
	e.placeJob(t, "gcoop", "Africa", "remote", "", "", []string{"AF"}, nil)

	j, err := e.Svc.Job(e.Context, e.Links.Job("x"))
	mustKind(t, err, directory.KindNotFound)
	_ = j
	res := search(t, e, directory.JobQuery{Facets: true})
	eq(t, "eligible facet", facetMap(res.Facets.Eligible),
		map[string]int{"anywhere": 1, "LATAM": 1, "EU": 1, "AR": 2, "UY": 1, "ES": 1, "NAM": 1, "AF": 1})
	for _, it := range res.Items {
		switch it.Title {
		case "Remote from AR, stated the old way":
			eq(t, "old way", it.Eligible, []string{"AR"})
		case "Onsite Rosario":
			eq(t, "onsite has none", len(it.Eligible), 0)
		}
	}

	cases := []struct {
		name string
		q    directory.JobQuery
		want []string
	}{
		{"AR", directory.JobQuery{LiveIn: "ar"}, []string{"AR only", "Anywhere", "Hybrid Córdoba", "LATAM", "Onsite Rosario", "Remote from AR, stated the old way"}},
		{"AR, Rosario", directory.JobQuery{LiveIn: "AR", City: "rosario"}, []string{"AR only", "Anywhere", "LATAM", "Onsite Rosario", "Remote from AR, stated the old way"}},
		{"AR, Cordoba", directory.JobQuery{LiveIn: "AR", City: " CORDOBA "}, []string{"AR only", "Anywhere", "Hybrid Córdoba", "LATAM", "Remote from AR, stated the old way"}},
		{"ES", directory.JobQuery{LiveIn: "ES"}, []string{"Anywhere", "EU", "Onsite Madrid", "UY and ES"}},
		{"NO", directory.JobQuery{LiveIn: "NO"}, []string{"Anywhere"}},
		{"Namibia", directory.JobQuery{LiveIn: "NA"}, []string{"Africa", "Anywhere", "Namibia"}},
		{"US", directory.JobQuery{LiveIn: "US"}, []string{"Anywhere"}},
		{"AR and remote", directory.JobQuery{LiveIn: "AR", Remote: []string{"remote"}}, []string{"AR only", "Anywhere", "LATAM", "Remote from AR, stated the old way"}},
		{"UY with text", directory.JobQuery{LiveIn: "UY", Text: directory.ParseQuery("hiring")}, []string{"Anywhere", "LATAM", "UY and ES"}},
	}
	for _, tc := range cases {
		tc.q.Facets = true
		res := search(t, e, tc.q)
		eq(t, tc.name, sortedTitles(res.Items), tc.want)
		eq(t, tc.name+" total", res.Total, len(tc.want))
	}
	res = search(t, e, directory.JobQuery{LiveIn: "AR", Facets: true})
	eq(t, "eligible facet for AR", facetMap(res.Facets.Eligible), map[string]int{"anywhere": 1, "LATAM": 1, "AR": 2})
	eq(t, "remote facet for AR", facetMap(res.Facets.Remote), map[string]int{"remote": 4, "onsite": 1, "hybrid": 1})

	for _, bad := range []directory.JobQuery{{LiveIn: "XX"}, {LiveIn: "EU"}, {City: "Rosario"}} {
		_, err := e.Svc.SearchJobs(e.Context, bad)
		mustKind(t, err, directory.KindInvalid)
	}
	for _, bad := range [][]string{{"XX"}, {"anywhere", "AR"}} {
		_, err := e.Svc.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: "x", Description: "y", Remote: "remote",
			Eligible: bad, EmploymentType: "full_time", ApplyEmail: "a@b.example"})
		mustKind(t, err, directory.KindInvalid)
		if de := err.(*directory.Error); de.Field != "eligible" {
			t.Fatalf("field: %q", de.Field)
		}
	}
	_, err = e.Svc.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: "x", Description: "y", Remote: "onsite", Country: "AR",
		Eligible: []string{"AR"}, EmploymentType: "full_time", ApplyEmail: "a@b.example"})
	mustKind(t, err, directory.KindInvalid)
	eq(t, "nothing stored half-way", search(t, e, directory.JobQuery{}).Total, 11)

	// A remote job made onsite loses its eligibility; made remote again,
	// it is open to its country.
	j = e.placeJob(t, "gcoop", "Changing", "remote", "", "", []string{"LATAM"}, nil)
	onsite, country := "onsite", "UY"
	up, err := e.Svc.UpdateJob(e.Context, e.Admin, j.APID, directory.JobPatch{Remote: &onsite, Country: &country})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "onsite eligibility", len(up.Eligible), 0)
	remote := "remote"
	up, err = e.Svc.UpdateJob(e.Context, e.Admin, j.APID, directory.JobPatch{Remote: &remote})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "remote again", up.Eligible, []string{"UY"})
	eq(t, "found by eligibility", sortedTitles(search(t, e, directory.JobQuery{LiveIn: "UY", Remote: []string{"remote"}}).Items),
		[]string{"Anywhere", "Changing", "LATAM", "UY and ES"})
}

func testOverlap(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	e.placeJob(t, "gcoop", "London 09-17", "remote", "", "", nil, &directory.Hours{Zone: "Europe/London", Start: 9 * 60, End: 17 * 60})
	e.placeJob(t, "gcoop", "Buenos Aires 10-15", "remote", "", "", nil, &directory.Hours{Zone: "America/Argentina/Buenos_Aires", Start: 10 * 60, End: 15 * 60})
	e.placeJob(t, "gcoop", "Tokyo 09-18", "remote", "", "", nil, &directory.Hours{Zone: "Asia/Tokyo", Start: 9 * 60, End: 18 * 60})
	e.placeJob(t, "gcoop", "Any hours", "remote", "", "", nil, nil)
	e.placeJob(t, "gcoop", "Madrid onsite 08-16", "onsite", "ES", "Madrid", nil, &directory.Hours{Zone: "Europe/Madrid", Start: 8 * 60, End: 16 * 60})

	ba := "America/Argentina/Buenos_Aires"
	run := func(when time.Time, q directory.JobQuery, want ...string) {
		t.Helper()
		e.Clock.Advance(when.Sub(e.Clock.Now()))
		q.Facets = true
		res := search(t, e, q)
		eq(t, when.Format("Jan")+" "+q.Zone, sortedTitles(res.Items), want)
		eq(t, "total", res.Total, len(want))
	}
	jan := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	jul := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	e.Clock.Advance(-e.Clock.Now().Sub(jan.Add(-time.Hour))) // publish before January
	// London is UTC+0 in January, 06:00-14:00 in Buenos Aires: 5 hours of
	// a 09:00-18:00 day there; UTC+1 in July, 05:00-13:00: 4 hours.
	run(jan, directory.JobQuery{Zone: ba, Overlap: 5}, "Any hours", "Buenos Aires 10-15", "London 09-17")
	run(jul, directory.JobQuery{Zone: ba, Overlap: 5}, "Any hours", "Buenos Aires 10-15")
	run(jul, directory.JobQuery{Zone: ba, Overlap: 4}, "Any hours", "Buenos Aires 10-15", "London 09-17")
	// A seeker in London: Buenos Aires' 13:00-18:00 UTC is 5 hours of a
	// London day in January (UTC) and 4 in July (BST, 08:00-17:00 UTC).
	run(jan, directory.JobQuery{Zone: "Europe/London", Overlap: 5}, "Any hours", "Buenos Aires 10-15", "London 09-17", "Madrid onsite 08-16")
	run(jul, directory.JobQuery{Zone: "Europe/London", Overlap: 5}, "Any hours", "London 09-17", "Madrid onsite 08-16")
	// Tokyo's day is Buenos Aires' night.
	run(jan, directory.JobQuery{Zone: ba, Overlap: 3}, "Any hours", "Buenos Aires 10-15", "London 09-17", "Madrid onsite 08-16")
	run(jan, directory.JobQuery{Zone: ba, Overlap: 1}, "Any hours", "Buenos Aires 10-15", "London 09-17", "Madrid onsite 08-16")
	run(jan, directory.JobQuery{Zone: "Asia/Tokyo", Overlap: 9}, "Any hours", "Tokyo 09-18")
	// A late working day in Buenos Aires meets Tokyo's morning.
	run(jan, directory.JobQuery{Zone: ba, Overlap: 2, DayStart: 18 * 60, DayEnd: 24 * 60}, "Any hours", "Tokyo 09-18")
	// With a place and other filters.
	run(jan, directory.JobQuery{Zone: ba, Overlap: 3, LiveIn: "ES"}, "Any hours", "Buenos Aires 10-15", "London 09-17", "Madrid onsite 08-16")
	run(jan, directory.JobQuery{Zone: ba, Overlap: 4, LiveIn: "ES"}, "Any hours", "Buenos Aires 10-15", "London 09-17")
	run(jan, directory.JobQuery{Zone: ba, Overlap: 4, Text: directory.ParseQuery("london OR tokyo")}, "London 09-17")

	// Hours of overlap are a facet: counted without the overlap filter,
	// with the others.
	e.Clock.Advance(jan.Sub(e.Clock.Now()))
	res := search(t, e, directory.JobQuery{Zone: ba, Overlap: 5, Facets: true})
	eq(t, "overlap facet", facetMap(res.Facets.Overlap), map[string]int{"1": 4, "2": 4, "3": 4, "4": 3, "5": 3, "6": 1, "7": 1, "8": 1, "9": 1})
	res = search(t, e, directory.JobQuery{Zone: ba, Overlap: 5, Remote: []string{"remote"}, Facets: true})
	eq(t, "overlap facet with a filter", facetMap(res.Facets.Overlap)["3"], 3)
	eq(t, "remote facet with the overlap", facetMap(res.Facets.Remote), map[string]int{"remote": 3})
	if search(t, e, directory.JobQuery{Facets: true}).Facets.Overlap != nil {
		t.Fatal("an overlap facet without a zone")
	}
	j, err := e.Svc.SearchJobs(e.Context, directory.JobQuery{Zone: ba})
	if err != nil || j.Total != 5 {
		t.Fatalf("a zone alone filters nothing: %v %v", j, err)
	}
	for _, bad := range []directory.JobQuery{{Overlap: 4}, {Zone: "Mars/Olympus", Overlap: 1}, {Zone: ba, Overlap: 25},
		{Zone: ba, Overlap: 2, DayStart: 10 * 60, DayEnd: 9 * 60}} {
		_, err := e.Svc.SearchJobs(e.Context, bad)
		mustKind(t, err, directory.KindInvalid)
	}
	for _, h := range []directory.Hours{{Zone: "Nowhere/City", Start: 60, End: 120}, {Zone: ba, Start: 15 * 60, End: 10 * 60},
		{Zone: ba, Start: 600, End: 600}, {Zone: ba, Start: 600, End: 1441}} {
		_, err := e.Svc.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: "x", Description: "y", Remote: "remote",
			Hours: &h, EmploymentType: "full_time", ApplyEmail: "a@b.example"})
		mustKind(t, err, directory.KindInvalid)
	}
}

func testCoopFacts(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	full := directory.Job{Title: "Full", Description: "All facts.", Remote: "remote", EmploymentType: directory.FullTime,
		ApplyEmail: "a@gcoop.example", HoursPerWeek: 30, Seniority: directory.Senior, Decisions: directory.DecideSociocracy,
		Membership: &directory.Membership{LeadsToMembership: true, TrialMonths: 6, Capital: &directory.Capital{Amount: 150000, Currency: "ars"}},
		PayPolicy:  &directory.PayPolicy{Kind: directory.PayRatio, Ratio: 2.5},
		Hours:      &directory.Hours{Zone: "America/Argentina/Buenos_Aires", Start: 600, End: 900},
	}
	j, err := e.Svc.CreateJob(e.Context, e.Admin, "gcoop", full)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Svc.Job(e.Context, j.APID)
	if err != nil {
		t.Fatal(err)
	}
	want := full.Membership
	want.Capital.Currency = "ARS"
	if !reflect.DeepEqual(got.Membership, want) || !reflect.DeepEqual(got.PayPolicy, full.PayPolicy) ||
		!reflect.DeepEqual(got.Hours, full.Hours) || got.HoursPerWeek != 30 || got.Seniority != "senior" || got.Decisions != "sociocracy" {
		t.Fatalf("read back: %+v %+v %+v %+v", got, got.Membership, got.PayPolicy, got.Hours)
	}
	e.Clock.Advance(time.Second)
	_, err = e.Svc.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: "Equal", Description: "Equal pay.", Remote: "onsite",
		Country: "AR", EmploymentType: directory.FullTime, ApplyEmail: "a@gcoop.example", Seniority: directory.Junior,
		Membership: &directory.Membership{LeadsToMembership: true, Capital: &directory.Capital{}},
		PayPolicy:  &directory.PayPolicy{Kind: directory.PayEqual}})
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Second)
	_, err = e.Svc.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: "Contract", Description: "No membership.", Remote: "remote",
		EmploymentType: directory.Contract, ApplyEmail: "a@gcoop.example", Seniority: directory.Senior,
		Membership: &directory.Membership{}})
	if err != nil {
		t.Fatal(err)
	}
	e.Job(t, "gcoop", JobSpec{Title: "Plain"})

	res := search(t, e, directory.JobQuery{Facets: true})
	eq(t, "seniority facet", facetMap(res.Facets.Seniority), map[string]int{"senior": 2, "junior": 1})
	eq(t, "no membership", res.Items[1].Membership, &directory.Membership{})
	eq(t, "unstated", res.Items[0].Membership == nil && res.Items[0].PayPolicy == nil && res.Items[0].Hours == nil, true)
	res = search(t, e, directory.JobQuery{Facets: true, LeadsToMembership: true})
	eq(t, "leads to membership", sortedTitles(res.Items), []string{"Equal", "Full"})
	eq(t, "seniority facet with membership", facetMap(res.Facets.Seniority), map[string]int{"senior": 1, "junior": 1})
	res = search(t, e, directory.JobQuery{Facets: true, Seniority: []string{"senior"}})
	eq(t, "senior", sortedTitles(res.Items), []string{"Contract", "Full"})
	eq(t, "seniority facet ignores its filter", facetMap(res.Facets.Seniority), map[string]int{"senior": 2, "junior": 1})
	res = search(t, e, directory.JobQuery{Seniority: []string{"senior", "junior"}, LeadsToMembership: true})
	eq(t, "both", sortedTitles(res.Items), []string{"Equal", "Full"})
	_, err = e.Svc.SearchJobs(e.Context, directory.JobQuery{Seniority: []string{"guru"}})
	mustKind(t, err, directory.KindInvalid)

	// A patch removes and changes facts.
	lead, none := directory.Lead, ""
	up, err := e.Svc.UpdateJob(e.Context, e.Admin, j.APID, directory.JobPatch{Seniority: &lead, Decisions: &none,
		SetMembership: true, SetPayPolicy: true, PayPolicy: &directory.PayPolicy{Kind: directory.PayEqual}, SetHours: true})
	if err != nil {
		t.Fatal(err)
	}
	if up.Seniority != "lead" || up.Decisions != "" || up.Membership != nil || up.PayPolicy.Kind != "equal" || up.Hours != nil || up.HoursPerWeek != 30 {
		t.Fatalf("patched: %+v", up)
	}

	bad := []struct {
		field string
		edit  func(*directory.Job)
	}{
		{"hours_per_week", func(j *directory.Job) { j.HoursPerWeek = 81 }},
		{"seniority", func(j *directory.Job) { j.Seniority = "guru" }},
		{"decisions", func(j *directory.Job) { j.Decisions = "dictator" }},
		{"pay_policy.kind", func(j *directory.Job) { j.PayPolicy = &directory.PayPolicy{Kind: "market"} }},
		{"pay_policy.ratio", func(j *directory.Job) { j.PayPolicy = &directory.PayPolicy{Kind: "ratio", Ratio: 1} }},
		{"pay_policy.ratio", func(j *directory.Job) { j.PayPolicy = &directory.PayPolicy{Kind: "equal", Ratio: 3} }},
		{"membership.trial_months", func(j *directory.Job) { j.Membership = &directory.Membership{LeadsToMembership: true, TrialMonths: 37} }},
		{"membership.trial_months", func(j *directory.Job) { j.Membership = &directory.Membership{TrialMonths: 3} }},
		{"membership.capital_contribution.amount", func(j *directory.Job) {
			j.Membership = &directory.Membership{LeadsToMembership: true, Capital: &directory.Capital{Amount: -1, Currency: "ARS"}}
		}},
		{"membership.capital_contribution.currency", func(j *directory.Job) {
			j.Membership = &directory.Membership{LeadsToMembership: true, Capital: &directory.Capital{Amount: 10}}
		}},
		{"hours.zone", func(j *directory.Job) { j.Hours = &directory.Hours{Zone: "Local", Start: 1, End: 2} }},
		{"hours.end", func(j *directory.Job) { j.Hours = &directory.Hours{Zone: "UTC", Start: 900, End: 600} }},
	}
	for _, b := range bad {
		j := full
		j.Membership, j.PayPolicy, j.Hours = nil, nil, nil
		b.edit(&j)
		_, err := e.Svc.CreateJob(e.Context, e.Admin, "gcoop", j)
		mustKind(t, err, directory.KindInvalid)
		if de := err.(*directory.Error); de.Field != b.field {
			t.Errorf("field: got %q, want %q (%v)", de.Field, b.field, err)
		}
	}
	eq(t, "nothing stored half-way", search(t, e, directory.JobQuery{}).Total, 4)
}
