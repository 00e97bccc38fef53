package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// claimDue claims every delivery due at now, host by host, as the
// delivery worker does when no host is busy.
func claimDue(e *Env, now time.Time, lease time.Duration) ([]directory.Delivery, error) {
	hosts, err := e.Store.DueDeliveryHosts(e.Context, now, 100)
	if err != nil {
		return nil, err
	}
	var out []directory.Delivery
	for _, h := range hosts {
		ds, err := e.Store.ClaimDeliveries(e.Context, h, now, lease, 100)
		if err != nil {
			return nil, err
		}
		out = append(out, ds...)
	}
	return out, nil
}

func enqueue(t *testing.T, e *Env, inbox string, due time.Time, n int) {
	t.Helper()
	var ds []directory.Delivery
	for i := range n {
		ds = append(ds, directory.Delivery{Inbox: inbox, Signer: "s", ActivityID: fmt.Sprintf("%s#%d", inbox, i),
			Body: []byte(`{}`), NextAttemptAt: due, CreatedAt: Start})
	}
	if err := e.Store.EnqueueDeliveries(e.Context, ds); err != nil {
		t.Fatal(err)
	}
}

func ids(ds []directory.Delivery) []int64 {
	out := []int64{}
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

// testDeliveryHosts checks what lets the worker hold each host to a few
// deliveries: hosts with deliveries due, the longest waiting first, and
// claims of one host's deliveries only, oldest first, leased until a
// claimer that died is taken over.
func testDeliveryHosts(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	enqueue(t, e, "https://A.Example/inbox", Start, 2)
	enqueue(t, e, "https://a.example/users/ana/inbox", Start.Add(time.Second), 1)
	enqueue(t, e, "https://b.example:8443/inbox", Start.Add(-time.Minute), 1)
	enqueue(t, e, "https://c.example/inbox", Start.Add(time.Hour), 1) // not due
	enqueue(t, e, "https://d.example/inbox", Start, 1)
	dead, _ := fs.ClaimDeliveries(e.Context, "d.example", Start, time.Minute, 10)
	if len(dead) != 1 || fs.DeliveryDead(e.Context, dead[0].ID, 14, "gone", Start) != nil {
		t.Fatalf("dead letter: %+v", dead)
	}

	now := Start.Add(time.Minute)
	hosts, err := fs.DueDeliveryHosts(e.Context, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "due hosts, longest waiting first", hosts, []string{"b.example:8443", "a.example"})
	hosts, _ = fs.DueDeliveryHosts(e.Context, now, 1)
	eq(t, "limited", hosts, []string{"b.example:8443"})

	first, err := fs.ClaimDeliveries(e.Context, "a.example", now, time.Minute, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[0].Host != "a.example" || first[0].Inbox != "https://A.Example/inbox" ||
		first[1].Inbox != "https://A.Example/inbox" || first[0].ID > first[1].ID {
		t.Fatalf("first claim: %+v", first)
	}
	rest, _ := fs.ClaimDeliveries(e.Context, "a.example", now, time.Minute, 2)
	if len(rest) != 1 || rest[0].Inbox != "https://a.example/users/ana/inbox" {
		t.Fatalf("second claim: %+v", rest)
	}
	none, err := fs.ClaimDeliveries(e.Context, "a.example", now, time.Minute, 2)
	eq(t, "all leased", len(none), 0)
	if err != nil {
		t.Fatal(err)
	}
	hosts, _ = fs.DueDeliveryHosts(e.Context, now, 10)
	eq(t, "due while a.example's are leased", hosts, []string{"b.example:8443"})
	none, _ = fs.ClaimDeliveries(e.Context, "nowhere.example", now, time.Minute, 2)
	eq(t, "unknown host", len(none), 0)

	// The claimer died: when the lease ends they are due again, as they
	// were, attempts untouched.
	again, _ := fs.ClaimDeliveries(e.Context, "a.example", now.Add(time.Minute), time.Minute, 10)
	eq(t, "claimed again after the lease", ids(again), append(ids(first), ids(rest)...))
	if again[0].Attempts != 0 || again[0].State != directory.DeliveryPending {
		t.Fatalf("a reclaimed delivery: %+v", again[0])
	}

	// The dead letter keeps its host, for the admin's list.
	failed, _ := fs.Deliveries(e.Context, directory.DeliveryFailed, 10)
	if len(failed) != 1 || failed[0].Host != "d.example" {
		t.Fatalf("failed: %+v", failed)
	}
	eq(t, "hosts of inboxes", []string{directory.InboxHost("https://Masto.Example:443/inbox"), directory.InboxHost("not a url\x7f"),
		directory.InboxHost("/inbox")}, []string{"masto.example:443", "", ""})
}

// testConcurrentClaims: claimers side by side, as replicas on one
// database are, never take the same delivery, and between them take all.
func testConcurrentClaims(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	const total = 60
	enqueue(t, e, "https://busy.example/inbox", Start, total)
	var (
		mu      sync.Mutex
		claimed = map[int64]int{}
		wg      sync.WaitGroup
		errs    = make(chan error, 8)
	)
	for w := range 8 {
		wg.Go(func() {
			for range total { // bounded: each round claims one at least, or stops
				ds, err := e.Store.ClaimDeliveries(e.Context, "busy.example", Start, time.Minute, 1+w%3)
				if err != nil {
					errs <- err
					return
				}
				if len(ds) == 0 {
					return
				}
				mu.Lock()
				for _, d := range ds {
					claimed[d.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rest, err := e.Store.ClaimDeliveries(e.Context, "busy.example", Start, time.Minute, total)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rest {
		claimed[d.ID]++
	}
	for id, n := range claimed {
		if n != 1 {
			t.Fatalf("delivery %d claimed %d times in one lease", id, n)
		}
	}
	eq(t, "claimed in all", len(claimed), total)
}

// testCancelDelivery: only an activity's deliveries that never left are
// cancelled: queued and due, or dead-lettered; one a worker holds, or one
// tried already and waiting for a retry, stays.
func testCancelDelivery(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	enq := func(inbox, activity string) {
		t.Helper()
		d := directory.Delivery{Inbox: inbox, Signer: "s", ActivityID: activity, Body: []byte(`{}`), NextAttemptAt: Start, CreatedAt: Start}
		if err := e.Store.EnqueueDeliveries(e.Context, []directory.Delivery{d}); err != nil {
			t.Fatal(err)
		}
	}
	cancel := func(activity string, want bool) {
		t.Helper()
		got, err := e.Store.CancelDelivery(e.Context, activity, Start)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("cancelling %s: %v, want %v", activity, got, want)
		}
	}
	pending := func() []string {
		ds, err := e.Store.Deliveries(e.Context, directory.DeliveryPending, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range ds {
			out = append(out, d.ActivityID)
		}
		slices.Sort(out)
		return out
	}
	enq("https://a.example/inbox", "queued")
	enq("https://b.example/inbox", "queued")
	enq("https://c.example/inbox", "held")
	enq("https://d.example/inbox", "retrying")
	enq("https://e.example/inbox", "dead")
	enq("https://f.example/inbox", "other")
	if _, err := e.Store.ClaimDeliveries(e.Context, "c.example", Start, time.Minute, 10); err != nil {
		t.Fatal(err)
	}
	all, err := e.Store.Deliveries(e.Context, directory.DeliveryPending, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range all {
		switch d.ActivityID {
		case "retrying":
			err = e.Store.DeliveryRetry(e.Context, d.ID, 1, Start.Add(-time.Second), "503", Start)
		case "dead":
			err = e.Store.DeliveryDead(e.Context, d.ID, 3, "503", Start)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	cancel("queued", true)
	cancel("queued", false)
	cancel("held", false)
	cancel("retrying", false)
	cancel("dead", true)
	cancel("nothing", false)
	eq(t, "left pending", pending(), []string{"held", "other", "retrying"})
	if ds, err := e.Store.Deliveries(e.Context, directory.DeliveryFailed, 10); err != nil || len(ds) != 0 {
		t.Fatalf("failed deliveries left: %v %v", ds, err)
	}
}
