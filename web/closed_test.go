package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestPagesClosedRemoteJob: on a node that aggregates another's jobs, a
// job its co-op closed answers 410 with "closed", in the visitor's
// language, not "Page not found"; an id never seen stays a 404.
func TestPagesClosedRemoteJob(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n := nodetest.New(t, open, "SoberaniaX", "soberaniax")
		ctx := t.Context()
		remote := &directory.Coop{APID: "https://ethix.example/coops/outlandish", Handle: "outlandish", Host: "ethix.example",
			Name: "Outlandish", Country: "GB", Workers: 20, URL: "https://ethix.example/@outlandish"}
		if err := n.Store.UpsertRemoteCoop(ctx, remote); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		apid := "https://ethix.example/jobs/1"
		if err := n.Store.UpsertRemoteJob(ctx, &directory.Job{APID: apid, Coop: directory.CoopRef{ID: remote.ID, APID: remote.APID},
			Title: "Elixir developer", Description: "x", Remote: directory.RemoteFull, EmploymentType: directory.Contract,
			Published: now, Updated: now}); err != nil {
			t.Fatal(err)
		}
		path := "/jobs/" + url.PathEscape(apid)
		resp, _ := page(t, n.URL, path)
		if resp.StatusCode != http.StatusMovedPermanently {
			t.Fatalf("remote job's old address: %d", resp.StatusCode)
		}
		if resp, body := page(t, n.URL, resp.Header.Get("Location")); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Elixir developer") {
			t.Fatalf("remote job page: %d", resp.StatusCode)
		}
		// Its co-op closes it: the node applies the Delete.
		j, err := n.Store.JobByAPID(ctx, apid)
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Store.DeleteJob(ctx, j.ID, now); err != nil {
			t.Fatal(err)
		}
		for lang, want := range map[string]string{"es": "Este empleo está cerrado", "en": "This job is closed"} {
			resp, body := page(t, n.URL, path, "Accept-Language", lang)
			if resp.StatusCode != http.StatusGone || !strings.Contains(body, want) {
				t.Errorf("closed remote job in %s: %d, want 410 with %q", lang, resp.StatusCode, want)
			}
		}
		resp, _ = page(t, n.URL, "/jobs/"+url.PathEscape("https://ethix.example/jobs/2"))
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown remote job: %d", resp.StatusCode)
		}
	})
}
