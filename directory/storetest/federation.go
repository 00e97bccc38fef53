package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

func testKeys(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	_, err := fs.Key(e.Context, "https://soberaniax.example/actor")
	mustKind(t, err, directory.KindNotFound)
	k := &directory.Key{ActorAPID: "https://soberaniax.example/actor", PrivatePEM: "priv1", PublicPEM: "pub1", CreatedAt: Start}
	got, err := fs.AddKey(e.Context, k)
	if err != nil || got.PublicPEM != "pub1" {
		t.Fatalf("add key: %+v %v", got, err)
	}
	// A second key for the same actor does not replace the first.
	got, err = fs.AddKey(e.Context, &directory.Key{ActorAPID: k.ActorAPID, PrivatePEM: "priv2", PublicPEM: "pub2", CreatedAt: Start})
	if err != nil || got.PrivatePEM != "priv1" {
		t.Fatalf("second key: %+v %v", got, err)
	}
}

func testRemoteActors(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	a := &directory.RemoteActor{APID: "https://mastodon.example/users/ana", Type: "Person", Username: "ana", Host: "mastodon.example",
		Inbox: "https://mastodon.example/users/ana/inbox", SharedInbox: "https://mastodon.example/inbox",
		KeyID: "https://mastodon.example/users/ana#main-key", PublicPEM: "pem", Document: []byte(`{"id":"x"}`), FetchedAt: Start}
	if err := fs.PutRemoteActor(e.Context, a); err != nil {
		t.Fatal(err)
	}
	a.Name = "Ana"
	if err := fs.PutRemoteActor(e.Context, a); err != nil {
		t.Fatal(err)
	}
	got, err := fs.RemoteActorByKeyID(e.Context, a.KeyID)
	if err != nil || got.Name != "Ana" || got.DeliveryInbox() != a.SharedInbox || string(got.Document) != `{"id":"x"}` {
		t.Fatalf("by key: %+v %v", got, err)
	}
	_, err = fs.RemoteActor(e.Context, "https://mastodon.example/users/nobody")
	mustKind(t, err, directory.KindNotFound)
}

