package federation_test

import (
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// Tests of what the node's admin may follow and what a follow brings:
// Colmena federations and co-ops, or a server's instance actor, and
// nothing else becomes a co-op here.

// TestAdminFollowsOnlyColmena: a Person, a Service and an Organization
// without co-op data are refused with a coded error on target, by the
// API as by the method, and nothing is stored; a server's instance actor
// is followed, its Accept recorded, and nothing aggregated from it.
func TestAdminFollowsOnlyColmena(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "EthiX", "ethix")
		d := newDocServer(t)
		ctx := t.Context()
		for _, id := range []string{
			d.actor("/users/alice", "Person", "alice", map[string]any{"name": "Alice"}),
			d.actor("/users/bot", "Service", "bot", nil),
			d.actor("/orgs/acme", "Organization", "acme", nil),
			// An Application not named after its host is no instance actor.
			d.actor("/apps/relay", "Application", "relay", nil),
		} {
			st, m := n.api("POST", "/api/v1/admin/follows", `{"target":"`+id+`"}`)
			if st != 400 || m["field"] != "target" || m["code"] != string(directory.CodeNotColmena) {
				t.Fatalf("following %s: %d %v", id, st, m)
			}
			if _, err := n.fed.Follow(ctx, n.admin, id); directory.KindOf(err) != directory.KindInvalid {
				t.Fatalf("following %s: %v", id, err)
			}
			if _, err := n.store.FollowByTarget(ctx, id); directory.KindOf(err) != directory.KindNotFound {
				t.Fatalf("a follow of %s was stored: %v", id, err)
			}
			if _, err := n.store.CoopByAPID(ctx, id); directory.KindOf(err) != directory.KindNotFound {
				t.Fatalf("%s was stored as a co-op: %v", id, err)
			}
		}
		if len(d.byType("Follow")) != 0 {
			t.Fatalf("Follows went out: %v", d.byType("Follow"))
		}

		// The server's own actor, as Mastodon's: named after its host.
		instance := d.actor("/actor", "Application", "127.0.0.1", nil)
		d.followedBy(n, "/actor")
		n.backfilled(instance)
		fl, err := n.store.FollowByTarget(ctx, instance)
		if err != nil || fl.State != directory.FollowAccepted {
			t.Fatalf("the instance actor's follow: %+v %v", fl, err)
		}
		if _, err := n.store.CoopByAPID(ctx, instance); directory.KindOf(err) != directory.KindNotFound {
			t.Fatalf("the instance actor was stored as a co-op: %v", err)
		}
	})
}

// TestPersonNeverBecomesCoop: a followed federation that lists a Person
// of its host as a member, adds one or boosts a Note of one does not
// make that person a co-op here; its real member is imported.
func TestPersonNeverBecomesCoop(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "EthiX", "ethix")
		d := newDocServer(t)
		ctx := t.Context()
		real := d.coopActor("real")
		alice := d.actor("/users/alice", "Person", "alice", map[string]any{"name": "Alice"})
		bob := d.actor("/users/bob", "Person", "bob", map[string]any{"name": "Bob"})
		fed := d.federationActor(real, alice)
		d.followedBy(n, "/federation")
		n.backfilled(fed)
		if !n.memberOf(real, fed) {
			t.Fatal("the real member was not imported")
		}
		isCoop := func(id string) bool {
			_, err := n.store.CoopByAPID(ctx, id)
			return directory.KindOf(err) != directory.KindNotFound
		}
		if isCoop(alice) {
			t.Fatal("a Person listed as a member became a co-op")
		}
		if st, _ := d.send(n, "/federation", "/federation#add-bob", "Add", bob, map[string]any{"target": fed + "/members"}); st < 400 {
			t.Fatalf("an Add of a Person was accepted: %d", st)
		}
		d.set("/users/bob/notes/1", jobNote(bob+"/notes/1", bob, "Go developer", time.Now()))
		d.send(n, "/federation", "/federation#announce-1", "Announce", bob+"/notes/1", nil)
		time.Sleep(200 * time.Millisecond)
		if isCoop(alice) || isCoop(bob) {
			t.Fatal("a Person became a co-op")
		}
		if _, err := n.store.FollowByTarget(ctx, bob); directory.KindOf(err) != directory.KindNotFound {
			t.Fatalf("the node follows a Person: %v", err)
		}
		if _, err := n.store.JobByAPID(ctx, bob+"/notes/1"); directory.KindOf(err) != directory.KindNotFound {
			t.Fatalf("a Person's Note was stored as a job: %v", err)
		}
	})
}

// TestUnfollowCancelsQueuedFollow: a Follow that never reached its
// target (dead-lettered here, as it is while still queued) is taken out
// of the queue by the unfollow, and no Undo follows it.
func TestUnfollowCancelsQueuedFollow(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNodeTuned(t, open, "EthiX", "ethix", "127.0.0.1", func(c *federation.Config) { c.Delivery.MaxAttempts = 1 })
		masto := newFake(t)
		masto.setFailing(true)
		ctx := t.Context()
		fl, err := n.fed.Follow(ctx, n.admin, masto.actorID("instance"))
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Follow dead-lettered", func() bool {
			ds, err := n.store.Deliveries(ctx, directory.DeliveryFailed, 10)
			return err == nil && len(ds) == 1 && ds[0].ActivityID == fl.FollowID
		})
		if err := n.fed.Unfollow(ctx, n.admin, fl.ID); err != nil {
			t.Fatal(err)
		}
		masto.setFailing(false)
		for _, state := range []string{directory.DeliveryPending, directory.DeliveryFailed} {
			if ds, err := n.store.Deliveries(ctx, state, 10); err != nil || len(ds) != 0 {
				t.Fatalf("%s deliveries after the unfollow: %+v %v", state, ds, err)
			}
		}
		time.Sleep(300 * time.Millisecond)
		if got := masto.byType("Undo"); len(got) != 0 {
			t.Fatalf("an Undo of a Follow never sent: %v", got)
		}
	})
}
