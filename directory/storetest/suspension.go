package storetest

import (
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// testSuspension: a suspended co-op, local or aggregated, leaves listings,
// search, facets and statistics with its jobs, and comes back whole.
func testSuspension(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	seedSearch(t, e) // gcoop (2 jobs) and fiqus (3 jobs)
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.UpsertRemoteJob(e.Context, remoteJob("https://ethix.example/jobs/1", rc.APID, "Remote elixir", Start)); err != nil {
		t.Fatal(err)
	}
	listed := func() int {
		t.Helper()
		p, err := e.Svc.ListCoops(e.Context, directory.CoopQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return p.Total
	}
	stats := func() directory.Totals {
		t.Helper()
		st, err := e.Svc.Stats(e.Context)
		if err != nil {
			t.Fatal(err)
		}
		return st.Totals
	}
	eq(t, "before", []int{listed(), search(t, e, directory.JobQuery{}).Total, stats().Coops, stats().Jobs}, []int{3, 6, 3, 6})

	if _, err := e.Svc.SetSuspended(e.Context, e.Admin, "fiqus", true); err != nil {
		t.Fatal(err)
	}
	res := search(t, e, directory.JobQuery{Facets: true})
	eq(t, "suspended local co-op: listed, jobs, stats", []int{listed(), res.Total, stats().Coops, stats().Jobs}, []int{2, 3, 2, 3})
	eq(t, "facets skip it too", facetMap(res.Facets.Skill)["rust"], 0)
	all, err := e.Svc.ListCoops(e.Context, directory.CoopQuery{Suspended: true})
	if err != nil || all.Total != 3 {
		t.Fatalf("with suspended: %v %v", all, err)
	}
	mustKind(t, errOf(e.Svc.SetSuspended(e.Context, directory.Principal{CoopID: 1}, "gcoop", true)), directory.KindForbidden)

	// An aggregated co-op suspended by its own node.
	rc.Suspended = true
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	eq(t, "suspended remote co-op", []int{listed(), search(t, e, directory.JobQuery{}).Total}, []int{1, 2})
	if _, err := e.Svc.PublicCoop(e.Context, "outlandish@ethix.example"); directory.KindOf(err) != directory.KindNotFound {
		t.Errorf("a suspended co-op's page: %v", err)
	}

	// Both come back with everything.
	if _, err := e.Svc.SetSuspended(e.Context, e.Admin, "fiqus", false); err != nil {
		t.Fatal(err)
	}
	rc.Suspended = false
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	eq(t, "reinstated", []int{listed(), search(t, e, directory.JobQuery{}).Total, stats().Jobs}, []int{3, 6, 6})
}

// testSuspendedWrites: a suspended co-op publishes nothing. Neither its
// members nor the admin may change its profile or logo, or publish, edit
// or draft its openings, and the store writes no event for its followers;
// the admin may still close its openings (their Delete goes out), delete
// it, or reinstate it.
func testSuspendedWrites(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	c := e.Coop(t, "gcoop", "AR", 40)
	e.Coop(t, "fiqus", "AR", 12)
	j := e.Job(t, "gcoop", JobSpec{Title: "Go developer"})
	j2 := e.Job(t, "gcoop", JobSpec{Title: "Rust developer"})
	member := directory.Principal{CoopID: c.ID}
	draft, err := e.Svc.SaveDraft(e.Context, member, "gcoop", 0, map[string]string{"title": "Elixir"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Svc.SetSuspended(e.Context, e.Admin, "gcoop", true); err != nil {
		t.Fatal(err)
	}
	events := func() []string {
		t.Helper()
		evs, err := e.Store.PendingEvents(e.Context, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, ev := range evs {
			out = append(out, ev.Kind+" "+ev.ObjectID)
		}
		return out
	}
	before := events()
	refused := func(what string, err error) {
		t.Helper()
		if directory.KindOf(err) != directory.KindForbidden || !strings.Contains(directory.SafeMessage(err), "the co-op gcoop is suspended") {
			t.Errorf("%s: %v, want refused as suspended", what, err)
		}
	}
	title, name := "Senior Go developer", "GCoop"
	job := directory.Job{Title: "Python developer", Description: "d", Remote: directory.RemoteFull, EmploymentType: directory.FullTime,
		ApplyEmail: "jobs@gcoop.example"}
	for who, p := range map[string]directory.Principal{"member": member, "admin": e.Admin} {
		refused(who+" publishes", errOf(e.Svc.CreateJob(e.Context, p, "gcoop", job)))
		refused(who+" edits a job", errOf(e.Svc.UpdateJob(e.Context, p, j.APID, directory.JobPatch{Title: &title})))
		refused(who+" edits the profile", errOf(e.Svc.UpdateCoop(e.Context, p, "gcoop", directory.CoopPatch{Name: &name})))
		refused(who+" sets the logo", e.Svc.SetLogo(e.Context, p, "gcoop", PNG(t, 8, 8)))
		refused(who+" saves a new draft", errOf(e.Svc.SaveDraft(e.Context, p, "gcoop", 0, map[string]string{"title": "x"})))
		refused(who+" saves a draft", errOf(e.Svc.SaveDraft(e.Context, p, "gcoop", draft.ID, map[string]string{"title": "x"})))
		refused(who+" deletes a draft", e.Svc.DeleteDraft(e.Context, p, "gcoop", draft.ID))
		refused(who+" opens the co-op's drafts", errOf(e.Svc.Drafts(e.Context, p, "gcoop")))
		refused(who+" acts for the co-op", errOf(e.Svc.ManagedCoop(e.Context, p, "gcoop")))
	}
	refused("member closes a job", e.Svc.DeleteJob(e.Context, member, j.APID))
	// Below the service too: the store refuses, in the write's own
	// transaction, whatever a request read before the suspension.
	stale := *c
	stale.Name, stale.Suspended = "Stale", false
	refused("store: profile", e.Store.UpdateCoop(e.Context, &stale))
	refused("store: logo", e.Store.PutLogo(e.Context, c.ID, &directory.Logo{ContentType: "image/png", Data: PNG(t, 8, 8), UpdatedAt: Start}))
	nj := job
	nj.APID, nj.Local, nj.Coop, nj.Published, nj.Updated = e.Links.Job("stale"), true, directory.CoopRef{ID: c.ID, APID: c.APID}, Start, Start
	refused("store: publish", e.Store.CreateJob(e.Context, &nj))
	edited := *j
	edited.Title = "Stale edit"
	refused("store: edit", e.Store.UpdateJob(e.Context, &edited))
	eq(t, "no event for a suspended co-op", events(), before)

	got, err := e.Store.CoopByAPID(e.Context, c.APID)
	if err != nil || !got.Suspended || got.Name != c.Name {
		t.Fatalf("after refused writes: %+v %v", got, err)
	}
	if got, err := e.Store.JobByAPID(e.Context, j.APID); err != nil || got.Title != "Go developer" {
		t.Fatalf("job after refused writes: %+v %v", got, err)
	}
	if _, err := e.Store.JobByAPID(e.Context, nj.APID); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("a job of a suspended co-op was stored: %v", err)
	}
	if _, err := e.Svc.CoopLogo(e.Context, c); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("a logo of a suspended co-op was stored: %v", err)
	}

	// The admin closes an opening: its Delete goes out, and only that.
	if err := e.Svc.DeleteJob(e.Context, e.Admin, j.APID); err != nil {
		t.Fatal(err)
	}
	eq(t, "the admin closed a job", events(), append(before, "job.delete "+j.APID))

	// Reinstated, it works again.
	if _, err := e.Svc.SetSuspended(e.Context, e.Admin, "gcoop", false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Svc.UpdateJob(e.Context, member, j2.APID, directory.JobPatch{Title: &title}); err != nil {
		t.Fatalf("edit after reinstating: %v", err)
	}
	if _, err := e.Svc.SaveDraft(e.Context, member, "gcoop", draft.ID, map[string]string{"title": "Elixir dev"}); err != nil {
		t.Fatalf("draft after reinstating: %v", err)
	}
	if err := e.Svc.SetLogo(e.Context, member, "gcoop", PNG(t, 8, 8)); err != nil {
		t.Fatalf("logo after reinstating: %v", err)
	}

	// Suspended again, it can still be deleted.
	if _, err := e.Svc.SetSuspended(e.Context, e.Admin, "gcoop", true); err != nil {
		t.Fatal(err)
	}
	if err := e.Svc.DeleteCoop(e.Context, e.Admin, "gcoop"); err != nil {
		t.Fatalf("deleting a suspended co-op: %v", err)
	}
	evs := events()
	eq(t, "its deletion goes out", evs[len(evs)-1], "coop.delete "+c.APID)
}
