package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestUnreadableInputRefused: a NUL byte or invalid UTF-8 in a query
// parameter or a path segment is bad input (400, naming the parameter) on
// every surface and on both stores, and never reaches a store.
func TestUnreadableInputRefused(t *testing.T) {
	cases := []struct {
		path, field string
		page        bool // asked for as a browser would
		accept      string
	}{
		{path: "/api/v1/jobs?q=%00", field: "q"},
		{path: "/api/v1/jobs?q=go%FF", field: "q"},
		{path: "/api/v1/jobs?skill=go&skill=r%00ust", field: "skill"},
		{path: "/api/v1/jobs?federation=%C3%28", field: "federation"},
		{path: "/api/v1/jobs?coop=a%00", field: "coop"},
		{path: "/api/v1/jobs?cursor=%00%00", field: "cursor"},
		{path: "/api/v1/jobs?language=e%00s", field: "language"},
		{path: "/api/v1/jobs?a%00b=1", field: `"a\x00b"`},
		{path: "/api/v1/coops?q=a%00b", field: "q"},
		{path: "/api/v1/coops?federation=%FF", field: "federation"},
		{path: "/api/v1/coops/ho%00rnero", field: "handle"},
		{path: "/api/v1/coops/a%FFb", field: "handle"},
		{path: "/api/v1/coops/x%40evil%00.example", field: "handle"},
		{path: "/api/v1/jobs/%00", field: "id"},
		{path: "/api/v1/jobs/https%3A%2F%2Fevil.example%2Fjobs%2F%FF", field: "id"},
		{path: "/jobs.atom?q=%00", field: "q"},
		{path: "/jobs.rss?coop=%FF", field: "coop"},
		{path: "/coops/a%00/jobs.atom", field: "handle"},
		{path: "/coops/a%00/logo", field: "handle"},
		{path: "/coops/a%00", field: "handle", accept: "application/activity+json"},
		{path: "/coops/a%FF/outbox", field: "handle", accept: "application/activity+json"},
		{path: "/jobs/%00", field: "key", accept: "application/activity+json"},
		{path: "/.well-known/webfinger?resource=acct:a%00@127.0.0.1", field: "resource"},
		{path: "/?q=%00", field: "q", page: true},
		{path: "/?skill=%FF", field: "skill", page: true},
		{path: "/?federation=x%00", field: "federation", page: true},
		{path: "/coops?q=%00", field: "q", page: true},
		{path: "/coops?skill=%C3%28", field: "skill", page: true},
		{path: "/coops/a%00", field: "handle", page: true},
		{path: "/coops/x%40evil%FF.example", field: "handle", page: true},
		{path: "/jobs/a%00", field: "key", page: true},
		{path: "/jobs/https%3A%2F%2Fevil.example%2F%00", field: "key", page: true},
		{path: "/coops/a%00/follow?acct=x", field: "handle", page: true},
		{path: "/federation/follow?acct=a%00@b.example", field: "acct", page: true},
		{path: "/login?next=%2F%00", field: "next", page: true},
		{path: "/password?token=%FF", field: "token", page: true},
	}
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n := nodetest.New(t, open, "SoberaniaX", "soberaniax")
		n.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 5})
		for _, c := range cases {
			var hdr []string
			switch {
			case c.page:
				hdr = []string{"Accept", "text/html"}
			case c.accept != "":
				hdr = []string{"Accept", c.accept}
			default:
				hdr = []string{"Accept", "application/json"}
			}
			resp, body := page(t, n.URL, c.path, hdr...)
			if resp.StatusCode != 400 {
				t.Errorf("%s: %d, want 400\n%.500s", c.path, resp.StatusCode, body)
				continue
			}
			if c.page {
				// A page names the field by its label, without the API's
				// "field: " prefix.
				if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(strings.ToLower(body), c.field) ||
					strings.Contains(body, "<p>"+c.field+": ") {
					t.Errorf("%s: the page does not name %s:\n%.3000s", c.path, c.field, body)
				}
				continue
			}
			var e struct{ Error, Field string }
			if err := json.Unmarshal([]byte(body), &e); err != nil || !strings.HasPrefix(e.Error, c.field+":") {
				t.Errorf("%s: error %q (field %q) does not name %s", c.path, e.Error, e.Field, c.field)
			}
		}
		// Posted forms alike.
		for _, f := range []url.Values{{"email": {"a\x00@b.example"}, "password": {"x"}}, {"email": {"a@b.example"}, "password": {"\xff"}}} {
			resp, body := newBrowser(t, n.URL).post("/login", f)
			if resp.StatusCode != 400 || !strings.Contains(body, "E-mail: ") && !strings.Contains(body, "Password: ") {
				t.Errorf("login form %q: %d\n%.3000s", f, resp.StatusCode, body)
			}
		}
		// What is readable still works.
		for _, p := range []string{"/api/v1/jobs?q=se%C3%B1or", "/coops/hornero", "/api/v1/coops/hornero", "/?q=%E2%82%AC"} {
			if resp, body := page(t, n.URL, p, "Accept", "text/html"); resp.StatusCode != 200 {
				t.Errorf("%s: %d\n%.500s", p, resp.StatusCode, body)
			}
		}
	})
}
