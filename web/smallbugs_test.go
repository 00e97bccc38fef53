package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestWorkersBounds: a number of worker-members out of range is told the
// real bounds, in the reader's language, on the profile and the admin's
// co-op form; nothing is stored.
func TestWorkersBounds(t *testing.T) {
	n, admin, ana := formsNode(t, teststore.SQLite)
	for _, c := range []struct{ lang, want string }{
		{"en", "between 1 and 1,000,000"}, {"es", "entre 1 y 1.000.000"},
	} {
		for _, workers := range []string{"100000000", "0", "-3", "99999999999999999999"} {
			resp, body := ana.post("/dashboard/profile", url.Values{"name": {"Hornero"}, "country": {"AR"}, "workers": {workers}},
				"Accept-Language", c.lang)
			if sum := summaryOf(body); resp.StatusCode != http.StatusBadRequest || !strings.Contains(sum, c.want) || !strings.Contains(sum, `href="#p-workers"`) {
				t.Errorf("%s, %s workers: %d, want %q in the summary:\n%s", c.lang, workers, resp.StatusCode, c.want, sum)
			}
		}
		resp, body := admin.post("/admin/coops", url.Values{"handle": {"nueva"}, "name": {"Nueva"}, "country": {"AR"}, "workers": {"100000000"}},
			"Accept-Language", c.lang)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(summaryOf(body), c.want) {
			t.Errorf("%s admin co-op: %d, want %q:\n%s", c.lang, resp.StatusCode, c.want, summaryOf(body))
		}
	}
	if c, _ := n.Svc.Coop(t.Context(), "hornero"); c.Workers != 26 {
		t.Errorf("the profile changed: %d workers", c.Workers)
	}
}

// fieldOf is the form field (its <div class="field">) holding the
// control with the id, or "".
func fieldOf(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], `<div class="field">`)
	end := strings.Index(body[i:], `</div>`)
	if start < 0 || end < 0 {
		return ""
	}
	return body[start : i+end]
}

// TestCoopCountryHint: the co-op's country (profile and the admin's new
// co-op) says nothing of remote jobs, in either language; the job's
// country does, where it belongs.
func TestCoopCountryHint(t *testing.T) {
	_, admin, ana := formsNode(t, teststore.SQLite)
	for _, c := range []struct{ lang, remote string }{{"en", "remote"}, {"es", "remoto"}} {
		_, dash := ana.do(http.MethodGet, "/dashboard/profile", nil, "Accept-Language", c.lang)
		_, adm := admin.do(http.MethodGet, "/admin/coops", nil, "Accept-Language", c.lang)
		_, openings := ana.do(http.MethodGet, "/dashboard/openings", nil, "Accept-Language", c.lang)
		for _, f := range []struct{ page, id string }{{dash, "p-country"}, {adm, "c-country"}} {
			field := fieldOf(f.page, f.id)
			if field == "" {
				t.Errorf("%s: no field #%s", c.lang, f.id)
				continue
			}
			if strings.Contains(strings.ToLower(field), c.remote) || strings.Contains(field, `class="hint"`) {
				t.Errorf("%s: the co-op's country speaks of remote jobs:\n%s", c.lang, field)
			}
		}
		if job := fieldOf(openings, "job-country"); !strings.Contains(strings.ToLower(job), c.remote) {
			t.Errorf("%s: the job's country has lost its hint:\n%s", c.lang, job)
		}
	}
}
