package storetest

import (
	"errors"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// testMatchAgrees: for each query, MatchJob over every job finds exactly
// the jobs the store's search finds.
func testMatchAgrees(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	if _, err := e.Svc.SetRates(e.Context, e.Admin, ratesOf(map[string]float64{"ARS": 1000, "EUR": 0.9, "USD": 1})); err != nil {
		t.Fatal(err)
	}
	e.Coop(t, "gcoop", "AR", 40)
	e.Coop(t, "fiqus", "AR", 12)
	mk := func(coop string, j directory.Job) {
		t.Helper()
		e.Clock.Advance(time.Second)
		j.Description = "We are hiring. " + j.Description
		j.EmploymentType = directory.FullTime
		j.ApplyEmail = "jobs@" + coop + ".example"
		j.ValidThrough = e.Clock.Now().Add(365 * 24 * time.Hour)
		if _, err := e.Svc.CreateJob(e.Context, e.Admin, coop, j); err != nil {
			t.Fatalf("create %q: %v", j.Title, err)
		}
	}
	mk("gcoop", directory.Job{Title: "Go backend developer", Skills: []string{"go", "postgresql"}, Remote: "remote", Eligible: []string{"AR"},
		Salary: &directory.Salary{Min: 1800, Max: 2500, Currency: "USD", Period: "month"}, Languages: []string{"es"}})
	mk("gcoop", directory.Job{Title: "Go developer, LATAM", Skills: []string{"go"}, Remote: "remote", Eligible: []string{"latam"},
		Salary: &directory.Salary{Min: 1000, Max: 1200, Currency: "USD", Period: "month"}, Languages: []string{"en"}})
	mk("fiqus", directory.Job{Title: "Elixir engineer", Description: "Phoenix and Go", Skills: []string{"elixir"}, Remote: "remote",
		Eligible: []string{"anywhere"}, Salary: &directory.Salary{Min: 2000000, Max: 3000000, Currency: "ARS", Period: "month"}})
	mk("fiqus", directory.Job{Title: "Rust firmware", Skills: []string{"rust"}, Remote: "onsite", Country: "AR", City: "Rosario"})
	mk("fiqus", directory.Job{Title: "Go hybrid", Skills: []string{"go"}, Remote: "hybrid", Country: "ES", City: "Madrid",
		Salary: &directory.Salary{Min: 40000, Max: 50000, Currency: "EUR", Period: "year"}})

	queries := []string{
		"", "remote=remote&skill=go&live_in=AR&salary_min=1500&salary_currency=USD", "skill=go", "skill=go&skill=rust",
		"remote=onsite&live_in=AR&city=rosario", "live_in=ES", "q=go", "q=developer+-latam", "q=%22firmware%22",
		"coop=fiqus", "currency=ARS", "salary_min=1500&salary_currency=USD", "salary_min=3000&salary_currency=EUR&salary_period=year",
		"language=es", "country=ES", "type=full_time&posted_within=7d", "federation=soberaniax",
	}
	res := search(t, e, directory.JobQuery{Limit: directory.MaxLimit})
	rates, err := e.Store.Rates(e.Context)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range queries {
		v, _ := url.ParseQuery(raw)
		q, err := directory.ParseJobQuery(v, "USD")
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		q.Limit = directory.MaxLimit
		want := sortedTitles(search(t, e, q).Items)
		canon, err := directory.CanonicalSearch(v, "USD")
		if err != nil {
			t.Fatal(err)
		}
		sq, err := directory.SavedSearchQuery(canon.Encode(), rates, e.Clock.Now())
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		var got []string
		for i := range res.Items {
			j := &res.Items[i]
			c, err := e.Store.CoopByAPID(e.Context, j.Coop.APID)
			if err != nil {
				t.Fatal(err)
			}
			if directory.MatchJob(&sq, j, c, rates, e.Clock.Now()) {
				got = append(got, j.Title)
			}
		}
		slices.Sort(got)
		eq(t, "match "+raw, got, want)
	}
}

// testSavedSearches: one row per query, the limit, collection of idle
// searches nobody follows, revival, and announces recorded once.
func testSavedSearches(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	ctx := e.Context
	now := e.Clock.Now()
	mk := func(handle, query string) *directory.SavedSearch {
		return &directory.SavedSearch{Handle: handle, APID: e.Links.SearchActor(handle), Query: query, Name: "N " + handle, CreatedAt: now, UsedAt: now}
	}
	a, err := e.Store.AddSavedSearch(ctx, mk("go-jobs", "skill=go"), 2)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.Store.AddSavedSearch(ctx, mk("go-jobs-x", "skill=go"), 2)
	if err != nil || again.ID != a.ID || again.Handle != "go-jobs" {
		t.Fatalf("same query: %+v %v", again, err)
	}
	_, err = e.Store.AddSavedSearch(ctx, mk("go-jobs", "skill=rust"), 2)
	if !errors.Is(err, directory.ErrSearchHandleTaken) {
		t.Fatalf("handle taken: %v", err)
	}
	if _, err := e.Store.AddSavedSearch(ctx, mk("rust-jobs", "skill=rust"), 2); err != nil {
		t.Fatal(err)
	}
	_, err = e.Store.AddSavedSearch(ctx, mk("c-jobs", "skill=c"), 2)
	mustKind(t, err, directory.KindConflict)
	live, err := e.Store.LiveSavedSearches(ctx)
	if err != nil || len(live) != 2 {
		t.Fatalf("live: %v %v", live, err)
	}

	// Announced once.
	d := directory.Delivery{Inbox: "https://masto.example/inbox", Signer: a.APID, ActivityID: a.APID + "/announces/1",
		Body: []byte(`{}`), NextAttemptAt: now, CreatedAt: now}
	for i, want := range []bool{true, false} {
		fresh, err := e.Store.AnnounceOnce(ctx, a.ID, "https://a.example/jobs/1", "k1", now, []directory.Delivery{d})
		if err != nil || fresh != want {
			t.Fatalf("announce %d: %v %v", i, fresh, err)
		}
	}
	if got, err := e.Store.SearchesAnnounced(ctx, "https://a.example/jobs/1"); err != nil || len(got) != 1 || got[0].ID != a.ID {
		t.Fatalf("searches that announced it: %v %v", got, err)
	}
	if got, err := e.Store.SearchesAnnounced(ctx, "https://a.example/jobs/2"); err != nil || len(got) != 0 {
		t.Fatalf("searches that announced another: %v %v", got, err)
	}
	if job, at, err := e.Store.SearchAnnounce(ctx, a.ID, "k1"); err != nil || job != "https://a.example/jobs/1" || !at.Equal(now) {
		t.Fatalf("the announce: %q %v %v", job, at, err)
	}
	_, _, err = e.Store.SearchAnnounce(ctx, a.ID, "k2")
	mustKind(t, err, directory.KindNotFound)

	// A follower keeps a search; the idle one nobody follows goes.
	if err := e.Store.AddFollower(ctx, &directory.Follower{ActorAPID: a.APID, FollowerAPID: "https://masto.example/users/ana",
		Inbox: "https://masto.example/inbox", FollowID: "https://masto.example/f/1", CreatedAt: now}, &directory.Delivery{Inbox: "https://masto.example/inbox", Signer: a.APID,
		ActivityID: "https://soberaniax.example/activities/accept/9", Body: []byte(`{"type":"Accept"}`), NextAttemptAt: now, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	n, err := e.Store.CollectSavedSearches(ctx, now.Add(time.Hour), now.Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("collected %d %v", n, err)
	}
	r, err := e.Store.SavedSearchByHandle(ctx, "rust-jobs")
	if err != nil || !r.Gone() {
		t.Fatalf("rust-jobs: %+v %v", r, err)
	}
	if s, err := e.Store.SavedSearchByAPID(ctx, a.APID); err != nil || s.Gone() {
		t.Fatalf("followed search: %+v %v", s, err)
	}
	// Asked for again, it comes back with its handle.
	back, err := e.Store.AddSavedSearch(ctx, mk("other", "skill=rust"), 2)
	if err != nil || back.Handle != "rust-jobs" || back.Gone() {
		t.Fatalf("revived: %+v %v", back, err)
	}
	if err := e.Store.TouchSavedSearch(ctx, back.ID, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, err = e.Store.SavedSearchByHandle(ctx, "nobody-here")
	mustKind(t, err, directory.KindNotFound)

	// Removed by the admin: gone, followers and announces forgotten.
	if err := e.Store.RemoveSavedSearch(ctx, a.ID, now); err != nil {
		t.Fatal(err)
	}
	if s, err := e.Store.SavedSearchByAPID(ctx, a.APID); err != nil || !s.Gone() {
		t.Fatalf("removed: %+v %v", s, err)
	}
	if n, err := e.Store.CountFollowers(ctx, a.APID); err != nil || n != 0 {
		t.Fatalf("followers of a removed search: %d %v", n, err)
	}
	_, _, err = e.Store.SearchAnnounce(ctx, a.ID, "k1")
	mustKind(t, err, directory.KindNotFound)
	mustKind(t, e.Store.RemoveSavedSearch(ctx, 999999, now), directory.KindNotFound)
}
