package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// testFollowChecks: the follow check's claims hand each due follow to one
// caller, also to callers claiming at once; a broken mark keeps the time
// it was first found; an Accept or a renewal clears it; a renewal queues
// the new Follow and asks for a new import.
func testFollowChecks(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	var ids []int64
	for i, state := range []string{directory.FollowPending, directory.FollowAccepted, directory.FollowRejected, directory.FollowAccepted} {
		f := &directory.Follow{Target: fmt.Sprintf("https://ethix.example/coops/c%d", i), FollowID: fmt.Sprintf("https://soberaniax.example/activities/follow/%d", i),
			State: directory.FollowPending, CreatedAt: Start, UpdatedAt: Start}
		if err := fs.AddFollow(e.Context, f, nil); err != nil {
			t.Fatal(err)
		}
		if state != directory.FollowPending {
			if err := fs.SetFollowState(e.Context, f.ID, state, Start); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, f.ID)
	}
	if err := fs.SetBackfilled(e.Context, ids[1], Start); err != nil {
		t.Fatal(err)
	}

	// Claimed at once by several callers: each due follow exactly once,
	// the rejected one never.
	at := Start.Add(time.Hour)
	var mu sync.Mutex
	claimed := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := fs.ClaimFollowChecks(e.Context, at, at, 10)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, f := range got {
				claimed[f.ID]++
				if !f.CheckedAt.Equal(at) {
					t.Errorf("claimed %d checked at %v, want %v", f.ID, f.CheckedAt, at)
				}
			}
		})
	}
	wg.Wait()
	eq(t, "claims", fmt.Sprint(claimed), fmt.Sprint(map[int64]int{ids[0]: 1, ids[1]: 1, ids[3]: 1}))
	again, err := fs.ClaimFollowChecks(e.Context, at, at, 10)
	eq(t, "claimed again before they fall due", len(again), 0)
	if err != nil {
		t.Fatal(err)
	}
	later := at.Add(time.Minute)
	one, err := fs.ClaimFollowChecks(e.Context, later, later, 1)
	if err != nil || len(one) != 1 {
		t.Fatalf("a claim of one: %+v %v", one, err)
	}

	// Broken: since stays the first time.
	if err := fs.MarkFollowBroken(e.Context, ids[1], directory.FollowKeyChanged, at); err != nil {
		t.Fatal(err)
	}
	if err := fs.MarkFollowBroken(e.Context, ids[1], directory.FollowGone, later); err != nil {
		t.Fatal(err)
	}
	got, _ := fs.FollowByID(e.Context, ids[1])
	if got.BrokenReason != directory.FollowGone || !got.BrokenSince.Equal(at) || !got.Broken() {
		t.Fatalf("broken twice: %+v", got)
	}

	// Renewed: a new Follow, pending, not broken, to be imported anew.
	d := &directory.Delivery{Inbox: "https://ethix.example/inbox", Signer: e.Links.InstanceActor(), ActivityID: "https://soberaniax.example/activities/follow/new",
		Body: []byte(`{}`), NextAttemptAt: later, CreatedAt: later}
	if err := fs.RenewFollow(e.Context, ids[1], d.ActivityID, later, d); err != nil {
		t.Fatal(err)
	}
	got, _ = fs.FollowByID(e.Context, ids[1])
	if got.FollowID != d.ActivityID || got.State != directory.FollowPending || got.Broken() || !got.BrokenSince.IsZero() ||
		!got.BackfilledAt.IsZero() || !got.CheckedAt.IsZero() || !got.UpdatedAt.Equal(later) {
		t.Fatalf("renewed: %+v", got)
	}
	if ds, _ := fs.ClaimDeliveries(e.Context, "ethix.example", later, time.Minute, 10); len(ds) != 1 || ds[0].ActivityID != d.ActivityID {
		t.Fatalf("the new Follow queued: %+v", ds)
	}
	mustKind(t, fs.RenewFollow(e.Context, 99999, "x", later, nil), directory.KindNotFound)

	// Accepted with a key: recorded, and no longer broken.
	if err := fs.MarkFollowBroken(e.Context, ids[1], directory.FollowNotFollower, later); err != nil {
		t.Fatal(err)
	}
	if err := fs.AcceptFollow(e.Context, ids[1], "PEM", later.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, _ = fs.FollowByID(e.Context, ids[1])
	if got.State != directory.FollowAccepted || got.AcceptedKey != "PEM" || got.Broken() || !got.BrokenSince.IsZero() {
		t.Fatalf("accepted: %+v", got)
	}
	if err := fs.SetFollowKey(e.Context, ids[3], "OTHER"); err != nil {
		t.Fatal(err)
	}
	if got, _ = fs.FollowByID(e.Context, ids[3]); got.AcceptedKey != "OTHER" {
		t.Fatalf("key set: %+v", got)
	}
}

// testFollowersOnHost: an actor's followers on one host, and no other's.
func testFollowersOnHost(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	coop := "https://soberaniax.example/coops/gcoop"
	for _, id := range []string{"https://m0.example/users/a", "https://m0.example/actor", "https://m0.example.evil/users/b",
		"https://m1.example/users/c", "http://m0.example/users/d"} {
		if err := fs.AddFollower(e.Context, &directory.Follower{ActorAPID: coop, FollowerAPID: id, Inbox: id + "/inbox",
			FollowID: id + "#follow", CreatedAt: Start}, nil); err != nil {
			t.Fatal(err)
		}
	}
	got, err := fs.FollowersOnHost(e.Context, coop, "https://m0.example/", 10)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "followers on m0", fmt.Sprint(got), "[https://m0.example/actor https://m0.example/users/a]")
	got, _ = fs.FollowersOnHost(e.Context, coop, "https://m0.example/", 1)
	eq(t, "bounded", len(got), 1)
	got, _ = fs.FollowersOnHost(e.Context, "https://soberaniax.example/federation", "https://m0.example/", 10)
	eq(t, "another actor's", len(got), 0)
}
