package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// testInteractions: replies, favourites and boosts of a local job are
// stored once, bounded, counted, listed for the co-op with their answers,
// and removed by Delete, Undo and the account's own deletion.
func testInteractions(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	ctx := e.Context
	c := e.Coop(t, "hornero", "AR", 5)
	other := e.Coop(t, "otra", "AR", 5)
	j := e.Job(t, "hornero", JobSpec{Title: "Go developer"})
	now := e.Clock.Now()
	ana := "https://masto.example/users/ana"
	reply := &directory.Interaction{JobID: j.ID, Kind: directory.InteractionReply, ActivityID: ana + "/statuses/1/activity",
		ObjectID: ana + "/statuses/1", Actor: ana, ActorName: "Ana", ActorHandle: "@ana@masto.example", Content: "<p>Is it remote?</p>",
		Text: "Is it remote?", Public: true, CreatedAt: now, UpdatedAt: now}
	add := func(i *directory.Interaction, want bool) {
		t.Helper()
		ok, err := e.Store.AddInteraction(ctx, i)
		if err != nil || ok != want {
			t.Fatalf("AddInteraction %s %s: %v %v, want %v", i.Kind, i.ActivityID, ok, err, want)
		}
	}
	add(reply, true)
	dup := *reply
	add(&dup, false) // the same activity
	dup.ActivityID = ana + "/other"
	add(&dup, false) // the same Note
	like := &directory.Interaction{JobID: j.ID, Kind: directory.InteractionLike, ActivityID: ana + "#likes/1", ObjectID: j.APID,
		Actor: ana, CreatedAt: now, UpdatedAt: now}
	add(like, true)
	again := *like
	again.ActivityID = ana + "#likes/2"
	add(&again, false) // one favourite per account
	boost := &directory.Interaction{JobID: j.ID, Kind: directory.InteractionBoost, ActivityID: ana + "/statuses/2/activity",
		ObjectID: j.APID, Actor: ana, CreatedAt: now, UpdatedAt: now}
	add(boost, true)
	bob := "https://other.example/users/bob"
	add(&directory.Interaction{JobID: j.ID, Kind: directory.InteractionBoost, ActivityID: bob + "/b1", ObjectID: j.APID, Actor: bob,
		CreatedAt: now, UpdatedAt: now}, true)
	counts, err := e.Store.InteractionCounts(ctx, j.ID)
	if err != nil || counts != (directory.InteractionCounts{Replies: 1, Likes: 1, Boosts: 2}) {
		t.Fatalf("counts: %+v %v", counts, err)
	}

	qs, err := e.Store.CoopQuestions(ctx, c.ID, 10)
	if err != nil || len(qs) != 1 || qs[0].Text != "Is it remote?" || qs[0].JobTitle != "Go developer" || qs[0].JobAPID != j.APID ||
		qs[0].ActorHandle != "@ana@masto.example" || !qs[0].Public || !qs[0].CreatedAt.Equal(now) {
		t.Fatalf("questions: %+v %v", qs, err)
	}
	if qs, err := e.Store.CoopQuestions(ctx, other.ID, 10); err != nil || len(qs) != 0 {
		t.Fatalf("another co-op's questions: %+v %v", qs, err)
	}
	if _, err := e.Store.Question(ctx, other.ID, reply.ID); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("another co-op's question: %v", err)
	}
	q, err := e.Store.Question(ctx, c.ID, reply.ID)
	if err != nil || q.ObjectID != reply.ObjectID {
		t.Fatalf("question: %+v %v", q, err)
	}

	// An answer is stored with its delivery.
	a := &directory.Answer{CoopID: c.ID, InteractionID: reply.ID, NoteID: c.APID + "/replies/abc", InReplyTo: reply.ObjectID, To: ana,
		Document: []byte(`{"type":"Note"}`), Text: "Yes.", CreatedAt: now}
	d := &directory.Delivery{Inbox: "https://masto.example/inbox", Signer: c.APID, ActivityID: a.NoteID + "/create",
		Body: []byte(`{}`), NextAttemptAt: now, CreatedAt: now}
	if err := e.Store.AddAnswer(ctx, a, d); err != nil || a.ID == 0 {
		t.Fatalf("AddAnswer: %v", err)
	}
	if err := e.Store.AddAnswer(ctx, &directory.Answer{CoopID: c.ID, NoteID: a.NoteID, InReplyTo: "x", To: ana, Document: []byte("{}"),
		CreatedAt: now}, nil); directory.KindOf(err) != directory.KindConflict {
		t.Fatalf("the same Note id twice: %v", err)
	}
	got, err := e.Store.AnswerByNoteID(ctx, a.NoteID)
	if err != nil || string(got.Document) != `{"type":"Note"}` || got.InteractionID != reply.ID || got.Text != "Yes." {
		t.Fatalf("AnswerByNoteID: %+v %v", got, err)
	}
	dels, err := e.Store.Deliveries(ctx, "pending", 100)
	if err != nil || len(dels) == 0 {
		t.Fatalf("the answer's delivery: %v %v", dels, err)
	}
	if qs, _ := e.Store.CoopQuestions(ctx, c.ID, 10); len(qs) != 1 || len(qs[0].Answers) != 1 || qs[0].Answers[0].Text != "Yes." {
		t.Fatalf("questions with answers: %+v", qs)
	}

	// Updates touch the author's reply only.
	if ok, err := e.Store.UpdateReply(ctx, bob, reply.ObjectID, "<p>x</p>", "x", now); err != nil || ok {
		t.Fatalf("another account's update: %v %v", ok, err)
	}
	if ok, err := e.Store.UpdateReply(ctx, ana, reply.ObjectID, "<p>Is it remote, really?</p>", "Is it remote, really?", now); err != nil || !ok {
		t.Fatalf("update: %v %v", ok, err)
	}
	if qs, _ := e.Store.CoopQuestions(ctx, c.ID, 10); qs[0].Text != "Is it remote, really?" {
		t.Fatalf("updated text: %q", qs[0].Text)
	}

	// Undo and Delete remove the author's own only.
	if n, err := e.Store.RemoveInteraction(ctx, bob, like.ActivityID); err != nil || n != 0 {
		t.Fatalf("another account's undo: %d %v", n, err)
	}
	if n, err := e.Store.RemoveInteraction(ctx, ana, like.ActivityID); err != nil || n != 1 {
		t.Fatalf("undo like: %d %v", n, err)
	}
	if n, err := e.Store.RemoveInteractionOf(ctx, ana, directory.InteractionBoost, j.APID); err != nil || n != 1 {
		t.Fatalf("undo boost by job: %d %v", n, err)
	}
	if n, err := e.Store.RemoveInteraction(ctx, ana, reply.ObjectID); err != nil || n != 1 {
		t.Fatalf("delete reply: %d %v", n, err)
	}
	if got, err := e.Store.AnswerByNoteID(ctx, a.NoteID); err != nil || got.InteractionID != 0 {
		t.Fatalf("the answer outlives its question: %+v %v", got, err)
	}
	counts, _ = e.Store.InteractionCounts(ctx, j.ID)
	if counts != (directory.InteractionCounts{Boosts: 1}) {
		t.Fatalf("counts after removal: %+v", counts)
	}
	if err := e.Store.ForgetAccount(ctx, bob); err != nil {
		t.Fatal(err)
	}
	if counts, _ = e.Store.InteractionCounts(ctx, j.ID); counts != (directory.InteractionCounts{}) {
		t.Fatalf("counts after the account's deletion: %+v", counts)
	}

	// Bounds: replies per account.
	for k := range directory.MaxRepliesPerActor + 1 {
		id := fmt.Sprintf("%s/statuses/r%d", ana, k)
		add(&directory.Interaction{JobID: j.ID, Kind: directory.InteractionReply, ActivityID: id + "/activity", ObjectID: id, Actor: ana,
			CreatedAt: now, UpdatedAt: now}, k < directory.MaxRepliesPerActor)
	}
	// Interactions leave with their job.
	if err := e.Store.DeleteJob(ctx, j.ID, now.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if qs, err := e.Store.CoopQuestions(ctx, c.ID, 100); err != nil || len(qs) != 0 {
		t.Fatalf("questions of a deleted job: %d %v", len(qs), err)
	}
}

