package federation_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// followSearch asks a node for the search actor of query, through the API.
func (n *node) followSearch(query string) (int, map[string]any) {
	n.t.Helper()
	return n.api("GET", "/api/v1/jobs/follow?"+query, "")
}

// announcesOf lists the objects of the Announces actor sent the fake.
func announcesOf(f *fakeServer, actor string) []string {
	var out []string
	for _, a := range f.byType("Announce") {
		if a["actor"] == actor {
			obj, _ := a["object"].(string)
			out = append(out, obj)
		}
	}
	return out
}

func count(vs []string, v string) int {
	n := 0
	for _, x := range vs {
		if x == v {
			n++
		}
	}
	return n
}

// TestFollowASearch: a Mastodon-like server follows, by WebFinger, the
// actor of "remote Go jobs open to Argentina, at least USD 1,500 a month"
// on node B, which aggregates node A. A matching job published on A
// reaches it as B's search actor's Announce of A's Note; a job that does
// not match does not; a job that stops matching and matches again is
// announced once.
func TestFollowASearch(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a := newNode(t, open, "SoberaniaX", "soberaniax")
		b := newNode(t, open, "EthiX", "ethix")
		masto := newFake(t)
		ctx := t.Context()
		a.coop("gcoop")
		if st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"soberaniax@`+a.host()+`"}`); st != 202 {
			t.Fatalf("follow: %d %v", st, f)
		}
		eventually(t, "B follows A", func() bool { return b.followAccepted(a.url() + "/federation") })

		// The contract: handle, actor, readable name; the same search
		// written another way is the same actor.
		query := "remote=remote&skill=go&live_in=AR&salary_min=1500&salary_currency=USD"
		st, got := b.followSearch(query)
		if st != 200 || got["handle"] != "remote-go-ar@"+b.host() || got["actor"] != b.url()+"/searches/remote-go-ar" ||
			got["name"] != "Remote Go jobs open to Argentina, at least USD 1,500 a month" {
			t.Fatalf("follow search: %d %v", st, got)
		}
		if st, again := b.followSearch("salary_currency=usd&live_in=ar&skill=Go&remote=remote&salary_min=1500&sort=newest&limit=5&salary_period=month"); st != 200 || again["handle"] != got["handle"] {
			t.Fatalf("the same search again: %d %v", st, again)
		}
		// Another search that would like the same handle gets a hashed one.
		st, second := b.followSearch("remote=remote&skill=go&live_in=AR")
		if st != 200 || second["handle"] == got["handle"] || second["name"] != "Remote Go jobs open to Argentina" {
			t.Fatalf("a second search: %d %v", st, second)
		}
		other := second["handle"].(string)
		if st, bad := b.followSearch("remote=sometimes"); st != 400 {
			t.Fatalf("a bad search: %d %v", st, bad)
		}

		// Found by WebFinger, fetched signed, a bot linking to its page.
		id := masto.webfinger(b.host(), "remote-go-ar", false)
		if id != got["actor"] {
			t.Fatalf("webfinger gave %q", id)
		}
		status, actor := masto.fetch(id)
		if status != 200 || actor["type"] != "Service" || actor["preferredUsername"] != "remote-go-ar" || actor["name"] != got["name"] ||
			actor["inbox"] != id+"/inbox" || actor["url"] != b.url()+"/?live_in=AR&remote=remote&salary_currency=USD&salary_min=1500&skill=go" {
			t.Fatalf("actor: %d %v", status, actor)
		}
		if pk, _ := actor["publicKey"].(map[string]any); pk["owner"] != id {
			t.Fatalf("public key: %v", actor["publicKey"])
		}
		if st, _, _ := get(t, id, "text/html"); st != 200 {
			t.Fatalf("the actor's page in a browser: %d", st)
		}

		if st, body := masto.send(b.srv.URL+"/inbox", map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/follows/1", "type": "Follow",
			"actor": masto.actorID("ana"), "object": id,
		}); st != 202 {
			t.Fatalf("follow the search: %d %s", st, body)
		}
		eventually(t, "the Accept", func() bool { return len(masto.byType("Accept")) == 1 })
		if acc := masto.byType("Accept")[0]; acc["actor"] != id {
			t.Fatalf("Accept: %v", acc)
		}
		if fs := getAS(t, id+"/followers"); fs["totalItems"] != 1.0 {
			t.Fatalf("followers: %v", fs)
		}

		job := func(title string, skills []string, min int64) *directory.Job {
			t.Helper()
			j, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: title, Description: "APIs.", Skills: skills,
				Remote: "remote", Eligible: []string{"latam"}, EmploymentType: "full_time", ApplyEmail: "jobs@gcoop.example",
				Salary: &directory.Salary{Min: min, Max: min + 500, Currency: "USD", Period: "month"}})
			if err != nil {
				t.Fatal(err)
			}
			return j
		}
		stored := func(j *directory.Job, title string) {
			t.Helper()
			eventually(t, "B has "+title, func() bool {
				got, err := b.store.JobByAPID(ctx, j.APID)
				return err == nil && got.Title == title
			})
		}
		// Not matching: Rust. Then matching: Go, paid enough.
		rust := job("Rust firmware", []string{"rust"}, 3000)
		stored(rust, "Rust firmware")
		goJob := job("Go backend", []string{"go"}, 2000)
		eventually(t, "the Announce of A's Note", func() bool { return count(announcesOf(masto, id), goJob.APID) == 1 })
		if count(announcesOf(masto, id), rust.APID) != 0 {
			t.Fatal("a job the search does not find was announced")
		}
		// The Announce's id answers a GET.
		for _, ann := range masto.byType("Announce") {
			if ann["object"] == goJob.APID {
				if st, doc := masto.fetch(ann["id"].(string)); st != 200 || doc["id"] != ann["id"] || doc["object"] != goJob.APID || doc["actor"] != id {
					t.Fatalf("GET the Announce: %d %v", st, doc)
				}
			}
		}

		// It stops matching (now Rust), then matches again (Go): no
		// second Announce.
		for i, skills := range [][]string{{"rust"}, {"go"}} {
			title := []string{"Go backend (now Rust)", "Go backend (Go again)"}[i]
			// Notes carry times to the second: an edit in the same second
			// as the last would not be newer to B.
			if cur, err := a.store.JobByAPID(ctx, goJob.APID); err == nil {
				nextSecond(cur.Updated)
			}
			if _, err := a.svc.UpdateJob(ctx, a.admin, goJob.APID, directory.JobPatch{Title: &title, Skills: &skills}); err != nil {
				t.Fatal(err)
			}
			stored(goJob, title)
		}
		last := job("Go platform", []string{"go", "kubernetes"}, 1600)
		eventually(t, "the next Announce", func() bool { return count(announcesOf(masto, id), last.APID) == 1 })
		if n := count(announcesOf(masto, id), goJob.APID); n != 1 {
			t.Fatalf("a job that matched again was announced %d times", n)
		}
		// Closed on A, the job's boost is taken back.
		if err := a.svc.DeleteJob(ctx, a.admin, last.APID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Undo of the Announce", func() bool {
			for _, u := range masto.byType("Undo") {
				if obj, _ := u["object"].(map[string]any); u["actor"] == id && obj["type"] == "Announce" && obj["object"] == last.APID {
					return true
				}
			}
			return false
		})
		// A job local to B reaches the search's followers too.
		b.coop("outlandish")
		local, err := b.svc.CreateJob(ctx, b.admin, "outlandish", directory.Job{Title: "Go SRE", Description: "Ops.", Skills: []string{"go"},
			Remote: "remote", EmploymentType: "full_time", ApplyEmail: "jobs@outlandish.example",
			Salary: &directory.Salary{Min: 2500, Max: 2600, Currency: "USD", Period: "month"}})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the local job's Announce", func() bool { return count(announcesOf(masto, id), local.APID) == 1 })

		// The feed of the search carries its name.
		_, _, feed := get(t, b.srv.URL+"/jobs.atom?"+query, "")
		if !containsText(feed, "<title>Remote Go jobs open to Argentina, at least USD 1,500 a month</title>") {
			t.Fatalf("feed title: %s", feed)
		}

		// The admin sees the search actors with their followers and can
		// remove one: its handle answers 410 after.
		_, list := b.api("GET", "/api/v1/admin/searches", "")
		items, _ := list["items"].([]any)
		followers := map[string]float64{}
		for _, it := range items {
			m := it.(map[string]any)
			followers[m["handle"].(string)] = m["followers"].(float64)
		}
		if len(items) != 2 || followers["remote-go-ar@"+b.host()] != 1 {
			t.Fatalf("admin list: %v", list)
		}
		if st, _ := b.api("DELETE", "/api/v1/admin/searches/"+url.PathEscape(strings.TrimSuffix(other, "@"+b.host())), ""); st != 204 {
			t.Fatalf("remove: %d", st)
		}
		if st, _, _ := get(t, b.url()+"/searches/"+strings.TrimSuffix(other, "@"+b.host()), federation.ContentTypeAS); st != 410 {
			t.Fatalf("a removed search actor: %d", st)
		}
		if st, _ := b.api("DELETE", "/api/v1/admin/searches/nobody-here", ""); st != 404 {
			t.Fatalf("remove a search that is not there: %d", st)
		}

		// Undo Follow ends the follow.
		if st, body := masto.send(b.srv.URL+"/inbox", map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/undo/1", "type": "Undo",
			"actor": masto.actorID("ana"), "object": map[string]any{"id": masto.srv.URL + "/follows/1", "type": "Follow",
				"actor": masto.actorID("ana"), "object": id},
		}); st != 202 {
			t.Fatalf("undo: %d %s", st, body)
		}
		eventually(t, "the unfollow", func() bool {
			n, _ := b.store.CountFollowers(ctx, id)
			return n == 0
		})
	})
}

// nextSecond waits, a little at a time, until the clock is past the
// second of t.
func nextSecond(t time.Time) {
	for i := 0; i < 50 && !time.Now().After(t.Truncate(time.Second).Add(time.Second)); i++ {
		time.Sleep(50 * time.Millisecond)
	}
}

func containsText(b []byte, s string) bool { return strings.Contains(string(b), s) }

// TestSearchActorsLimitAndCollection: the node keeps at most its limit of
// search actors, and one nobody follows is collected after the idle time:
// its handle then answers 410, until the search is asked for again.
func TestSearchActorsLimitAndCollection(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNodeTuned(t, open, "EthiX", "ethix", "127.0.0.1", func(c *federation.Config) {
			c.Searches = federation.SearchConfig{Limit: 2, Idle: 200 * time.Millisecond}
		})
		st, all := n.followSearch("")
		if st != 200 || all["handle"] != "all-jobs@"+n.host() || all["name"] != "All jobs on EthiX" {
			t.Fatalf("a search with no filter: %d %v", st, all)
		}
		if st, m := n.followSearch("skill=go"); st != 200 || m["handle"] != "go-jobs@"+n.host() || m["name"] != "Go jobs" {
			t.Fatalf("go: %d %v", st, m)
		}
		st, over := n.followSearch("skill=rust")
		if msg, _ := over["error"].(string); st != 409 || !strings.Contains(msg, "at most 2 followed searches") {
			t.Fatalf("over the limit: %d %v", st, over)
		}
		actor := all["actor"].(string)
		wf := func() int {
			st, _, _ := get(t, n.srv.URL+"/.well-known/webfinger?resource="+url.QueryEscape("acct:all-jobs@"+n.host()), "")
			return st
		}
		eventually(t, "the idle search collected", func() bool {
			st, _, _ := get(t, actor, federation.ContentTypeAS)
			return st == 410 && wf() == 410
		})
		// Room again: the same search comes back under the same handle.
		if st, m := n.followSearch("sort=salary"); st != 200 || m["handle"] != all["handle"] {
			t.Fatalf("asked again: %d %v", st, m)
		}
	})
}
