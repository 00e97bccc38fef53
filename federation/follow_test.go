package federation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// TestFediverseFollowsCoopAndFederation drives a node the way a Mastodon
// server does: WebFinger, signed fetch of the actor, Follow, Accept, then
// the co-op's jobs arriving as Create, Update and Delete, and the
// federation's Announces.
func TestFediverseFollowsCoopAndFederation(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "SoberaniaX", "soberaniax")
		masto := newFake(t)
		coop := n.coop("gcoop")
		ctx := t.Context()

		// Resolve by handle, URL-encoded (GoToSocial) and not (Mastodon).
		id := masto.webfinger(n.host(), "gcoop", false)
		if id != coop.APID || masto.webfinger(n.host(), "gcoop", true) != id {
			t.Fatalf("webfinger gave %q, want %q", id, coop.APID)
		}
		fedID := masto.webfinger(n.host(), "soberaniax", false)
		status, actor := masto.fetch(id)
		if status != 200 || actor["type"] != "Organization" || actor["preferredUsername"] != "gcoop" ||
			actor["inbox"] != id+"/inbox" || actor["discoverable"] != true {
			t.Fatalf("actor: %d %v", status, actor)
		}
		if _, ok := actor["attachment"].([]any); !ok {
			t.Fatalf("attachment is not an array: %v", actor["attachment"])
		}

		follow := func(target, followID string) {
			st, body := masto.send(n.srv.URL+"/inbox", map[string]any{
				"@context": "https://www.w3.org/ns/activitystreams", "id": followID, "type": "Follow",
				"actor": masto.actorID("ana"), "object": target,
			})
			if st != 202 {
				t.Fatalf("follow %s: %d %s", target, st, body)
			}
		}
		follow(id, masto.srv.URL+"/follows/1")
		follow(fedID, masto.srv.URL+"/follows/2")
		eventually(t, "two Accepts", func() bool { return len(masto.byType("Accept")) == 2 })
		for _, acc := range masto.byType("Accept") {
			obj, ok := acc["object"].(map[string]any)
			if !ok || obj["type"] != "Follow" || !strings.HasPrefix(obj["id"].(string), masto.srv.URL+"/follows/") {
				t.Fatalf("Accept does not embed the Follow: %v", acc)
			}
			if acc["actor"] != obj["object"] {
				t.Fatalf("Accept from %v for a follow of %v", acc["actor"], obj["object"])
			}
		}
		if masto.signedGETs == 0 {
			t.Fatal("the node fetched ana's actor without signing the GET")
		}
		fs := getAS(t, id+"/followers")
		if fs["totalItems"] != 1.0 {
			t.Fatalf("followers: %v", fs)
		}

		// Another server's ana (bob, say) follows only the federation.
		other := newFake(t)
		if st, body := other.send(n.srv.URL+"/inbox", map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": other.srv.URL + "/follows/1", "type": "Follow",
			"actor": other.actorID("ana"), "object": fedID,
		}); st != 202 {
			t.Fatalf("follow of the federation: %d %s", st, body)
		}
		eventually(t, "bob's Accept", func() bool { return len(other.byType("Accept")) == 1 })

		// Publishing a job reaches ana, who follows the co-op and the
		// federation, once: as a Create of a Note, without the
		// federation's Announce of it. Bob gets the Announce only.
		job, err := n.svc.CreateJob(ctx, n.admin, "gcoop", directory.Job{
			Title: "Desarrolladora Go", Description: "Buscamos una **desarrolladora** para APIs.\n\nMás detalles.",
			Skills: []string{"go", "c++"}, Remote: "remote", Country: "AR", EmploymentType: "full_time",
			Salary:    &directory.Salary{Min: 2500, Max: 3500, Currency: "USD", Period: "month"},
			Languages: []string{"es"}, ApplyURL: "https://gcoop.example/jobs/1",
		})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "Create and Announce", func() bool { return len(masto.byType("Create")) == 1 && len(other.byType("Announce")) == 1 })
		create := masto.byType("Create")[0]
		note := create["object"].(map[string]any)
		if create["actor"] != coop.APID || note["type"] != "Note" || note["id"] != job.APID || note["attributedTo"] != coop.APID {
			t.Fatalf("Create: %v", create)
		}
		if _, has := note["summary"]; has {
			t.Fatal("the Note has a summary, which Mastodon shows as a content warning")
		}
		if _, has := note["name"]; has {
			t.Fatal("the Note has a name, which GoToSocial shows as a content warning")
		}
		content := note["content"].(string)
		// The job is written in Spanish: so are the labels.
		for _, want := range []string{"Desarrolladora Go", "Coop gcoop", "USD 2.500–3.500 por mes", "Jornada completa", "@<span>gcoop</span>", "#<span>cpp</span>"} {
			if !strings.Contains(content, want) {
				t.Fatalf("content lacks %q: %s", want, content)
			}
		}
		tags := note["tag"].([]any)
		if len(tags) < 3 || tags[0].(map[string]any)["type"] != "Hashtag" {
			t.Fatalf("tags: %v", tags)
		}
		jp := note["jobPosting"].(map[string]any)
		if jp["@type"] != "sdo:JobPosting" || jp["sdo:title"] != "Desarrolladora Go" || jp["sdo:jobLocationType"] != "TELECOMMUTE" {
			t.Fatalf("jobPosting: %v", jp)
		}
		ann := other.byType("Announce")[0]
		if ann["actor"] != fedID || ann["object"] != job.APID {
			t.Fatalf("Announce: %v", ann)
		}
		if len(other.byType("Create")) != 0 {
			t.Fatalf("bob, who follows the federation only, got the Create: %v", other.byType("Create"))
		}
		// The Note dereferences at its id.
		if got := getAS(t, job.APID); got["id"] != job.APID || got["type"] != "Note" {
			t.Fatalf("GET note: %v", got)
		}

		// An edit arrives as an Update with a newer updated.
		time.Sleep(10 * time.Millisecond)
		title := "Desarrolladora Go (senior)"
		if _, err := n.svc.UpdateJob(ctx, n.admin, job.APID, directory.JobPatch{Title: &title}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "Update", func() bool { return len(masto.byType("Update")) == 1 })
		upd := masto.byType("Update")[0]["object"].(map[string]any)
		if upd["updated"] == nil || upd["updated"].(string) < upd["published"].(string) || !strings.Contains(upd["content"].(string), "(senior)") {
			t.Fatalf("Update: %v", upd)
		}

		// Closing it sends a Delete with a Tombstone, and the id answers 410.
		if err := n.svc.DeleteJob(ctx, n.admin, job.APID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "Delete", func() bool { return len(masto.byType("Delete")) == 1 })
		del := masto.byType("Delete")[0]
		if obj := del["object"].(map[string]any); obj["id"] != job.APID || obj["type"] != "Tombstone" || del["actor"] != coop.APID {
			t.Fatalf("Delete: %v", del)
		}
		if st, _, _ := get(t, job.APID, "application/activity+json"); st != 410 {
			t.Fatalf("deleted note: %d", st)
		}
		// One delivery per activity to the shared inbox, however many
		// followed actors it reaches.
		if len(masto.byType("Update")) != 1 || len(masto.byType("Delete")) != 1 {
			t.Fatalf("duplicate deliveries: %d updates, %d deletes", len(masto.byType("Update")), len(masto.byType("Delete")))
		}
		// The Announce was queued with the Create, before the Update and
		// the Delete: had it been sent to ana, it would be here.
		if len(masto.byType("Announce")) != 0 || len(masto.byType("Create")) != 1 {
			t.Fatalf("ana got the job twice: %d Creates, %d Announces", len(masto.byType("Create")), len(masto.byType("Announce")))
		}

		// An Undo of an older Follow leaves the newer one alone.
		st, body := masto.send(id+"/inbox", map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/undo/0", "type": "Undo",
			"actor":  masto.actorID("ana"),
			"object": map[string]any{"id": masto.srv.URL + "/follows/0", "type": "Follow", "actor": masto.actorID("ana"), "object": id},
		})
		if st != 202 {
			t.Fatalf("undo of an old follow: %d %s", st, body)
		}
		if got := getAS(t, id+"/followers"); got["totalItems"] != 1.0 {
			t.Fatalf("an Undo of another Follow removed the follower: %v", got)
		}
		// Undo Follow removes the follower.
		st, body = masto.send(id+"/inbox", map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/undo/1", "type": "Undo",
			"actor":  masto.actorID("ana"),
			"object": map[string]any{"id": masto.srv.URL + "/follows/1", "type": "Follow", "actor": masto.actorID("ana"), "object": id},
		})
		if st != 202 {
			t.Fatalf("undo: %d %s", st, body)
		}
		if got := getAS(t, id+"/followers"); got["totalItems"] != 0.0 {
			t.Fatalf("followers after undo: %v", got)
		}
		if got := getAS(t, fedID+"/followers"); got["totalItems"] != 2.0 {
			t.Fatalf("the federation lost its followers: %v", got)
		}
	})
}