// testFollowedPosts: posts of accounts a co-op follows are kept, bounded
// per account, listed for the co-ops whose follow is accepted, and
// forgotten with the account, whose follows end.
func testFollowedPosts(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	ctx := e.Context
	c := e.Coop(t, "hornero", "AR", 5)
	other := e.Coop(t, "otra", "AR", 5)
	ana := "https://masto.example/users/ana"
	now := e.Clock.Now()
	fl := &directory.CoopFollow{CoopID: c.ID, Target: ana, FollowID: c.APID + "/follows/1", State: directory.FollowPending,
		CreatedAt: now, UpdatedAt: now}
	if err := e.Store.AddCoopFollow(ctx, fl, &directory.Delivery{Inbox: "https://masto.example/inbox", Signer: c.APID,
		ActivityID: fl.FollowID, Body: []byte("{}"), NextAttemptAt: now, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if ok, err := e.Store.FollowedByCoop(ctx, ana); err != nil || ok {
		t.Fatalf("a pending follow counts: %v %v", ok, err)
	}
	if err := e.Store.SetCoopFollowState(ctx, fl.ID, directory.FollowAccepted, now); err != nil {
		t.Fatal(err)
	}
	if ok, err := e.Store.FollowedByCoop(ctx, ana); err != nil || !ok {
		t.Fatalf("followed: %v %v", ok, err)
	}
	for k := range directory.MaxPostsPerAccount + 5 {
		p := &directory.FollowedPost{ObjectID: fmt.Sprintf("%s/statuses/%d", ana, k), Actor: ana, ActorName: "Ana",
			ActorHandle: "@ana@masto.example", Content: "<p>hola</p>", Text: fmt.Sprintf("post %d", k),
			Published: now.Add(time.Duration(k) * time.Minute), ReceivedAt: now}
		if err := e.Store.AddFollowedPost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	// Another account cannot overwrite ana's post.
	if err := e.Store.AddFollowedPost(ctx, &directory.FollowedPost{ObjectID: ana + "/statuses/54", Actor: "https://evil.example/x",
		Text: "pwned", Published: now, ReceivedAt: now}); err != nil {
		t.Fatal(err)
	}
	feed, err := e.Store.CoopFeed(ctx, c.ID, 100)
	if err != nil || len(feed) != directory.MaxPostsPerAccount || feed[0].Text != "post 54" || feed[len(feed)-1].Text != "post 5" ||
		feed[0].ActorHandle != "@ana@masto.example" {
		t.Fatalf("feed: %d %v %+v", len(feed), err, feed[0])
	}
	if feed, err := e.Store.CoopFeed(ctx, other.ID, 100); err != nil || len(feed) != 0 {
		t.Fatalf("another co-op's feed: %d %v", len(feed), err)
	}
	if n, err := e.Store.RemoveFollowedPost(ctx, ana, ana+"/statuses/54"); err != nil || n != 1 {
		t.Fatalf("remove post: %d %v", n, err)
	}
	if err := e.Store.ForgetAccount(ctx, ana); err != nil {
		t.Fatal(err)
	}
	if follows, err := e.Store.CoopFollows(ctx, c.ID); err != nil || len(follows) != 0 {
		t.Fatalf("follows after the account's deletion: %+v %v", follows, err)
	}
	if feed, err := e.Store.CoopFeed(ctx, c.ID, 100); err != nil || len(feed) != 0 {
		t.Fatalf("feed after the account's deletion: %d %v", len(feed), err)
	}
}
