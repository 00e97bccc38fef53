package federation_test

import (
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// answers checks that every activity of the types that f received has an
// id of its own (no fragment) that answers a signed GET with status and,
// for 200, the activity itself: the same id and type; for 410, a
// Tombstone of that id and former type.
func answers(t *testing.T, f *fakeServer, status int, types ...string) {
	t.Helper()
	for _, typ := range types {
		got := f.byType(typ)
		if len(got) == 0 {
			t.Fatalf("no %s received", typ)
		}
		for _, m := range got {
			id, _ := m["id"].(string)
			if id == "" || strings.Contains(id, "#") {
				t.Fatalf("%s id %q", typ, id)
			}
			st, doc := f.fetch(id)
			switch {
			case st != status:
				t.Fatalf("GET %s (%s): %d, want %d: %v", id, typ, st, status, doc)
			case status == 200 && (doc["id"] != id || doc["type"] != typ):
				t.Fatalf("GET %s: %v, want the %s", id, doc, typ)
			case status == 410 && (doc["id"] != id || doc["type"] != "Tombstone" || doc["formerType"] != typ):
				t.Fatalf("GET %s: %v, want a Tombstone of a %s", id, doc, typ)
			}
		}
	}
}

// TestActivityIDsAnswer: a follower fetches every activity id it got
// (Follow, Accept, Undo, Create, Update, Delete, Announce) and gets the
// activity, or 410 once its object is gone or the Follow was undone; an
// id never sent is a 404.
func TestActivityIDsAnswer(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "SoberaniaX", "soberaniax")
		ctx := t.Context()
		coop := n.coop("gcoop")
		masto := newFake(t)  // follows the co-op
		boosts := newFake(t) // follows the federation
		followCoop(t, n, masto, coop.APID)
		followCoop(t, n, boosts, n.url()+"/federation")
		eventually(t, "the Accepts", func() bool { return len(masto.byType("Accept")) == 1 && len(boosts.byType("Accept")) == 1 })

		job, err := n.svc.CreateJob(ctx, n.admin, "gcoop", directory.Job{Title: "Go developer", Description: "x",
			Remote: directory.RemoteFull, EmploymentType: directory.Contract, ApplyEmail: "jobs@gcoop.example"})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Create and the Announce", func() bool {
			return len(masto.byType("Create")) == 1 && len(boosts.byType("Announce")) == 1
		})
		title := "Go developer (edited)"
		if _, err := n.svc.UpdateJob(ctx, n.admin, job.APID, directory.JobPatch{Title: &title}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Updates", func() bool { return len(masto.byType("Update")) == 1 && len(boosts.byType("Update")) == 1 })
		cf, err := n.fed.CoopFollow(ctx, n.admin, coop.Handle, masto.actorID("ana"))
		if err != nil {
			t.Fatal(err)
		}
		nf, err := n.fed.Follow(ctx, n.admin, masto.actorID("instance"))
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "two Follows", func() bool { return len(masto.byType("Follow")) == 2 })

		answers(t, masto, 200, "Accept", "Create", "Update", "Follow")
		answers(t, boosts, 200, "Accept", "Announce", "Update")
		create := masto.byType("Create")[0]
		if create["id"] != job.APID+"/activity" {
			t.Fatalf("Create id %v", create["id"])
		}
		if st, ct, _ := get(t, create["id"].(string), federation.ContentTypeAS); st != 200 || ct != federation.ContentTypeAS {
			t.Fatalf("GET the Create: %d %s", st, ct)
		}
		if st, ct, _ := get(t, boosts.byType("Announce")[0]["id"].(string), federation.ContentTypeLD); st != 200 || ct != federation.ContentTypeLD {
			t.Fatalf("GET the Announce as ld+json: %d %s", st, ct)
		}

		// Undone, the Follows are gone and their Undos answer.
		if err := n.fed.CoopUnfollow(ctx, n.admin, coop.Handle, cf.ID); err != nil {
			t.Fatal(err)
		}
		if err := n.fed.Unfollow(ctx, n.admin, nf.ID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "two Undos", func() bool { return len(masto.byType("Undo")) == 2 })
		answers(t, masto, 200, "Undo")
		answers(t, masto, 410, "Follow")

		// Closed, the job's Create, Update and Announce are gone; the
		// Delete answers, as do the Accepts.
		if err := n.svc.DeleteJob(ctx, n.admin, job.APID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Deletes", func() bool { return len(masto.byType("Delete")) == 1 && len(boosts.byType("Delete")) == 1 })
		answers(t, masto, 200, "Delete", "Accept", "Undo")
		answers(t, boosts, 200, "Delete", "Accept")
		answers(t, masto, 410, "Create", "Update")
		answers(t, boosts, 410, "Announce", "Update")

		for _, path := range []string{"/activities/follow/00ff", "/activities/delete/abc", "/jobs/nosuchjob/activity", "/federation/announces/nosuchjob"} {
			if st, _ := masto.fetch(n.url() + path); st != 404 {
				t.Fatalf("GET %s: %d", path, st)
			}
		}
	})
}

