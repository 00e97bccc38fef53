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
}
