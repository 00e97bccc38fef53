package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestJobDrafts: an opening saved as a draft, incomplete, stays out of
// search; later it is finished and published, and the draft is gone.
func TestJobDrafts(t *testing.T) {
	a := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	ctx := t.Context()
	a.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26})
	_, raw, err := a.Svc.InviteUser(ctx, directory.Principal{Admin: true}, "ana@hornero.example", false, "hornero")
	if err != nil {
		t.Fatal(err)
	}
	ana := acceptInvite(t, a.URL, "/password?token="+raw, "una clave larga")

	resp, _ := ana.post("/dashboard/jobs", url.Values{"title": {"Desarrolladora Elixir"}, "remote": {"remote"}, "draft": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save draft: %d", resp.StatusCode)
	}
	if res, _ := a.Svc.SearchJobs(ctx, directory.JobQuery{}); res.Total != 0 {
		t.Fatal("a draft is listed")
	}
	_, body := ana.get("/dashboard")
	m := regexp.MustCompile(`href="/dashboard/drafts/(\d+)\?coop=hornero#job-form">Desarrolladora Elixir</a>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the draft is not on the dashboard:\n%s", body)
	}
	resp, body = ana.get("/dashboard/drafts/" + m[1])
	expect(t, "continue the draft", resp, 200, body, `value="Desarrolladora Elixir"`)
	if !strings.Contains(body, `action="/dashboard/drafts/`+m[1]+`?coop=hornero"`) {
		t.Error("the draft form does not post to the draft")
	}
	// Publishing an incomplete draft says what is missing, keeping it.
	resp, body = ana.post("/dashboard/drafts/"+m[1], url.Values{"title": {"Desarrolladora Elixir"}, "remote": {"remote"},
		"employment_type": {"full_time"}})
	expect(t, "incomplete", resp, 400, body, `id="job-description-error"`)
	resp, _ = ana.post("/dashboard/drafts/"+m[1], url.Values{"title": {"Desarrolladora Elixir"}, "description": {"Phoenix."},
		"remote": {"remote"}, "employment_type": {"full_time"}, "apply_email": {"jobs@hornero.example"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish the draft: %d", resp.StatusCode)
	}
	if res, _ := a.Svc.SearchJobs(ctx, directory.JobQuery{}); res.Total != 1 || res.Items[0].Title != "Desarrolladora Elixir" {
		t.Fatalf("published: %+v", res)
	}
	if d, _ := a.Svc.Drafts(ctx, directory.Principal{Admin: true}, "hornero"); len(d) != 0 {
		t.Errorf("the published draft remains: %+v", d)
	}
	// Someone else's draft stays theirs.
	a.Coop(t, directory.Coop{Handle: "tacuara", Name: "Tacuara", Country: "AR", Workers: 5})
	other, err := a.Svc.SaveDraft(ctx, directory.Principal{Admin: true}, "tacuara", 0, map[string]string{"title": "Secret"})
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := ana.get("/dashboard/drafts/" + itoa(other.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another co-op's draft: %d", resp.StatusCode)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
