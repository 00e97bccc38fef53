package federation_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

func (n *node) api(method, path, body string) (int, map[string]any) {
	n.t.Helper()
	tok, err := n.svc.CreateToken(n.t.Context(), "", "")
	if err != nil {
		n.t.Fatal(err)
	}
	req, _ := newRequest(n.t, method, n.srv.URL+path, body)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := httpDo(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func (n *node) search(query string) []string {
	n.t.Helper()
	_, m := n.api("GET", "/api/v1/jobs?"+query, "")
	var out []string
	items, _ := m["items"].([]any)
	for _, it := range items {
		out = append(out, it.(map[string]any)["title"].(string))
	}
	return out
}

// TestNodeFollowsFederation: EthiX's node follows SoberaniaX's federation
// by handle, imports its co-ops and open jobs, then stays in step as
// SoberaniaX publishes, edits, closes and adds members.
func TestNodeFollowsFederation(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a := newNode(t, open, "SoberaniaX", "soberaniax")
		b := newNode(t, open, "EthiX", "ethix")
		ctx := t.Context()
		a.coop("gcoop")
		if _, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: "Go backend developer", Description: "APIs.",
			Skills: []string{"go"}, Remote: "remote", Country: "AR", EmploymentType: "full_time", Languages: []string{"es"},
			Salary: &directory.Salary{Min: 2500, Max: 3500, Currency: "USD", Period: "month"}, ApplyEmail: "jobs@gcoop.example"}); err != nil {
			t.Fatal(err)
		}
		b.coop("outlandish")

		st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"soberaniax@`+a.host()+`"}`)
		if st != 202 || f["target"] != a.url()+"/federation" || f["state"] != "pending" {
			t.Fatalf("follow: %d %v", st, f)
		}
		// The federation's Accept; the follows of its members come after.
		eventually(t, "the follow accepted", func() bool { return b.followAccepted(a.url() + "/federation") })
		eventually(t, "the backfilled job", func() bool { return len(b.search("q=backend")) == 1 })
		_, res := b.api("GET", "/api/v1/jobs?q=backend", "")
		job := res["items"].([]any)[0].(map[string]any)
		if job["local"] != false || job["coop"].(map[string]any)["handle"] != "gcoop" ||
			job["federations"].([]any)[0].(map[string]any)["name"] != "SoberaniaX" || job["salary"].(map[string]any)["currency"] != "USD" {
			t.Fatalf("aggregated job: %v", job)
		}
		// Facets and stats cover both federations.
		_, fc := b.api("GET", "/api/v1/jobs", "")
		if len(fc["facets"].(map[string]any)["federation"].([]any)) != 1 {
			t.Fatalf("federation facet: %v", fc["facets"])
		}
		_, stats := b.api("GET", "/api/v1/stats", "")
		if tot := stats["totals"].(map[string]any); tot["coops"] != 2.0 || tot["jobs"] != 1.0 {
			t.Fatalf("stats: %v", stats)
		}

		// Refreshing a profile that did not change costs a 304.
		if _, err := b.fed.FetchActor(ctx, a.url()+"/coops/gcoop"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.fed.FetchActor(ctx, a.url()+"/coops/gcoop"); err != nil {
			t.Fatal(err)
		}
		_, _, metrics := get(t, a.srv.URL+"/metrics", "")
		if !strings.Contains(string(metrics), `code="304",method="GET",route="/coops/{handle}"`) {
			t.Fatal("no conditional GET answered 304")
		}
		// A new job reaches B through the federation's Announce.
		j2, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: "Rust embedded engineer", Description: "Firmware.",
			Remote: "hybrid", Country: "AR", City: "Rosario", EmploymentType: "contract", ApplyEmail: "jobs@gcoop.example"})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the announced job", func() bool { return len(b.search("q=rust")) == 1 })
		// An edit arrives as an Update.
		title := "Rust embedded engineer (senior)"
		if _, err := a.svc.UpdateJob(ctx, a.admin, j2.APID, directory.JobPatch{Title: &title}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the edit", func() bool { return len(b.search("q=senior")) == 1 })
		// Closing it removes it.
		if err := a.svc.DeleteJob(ctx, a.admin, j2.APID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the deletion", func() bool { return len(b.search("q=rust")) == 0 })
		// A new member co-op is added with its jobs.
		a.coop("fiqus")
		eventually(t, "the new member", func() bool {
			_, l := b.api("GET", "/api/v1/coops?federation="+url.QueryEscape(a.url()+"/federation"), "")
			return l["total"] == 2.0
		})

		// Unfollowing sends Undo and forgets the follow.
		_, l := b.api("GET", "/api/v1/admin/follows", "")
		id := l["items"].([]any)[0].(map[string]any)["id"].(float64)
		if st, _ := b.api("DELETE", "/api/v1/admin/follows/"+strings.TrimSuffix(strings.TrimSuffix(jsonNumber(id), ".0"), "."), ""); st != 204 {
			t.Fatalf("unfollow: %d", st)
		}
		eventually(t, "the Undo", func() bool {
			c, _ := a.store.CountFollowers(ctx, a.url()+"/federation")
			return c == 0
		})
		// What came only through that follow goes (imports still in
		// flight undo themselves when they finish).
		eventually(t, "the purge", func() bool {
			_, l := b.api("GET", "/api/v1/coops", "")
			return len(b.search("")) == 0 && l["total"] == 1.0
		})
	})
}

func jsonNumber(f float64) string { b, _ := json.Marshal(f); return string(b) }

// TestDomainBlock: a blocked domain's data is purged and its deliveries
// refused.
func TestDomainBlock(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a := newNodeAt(t, open, "SoberaniaX", "soberaniax", "localhost")
		b := newNode(t, open, "EthiX", "ethix")
		ctx := t.Context()
		a.coop("gcoop")
		if _, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: "Go developer", Description: "x",
			Remote: "remote", EmploymentType: "full_time", ApplyEmail: "jobs@gcoop.example"}); err != nil {
			t.Fatal(err)
		}
		b.coop("outlandish")
		if st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"soberaniax@`+a.host()+`"}`); st != 202 {
			t.Fatalf("follow: %d %v", st, f)
		}
		eventually(t, "the backfilled job", func() bool { return len(b.search("q=go")) == 1 })

		for body, want := range map[string]int{`{"domain":"http://x/y"}`: 400, `{"domain":""}`: 400, `{"domain":"127.0.0.1"}`: 400} {
			if st, m := b.api("POST", "/api/v1/admin/blocks", body); st != want {
				t.Errorf("block %s: %d %v", body, st, m)
			}
		}
		if st, m := b.api("POST", "/api/v1/admin/blocks", `{"domain":"LOCALHOST"}`); st != 201 || m["domain"] != "localhost" {
			t.Fatalf("block: %d %v", st, m)
		}
		if got := b.search(""); len(got) != 0 {
			t.Fatalf("jobs of a blocked domain remain: %v", got)
		}
		_, coops := b.api("GET", "/api/v1/coops", "")
		if coops["total"] != 1.0 {
			t.Fatalf("co-ops of a blocked domain remain: %v", coops)
		}
		if _, l := b.api("GET", "/api/v1/admin/follows", ""); len(l["items"].([]any)) != 0 {
			t.Fatalf("follows of a blocked domain remain: %v", l)
		}
		// Its deliveries are refused (403), so the sender gives up on them.
		if _, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: "Rust developer", Description: "x",
			Remote: "remote", EmploymentType: "full_time", ApplyEmail: "jobs@gcoop.example"}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the refused delivery", func() bool {
			ds, _ := a.store.Deliveries(ctx, directory.DeliveryFailed, 10)
			for _, d := range ds {
				if !strings.Contains(d.LastError, "403") {
					return false
				}
			}
			return len(ds) >= 1
		})
		if got := b.search(""); len(got) != 0 {
			t.Fatalf("a blocked domain's job arrived: %v", got)
		}
		if st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"soberaniax@`+a.host()+`"}`); st != 403 {
			t.Fatalf("follow of a blocked domain: %d %v", st, f)
		}
		if _, l := b.api("GET", "/api/v1/admin/blocks", ""); len(l["items"].([]any)) != 1 {
			t.Fatalf("blocks: %v", l)
		}
		if st, _ := b.api("DELETE", "/api/v1/admin/blocks/localhost", ""); st != 204 {
			t.Fatalf("unblock: %d", st)
		}
		if st, _ := b.api("DELETE", "/api/v1/admin/blocks/localhost", ""); st != 404 {
			t.Fatalf("unblock twice: %d", st)
		}

		// Only the admin acts for the node, whatever the surface: the
		// federation checks who asks, and audits what the API did as it
		// audits a form.
		member := directory.Principal{CoopID: b.coopID("outlandish")}
		for what, err := range map[string]error{
			"block":    errOf(b.fed.Block(ctx, member, "example.org")),
			"unblock":  b.fed.Unblock(ctx, member, "example.org"),
			"follow":   errOf(b.fed.Follow(ctx, member, "soberaniax@"+a.host())),
			"unfollow": b.fed.Unfollow(ctx, member, 1),
			"member":   errOf(b.fed.AddMember(ctx, member, "gcoop@"+a.host())),
			"retry":    errOf(b.fed.RetryDeliveries(ctx, member)),
			"list":     errOf(b.fed.Deliveries(ctx, member, directory.DeliveryFailed, 10)),
		} {
			if directory.KindOf(err) != directory.KindForbidden {
				t.Errorf("a member's %s: %v, want forbidden", what, err)
			}
		}
		log, err := b.svc.AuditLog(ctx, b.admin, 20)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range log {
			got = append(got, e.Action+" "+e.Target+" by "+strings.TrimRight(e.Actor, "0123456789"))
		}
		want := []string{"domain.unblock localhost by API token ", "domain.block localhost by API token ",
			"follow.create " + a.svc.Links().Federation() + " by API token ", "coop.create outlandish by command line"}
		if !slices.Equal(got, want) {
			t.Errorf("audit log %q, want %q", got, want)
		}
	})
}

func errOf[T any](_ T, err error) error { return err }

func (n *node) coopID(handle string) int64 {
	n.t.Helper()
	c, err := n.svc.Coop(n.t.Context(), handle)
	if err != nil {
		n.t.Fatal(err)
	}
	return c.ID
}

func (n *node) coopFederations(acct string) []string {
	n.t.Helper()
	_, l := n.api("GET", "/api/v1/coops?limit=100", "")
	for _, it := range l["items"].([]any) {
		c := it.(map[string]any)
		if c["acct"] == acct {
			var names []string
			for _, f := range c["federations"].([]any) {
				names = append(names, f.(map[string]any)["name"].(string))
			}
			return names
		}
	}
	return nil
}

// TestCrossNodeMembership: Astrateq's node takes a co-op hosted by
// SoberaniaX's node as a member, and boosts its jobs to its followers.
// EthiX, following both federations, stores that co-op once, with
// SoberaniaX alone: a federation's word is taken only for co-ops on its
// own host, and the co-op's own actor says nothing of Astrateq.
func TestCrossNodeMembership(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a := newNodeAt(t, open, "SoberaniaX", "soberaniax", "localhost")
		b := newNode(t, open, "EthiX", "ethix")
		c := newNode(t, open, "Astrateq", "astrateq")
		ctx := t.Context()
		gcoop := a.coop("gcoop")
		if _, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: "Go developer", Description: "x",
			Remote: "remote", EmploymentType: "full_time", ApplyEmail: "jobs@gcoop.example"}); err != nil {
			t.Fatal(err)
		}
		c.coop("kenya")
		for body, want := range map[string]int{`{"coop":""}`: 400, `{"coop":"not a handle"}`: 400, `{"coop":"nobody@` + a.host() + `"}`: 400} {
			if st, m := c.api("POST", "/api/v1/admin/members", body); st != want {
				t.Errorf("member %s: %d %v", body, st, m)
			}
		}
		st, m := c.api("POST", "/api/v1/admin/members", `{"coop":"gcoop@`+a.host()+`"}`)
		if st != 201 || m["id"] != gcoop.APID || m["local"] != false {
			t.Fatalf("add member: %d %v", st, m)
		}
		members := getAS(t, c.url()+"/federation/members")
		if members["totalItems"] != 2.0 {
			t.Fatalf("Astrateq's members: %v", members)
		}
		for _, target := range []string{"astrateq@" + c.host(), "soberaniax@" + a.host()} {
			if st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"`+target+`"}`); st != 202 {
				t.Fatalf("follow %s: %d %v", target, st, f)
			}
		}
		b.backfilled(c.url() + "/federation")
		b.backfilled(a.url() + "/federation")
		if got := strings.Join(b.coopFederations("gcoop@"+a.host()), ","); got != "SoberaniaX" {
			t.Fatalf("gcoop's federations on EthiX: %q", got)
		}
		if got := strings.Join(b.coopFederations("kenya@"+c.host()), ","); got != "Astrateq" {
			t.Fatalf("kenya's federations on EthiX: %q", got)
		}
		_, l := b.api("GET", "/api/v1/coops?q=gcoop", "")
		if l["total"] != 1.0 {
			t.Fatalf("gcoop stored more than once: %v", l)
		}
		if _, r := b.api("GET", "/api/v1/jobs?federation="+url.QueryEscape(c.url()+"/federation"), ""); r["total"] != 0.0 {
			t.Fatalf("Astrateq's jobs on EthiX: %v", r)
		}
		// A fediverse follower of Astrateq sees gcoop's new jobs boosted by
		// Astrateq, although gcoop is hosted by SoberaniaX's node.
		masto := newFake(t)
		if st, body := masto.send(c.url()+"/inbox", map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": masto.srv.URL + "/follows/astrateq", "type": "Follow", "actor": masto.actorID("ana"), "object": c.url() + "/federation"}); st != 202 {
			t.Fatalf("follow Astrateq: %d %s", st, body)
		}
		eventually(t, "the Accept", func() bool { return len(masto.byType("Accept")) == 1 })
		j2, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: "Data engineer", Description: "x",
			Remote: "remote", EmploymentType: "full_time", ApplyEmail: "jobs@gcoop.example"})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "Astrateq's Announce", func() bool {
			for _, an := range masto.byType("Announce") {
				if an["actor"] == c.url()+"/federation" && an["object"] == j2.APID {
					return true
				}
			}
			return false
		})
		// The boost answers at its id; once gcoop closes the job and
		// Astrateq hears of it, 410.
		var annID string
		for _, an := range masto.byType("Announce") {
			if an["object"] == j2.APID {
				annID, _ = an["id"].(string)
			}
		}
		if st, doc := masto.fetch(annID); st != 200 || doc["id"] != annID || doc["type"] != "Announce" || doc["object"] != j2.APID {
			t.Fatalf("GET %s: %d %v", annID, st, doc)
		}
		if err := a.svc.DeleteJob(ctx, a.admin, j2.APID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the boost of a closed job gone", func() bool { st, _ := masto.fetch(annID); return st == 410 })
		// Astrateq lets gcoop go; EthiX still lists it with SoberaniaX.
		if st, _ := c.api("DELETE", "/api/v1/admin/members/"+url.PathEscape("gcoop@"+a.host()), ""); st != 204 {
			t.Fatalf("remove member: %d", st)
		}
		if members := getAS(t, c.url()+"/federation/members"); members["totalItems"] != 1.0 {
			t.Fatalf("Astrateq's members after the removal: %v", members)
		}
		if got := strings.Join(b.coopFederations("gcoop@"+a.host()), ","); got != "SoberaniaX" {
			t.Fatalf("gcoop's federations on EthiX after the removal: %q", got)
		}
	})
}

