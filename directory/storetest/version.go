package storetest

import (
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// testVersion checks what the search cache relies on: the data version
// moves with every committed write, by the service or straight to the
// store (as federation writes), and stays put while nothing is written;
// and a service never answers from results older than the data.
func testVersion(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	version := func() string {
		t.Helper()
		v, err := e.Store.Version(e.Context)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v0 := version()
	if _, err := e.Store.LocalFederation(e.Context); err != nil {
		t.Fatal(err)
	}
	search(t, e, directory.JobQuery{Facets: true})
	if v := version(); v != v0 {
		t.Fatalf("reads moved the version: %s -> %s", v0, v)
	}
	e.Coop(t, "gcoop", "AR", 40)
	v1 := version()
	if v1 == v0 {
		t.Fatal("a new co-op left the version unchanged")
	}
	if got := search(t, e, directory.JobQuery{Facets: true}).Total; got != 0 {
		t.Fatalf("total %d", got)
	}
	e.Job(t, "gcoop", JobSpec{Title: "Go developer", Skills: []string{"go"}, Remote: "remote"})
	if version() == v1 {
		t.Fatal("a new job left the version unchanged")
	}
	if got := search(t, e, directory.JobQuery{Facets: true}).Total; got != 1 {
		t.Fatalf("after a job through the service: total %d, want 1", got)
	}

	// A write straight to the store, as an aggregated job arrives.
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.UpsertRemoteJob(e.Context, remoteJob("https://ethix.example/jobs/1", rc.APID, "Elixir engineer", Start)); err != nil {
		t.Fatal(err)
	}
	res := search(t, e, directory.JobQuery{Facets: true})
	if res.Total != 2 || len(res.Facets.Skill) != 2 {
		t.Fatalf("after a remote job: %d jobs, skills %v", res.Total, res.Facets.Skill)
	}
	st, err := e.Svc.Stats(e.Context)
	if err != nil || st.Totals.Jobs != 2 {
		t.Fatalf("stats after a remote job: %+v %v", st, err)
	}

	// A second service on the same database (another replica) writes; the
	// first one sees it at once.
	other := directory.NewService(e.Store, e.Links, e.Clock.Now)
	if _, err := other.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: "Rust developer", Description: "d",
		Remote: "remote", EmploymentType: directory.Contract, ApplyEmail: "a@b.example"}); err != nil {
		t.Fatal(err)
	}
	if got := search(t, e, directory.JobQuery{}).Total; got != 3 {
		t.Fatalf("after another replica's write: total %d, want 3", got)
	}

	// Jobs leave results when they expire, even with no write at all.
	e.Job(t, "gcoop", JobSpec{Title: "Short", ValidFor: 2 * time.Minute})
	if got := search(t, e, directory.JobQuery{}).Total; got != 4 {
		t.Fatalf("total %d, want 4", got)
	}
	e.Clock.Advance(3 * time.Minute)
	if got := search(t, e, directory.JobQuery{}).Total; got != 3 {
		t.Fatalf("after expiry: total %d, want 3", got)
	}
}
