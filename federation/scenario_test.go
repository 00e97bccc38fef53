package federation_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// TestRFC9421FollowerSeesWholeLife is a job's whole life as a follower
// on a server that signs and verifies RFC 9421 only sees it, over real
// signed HTTP on 127.0.0.1: it follows a co-op and is accepted, sees a
// job, its edit, the expiry of another job, a question it asks answered
// from the co-op's dashboard, and the co-op's deletion closing its open
// job. Nothing the node sent or fetched was signed as draft-cavage.
func TestRFC9421FollowerSeesWholeLife(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		var ahead atomic.Int64 // how far the node's clock runs ahead
		now := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
		n := newNodeTuned(t, open, "SoberaniaX", "soberaniax", "127.0.0.1", func(c *federation.Config) { c.Now = now })
		ctx := t.Context()
		coop := n.coop("hornero")
		masto := newFake(t)
		masto.now = now
		masto.setRFC9421Only(true)

		followCoop(t, n, masto, coop.APID)
		eventually(t, "the Accept", func() bool { return len(masto.byType("Accept")) == 1 })

		// A job, and one that expires within the hour.
		job, err := n.svc.CreateJob(ctx, n.admin, "hornero", directory.Job{Title: "Go developer", Description: "Backend work.",
			Remote: directory.RemoteFull, EmploymentType: directory.FullTime, ApplyEmail: "jobs@hornero.example"})
		if err != nil {
			t.Fatal(err)
		}
		short, err := n.svc.CreateJob(ctx, n.admin, "hornero", directory.Job{Title: "Summer designer", Description: "Two months.",
			Remote: directory.RemoteFull, EmploymentType: directory.Contract, ApplyEmail: "jobs@hornero.example",
			ValidThrough: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "both Creates", func() bool { return len(masto.byType("Create")) == 2 })
		created := map[string]bool{}
		for _, c := range masto.byType("Create") {
			note, _ := c["object"].(map[string]any)
			created[str(note["id"])] = note["type"] == "Note" && c["actor"] == coop.APID
		}
		if !created[job.APID] || !created[short.APID] {
			t.Fatalf("Creates: %v", masto.byType("Create"))
		}

		// The edit arrives as an Update of the Note.
		title := "Senior Go developer"
		if _, err := n.svc.UpdateJob(ctx, n.admin, job.APID, directory.JobPatch{Title: &title}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Update", func() bool { return len(masto.byType("Update")) == 1 })
		upd, _ := masto.byType("Update")[0]["object"].(map[string]any)
		if upd["id"] != job.APID || !strings.Contains(str(upd["content"]), title) {
			t.Fatalf("Update: %v", upd)
		}

		// The short job's date passes: it is deleted from timelines.
		ahead.Store(int64(2 * time.Hour))
		n.fed.Nudge()
		eventually(t, "the expiry's Delete", func() bool { return len(masto.byType("Delete")) == 1 })
		if obj, _ := masto.byType("Delete")[0]["object"].(map[string]any); obj["id"] != short.APID || obj["type"] != "Tombstone" {
			t.Fatalf("expiry: %v", masto.byType("Delete")[0])
		}

		// A question about the open job, answered from the dashboard.
		question := masto.actorID("ana") + "/statuses/1"
		if st := masto.reply(n.srv.URL+"/inbox", question, job.APID, "<p>Is it open to Uruguay?</p>", true); st != http.StatusAccepted {
			t.Fatalf("the question: %d", st)
		}
		m := newMember(t, n, "hornero")
		var action []string
		eventually(t, "the question in the dashboard", func() bool {
			_, dash := m.do(http.MethodGet, "/dashboard/questions", nil)
			action = regexp.MustCompile(`action="(/dashboard/questions/\d+/answer)\?coop=hornero"`).FindStringSubmatch(dash)
			return strings.Contains(dash, "Is it open to Uruguay?") && action != nil
		})
		if st, _ := m.do(http.MethodPost, action[1]+"?coop=hornero", url.Values{"text": {"Yes, from anywhere in the Americas."}}); st != http.StatusSeeOther {
			t.Fatalf("answer: %d", st)
		}
		eventually(t, "the answer", func() bool { return len(masto.byType("Create")) == 3 })
		answer, _ := masto.byType("Create")[2]["object"].(map[string]any)
		if answer["inReplyTo"] != question || answer["attributedTo"] != coop.APID ||
			!strings.Contains(str(answer["content"]), "from anywhere in the Americas") {
			t.Fatalf("the answer: %v", answer)
		}

		// The co-op is deleted: its open job closes at the follower too.
		if err := n.svc.DeleteCoop(ctx, n.admin, "hornero"); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the job's and the co-op's Deletes", func() bool { return len(masto.byType("Delete")) == 3 })
		closed := map[string]bool{}
		for _, d := range masto.byType("Delete")[1:] {
			switch obj := d["object"].(type) {
			case string:
				closed[obj] = true
			case map[string]any:
				closed[str(obj["id"])] = obj["type"] == "Tombstone"
			}
		}
		if !closed[job.APID] || !closed[coop.APID] {
			t.Fatalf("Deletes after the co-op's deletion: %v", masto.byType("Delete"))
		}
		if st, _, _ := get(t, job.APID, federation.ContentTypeAS); st != http.StatusGone {
			t.Fatalf("the deleted co-op's job: %d", st)
		}

		rfc9421, cavage := masto.schemes()
		if cavage != 0 || rfc9421 == 0 {
			t.Fatalf("the follower saw %d requests signed as RFC 9421 and %d as draft-cavage", rfc9421, cavage)
		}
	})
}

// str is v when it is a string, else "".
func str(v any) string { s, _ := v.(string); return s }
