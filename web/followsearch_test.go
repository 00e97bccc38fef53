package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestFollowSearchPages: the search page links to its search's handle;
// that page names the search in the visitor's language and offers the
// handle and the remote-follow form; the API answers the contract.
func TestFollowSearchPages(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		query := "remote=remote&skill=go&live_in=AR&salary_min=1500&salary_currency=USD"
		resp, body := page(t, n.URL, "/?"+query)
		if resp.StatusCode != 200 || !strings.Contains(body, `href="/follow?`) || !strings.Contains(body, "Follow this search") {
			t.Fatalf("search page: %d, no follow link", resp.StatusCode)
		}
		resp, body = page(t, n.URL, "/follow?"+query)
		if resp.StatusCode != 200 || !strings.Contains(body, "@remote-go-ar@") ||
			!strings.Contains(body, "Remote Go jobs open to Argentina, at least USD 1,500 a month") ||
			!strings.Contains(body, `action="/searches/remote-go-ar/follow"`) {
			t.Fatalf("follow page: %d %s", resp.StatusCode, body)
		}
		resp, body = page(t, n.URL, "/follow?"+query, "Accept-Language", "es")
		if resp.StatusCode != 200 || !strings.Contains(body, "Empleos remotos de Go abiertos a Argentina, desde USD 1.500 por mes") ||
			!strings.Contains(body, "Seguir esta búsqueda") {
			t.Fatalf("follow page in Spanish: %d %s", resp.StatusCode, body)
		}
		resp, body = page(t, n.URL, "/searches/remote-go-ar/follow?account=nobody")
		if resp.StatusCode != 400 || !strings.Contains(body, "you@mastodon.example") {
			t.Fatalf("a bad account: %d", resp.StatusCode)
		}
		resp, _ = page(t, n.URL, "/follow?remote=sometimes")
		if resp.StatusCode != 400 {
			t.Fatalf("a bad search: %d", resp.StatusCode)
		}

		r, err := http.Get(n.URL + "/api/v1/jobs/follow?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		var got map[string]string
		if r.StatusCode != 200 || json.Unmarshal(b, &got) != nil || got["handle"] != "remote-go-ar@"+strings.TrimPrefix(n.URL, "http://") ||
			got["actor"] != n.URL+"/searches/remote-go-ar" || got["name"] != "Remote Go jobs open to Argentina, at least USD 1,500 a month" {
			t.Fatalf("API: %d %s", r.StatusCode, b)
		}
	})
}

// TestConsoleSearchActors: the admin's console lists the search actors
// with their followers and removes one, whose handle then answers 410.
func TestConsoleSearchActors(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		if resp, _ := page(t, n.URL, "/follow?skill=go"); resp.StatusCode != 200 {
			t.Fatalf("follow page: %d", resp.StatusCode)
		}
		_, raw, err := n.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "admin@soberaniax.example", true, "")
		if err != nil {
			t.Fatal(err)
		}
		admin := acceptInvite(t, n.URL, "/password?token="+raw, "correct horse battery")
		_, body := admin.get("/admin")
		if !strings.Contains(body, `id="searches-heading"`) || !strings.Contains(body, "@go-jobs") || !strings.Contains(body, "0 followers") {
			t.Fatalf("console: %s", body)
		}
		resp, _ := admin.post("/admin/searches/remove", url.Values{"handle": {"go-jobs"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", resp.StatusCode)
		}
		if _, body := admin.get("/admin"); strings.Contains(body, "@go-jobs") {
			t.Fatal("a removed search is still listed")
		}
		req, _ := http.NewRequest(http.MethodGet, n.URL+"/searches/go-jobs", nil)
		req.Header.Set("Accept", "application/activity+json")
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusGone {
			t.Fatalf("removed search actor: %d", r.StatusCode)
		}
	})
}
