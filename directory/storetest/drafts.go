package storetest

import (
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// testDrafts: drafts are saved forms of one co-op, kept from everyone
// else and out of search.
func testDrafts(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	c := e.Coop(t, "gcoop", "AR", 40)
	other := e.Coop(t, "fiqus", "AR", 12)
	member := directory.Principal{CoopID: c.ID}
	d, err := e.Svc.SaveDraft(e.Context, member, "gcoop", 0, map[string]string{"title": "Go dev", "remote": "remote"})
	if err != nil || d.ID == 0 {
		t.Fatalf("save: %+v %v", d, err)
	}
	if _, err := e.Svc.SaveDraft(e.Context, member, "gcoop", d.ID, map[string]string{"title": "Go developer", "remote": "hybrid"}); err != nil {
		t.Fatal(err)
	}
	got, err := e.Svc.Draft(e.Context, member, "gcoop", d.ID)
	if err != nil || got.Title != "Go developer" || got.Fields["remote"] != "hybrid" {
		t.Fatalf("draft: %+v %v", got, err)
	}
	list, _ := e.Svc.Drafts(e.Context, member, "gcoop")
	eq(t, "one draft", len(list), 1)
	eq(t, "not in search", search(t, e, directory.JobQuery{}).Total, 0)
	intruder := directory.Principal{CoopID: other.ID}
	mustKind(t, errOf(e.Svc.Draft(e.Context, intruder, "gcoop", d.ID)), directory.KindForbidden)
	mustKind(t, errOf(e.Svc.Draft(e.Context, intruder, "fiqus", d.ID)), directory.KindNotFound)
	mustKind(t, errOf(e.Svc.SaveDraft(e.Context, intruder, "fiqus", d.ID, map[string]string{"title": "stolen"})), directory.KindNotFound)
	mustKind(t, e.Svc.DeleteDraft(e.Context, intruder, "fiqus", d.ID), directory.KindNotFound)
	if err := e.Svc.DeleteDraft(e.Context, e.Admin, "gcoop", d.ID); err != nil {
		t.Fatal(err)
	}
	list, _ = e.Svc.Drafts(e.Context, member, "gcoop")
	eq(t, "deleted", len(list), 0)

	// A closed job is kept as a closed draft, apart from the drafts.
	j := e.Job(t, "gcoop", JobSpec{Title: "Rust developer"})
	if _, err := e.Svc.SaveDraft(e.Context, member, "gcoop", 0, map[string]string{"title": "Plain draft"}); err != nil {
		t.Fatal(err)
	}
	mustKind(t, errOf(e.Svc.CloseJob(e.Context, intruder, j.APID, map[string]string{"title": "x"})), directory.KindForbidden)
	closed, err := e.Svc.CloseJob(e.Context, member, j.APID, map[string]string{"title": "Rust developer", "remote": "remote"})
	if err != nil || closed.ClosedFrom != j.APID {
		t.Fatalf("close: %+v %v", closed, err)
	}
	mustKind(t, errOf(e.Svc.Job(e.Context, j.APID)), directory.KindNotFound)
	if _, err := e.Svc.Tombstone(e.Context, j.APID); err != nil {
		t.Errorf("a closed job leaves no tombstone: %v", err)
	}
	list, _ = e.Svc.Drafts(e.Context, member, "gcoop")
	eq(t, "drafts without the closed job", len(list), 1)
	shut, err := e.Svc.ClosedJobs(e.Context, member, "gcoop")
	if err != nil || len(shut) != 1 || shut[0].ClosedFrom != j.APID || shut[0].Title != "Rust developer" || shut[0].Fields["remote"] != "remote" {
		t.Fatalf("closed jobs: %+v %v", shut, err)
	}
	mustKind(t, errOf(e.Svc.ClosedJobs(e.Context, intruder, "gcoop")), directory.KindForbidden)
	// Saving it again as a plain draft makes it a draft.
	if _, err := e.Svc.SaveDraft(e.Context, member, "gcoop", shut[0].ID, shut[0].Fields); err != nil {
		t.Fatal(err)
	}
	list, _ = e.Svc.Drafts(e.Context, member, "gcoop")
	eq(t, "a draft again", len(list), 2)
}