// TestDeliveryRetriesThenDeadLetters checks the queue: a failing inbox is
// retried with backoff, gets what it missed once it recovers, and a
// delivery that keeps failing is listed for the admin.
func TestDeliveryRetriesThenDeadLetters(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	masto := newFake(t)
	coop := n.coop("outlandish")
	st, body := masto.send(n.srv.URL+"/inbox", map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/follows/1", "type": "Follow",
		"actor": masto.actorID("ana"), "object": coop.APID,
	})
	if st != 202 {
		t.Fatalf("follow: %d %s", st, body)
	}
	eventually(t, "Accept", func() bool { return len(masto.byType("Accept")) == 1 })

	masto.setFailing(true)
	if _, err := n.svc.CreateJob(t.Context(), n.admin, "outlandish", directory.Job{Title: "Elixir developer", Description: "x",
		Remote: "remote", EmploymentType: "contract", ApplyEmail: "jobs@outlandish.example"}); err != nil {
		t.Fatal(err)
	}
	fs := n.store
	eventually(t, "a failed attempt", func() bool {
		ds, _ := fs.Deliveries(t.Context(), directory.DeliveryPending, 10)
		return len(ds) == 1 && ds[0].Attempts >= 1 && strings.Contains(ds[0].LastError, "503")
	})
	masto.setFailing(false)
	eventually(t, "the Create after recovery", func() bool { return len(masto.byType("Create")) == 1 })

	// An inbox that never recovers ends in the dead-letter list.
	masto.setFailing(true)
	if _, err := n.svc.CreateJob(t.Context(), n.admin, "outlandish", directory.Job{Title: "Doomed", Description: "x",
		Remote: "remote", EmploymentType: "contract", ApplyEmail: "jobs@outlandish.example"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a dead letter", func() bool {
		ds, _ := fs.Deliveries(t.Context(), directory.DeliveryFailed, 10)
		return len(ds) == 1 && ds[0].Attempts == 3
	})
	tok, _ := n.svc.CreateToken(t.Context(), "", "")
	status, _, listing := getWithToken(t, n.srv.URL+"/api/v1/admin/deliveries?state=failed", tok)
	if status != 200 || !strings.Contains(string(listing), masto.srv.URL+"/inbox") || !strings.Contains(string(listing), "503") {
		t.Fatalf("admin listing: %d %s", status, listing)
	}
	coopTok, _ := n.svc.CreateToken(t.Context(), "outlandish", "")
	if status, _, _ := getWithToken(t, n.srv.URL+"/api/v1/admin/deliveries?state=failed", coopTok); status != 403 {
		t.Fatalf("a co-op token read the deliveries: %d", status)
	}
}

