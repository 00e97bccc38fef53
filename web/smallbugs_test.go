package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
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

// TestBidiControlRefused: a title holding a right-to-left override, which
// would show "gnp.exe" as "exe.png", is refused with the field named and
// the character told, in the API and on the form in both languages;
// nothing is stored. A co-op's name and city are held to the same rule.
func TestBidiControlRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		n.expect(n.do("POST", "/api/v1/coops", n.admin, gcoop), 201, "")
		job := goJob()
		job["title"] = "Logo \u202egnp.exe"
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "title")
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "U+202E")
		n.expect(n.do("PATCH", "/api/v1/coops/gcoop", n.admin, map[string]any{"name": "G\u2067Coop"}), 400, "name")
		n.expect(n.do("PATCH", "/api/v1/coops/gcoop", n.admin, map[string]any{"city": "Rosario\u202d"}), 400, "city")
		if res, err := n.svc.SearchJobs(t.Context(), directory.JobQuery{}); err != nil || res.Total != 0 {
			t.Errorf("a spoofing title was stored: %v %v", res, err)
		}
		if c, err := n.svc.Coop(t.Context(), "gcoop"); err != nil || c.Name != "GCoop" || c.City != "Buenos Aires" {
			t.Errorf("the co-op changed: %+v %v", c, err)
		}
	})
	_, _, ana := formsNode(t, teststore.SQLite)
	for _, c := range []struct{ lang, label, want string }{
		{"en", "Job title: ", "invisible character (U&#43;202E)"}, {"es", "Puesto: ", "carácter invisible (U&#43;202E)"},
	} {
		resp, body := ana.post("/dashboard/jobs", url.Values{"title": {"Logo \u202egnp.exe"}, "description": {"d"},
			"remote": {"remote"}, "employment_type": {"full_time"}, "apply_email": {"a@b.example"}}, "Accept-Language", c.lang)
		sum := summaryOf(body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(sum, c.label) || !strings.Contains(sum, c.want) ||
			!strings.Contains(sum, `href="#job-title"`) {
			t.Errorf("%s: %d, want %q%q in the summary:\n%s", c.lang, resp.StatusCode, c.label, c.want, sum)
		}
	}
}

// TestAPICoopByAcct: GET /api/v1/coops/{handle@host} answers the co-op the
// list gives with that acct, aggregated or local; an unknown one is a
// 404.
func TestAPICoopByAcct(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		n.expect(n.do("POST", "/api/v1/coops", n.admin, gcoop), 201, "")
		remote := &directory.Coop{APID: "https://ethix.example/coops/outlandish", Handle: "outlandish", Host: "ethix.example",
			Name: "Outlandish", Country: "GB", Workers: 20, URL: "https://ethix.example/@outlandish"}
		if err := n.store.UpsertRemoteCoop(t.Context(), remote); err != nil {
			t.Fatal(err)
		}
		list := n.do("GET", "/api/v1/coops", "", nil)
		n.expect(list, 200, "")
		items, _ := list.json(t)["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("the list: %s", list.body)
		}
		for _, x := range items {
			it := x.(map[string]any)
			acct := it["acct"].(string)
			r := n.do("GET", "/api/v1/coops/"+url.PathEscape(acct), "", nil)
			n.expect(r, 200, "")
			if got := r.json(t); got["id"] != it["id"] || got["acct"] != acct || got["name"] != it["name"] || got["local"] != it["local"] {
				t.Errorf("%s: %s, the list has %v", acct, r.body, it)
			}
			// Unescaped as a client writes it, too.
			n.expect(n.do("GET", "/api/v1/coops/"+acct, "", nil), 200, "")
		}
		n.expect(n.do("GET", "/api/v1/coops/gcoop", "", nil), 200, "")
		n.expect(n.do("GET", "/api/v1/coops/nobody@ethix.example", "", nil), 404, "")
		n.expect(n.do("GET", "/api/v1/coops/outlandish@other.example", "", nil), 404, "")
	})
}
