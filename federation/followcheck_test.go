package federation_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
)

// checkFollows runs n's follow check over every follow, as the daily run
// does over those due.
func checkFollows(t *testing.T, n *nodetest.Node) {
	t.Helper()
	if _, err := n.Fed.CheckFollows(t.Context(), time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
}

func followOf(t *testing.T, n *nodetest.Node, target string) *directory.Follow {
	t.Helper()
	fl, err := n.Store.FollowByTarget(t.Context(), target)
	if err != nil {
		t.Fatal(err)
	}
	return fl
}

// followed runs two nodes, B following A's federation, and waits for the
// Accept.
func followed(t *testing.T, open opener) (a, b *nodetest.Node) {
	t.Helper()
	keys := &nodetest.KeyPool{Size: 2}
	a = nodetest.NewWith(t, open, "SoberaniaX", "soberaniax", nodetest.Options{Keys: keys})
	b = nodetest.NewWith(t, open, "EthiX", "ethix", nodetest.Options{Keys: keys, Hostname: "localhost"})
	b.Follow(t, a.Acct())
	eventually(t, "A to accept", func() bool { return b.Accepted(t) })
	return a, b
}

// TestFollowCheckStatuses: a followed node that is down (503) leaves the
// follow as it is; one answering 404, then 410, for its federation
// marks the follow broken, with the reason it answered last and the time
// it was first found broken. The node answering again does not hide it:
// only a renewal or an Accept does.
func TestFollowCheckStatuses(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a, b := followed(t, open)
		fed := a.FederationActor()
		answer := func(status int) {
			a.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
		}

		answer(http.StatusServiceUnavailable)
		checkFollows(t, b)
		fl := followOf(t, b, fed)
		if fl.Broken() || fl.State != directory.FollowAccepted || fl.CheckedAt.IsZero() {
			t.Fatalf("after a 503: %+v", fl)
		}

		answer(http.StatusNotFound)
		checkFollows(t, b)
		fl = followOf(t, b, fed)
		if fl.BrokenReason != directory.FollowNotFound || fl.BrokenSince.IsZero() {
			t.Fatalf("after a 404: %+v", fl)
		}
		since := fl.BrokenSince

		answer(http.StatusGone)
		checkFollows(t, b)
		fl = followOf(t, b, fed)
		if fl.BrokenReason != directory.FollowGone || !fl.BrokenSince.Equal(since) {
			t.Fatalf("after a 410: %+v (first broken %v)", fl, since)
		}

		a.Serve(nil)
		checkFollows(t, b)
		if fl = followOf(t, b, fed); fl.BrokenReason != directory.FollowGone {
			t.Fatalf("answering again hid the break: %+v", fl)
		}
		renewed, err := b.Fed.RenewFollow(t.Context(), b.Admin, fl.ID)
		if err != nil || renewed.Broken() || renewed.State != directory.FollowPending || renewed.FollowID == fl.FollowID {
			t.Fatalf("renew: %+v %v", renewed, err)
		}
		eventually(t, "the renewed follow to be accepted", func() bool { return b.Accepted(t) })
		checkFollows(t, b)
		if fl = followOf(t, b, fed); fl.Broken() {
			t.Fatalf("a sound follow found broken: %+v", fl)
		}
	})
}

// TestFollowCheckNotFollower: the followed node lost its record of this
// node as a follower (its key is the same): the check learns it from the
// followers_synchronization collection, which answers a signed GET with
// the followers on the signer's host only, and nobody unsigned.
func TestFollowCheckNotFollower(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a, b := followed(t, open)
		ctx := t.Context()
		fed := a.FederationActor()
		masto := newFake(t)
		if st, body := masto.send(fed+"/inbox", map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": masto.srv.URL + "/follows/1", "type": "Follow", "actor": masto.actorID("ana"), "object": fed}); st != 202 {
			t.Fatalf("follow from the fake: %d %s", st, body)
		}
		eventually(t, "A to count two followers", func() bool {
			n, err := a.Store.CountFollowers(ctx, fed)
			return err == nil && n == 2
		})

		sync := fed + "/followers_synchronization"
		if st, _, _ := get(t, sync, "application/activity+json"); st != http.StatusUnauthorized {
			t.Errorf("unsigned followers synchronization: %d, want 401", st)
		}
		st, doc := masto.fetch(sync)
		items, _ := doc["orderedItems"].([]any)
		if st != 200 || doc["id"] != sync || !slices.Equal(items, []any{masto.actorID("ana")}) {
			t.Errorf("the fake's followers synchronization: %d %v", st, doc)
		}

		checkFollows(t, b)
		if fl := followOf(t, b, fed); fl.Broken() {
			t.Fatalf("a sound follow found broken: %+v", fl)
		}
		if err := a.Store.RemoveFollower(ctx, fed, b.Svc.Links().InstanceActor()); err != nil {
			t.Fatal(err)
		}
		checkFollows(t, b)
		fl := followOf(t, b, fed)
		if fl.BrokenReason != directory.FollowNotFollower || fl.State != directory.FollowAccepted {
			t.Fatalf("after A forgot B: %+v", fl)
		}
		if _, err := b.Fed.RenewFollow(ctx, b.Admin, fl.ID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A to count B again", func() bool {
			n, err := a.Store.CountFollowers(ctx, fed)
			return err == nil && n == 2
		})
		eventually(t, "the renewed follow to be accepted", func() bool { return b.Accepted(t) })
	})
}

// TestFollowCheckRunsByItself: the worker checks follows when it starts and
// then as each falls due, without being asked.
func TestFollowCheckRunsByItself(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		keys := &nodetest.KeyPool{Size: 2}
		a := nodetest.NewWith(t, open, "SoberaniaX", "soberaniax", nodetest.Options{Keys: keys})
		b := nodetest.NewWith(t, open, "EthiX", "ethix", nodetest.Options{Keys: keys, Hostname: "localhost",
			FollowCheckEvery: 100 * time.Millisecond})
		b.Follow(t, a.Acct())
		eventually(t, "A to accept", func() bool { return b.Accepted(t) })
		a.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) }))
		eventually(t, "the worker to find the follow broken", func() bool {
			fl, err := b.Store.FollowByTarget(t.Context(), a.FederationActor())
			return err == nil && fl.BrokenReason == directory.FollowGone
		})
	})
}
