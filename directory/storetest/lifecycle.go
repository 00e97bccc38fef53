package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// testSentActivities: every activity queued for delivery is recorded
// once, with its body, in the transaction that queues it; undoing a
// follow marks its Follow gone; pruning keeps the Follows in force.
func testSentActivities(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	ctx := e.Context
	if _, err := fs.SentActivity(ctx, "https://soberaniax.example/activities/follow/00"); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("unknown activity: %v", err)
	}
	d := func(id, inbox, body string, at time.Time) directory.Delivery {
		return directory.Delivery{Inbox: inbox, Signer: e.Fed.APID, ActivityID: id, Body: []byte(body), NextAttemptAt: at, CreatedAt: at}
	}
	// One activity to two inboxes is one record; sending it again keeps
	// the first body.
	update := "https://soberaniax.example/activities/update/1"
	if err := fs.EnqueueDeliveries(ctx, []directory.Delivery{d(update, "https://a.example/inbox", `{"type":"Update"}`, Start),
		d(update, "https://b.example/inbox", `{"type":"Update"}`, Start)}); err != nil {
		t.Fatal(err)
	}
	if err := fs.EnqueueDeliveries(ctx, []directory.Delivery{d(update, "https://c.example/inbox", `{"type":"Other"}`, Start)}); err != nil {
		t.Fatal(err)
	}
	a, err := fs.SentActivity(ctx, update)
	if err != nil || string(a.Body) != `{"type":"Update"}` || !a.CreatedAt.Equal(Start) || !a.GoneAt.IsZero() {
		t.Fatalf("sent Update: %+v %v", a, err)
	}

	// The instance actor's follow and a co-op's: their Follows stand
	// until undone, then are gone; the Undos are recorded.
	follow := "https://soberaniax.example/activities/follow/1"
	fl := &directory.Follow{Target: "https://ethix.example/federation", FollowID: follow, State: directory.FollowPending,
		CreatedAt: Start, UpdatedAt: Start}
	if err := fs.AddFollow(ctx, fl, ptr(d(follow, "https://ethix.example/inbox", `{"type":"Follow"}`, Start))); err != nil {
		t.Fatal(err)
	}
	c := e.Coop(t, "gcoop", "AR", 4)
	coopFollow := "https://soberaniax.example/activities/follow/2"
	cf := &directory.CoopFollow{CoopID: c.ID, Target: "https://m.example/users/ana", FollowID: coopFollow, State: directory.FollowPending,
		CreatedAt: Start, UpdatedAt: Start}
	if err := fs.AddCoopFollow(ctx, cf, ptr(d(coopFollow, "https://m.example/inbox", `{"type":"Follow"}`, Start))); err != nil {
		t.Fatal(err)
	}
	// An Accept this node answered with, as AddFollower queues it.
	accept := "https://soberaniax.example/activities/accept/1"
	if err := fs.AddFollower(ctx, &directory.Follower{ActorAPID: c.APID, FollowerAPID: "https://m.example/users/ana",
		Inbox: "https://m.example/inbox", FollowID: "https://m.example/follows/1", CreatedAt: Start},
		ptr(d(accept, "https://m.example/inbox", `{"type":"Accept"}`, Start))); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{follow, coopFollow, accept} {
		if a, err := fs.SentActivity(ctx, id); err != nil || !a.GoneAt.IsZero() {
			t.Fatalf("%s: %+v %v", id, a, err)
		}
	}
	undoAt := Start.Add(time.Hour)
	undo := "https://soberaniax.example/activities/undo/1"
	if _, err := fs.DeleteCoopFollow(ctx, c.ID, cf.ID, ptr(d(undo, "https://m.example/inbox", `{"type":"Undo"}`, undoAt))); err != nil {
		t.Fatal(err)
	}
	if a, err := fs.SentActivity(ctx, coopFollow); err != nil || !a.GoneAt.Equal(undoAt) {
		t.Fatalf("undone co-op Follow: %+v %v", a, err)
	}
	if a, err := fs.SentActivity(ctx, undo); err != nil || string(a.Body) != `{"type":"Undo"}` || !a.GoneAt.IsZero() {
		t.Fatalf("Undo: %+v %v", a, err)
	}

	// Pruning forgets what is older than the cut, but not the Follow of
	// a follow in force; once that follow ends (here without an Undo, as
	// when its target deletes itself) it is gone, then pruned too.
	n, err := fs.PruneActivities(ctx, Start.Add(30*time.Minute))
	if err != nil || n != 3 { // the Update, the co-op's undone Follow, the Accept
		t.Fatalf("pruned %d: %v", n, err)
	}
	for id, kept := range map[string]bool{update: false, coopFollow: false, accept: false, follow: true, undo: true} {
		if _, err := fs.SentActivity(ctx, id); (err == nil) != kept {
			t.Fatalf("%s kept %v: %v", id, !kept, err)
		}
	}
	if err := fs.DeleteFollow(ctx, fl.ID, nil); err != nil {
		t.Fatal(err)
	}
	if a, err := fs.SentActivity(ctx, follow); err != nil || a.GoneAt.IsZero() {
		t.Fatalf("ended follow's Follow: %+v %v", a, err)
	}
	if n, err := fs.PruneActivities(ctx, Start.Add(2*time.Hour)); err != nil || n != 2 {
		t.Fatalf("pruned %d: %v", n, err)
	}
	mustKind(t, fs.DeleteFollow(ctx, fl.ID, nil), directory.KindNotFound)
}