// TestStaleProfilesRefreshed: a remote co-op whose profile was fetched
// long ago is fetched again by the worker.
func TestStaleProfilesRefreshed(t *testing.T) {
	b := newNodeWith(t, engines()["sqlite"], "EthiX", "ethix", "127.0.0.1", time.Millisecond)
	masto := newFake(t)
	id := masto.actorID("coopana")
	if err := b.store.UpsertRemoteCoop(t.Context(), &directory.Coop{APID: id, Handle: "coopana", Host: hostOf(id), Name: "Old name",
		Country: "GB", Workers: 3, URL: id, CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the refreshed profile", func() bool {
		c, err := b.store.CoopByAPID(t.Context(), id)
		return err == nil && c.Name == "Ana"
	})
}

// TestCatchUpAfterMissedActivities: jobs closed while a node did not
// listen are removed, and new ones added, by the import a node runs when
// it starts.
func TestCatchUpAfterMissedActivities(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a := newNodeAt(t, open, "SoberaniaX", "soberaniax", "localhost")
		b := newNode(t, open, "EthiX", "ethix")
		ctx := t.Context()
		a.coop("gcoop")
		job := func(title string) *directory.Job {
			j, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: title, Description: "x",
				Remote: "remote", EmploymentType: "full_time", ApplyEmail: "jobs@gcoop.example"})
			if err != nil {
				t.Fatal(err)
			}
			return j
		}
		old := job("Closed while away")
		if st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"soberaniax@`+a.host()+`"}`); st != 202 {
			t.Fatalf("follow: %d %v", st, f)
		}
		eventually(t, "the first import", func() bool { return len(b.search("q=away")) == 1 })
		// Following the federation follows its member too; wait until
		// that follow's import is done as well, or it would see what B
		// is meant to miss.
		eventually(t, "every import done", func() bool {
			fs, err := b.store.Follows(ctx)
			if err != nil || len(fs) != 2 {
				return false
			}
			for _, f := range fs {
				if f.State != directory.FollowAccepted || f.BackfilledAt.IsZero() {
					return false
				}
			}
			return true
		})
		// B stops hearing from A.
		if err := a.store.RemoveFollowerEverywhere(ctx, b.url()+"/actor"); err != nil {
			t.Fatal(err)
		}
		if err := a.svc.DeleteJob(ctx, a.admin, old.APID); err != nil {
			t.Fatal(err)
		}
		job("Opened while away")
		if len(b.search("q=away")) != 1 {
			t.Fatal("B heard of the changes it should have missed")
		}
		// What B runs when it starts.
		if err := b.fed.Backfill(ctx, a.url()+"/federation"); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(b.search("q=away"), ","); got != "Opened while away" {
			t.Fatalf("after catching up: %q", got)
		}
		// The job closed while B was away says so on B's page.
		if st, _, _ := get(t, b.url()+"/jobs/"+url.PathEscape(old.APID), "text/html"); st != 410 {
			t.Fatalf("page of a job pruned on catching up: %d", st)
		}
	})
}

// TestBackfillRetriesUnreachableMember: a followed federation with a
// member that cannot be fetched now (its server answers 404 for it) is
// imported except for that member, and the import stays pending, to be
// tried again, instead of being recorded as done.
func TestBackfillRetriesUnreachableMember(t *testing.T) {
	b := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	d := newDocServer(t)
	up := d.coopActor("mandragora")
	fed := d.federationActor(up, d.url("/coops/lejana"))
	d.followedBy(b, "/federation")
	eventually(t, "the reachable member imported", func() bool { return b.memberOf(up, fed) })
	// Give the failed import time to be recorded, were it wrongly done.
	time.Sleep(300 * time.Millisecond)
	pending, err := b.store.PendingBackfills(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, fl := range pending {
		found = found || fl.Target == fed
	}
	if !found {
		t.Fatalf("the federation's import was recorded as done with a member missing: pending %+v", pending)
	}
}
