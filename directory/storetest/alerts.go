package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// testAlerts: e-mail subscriptions to a saved search: renewed while
// pending, confirmed once and not after expiry, queued only when
// confirmed and only on a search's first match of a job, claimed by one
// sender when due, cleared when sent, ended by unsubscribing or a bounce;
// a search with a live subscription is not collected.
func testAlerts(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	ctx := e.Context
	now := e.Clock.Now()
	ss, err := e.Store.AddSavedSearch(ctx, &directory.SavedSearch{Handle: "go-jobs", APID: e.Links.SearchActor("go-jobs"), Query: "skill=go",
		Name: "Go jobs", CreatedAt: now, UsedAt: now}, 10)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(email, freq string, hash byte) *directory.Alert {
		return &directory.Alert{Email: email, SearchID: ss.ID, Frequency: freq, Language: "es", SearchName: "Empleos de Go", State: directory.AlertPending,
			ConfirmHash: bytes.Repeat([]byte{hash}, 32), ConfirmExpiresAt: now.Add(time.Hour), UnsubscribeToken: email + "-unsub",
			CreatedAt: now, NextSendAt: now}
	}
	ana := mk("ana@example.org", directory.AlertDaily, 1)
	if fresh, err := e.Store.AddAlert(ctx, ana); err != nil || !fresh || ana.ID == 0 {
		t.Fatalf("add: %v %v %+v", fresh, err, ana)
	}
	// Asked again while pending: the same subscription, a new link.
	again := mk("ana@example.org", directory.AlertDaily, 2)
	if fresh, err := e.Store.AddAlert(ctx, again); err != nil || !fresh || again.ID != ana.ID || again.UnsubscribeToken != ana.UnsubscribeToken {
		t.Fatalf("again: %v %v %+v", fresh, err, again)
	}
	_, err = e.Store.ConfirmAlert(ctx, ana.ConfirmHash, now)
	mustKind(t, err, directory.KindNotFound) // the old link
	_, err = e.Store.ConfirmAlert(ctx, again.ConfirmHash, now.Add(2*time.Hour))
	mustKind(t, err, directory.KindNotFound) // expired
	got, err := e.Store.ConfirmAlert(ctx, again.ConfirmHash, now)
	if err != nil || got.State != directory.AlertConfirmed || !got.NextSendAt.Equal(now.Add(24*time.Hour)) || got.Language != "es" || got.SearchName != "Empleos de Go" {
		t.Fatalf("confirm: %+v %v", got, err)
	}
	_, err = e.Store.ConfirmAlert(ctx, again.ConfirmHash, now)
	mustKind(t, err, directory.KindNotFound) // used
	if fresh, err := e.Store.AddAlert(ctx, mk("ana@example.org", directory.AlertInstant, 3)); err != nil || fresh {
		t.Fatalf("a confirmed one asked for again: %v %v", fresh, err)
	}
	// Bob never confirms.
	if _, err := e.Store.AddAlert(ctx, mk("bob@example.org", directory.AlertInstant, 4)); err != nil {
		t.Fatal(err)
	}

	// A search with a live subscription is not collected.
	if n, err := e.Store.CollectSavedSearches(ctx, now.Add(time.Hour), now.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("collected a subscribed search: %d %v", n, err)
	}

	// The first match queues the job for Ana only; the second does not.
	for _, job := range []string{"https://a.example/jobs/1", "https://a.example/jobs/1", "https://a.example/jobs/2"} {
		if _, err := e.Store.AnnounceOnce(ctx, ss.ID, job, job[len(job)-1:], now, nil); err != nil {
			t.Fatal(err)
		}
	}
	if as, err := e.Store.ClaimAlerts(ctx, now.Add(time.Hour), time.Minute, 10); err != nil || len(as) != 0 {
		t.Fatalf("claimed before the digest's day: %v %v", as, err)
	}
	day := now.Add(25 * time.Hour)
	as, err := e.Store.ClaimAlerts(ctx, day, time.Minute, 10)
	if err != nil || len(as) != 1 || as[0].ID != ana.ID {
		t.Fatalf("claim: %+v %v", as, err)
	}
	if as, err := e.Store.ClaimAlerts(ctx, day, time.Minute, 10); err != nil || len(as) != 0 {
		t.Fatalf("claimed twice in a lease: %v %v", as, err)
	}
	jobs, err := e.Store.AlertJobs(ctx, ana.ID, 10)
	if err != nil || len(jobs) != 2 {
		t.Fatalf("jobs: %v %v", jobs, err)
	}
	if err := e.Store.AlertSent(ctx, ana.ID, jobs, day, day.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if jobs, err := e.Store.AlertJobs(ctx, ana.ID, 10); err != nil || len(jobs) != 0 {
		t.Fatalf("jobs after sending: %v %v", jobs, err)
	}

	// A bounce ends it: nothing more is queued.
	m := &directory.Mail{To: ana.Email, Subject: "s", Text: "t", HTML: "h", NextAttemptAt: day, CreatedAt: day, AlertID: ana.ID,
		ListUnsubscribe: "https://soberaniax.example/alerts/unsubscribe?token=x"}
	if err := e.Store.EnqueueMail(ctx, m); err != nil {
		t.Fatal(err)
	}
	claimed, err := e.Store.ClaimMails(ctx, day, time.Minute, 10)
	if err != nil || len(claimed) != 1 || claimed[0].AlertID != ana.ID || claimed[0].ListUnsubscribe != m.ListUnsubscribe {
		t.Fatalf("the alert's mail: %+v %v", claimed, err)
	}
	if err := e.Store.MailBounced(ctx, m.ID, 1, "550 no such mailbox", day); err != nil {
		t.Fatal(err)
	}
	if got, err := e.Store.AlertByUnsubscribe(ctx, ana.UnsubscribeToken); err != nil || got.State != directory.AlertBounced {
		t.Fatalf("bounced: %+v %v", got, err)
	}
	if _, err := e.Store.AnnounceOnce(ctx, ss.ID, "https://a.example/jobs/3", "3", day, nil); err != nil {
		t.Fatal(err)
	}
	if jobs, err := e.Store.AlertJobs(ctx, ana.ID, 10); err != nil || len(jobs) != 0 {
		t.Fatalf("jobs queued for a bounced alert: %v %v", jobs, err)
	}

	// Unsubscribing Bob, and the search is free to go.
	bob, err := e.Store.AlertByUnsubscribe(ctx, "bob@example.org-unsub")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.Unsubscribe(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.Store.AlertByUnsubscribe(ctx, "nobody")
	mustKind(t, err, directory.KindNotFound)
	if n, err := e.Store.CollectSavedSearches(ctx, day, day); err != nil || n != 1 {
		t.Fatalf("collect once nobody is subscribed: %d %v", n, err)
	}
}