func testFollowers(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	coop := "https://soberaniax.example/coops/gcoop"
	for i := range 5 {
		host := fmt.Sprintf("m%d.example", i%2)
		accept := &directory.Delivery{Inbox: "https://" + host + "/inbox", Signer: coop, ActivityID: fmt.Sprintf("accept-%d", i),
			Body: []byte("{}"), NextAttemptAt: Start, CreatedAt: Start}
		if err := fs.AddFollower(e.Context, &directory.Follower{ActorAPID: coop, FollowerAPID: fmt.Sprintf("https://%s/users/u%d", host, i),
			Inbox: "https://" + host + "/inbox", FollowID: fmt.Sprintf("f%d", i), CreatedAt: Start}, accept); err != nil {
			t.Fatal(err)
		}
	}
	// A repeated Follow keeps one row.
	if err := fs.AddFollower(e.Context, &directory.Follower{ActorAPID: coop, FollowerAPID: "https://m0.example/users/u0",
		Inbox: "https://m0.example/inbox", FollowID: "f0-again", CreatedAt: Start}, nil); err != nil {
		t.Fatal(err)
	}
	n, err := fs.CountFollowers(e.Context, coop)
	if err != nil || n != 5 {
		t.Fatalf("count: %d %v", n, err)
	}
	inboxes, err := fs.FollowerInboxes(e.Context, []string{coop, e.Fed.APID})
	eq(t, "inboxes", inboxes, []string{"https://m0.example/inbox", "https://m1.example/inbox"})
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	after := ""
	for range 5 {
		page, err := fs.Followers(e.Context, coop, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, f := range page {
			all = append(all, f.FollowerAPID)
		}
		after = page[len(page)-1].FollowerAPID
	}
	eq(t, "paged followers", len(all), 5)
	if err := fs.RemoveFollower(e.Context, coop, "https://m0.example/users/u0"); err != nil {
		t.Fatal(err)
	}
	if err := fs.RemoveFollower(e.Context, coop, "https://m0.example/users/u0"); err != nil {
		t.Fatal(err)
	}
	n, _ = fs.CountFollowers(e.Context, coop)
	eq(t, "after unfollow", n, 4)
	if err := fs.RemoveFollowByID(e.Context, "https://m1.example/users/u1", "f1"); err != nil {
		t.Fatal(err)
	}
	if err := fs.AddFollower(e.Context, &directory.Follower{ActorAPID: e.Fed.APID, FollowerAPID: "https://m0.example/users/u2",
		Inbox: "https://m0.example/inbox", FollowID: "g", CreatedAt: Start}, nil); err != nil {
		t.Fatal(err)
	}
	if err := fs.RemoveFollowerEverywhere(e.Context, "https://m0.example/users/u2"); err != nil {
		t.Fatal(err)
	}
	n, _ = fs.CountFollowers(e.Context, coop)
	m, _ := fs.CountFollowers(e.Context, e.Fed.APID)
	eq(t, "after undo by id and actor deletion", []int{n, m}, []int{2, 0})
	// The Accepts were queued with the follows.
	ds, err := claimDue(e, Start, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "accepts queued", len(ds), 5)
}

func testEventsAndTombstones(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	c := e.Coop(t, "gcoop", "AR", 40)
	j := e.Job(t, "gcoop", JobSpec{Title: "Go developer"})
	title := "Senior Go developer"
	if _, err := e.Svc.UpdateJob(e.Context, e.Admin, j.APID, directory.JobPatch{Title: &title}); err != nil {
		t.Fatal(err)
	}
	// Remote changes record no event.
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.UpsertRemoteJob(e.Context, remoteJob("https://ethix.example/jobs/1", rc.APID, "Remote", Start)); err != nil {
		t.Fatal(err)
	}
	if err := e.Svc.DeleteJob(e.Context, e.Admin, j.APID); err != nil {
		t.Fatal(err)
	}
	evs, err := fs.PendingEvents(e.Context, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, ev := range evs {
		kinds = append(kinds, ev.Kind+" "+ev.ObjectID)
		if ev.ActorID != c.APID {
			t.Fatalf("event actor %q", ev.ActorID)
		}
	}
	eq(t, "events in order", kinds, []string{"coop.create " + c.APID, "job.create " + j.APID, "job.update " + j.APID, "job.delete " + j.APID})
	ts, err := fs.Tombstone(e.Context, j.APID)
	if err != nil || ts.Type != "Note" {
		t.Fatalf("tombstone: %+v %v", ts, err)
	}
	_, err = fs.Tombstone(e.Context, c.APID)
	mustKind(t, err, directory.KindNotFound)

	d := directory.Delivery{Inbox: "https://m.example/inbox", Signer: c.APID, ActivityID: "a1", Body: []byte(`{"a":1}`),
		NextAttemptAt: Start, CreatedAt: Start}
	if err := fs.CompleteEvent(e.Context, evs[0].ID, []directory.Delivery{d, d}); err != nil {
		t.Fatal(err)
	}
	// Completing it again queues nothing more.
	if err := fs.CompleteEvent(e.Context, evs[0].ID, []directory.Delivery{d}); err != nil {
		t.Fatal(err)
	}
	evs, _ = fs.PendingEvents(e.Context, 100)
	eq(t, "events left", len(evs), 3)

	j2 := e.Job(t, "gcoop", JobSpec{Title: "Another"})
	if err := e.Svc.DeleteCoop(e.Context, e.Admin, "gcoop"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{c.APID, j2.APID} {
		if _, err := fs.Tombstone(e.Context, id); err != nil {
			t.Fatalf("tombstone of %s: %v", id, err)
		}
	}
	evs, _ = fs.PendingEvents(e.Context, 100)
	if last := evs[len(evs)-1]; last.Kind != directory.EventCoopDelete || last.ObjectID != c.APID {
		t.Fatalf("last event: %+v", last)
	}
}

func testDeliveries(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	var ds []directory.Delivery
	for i := range 3 {
		ds = append(ds, directory.Delivery{Inbox: fmt.Sprintf("https://m%d.example/inbox", i), Signer: "s", ActivityID: "a",
			Body: []byte(`{}`), NextAttemptAt: Start.Add(time.Duration(i) * time.Minute), CreatedAt: Start})
	}
	if err := fs.EnqueueDeliveries(e.Context, ds); err != nil {
		t.Fatal(err)
	}
	got, err := claimDue(e, Start.Add(time.Minute), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "due", len(got), 2)
	// Leased ones are not claimed again.
	again, _ := claimDue(e, Start.Add(2*time.Minute), time.Hour)
	eq(t, "lease", len(again), 1)
	if err := fs.DeliveryDone(e.Context, got[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := fs.DeliveryRetry(e.Context, got[1].ID, 1, Start.Add(3*time.Minute), "503 Service Unavailable", Start); err != nil {
		t.Fatal(err)
	}
	if err := fs.DeliveryDead(e.Context, again[0].ID, 14, "connection refused", Start); err != nil {
		t.Fatal(err)
	}
	retry, _ := claimDue(e, Start.Add(3*time.Minute), time.Hour)
	if len(retry) != 1 || retry[0].Attempts != 1 || retry[0].LastError != "503 Service Unavailable" {
		t.Fatalf("retry: %+v", retry)
	}
	failed, err := fs.Deliveries(e.Context, directory.DeliveryFailed, 10)
	if err != nil || len(failed) != 1 || failed[0].Inbox != "https://m2.example/inbox" || failed[0].Attempts != 14 {
		t.Fatalf("failed: %+v %v", failed, err)
	}
	// The admin sends a failed one again: back in the queue, due now.
	mustKind(t, fs.ReviveDelivery(e.Context, retry[0].ID, Start), directory.KindNotFound) // not failed
	if err := fs.ReviveDelivery(e.Context, failed[0].ID, Start.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	revived, _ := claimDue(e, Start.Add(4*time.Minute), time.Hour)
	if len(revived) != 1 || revived[0].ID != failed[0].ID || revived[0].Attempts != 0 {
		t.Fatalf("revived: %+v", revived)
	}
	if left, _ := fs.Deliveries(e.Context, directory.DeliveryFailed, 10); len(left) != 0 {
		t.Fatalf("still failed: %+v", left)
	}
	fresh, err := fs.MarkSeen(e.Context, "https://m.example/activities/1", Start)
	if err != nil || !fresh {
		t.Fatalf("first seen: %v %v", fresh, err)
	}
	fresh, err = fs.MarkSeen(e.Context, "https://m.example/activities/1", Start)
	if err != nil || fresh {
		t.Fatalf("seen again: %v %v", fresh, err)
	}
	if err := fs.ForgetSeen(e.Context, "https://m.example/activities/1"); err != nil {
		t.Fatal(err)
	}
	if fresh, _ = fs.MarkSeen(e.Context, "https://m.example/activities/1", Start); !fresh {
		t.Fatal("a forgotten activity is still seen")
	}

	// ApplyRemoteJob: the id and the job in one transaction. A job that
	// cannot be stored leaves its id unseen; an id seen stores nothing.
	const create = "https://ethix.example/jobs/9/activity"
	orphan := remoteJob("https://ethix.example/jobs/9", "https://ethix.example/coops/nobody", "Orphan", Start)
	fresh, err = fs.ApplyRemoteJob(e.Context, create, Start, orphan)
	mustKind(t, err, directory.KindNotFound)
	if fresh {
		t.Fatal("a job not stored reported fresh")
	}
	rc := remoteCoop("https://ethix.example/coops/seen", "seen", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	if fresh, err = fs.ApplyRemoteJob(e.Context, create, Start, remoteJob("https://ethix.example/jobs/9", rc.APID, "First", Start)); err != nil || !fresh {
		t.Fatalf("first apply: %v %v", fresh, err)
	}
	second := remoteJob("https://ethix.example/jobs/9", rc.APID, "Second", Start.Add(time.Hour))
	if fresh, err = fs.ApplyRemoteJob(e.Context, create, Start, second); err != nil || fresh {
		t.Fatalf("applied again: %v %v", fresh, err)
	}
	if j, err := e.Store.JobByAPID(e.Context, "https://ethix.example/jobs/9"); err != nil || j.Title != "First" {
		t.Fatalf("stored: %+v %v", j, err)
	}
	if fresh, _ = fs.MarkSeen(e.Context, create, Start); fresh {
		t.Fatal("an applied activity is not seen")
	}

	// Many at once, as the inbox sends them: each id is fresh once, and a
	// job that cannot be stored spoils none of those stored with it.
	var wg sync.WaitGroup
	var mu sync.Mutex
	freshCount := map[string]int{}
	for i := range 40 {
		wg.Go(func() {
			id := fmt.Sprintf("https://ethix.example/jobs/c%d", i%20)
			owner := rc.APID
			if i%20 == 7 {
				owner = "https://ethix.example/coops/nobody"
			}
			fresh, err := fs.ApplyRemoteJob(e.Context, id+"/activity", Start, remoteJob(id, owner, "Concurrent", Start))
			if (err != nil) != (i%20 == 7) {
				t.Errorf("%s: %v", id, err)
			}
			mu.Lock()
			if fresh {
				freshCount[id]++
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	for i := range 20 {
		id := fmt.Sprintf("https://ethix.example/jobs/c%d", i)
		_, err := e.Store.JobByAPID(e.Context, id)
		if i == 7 {
			if freshCount[id] != 0 || err == nil {
				t.Errorf("the job of an unknown co-op: fresh %d times, %v", freshCount[id], err)
			}
			continue
		}
		if freshCount[id] != 1 || err != nil {
			t.Errorf("%s: fresh %d times, stored: %v", id, freshCount[id], err)
		}
	}
}

func testFollows(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	d := &directory.Delivery{Inbox: "https://ethix.example/inbox", Signer: e.Links.InstanceActor(), ActivityID: "f1",
		Body: []byte(`{}`), NextAttemptAt: Start, CreatedAt: Start}
	f := &directory.Follow{Target: "https://ethix.example/federation", FollowID: "https://soberaniax.example/actor#follows/1",
		State: directory.FollowPending, CreatedAt: Start, UpdatedAt: Start}
	if err := fs.AddFollow(e.Context, f, d); err != nil {
		t.Fatal(err)
	}
	again := *f
	again.FollowID = "other"
	mustKind(t, fs.AddFollow(e.Context, &again, nil), directory.KindConflict)
	got, err := fs.FollowByActivity(e.Context, f.FollowID)
	if err != nil || got.ID != f.ID || got.State != directory.FollowPending {
		t.Fatalf("by activity: %+v %v", got, err)
	}
	if err := fs.SetFollowState(e.Context, f.ID, directory.FollowAccepted, Start.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, _ = fs.FollowByTarget(e.Context, f.Target)
	eq(t, "accepted", got.State, directory.FollowAccepted)
	all, _ := fs.Follows(e.Context)
	eq(t, "listed", len(all), 1)
	if err := fs.DeleteFollow(e.Context, f.ID, d); err != nil {
		t.Fatal(err)
	}
	mustKind(t, fs.DeleteFollow(e.Context, f.ID, nil), directory.KindNotFound)
	_, err = fs.FollowByID(e.Context, f.ID)
	mustKind(t, err, directory.KindNotFound)
	ds, _ := fs.ClaimDeliveries(e.Context, "ethix.example", Start, time.Minute, 10)
	eq(t, "follow and undo queued", len(ds), 2)
}

func testBlocks(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	spam := &directory.Federation{APID: "https://a.spam.example:8443/federation", Handle: "spam", Host: "a.spam.example:8443",
		Name: "Spam", CreatedAt: Start, UpdatedAt: Start}
	if err := e.Store.UpsertRemoteFederation(e.Context, spam); err != nil {
		t.Fatal(err)
	}
	rc := remoteCoop("https://a.spam.example:8443/coops/x", "x", "a.spam.example:8443")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.UpsertRemoteJob(e.Context, remoteJob("https://a.spam.example:8443/jobs/1", rc.APID, "Spam job", Start)); err != nil {
		t.Fatal(err)
	}
	keep := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, keep); err != nil {
		t.Fatal(err)
	}
	impact, err := fs.BlockImpact(e.Context, "Spam.Example")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "impact", impact, directory.BlockImpact{Domain: "spam.example", Coops: 1, Jobs: 1})
	mustKind(t, func() error { _, err := fs.BlockImpact(e.Context, "not a domain"); return err }(), directory.KindInvalid)
	for range 2 {
		if err := fs.Block(e.Context, "spam.example", Start); err != nil {
			t.Fatal(err)
		}
	}
	for host, want := range map[string]bool{"a.spam.example:8443": true, "spam.example": true, "ethix.example": false, "notspam.example": false} {
		if got, err := fs.Blocked(e.Context, host); err != nil || got != want {
			t.Errorf("blocked(%s) = %v %v", host, got, err)
		}
	}
	page, _ := e.Svc.ListCoops(e.Context, directory.CoopQuery{})
	eq(t, "purged co-ops", page.Total, 1)
	eq(t, "purged jobs", search(t, e, directory.JobQuery{}).Total, 0)
	mustKind(t, e.Store.UpsertRemoteCoop(e.Context, remoteCoop("https://spam.example/coops/y", "y", "spam.example")), directory.KindForbidden)
	mustKind(t, e.Store.UpsertRemoteFederation(e.Context, spam), directory.KindForbidden)
	page, _ = e.Svc.ListCoops(e.Context, directory.CoopQuery{})
	eq(t, "nothing imported", page.Total, 1)
	bs, _ := fs.Blocks(e.Context)
	eq(t, "blocks", bs, []string{"spam.example"})
	if impact, err := fs.BlockImpact(e.Context, "spam.example"); err != nil || impact != (directory.BlockImpact{Domain: "spam.example"}) {
		t.Errorf("impact after the block = %+v %v", impact, err)
	}
	if err := fs.Unblock(e.Context, "spam.example"); err != nil {
		t.Fatal(err)
	}
	mustKind(t, fs.Unblock(e.Context, "spam.example"), directory.KindNotFound)
}

func testPruneRemoteJobs(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := e.Store.UpsertRemoteJob(e.Context, remoteJob(fmt.Sprintf("https://ethix.example/jobs/%d", i), rc.APID, fmt.Sprintf("Job %d", i), Start)); err != nil {
			t.Fatal(err)
		}
	}
	e.Coop(t, "gcoop", "AR", 4)
	e.Job(t, "gcoop", JobSpec{Title: "Local"})
	n, err := fs.PruneRemoteJobs(e.Context, rc.APID, []string{"https://ethix.example/jobs/1"}, Start)
	if err != nil || n != 2 {
		t.Fatalf("pruned %d: %v", n, err)
	}
	eq(t, "left", sortedTitles(search(t, e, directory.JobQuery{}).Items), []string{"Job 1", "Local"})
	if n, _ := fs.PruneRemoteJobs(e.Context, "https://soberaniax.example/coops/gcoop", nil, Start); n != 0 {
		t.Fatalf("pruned %d local jobs", n)
	}
	if err := fs.ResetBackfills(e.Context); err != nil {
		t.Fatal(err)
	}
}

// testBlockHosts: a block names one domain, never a pattern, and purges
// exactly the hosts that are that domain or under it, whatever their
// port, case, final dot or script.
func testBlockHosts(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	local := e.Coop(t, "gcoop", "AR", 40)
	hosts := map[string]bool{ // host: purged by a block of example.org
		"example.org": true, "x.example.org": true, "a.b.example.org:8443": true, "y.example.org.": true, "EXAMPLE.ORG:8080": true,
		"notexample.org": false, "example.org.evil": false, "example.orgx": false, "axb.example": false, "ethix.example": false,
		"xn--bcher-kva.example": false, "bücher.example:8443": false,
	}
	fedIDs := map[string]int64{}
	for host := range hosts {
		base := "https://" + host
		f := &directory.Federation{APID: base + "/federation", Handle: "f", Host: host, Name: "F " + host, CreatedAt: Start, UpdatedAt: Start}
		if err := fs.UpsertRemoteFederation(e.Context, f); err != nil {
			t.Fatalf("federation on %s: %v", host, err)
		}
		fedIDs[host] = f.ID
		rc := remoteCoop(base+"/coops/c", "c", host)
		if err := fs.UpsertRemoteCoop(e.Context, rc); err != nil {
			t.Fatalf("co-op on %s: %v", host, err)
		}
		if err := fs.UpsertRemoteJob(e.Context, remoteJob(base+"/jobs/1", rc.APID, "Job on "+host, Start)); err != nil {
			t.Fatal(err)
		}
		if err := fs.PutRemoteActor(e.Context, &directory.RemoteActor{APID: base + "/users/u", Type: "Person", Username: "u", Host: host,
			Inbox: base + "/inbox", FetchedAt: Start}); err != nil {
			t.Fatal(err)
		}
		if err := fs.AddFollower(e.Context, &directory.Follower{ActorAPID: local.APID, FollowerAPID: base + "/users/u",
			Inbox: base + "/inbox", FollowID: base + "/follows/1", CreatedAt: Start}, nil); err != nil {
			t.Fatal(err)
		}
		if err := fs.AddFollow(e.Context, &directory.Follow{Target: base + "/federation", FollowID: e.Links.InstanceActor() + "#follows/" + host,
			State: directory.FollowAccepted, CreatedAt: Start, UpdatedAt: Start}, nil); err != nil {
			t.Fatal(err)
		}
	}
	remaining := func() map[string]int {
		t.Helper()
		n := map[string]int{}
		page, err := e.Svc.ListCoops(e.Context, directory.CoopQuery{Limit: directory.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		n["co-ops"] = page.Total - 1
		n["jobs"] = search(t, e, directory.JobQuery{}).Total
		for host := range hosts {
			if _, err := fs.RemoteActor(e.Context, "https://"+host+"/users/u"); err == nil {
				n["actors"]++
			}
		}
		n["followers"], err = fs.CountFollowers(e.Context, local.APID)
		if err != nil {
			t.Fatal(err)
		}
		follows, err := fs.Follows(e.Context)
		if err != nil {
			t.Fatal(err)
		}
		n["follows"] = len(follows)
		return n
	}
	all := len(hosts)
	want := map[string]int{"co-ops": all, "jobs": all, "actors": all, "followers": all, "follows": all}
	eq(t, "before", remaining(), want)

	// Patterns, addresses and ports are refused, and purge nothing.
	for _, bad := range []string{"%", "_", "%.org", "%example.org", "a_b.example", "ax_.example", "example.%", "*.example.org",
		"example.org:8080", "127.0.0.1", "[::1]", "", "https://example.org/"} {
		mustKind(t, fs.Block(e.Context, bad, Start), directory.KindInvalid)
	}
	eq(t, "after refused blocks", remaining(), want)
	bs, _ := fs.Blocks(e.Context)
	eq(t, "nothing blocked", len(bs), 0)

	if err := fs.Block(e.Context, "Example.ORG", Start); err != nil {
		t.Fatal(err)
	}
	purged := 0
	for host, gone := range hosts {
		if gone {
			purged++
		}
		if got, err := fs.Blocked(e.Context, host); err != nil || got != gone {
			t.Errorf("blocked(%s) = %v %v", host, got, err)
		}
		if _, err := fs.RemoteActor(e.Context, "https://"+host+"/users/u"); (err != nil) != gone {
			t.Errorf("actor of %s: %v", host, err)
		}
		if _, err := fs.CoopByAPID(e.Context, "https://"+host+"/coops/c"); (err != nil) != gone {
			t.Errorf("co-op of %s: %v", host, err)
		}
		// A federation kept keeps its row; a purged one is refused now.
		f := &directory.Federation{APID: "https://" + host + "/federation", Handle: "f", Host: host, Name: "F", CreatedAt: Start, UpdatedAt: Start}
		err := fs.UpsertRemoteFederation(e.Context, f)
		if gone {
			mustKind(t, err, directory.KindForbidden)
		} else if err != nil || f.ID != fedIDs[host] {
			t.Errorf("federation of %s: id %d, was %d: %v", host, f.ID, fedIDs[host], err)
		}
	}
	left := all - purged
	eq(t, "after blocking example.org", remaining(),
		map[string]int{"co-ops": left, "jobs": left, "actors": left, "followers": left, "follows": left})
	bs, _ = fs.Blocks(e.Context)
	eq(t, "blocks", bs, []string{"example.org"})

	// An international domain, as typed or in punycode, is one block.
	if err := fs.Block(e.Context, "Bücher.example", Start); err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"xn--bcher-kva.example", "bücher.example:8443", "www.BÜCHER.example"} {
		if got, _ := fs.Blocked(e.Context, host); !got {
			t.Errorf("%s is not blocked", host)
		}
	}
	eq(t, "after blocking bücher.example", remaining()["co-ops"], left-2)
	bs, _ = fs.Blocks(e.Context)
	eq(t, "blocks", bs, []string{"example.org", "xn--bcher-kva.example"})
	if err := fs.Unblock(e.Context, "xn--bcher-kva.example"); err != nil {
		t.Fatal(err)
	}
}

// testPruneSeen: activity ids seen before a time are forgotten, later
// ones kept.
func testPruneSeen(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	old, recent := "https://m.example/activities/old", "https://m.example/activities/recent"
	for id, at := range map[string]time.Time{old: Start, recent: Start.Add(6 * 24 * time.Hour)} {
		if fresh, err := fs.MarkSeen(e.Context, id, at); err != nil || !fresh {
			t.Fatalf("mark %s: %v %v", id, fresh, err)
		}
	}
	n, err := fs.PruneSeen(e.Context, Start.Add(24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("prune: %d %v", n, err)
	}
	if fresh, _ := fs.MarkSeen(e.Context, old, Start.Add(7*24*time.Hour)); !fresh {
		t.Error("a pruned activity is still seen")
	}
	if fresh, _ := fs.MarkSeen(e.Context, recent, Start.Add(7*24*time.Hour)); fresh {
		t.Error("a recent activity was forgotten")
	}
	if n, err := fs.PruneSeen(e.Context, Start); err != nil || n != 0 {
		t.Fatalf("prune of nothing: %d %v", n, err)
	}
}

// testKeyOwner: a key id belongs to the first actor stored with it;
// another actor naming it is refused, until the first lets it go.
func testKeyOwner(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	actor := func(name, keyID string) *directory.RemoteActor {
		id := "https://mastodon.example/users/" + name
		return &directory.RemoteActor{APID: id, Type: "Person", Username: name, Host: "mastodon.example", Inbox: id + "/inbox",
			KeyID: keyID, PublicPEM: "pem-" + name, FetchedAt: Start}
	}
	shared := "https://mastodon.example/keys/1"
	ana, eve := actor("ana", shared), actor("eve", shared)
	if err := fs.PutRemoteActor(e.Context, ana); err != nil {
		t.Fatal(err)
	}
	mustKind(t, fs.PutRemoteActor(e.Context, eve), directory.KindForbidden)
	if got, err := fs.RemoteActorByKeyID(e.Context, shared); err != nil || got.APID != ana.APID || got.PublicPEM != "pem-ana" {
		t.Fatalf("the key's owner: %+v %v", got, err)
	}
	// The owner may store itself again; others without a key are fine.
	ana.Name = "Ana"
	if err := fs.PutRemoteActor(e.Context, ana); err != nil {
		t.Fatal(err)
	}
	if err := fs.PutRemoteActor(e.Context, actor("eve", "")); err != nil {
		t.Fatal(err)
	}
	// Once ana has another key, the old one is free.
	ana.KeyID = "https://mastodon.example/keys/2"
	if err := fs.PutRemoteActor(e.Context, ana); err != nil {
		t.Fatal(err)
	}
	if err := fs.PutRemoteActor(e.Context, eve); err != nil {
		t.Fatal(err)
	}
	if got, err := fs.RemoteActorByKeyID(e.Context, shared); err != nil || got.APID != eve.APID {
		t.Fatalf("the freed key's owner: %+v %v", got, err)
	}
}

// testAdditionalKeys: an actor's additional keys (Ed25519 Multikeys) are
// stored with it, replaced when it is stored again, find it by their id,
// and belong to one actor as its main key does.
func testAdditionalKeys(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	fs := e.Store
	actor := func(name string, keys ...directory.RemoteKey) *directory.RemoteActor {
		id := "https://fedify.example/users/" + name
		return &directory.RemoteActor{APID: id, Type: "Person", Username: name, Host: "fedify.example", Inbox: id + "/inbox",
			KeyID: id + "#main-key", PublicPEM: "pem-" + name, Keys: keys, FetchedAt: Start}
	}
	ed := directory.RemoteKey{ID: "https://fedify.example/users/ana#key-2", Type: directory.KeyEd25519, Public: "z6MkAna"}
	ana := actor("ana", ed)
	if err := fs.PutRemoteActor(e.Context, ana); err != nil {
		t.Fatal(err)
	}
	got, err := fs.RemoteActorByKeyID(e.Context, ed.ID)
	if err != nil || got.APID != ana.APID || len(got.Keys) != 1 || got.Keys[0] != ed || got.Key(ed.ID) == nil {
		t.Fatalf("by the Ed25519 key: %+v %v", got, err)
	}
	if got, err := fs.RemoteActor(e.Context, ana.APID); err != nil || len(got.Keys) != 1 || got.Keys[0] != ed {
		t.Fatalf("by id: %+v %v", got, err)
	}
	if got, err := fs.RemoteActorByKeyID(e.Context, ana.KeyID); err != nil || got.APID != ana.APID || len(got.Keys) != 1 {
		t.Fatalf("by the main key: %+v %v", got, err)
	}
	// Another actor naming ana's key, as either kind, is refused.
	mustKind(t, fs.PutRemoteActor(e.Context, actor("eve", ed)), directory.KindForbidden)
	eve := actor("eve")
	eve.KeyID = ed.ID
	mustKind(t, fs.PutRemoteActor(e.Context, eve), directory.KindForbidden)
	bob := actor("bob", directory.RemoteKey{ID: ana.KeyID, Type: directory.KeyEd25519, Public: "z6MkBob"})
	mustKind(t, fs.PutRemoteActor(e.Context, bob), directory.KindForbidden)
	// Stored again without it, ana lets the key go.
	ana.Keys = nil
	if err := fs.PutRemoteActor(e.Context, ana); err != nil {
		t.Fatal(err)
	}
	if got, err := fs.RemoteActor(e.Context, ana.APID); err != nil || len(got.Keys) != 0 {
		t.Fatalf("keys dropped: %+v %v", got, err)
	}
	mustKind(t, errOf(fs.RemoteActorByKeyID(e.Context, ed.ID)), directory.KindNotFound)
	if err := fs.PutRemoteActor(e.Context, actor("eve", ed)); err != nil {
		t.Fatal(err)
	}
}
