package storetest

import (
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
