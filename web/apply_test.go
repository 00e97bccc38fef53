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

// TestJobPageApply: a job page says how to apply, at the top: a button to
// the co-op's site, a mailto link whose subject names the job and the node
// in the visitor's language, or both; an aggregated job's apply data
// shows the same way, and an apply URL that is not http(s) is never a
// link.
func TestJobPageApply(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n := nodetest.New(t, open, "SoberaniaX", "soberaniax")
		ctx := t.Context()
		n.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 5})
		both := n.Job(t, "hornero", directory.Job{Title: "Desarrollador/a Go & Rust", Description: "d", Remote: directory.RemoteFull,
			Country: "AR", EmploymentType: directory.FullTime, ApplyURL: "https://hornero.example/jobs/go", ApplyEmail: "jobs@hornero.example"})
		site := n.Job(t, "hornero", directory.Job{Title: "Diseñadora", Description: "d", Remote: directory.RemoteFull,
			Country: "AR", EmploymentType: directory.FullTime, ApplyURL: "https://hornero.example/jobs/design"})

		_, body := page(t, n.URL, strings.TrimPrefix(both.APID, n.URL))
		for _, want := range []string{`<h2 id="apply-heading">How to apply</h2>`,
			`<a class="button apply" href="https://hornero.example/jobs/go" rel="noopener noreferrer nofollow external">Apply on the co-op&#39;s site</a>`,
			`Or write to <a class="apply-mail" href="mailto:jobs@hornero.example?subject=Application%3A%20Desarrollador%2Fa%20Go%20%26%20Rust%20%28via%20SoberaniaX%29">jobs@hornero.example</a>`,
			`“Application: Desarrollador/a Go &amp; Rust (via SoberaniaX)”`} {
			if !strings.Contains(body, want) {
				t.Errorf("job page (English) lacks %s", want)
			}
		}
		_, body = page(t, n.URL, strings.TrimPrefix(both.APID, n.URL), "Accept-Language", "es")
		for _, want := range []string{`Cómo postularse`, `>Postularse en el sitio de la cooperativa</a>`,
			`href="mailto:jobs@hornero.example?subject=Postulaci%C3%B3n%3A%20Desarrollador%2Fa%20Go%20%26%20Rust%20%28v%C3%ADa%20SoberaniaX%29"`} {
			if !strings.Contains(body, want) {
				t.Errorf("job page (Spanish) lacks %s", want)
			}
		}
		_, body = page(t, n.URL, strings.TrimPrefix(site.APID, n.URL))
		if !strings.Contains(body, `href="https://hornero.example/jobs/design"`) || strings.Contains(body, "mailto:") {
			t.Errorf("a job with only a site: want its link and no mailto")
		}

		// Aggregated jobs, stored as another node sent them.
		remote := &directory.Coop{APID: "https://ethix.example/coops/outlandish", Handle: "outlandish", Host: "ethix.example",
			Name: "Outlandish", Country: "GB", Workers: 20, URL: "https://ethix.example/@outlandish"}
		if err := n.Store.UpsertRemoteCoop(ctx, remote); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		for i, c := range []struct {
			apply, mail string
			want        []string
			never       []string
		}{
			{"https://outlandish.example/apply", "", []string{`href="https://outlandish.example/apply"`}, []string{"mailto:"}},
			{"", "jobs@outlandish.example", []string{`href="mailto:jobs@outlandish.example?subject=Application%3A%20Remote%20job%202%20%28via%20SoberaniaX%29"`}, nil},
			{"javascript:alert(1)", "jobs@outlandish.example", []string{"mailto:jobs@outlandish.example"}, []string{"javascript", "ZgotmplZ", "co-op&#39;s site"}},
			{"javascript:alert(1)", "", nil, []string{"javascript", "ZgotmplZ", "apply-heading"}},
			{"data:text/html,x", "x@y.example?bcc=all@z.example", nil, []string{"data:", "bcc", "apply-heading"}},
		} {
			apid := "https://ethix.example/jobs/" + string(rune('1'+i))
			if err := n.Store.UpsertRemoteJob(ctx, &directory.Job{APID: apid, Coop: directory.CoopRef{ID: remote.ID, APID: remote.APID},
				Title: "Remote job " + string(rune('1'+i)), Description: "x", Remote: directory.RemoteFull, EmploymentType: directory.Contract,
				ApplyURL: c.apply, ApplyEmail: c.mail, Published: now, Updated: now}); err != nil {
				t.Fatal(err)
			}
			// The escaped id redirects to the job's readable address.
			resp, body := page(t, n.URL, "/jobs/"+url.PathEscape(apid))
			if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusMovedPermanently && strings.HasPrefix(loc, "/jobs/") {
				_, body = page(t, n.URL, loc)
			}
			if !strings.Contains(body, "Remote job") {
				t.Fatalf("aggregated job %d: no page", i+1)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("aggregated job %d lacks %s", i+1, w)
				}
			}
			for _, w := range c.never {
				if strings.Contains(body, w) {
					t.Errorf("aggregated job %d has %s", i+1, w)
				}
			}
		}
	})
}
