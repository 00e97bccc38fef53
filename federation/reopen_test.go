package federation_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// TestCloseAndReopenFederates: a member closes an opening from the
// dashboard (a confirmation first), finds it under "Closed" and reopens
// it. The reopened job is a new Note with a new id, sent as a Create:
// the old id was deleted (a Tombstone) and answers 410. A Mastodon-like
// follower and a node following the federation, over signed HTTP, both
// get it.
func TestCloseAndReopenFederates(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a := newNode(t, open, "SoberaniaX", "soberaniax")
		b := newNode(t, open, "Ethix", "ethix")
		ctx := t.Context()
		coop := a.coop("hornero")
		masto := newFake(t)
		followCoop(t, a, masto, coop.APID)
		eventually(t, "the Accept", func() bool { return len(masto.byType("Accept")) == 1 })
		if st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"soberaniax@`+a.host()+`"}`); st != 202 {
			t.Fatalf("follow: %d %v", st, f)
		}
		eventually(t, "the follow accepted", func() bool { return b.followAccepted(a.url() + "/federation") })

		job, err := a.svc.CreateJob(ctx, a.admin, "hornero", directory.Job{Title: "Go developer", Description: "Backend work.",
			Remote: directory.RemoteFull, EmploymentType: directory.FullTime, ApplyEmail: "jobs@hornero.example", Skills: []string{"go"}})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Create", func() bool { return len(masto.byType("Create")) == 1 })
		eventually(t, "the job on the other node", func() bool { return len(b.search("q=backend")) == 1 })

		m := newMember(t, a, "hornero")
		closeURL := "/dashboard/jobs/" + url.PathEscape(job.APID) + "/close"
		st, body := m.do(http.MethodGet, "/dashboard/openings", nil)
		if st != http.StatusOK || !strings.Contains(body, `href="`+closeURL+`?coop=hornero"`) {
			t.Fatalf("openings: %d, no link to close", st)
		}
		// The first step only asks.
		st, body = m.do(http.MethodGet, closeURL, nil)
		if st != http.StatusOK || !strings.Contains(body, "Close Go developer?") || !strings.Contains(body, `name="confirm" value="1"`) {
			t.Fatalf("close confirmation: %d", st)
		}
		if _, err := a.svc.Job(ctx, job.APID); err != nil {
			t.Fatal("asking to confirm closed the job")
		}
		st, _ = m.do(http.MethodPost, closeURL, url.Values{"confirm": {"1"}})
		if st != http.StatusSeeOther {
			t.Fatalf("close: %d", st)
		}
		eventually(t, "the Delete", func() bool { return len(masto.byType("Delete")) == 1 })
		eventually(t, "the job gone from the other node", func() bool { return len(b.search("q=backend")) == 0 })
		if st, _, _ := get(t, job.APID, "text/html"); st != http.StatusGone {
			t.Fatalf("the closed job's page: %d", st)
		}
		if st, body := m.do(http.MethodGet, strings.TrimPrefix(job.APID, a.url()), nil); st != http.StatusGone || !strings.Contains(body, "This job is closed") {
			t.Fatalf("the closed job's page: %d", st)
		}

		_, body = m.do(http.MethodGet, "/dashboard/openings", nil)
		reopen := regexp.MustCompile(`action="(/dashboard/closed/\d+/reopen)\?coop=hornero"`).FindStringSubmatch(body)
		if reopen == nil || !strings.Contains(body, `id="closed"`) || !strings.Contains(body, "Go developer") {
			t.Fatalf("the closed opening is not listed:\n%s", body)
		}
		if st, _ := m.do(http.MethodPost, reopen[1], url.Values{}); st != http.StatusSeeOther {
			t.Fatalf("reopen: %d", st)
		}
		eventually(t, "the second Create", func() bool { return len(masto.byType("Create")) == 2 })
		note, _ := masto.byType("Create")[1]["object"].(map[string]any)
		if id := str(note["id"]); id == job.APID || !strings.HasPrefix(id, a.url()+"/") || !strings.Contains(str(note["content"]), "Go developer") {
			t.Fatalf("the reopened job's Create: %v", note)
		}
		eventually(t, "the reopened job on the other node", func() bool { return len(b.search("q=backend")) == 1 })
		if st, _, _ := get(t, str(note["id"]), "text/html"); st != http.StatusOK {
			t.Fatalf("the reopened job's page: %d", st)
		}
		_, body = m.do(http.MethodGet, "/dashboard/openings", nil)
		if strings.Contains(body, `id="closed"`) {
			t.Error("the reopened job is still listed as closed")
		}
		// A draft that was never a job cannot be reopened.
		d, err := a.svc.SaveDraft(ctx, a.admin, "hornero", 0, map[string]string{"title": "Draft"})
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := m.do(http.MethodPost, "/dashboard/closed/"+strconv.FormatInt(d.ID, 10)+"/reopen", url.Values{}); st != http.StatusNotFound {
			t.Errorf("reopening a draft: %d", st)
		}
	})
}