func ptr[T any](v T) *T { return &v }

// testCoopDeletionJobs: deleting a local co-op leaves a tombstone for
// each of its jobs and the co-op, and records a coop.job.delete event
// for each job before the co-op's coop.delete, in one transaction.
func testCoopDeletionJobs(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	c := e.Coop(t, "gcoop", "AR", 4)
	other := e.Coop(t, "outlandish", "GB", 9)
	j1 := e.Job(t, "gcoop", JobSpec{Title: "One"})
	j2 := e.Job(t, "gcoop", JobSpec{Title: "Two"})
	kept := e.Job(t, "outlandish", JobSpec{Title: "Kept"})
	before, err := e.Store.PendingEvents(e.Context, 100)
	if err != nil {
		t.Fatal(err)
	}
	at := Start.Add(24 * time.Hour)
	if err := e.Store.DeleteCoop(e.Context, c.ID, at); err != nil {
		t.Fatal(err)
	}
	evs, err := e.Store.PendingEvents(e.Context, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range evs[len(before):] {
		got = append(got, fmt.Sprintf("%s %s by %s", ev.Kind, ev.ObjectID, ev.ActorID))
		if !ev.CreatedAt.Equal(at) {
			t.Fatalf("event time %v", ev.CreatedAt)
		}
	}
	eq(t, "events", got, []string{
		directory.EventCoopJobDelete + " " + j1.APID + " by " + c.APID,
		directory.EventCoopJobDelete + " " + j2.APID + " by " + c.APID,
		directory.EventCoopDelete + " " + c.APID + " by " + c.APID,
	})
	for id, typ := range map[string]string{j1.APID: "Note", j2.APID: "Note", c.APID: "Organization"} {
		if ts, err := e.Store.Tombstone(e.Context, id); err != nil || ts.Type != typ || !ts.DeletedAt.Equal(at) {
			t.Fatalf("tombstone of %s: %+v %v", id, ts, err)
		}
	}
	if _, err := e.Store.Tombstone(e.Context, kept.APID); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("another co-op's job has a tombstone: %v", err)
	}
	if _, err := e.Store.JobByAPID(e.Context, kept.APID); err != nil {
		t.Fatalf("another co-op's job: %v", err)
	}
	_ = other
}

// testRemoteClosuresTombstones: on an aggregating node, the jobs of a
// remote co-op that deletes itself, and the jobs pruned after a full
// import of a co-op's outbox, leave tombstones as a remote job's own
// Delete does, so that their pages say they closed; nothing goes out.
func testRemoteClosuresTombstones(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	ctx := e.Context
	gone := remoteCoop("https://ethix.example/coops/gone", "gone", "ethix.example")
	pruned := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	for _, c := range []*directory.Coop{gone, pruned} {
		if err := e.Store.UpsertRemoteCoop(ctx, c); err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			if err := e.Store.UpsertRemoteJob(ctx, remoteJob(fmt.Sprintf("%s/jobs/%d", c.APID, i), c.APID, fmt.Sprintf("Job %d", i), Start)); err != nil {
				t.Fatal(err)
			}
		}
	}
	before, _ := e.Store.PendingEvents(ctx, 100)
	at := Start.Add(time.Hour)
	if err := e.Store.DeleteCoop(ctx, gone.ID, at); err != nil {
		t.Fatal(err)
	}
	if n, err := e.Store.PruneRemoteJobs(ctx, pruned.APID, []string{pruned.APID + "/jobs/1"}, at); err != nil || n != 1 {
		t.Fatalf("pruned %d: %v", n, err)
	}
	for _, id := range []string{gone.APID + "/jobs/0", gone.APID + "/jobs/1", pruned.APID + "/jobs/0"} {
		if ts, err := e.Store.Tombstone(ctx, id); err != nil || ts.Type != "Note" || !ts.DeletedAt.Equal(at) {
			t.Fatalf("tombstone of %s: %+v %v", id, ts, err)
		}
		if _, err := e.Store.JobByAPID(ctx, id); directory.KindOf(err) != directory.KindNotFound {
			t.Fatalf("%s still stored: %v", id, err)
		}
	}
	// The kept job has none; the remote co-op itself has none (its page
	// is not this node's to close).
	for _, id := range []string{pruned.APID + "/jobs/1", gone.APID} {
		if _, err := e.Store.Tombstone(ctx, id); directory.KindOf(err) != directory.KindNotFound {
			t.Fatalf("tombstone of %s: %v", id, err)
		}
	}
	if evs, _ := e.Store.PendingEvents(ctx, 100); len(evs) != len(before) {
		t.Fatalf("events for remote closures: %+v", evs[len(before):])
	}
}