// TestCoopDeletionReachesFollowers: deleting a co-op sends its
// followers a Delete of each of its jobs and then of the co-op, and the
// federation's followers an Undo of each Announce of them, all over
// signed HTTP; the jobs' ids and Announces then answer 410.
func TestCoopDeletionReachesFollowers(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "SoberaniaX", "soberaniax")
		ctx := t.Context()
		coop := n.coop("gcoop")
		n.coop("other")
		masto := newFake(t)  // follows the co-op
		boosts := newFake(t) // follows the federation
		followCoop(t, n, masto, coop.APID)
		followCoop(t, n, boosts, n.url()+"/federation")
		eventually(t, "the Accepts", func() bool { return len(masto.byType("Accept")) == 1 && len(boosts.byType("Accept")) == 1 })
		jobs := map[string]bool{}
		for _, title := range []string{"Go developer", "Designer"} {
			j, err := n.svc.CreateJob(ctx, n.admin, "gcoop", directory.Job{Title: title, Description: "x",
				Remote: directory.RemoteFull, EmploymentType: directory.Contract, ApplyEmail: "jobs@gcoop.example"})
			if err != nil {
				t.Fatal(err)
			}
			jobs[j.APID] = true
		}
		kept, err := n.svc.CreateJob(ctx, n.admin, "other", directory.Job{Title: "Kept", Description: "x",
			Remote: directory.RemoteFull, EmploymentType: directory.Contract, ApplyEmail: "jobs@other.example"})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Creates and Announces", func() bool {
			return len(masto.byType("Create")) == 2 && len(boosts.byType("Announce")) == 3
		})
		// Mastodon fetches a boosted post's author when the boost
		// arrives, and so knows the co-op's key.
		boosts.know(coop.APID)
		announces := map[string]string{} // job: Announce id
		for _, a := range boosts.byType("Announce") {
			announces[a["object"].(string)] = a["id"].(string)
		}

		if err := n.svc.DeleteCoop(ctx, n.admin, coop.Handle); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Deletes and Undos", func() bool {
			return len(masto.byType("Delete")) == 3 && len(boosts.byType("Undo")) == 2
		})
		deleted := map[string]bool{}
		actorDeleted := false
		for _, d := range masto.byType("Delete") {
			if d["actor"] != coop.APID {
				t.Fatalf("Delete by %v", d["actor"])
			}
			switch obj := d["object"].(type) {
			case string:
				actorDeleted = obj == coop.APID
			case map[string]any:
				if obj["type"] != "Tombstone" || obj["formerType"] != "Note" {
					t.Fatalf("Delete of %v", obj)
				}
				deleted[obj["id"].(string)] = true
			}
		}
		if !actorDeleted || len(deleted) != 2 || !deleted[keysOf(jobs)[0]] || !deleted[keysOf(jobs)[1]] {
			t.Fatalf("Deletes: %v", masto.byType("Delete"))
		}
		undone := map[string]bool{}
		for _, u := range boosts.byType("Undo") {
			obj, _ := u["object"].(map[string]any)
			job, _ := obj["object"].(string)
			if u["actor"] != n.url()+"/federation" || obj["type"] != "Announce" || obj["actor"] != u["actor"] || obj["id"] != announces[job] || !jobs[job] {
				t.Fatalf("Undo: %v", u)
			}
			undone[job] = true
		}
		if len(undone) != 2 {
			t.Fatalf("Undos: %v", boosts.byType("Undo"))
		}
		// A follower of the federation gets each job's Delete too, and
		// the co-op's.
		eventually(t, "the federation follower's Deletes", func() bool { return len(boosts.byType("Delete")) == 3 })

		for j := range jobs {
			if st, _, _ := get(t, j, federation.ContentTypeAS); st != 410 {
				t.Fatalf("GET %s: %d", j, st)
			}
			if st, _, _ := get(t, j, "text/html"); st != 410 {
				t.Fatalf("page of %s: %d", j, st)
			}
			if st, doc := boosts.fetch(announces[j]); st != 410 || doc["formerType"] != "Announce" {
				t.Fatalf("GET %s: %d %v", announces[j], st, doc)
			}
		}
		answers(t, boosts, 200, "Undo", "Delete")
		answers(t, masto, 200, "Delete")
		if st, _ := boosts.fetch(announces[kept.APID]); st != 200 {
			t.Fatalf("another co-op's Announce: %d", st)
		}
		if len(boosts.byType("Undo")) != 2 {
			t.Fatalf("Undos: %v", boosts.byType("Undo"))
		}
	})
}

func keysOf(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// know fetches an actor and keeps its key, as a server does with the
// author of a post it was shown.
func (f *fakeServer) know(actorID string) {
	f.t.Helper()
	st, _, doc := get(f.t, actorID, federation.ContentTypeAS)
	if st != 200 {
		f.t.Fatalf("GET %s: %d", actorID, st)
	}
	a, err := federation.ParseActor(actorID, doc)
	if err != nil {
		f.t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.keys == nil {
		f.keys = map[string]*directory.RemoteActor{}
	}
	f.keys[a.KeyID] = a
}