// TestUnfollowSendsUndo checks the Undo of both kinds of follow the node
// sends, the instance actor's and a co-op's: it embeds the Follow and its
// id is a path of its own that answers a GET, and the Follow's id then
// answers 410.
func TestUnfollowSendsUndo(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "SoberaniaX", "soberaniax")
		masto := newFake(t)
		coop := n.coop("gcoop")
		ctx := t.Context()
		ana := masto.actorID("ana")
		cf, err := n.fed.CoopFollow(ctx, n.admin, coop.Handle, ana)
		if err != nil {
			t.Fatal(err)
		}
		instance := masto.actorID("instance")
		nf, err := n.fed.Follow(ctx, n.admin, instance)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "two Follows", func() bool { return len(masto.byType("Follow")) == 2 })
		if err := n.fed.CoopUnfollow(ctx, n.admin, coop.Handle, cf.ID); err != nil {
			t.Fatal(err)
		}
		if err := n.fed.Unfollow(ctx, n.admin, nf.ID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "two Undos", func() bool { return len(masto.byType("Undo")) == 2 })
		want := map[string]string{cf.FollowID: coop.APID, nf.FollowID: n.url() + "/actor"}
		for _, undo := range masto.byType("Undo") {
			obj, _ := undo["object"].(map[string]any)
			followID, _ := obj["id"].(string)
			actor, ok := want[followID]
			if !ok || obj["type"] != "Follow" || undo["actor"] != actor || obj["actor"] != actor || obj["object"] != map[bool]string{true: instance, false: ana}[followID == nf.FollowID] {
				t.Fatalf("Undo of an unknown follow: %v", undo)
			}
			undoID, _ := undo["id"].(string)
			if !strings.HasPrefix(undoID, n.url()+"/activities/undo/") || !strings.HasPrefix(followID, n.url()+"/activities/follow/") {
				t.Fatalf("Undo id %v for the Follow %s", undo["id"], followID)
			}
			// A server that checks the Undo by fetching it gets it; the
			// Follow it took back is gone.
			if st, m := masto.fetch(undoID); st != 200 || m["id"] != undoID || m["type"] != "Undo" {
				t.Fatalf("GET %s: %d %v", undoID, st, m)
			}
			if st, m := masto.fetch(followID); st != 410 || m["id"] != followID || m["type"] != "Tombstone" || m["formerType"] != "Follow" {
				t.Fatalf("GET %s: %d %v", followID, st, m)
			}
			delete(want, followID)
		}
	})
}
