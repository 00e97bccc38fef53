package federation_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// TestSeekerFactsTravel: where applicants may work from, the window of
// hours and the co-op facts of SoberaniaX's jobs reach EthiX's node over
// signed HTTP, by backfill and by Update, and a seeker finds them there
// as on their home node.
func TestSeekerFactsTravel(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a := newNode(t, open, "SoberaniaX", "soberaniax")
		b := newNode(t, open, "EthiX", "ethix")
		ctx := t.Context()
		a.coop("gcoop")
		full := directory.Job{Title: "Latam backend", Description: "APIs.", Remote: "remote", Eligible: []string{"LATAM", "ES", "NAM"},
			EmploymentType: "full_time", ApplyEmail: "jobs@gcoop.example",
			Hours:        &directory.Hours{Zone: "Europe/Madrid", Start: 14 * 60, End: 18 * 60},
			HoursPerWeek: 35, Seniority: directory.Senior, Decisions: directory.DecideSociocracy,
			Membership: &directory.Membership{LeadsToMembership: true, TrialMonths: 6, Capital: &directory.Capital{Amount: 100000, Currency: "ARS"}},
			PayPolicy:  &directory.PayPolicy{Kind: directory.PayRatio, Ratio: 2.5}}
		sent, err := a.svc.CreateJob(ctx, a.admin, "gcoop", full)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range []directory.Job{
			{Title: "Anywhere frontend", Remote: "remote"},
			{Title: "EU designer", Remote: "remote", Eligible: []string{"EU"}},
			{Title: "Rosario onsite", Remote: "onsite", Country: "AR", City: "Rosario"},
			{Title: "Tokyo hours", Remote: "remote", Hours: &directory.Hours{Zone: "Asia/Tokyo", Start: 9 * 60, End: 18 * 60}},
		} {
			j.Description, j.EmploymentType, j.ApplyEmail = "Work.", "full_time", "jobs@gcoop.example"
			if _, err := a.svc.CreateJob(ctx, a.admin, "gcoop", j); err != nil {
				t.Fatal(err)
			}
		}
		if st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"soberaniax@`+a.host()+`"}`); st != 202 {
			t.Fatalf("follow: %d %v", st, f)
		}
		eventually(t, "the backfilled jobs", func() bool { return len(b.search("")) == 5 })

		got, err := b.svc.Job(ctx, sent.APID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Local || !reflect.DeepEqual(got.Eligible, sent.Eligible) || !reflect.DeepEqual(got.Hours, sent.Hours) ||
			got.HoursPerWeek != 35 || got.Seniority != "senior" || got.Decisions != "sociocracy" ||
			!reflect.DeepEqual(got.Membership, sent.Membership) || !reflect.DeepEqual(got.PayPolicy, sent.PayPolicy) {
			t.Fatalf("aggregated: %+v %+v %+v %+v", got, got.Hours, got.Membership, got.PayPolicy)
		}
		// The same searches give the same jobs on both nodes.
		for _, q := range []string{
			"live_in=AR",
			"live_in=AR&city=rosario",
			"live_in=NA",
			"live_in=FR",
			"live_in=JP&tz=Asia/Tokyo&overlap=6",
			"tz=America/Argentina/Buenos_Aires&overlap=4",
			"seniority=senior&leads_to_membership=true",
		} {
			home, there := a.search(q), b.search(q)
			slices.Sort(home)
			slices.Sort(there)
			if !slices.Equal(home, there) || len(there) == 0 {
				t.Errorf("%s: home %v, aggregated %v", q, home, there)
			}
		}
		if got := b.search("live_in=AR"); len(got) != 4 {
			t.Errorf("live_in=AR on the aggregator: %v", got)
		}

		// An edit of the facts arrives as an Update.
		junior, latam := directory.Junior, []string{"AR"}
		if _, err := a.svc.UpdateJob(ctx, a.admin, sent.APID, directory.JobPatch{Seniority: &junior, Eligible: &latam,
			SetMembership: true, SetHours: true}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the edit", func() bool { return len(b.search("seniority=junior&live_in=AR")) == 1 })
		got, _ = b.svc.Job(ctx, sent.APID)
		if got.Membership != nil || got.Hours != nil || !slices.Equal(got.Eligible, []string{"AR"}) || got.Country != "AR" {
			t.Fatalf("edited: %+v", got)
		}
		if len(b.search("leads_to_membership=true")) != 0 || slices.Contains(b.search("live_in=ES"), "Latam backend") {
			t.Fatal("the edit left old facts behind")
		}
	})
}
