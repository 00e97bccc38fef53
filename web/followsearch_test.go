package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

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
		_, body := admin.get("/admin/searches")
		if !strings.Contains(body, `id="searches-heading"`) || !strings.Contains(body, "@go-jobs") || !strings.Contains(body, "0 followers") {
			t.Fatalf("console: %s", body)
		}
		resp, _ := admin.post("/admin/searches/remove", url.Values{"handle": {"go-jobs"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", resp.StatusCode)
		}
		if _, body := admin.get("/admin/searches"); strings.Contains(body, "@go-jobs") {
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

// TestDashboardSearchFollowers: a co-op's dashboard counts, for each
// opening, the people following searches that find it (no names).
func TestDashboardSearchFollowers(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		ctx := t.Context()
		for _, q := range []string{"skill=go", "remote=remote", "skill=python"} {
			if resp, _ := page(t, n.URL, "/follow?"+q); resp.StatusCode != 200 {
				t.Fatalf("follow page %s: %d", q, resp.StatusCode)
			}
		}
		now := time.Now()
		for i, handle := range []string{"go-jobs", "remote-jobs", "python-jobs"} {
			actor := n.Svc.Links().SearchActor(handle)
			f := &directory.Follower{ActorAPID: actor, FollowerAPID: "https://masto.example/users/u" + strconv.Itoa(i),
				Inbox: "https://masto.example/inbox", FollowID: "https://masto.example/follows/" + strconv.Itoa(i), CreatedAt: now}
			accept := &directory.Delivery{Inbox: f.Inbox, Signer: actor, ActivityID: "https://x.example/accept/" + strconv.Itoa(i),
				Body: []byte(`{}`), NextAttemptAt: now.Add(time.Hour), CreatedAt: now}
			if err := n.Store.AddFollower(ctx, f, accept); err != nil {
				t.Fatal(err)
			}
		}
		_, raw, err := n.Svc.InviteUser(ctx, directory.Principal{Admin: true}, "ana@hornero.example", false, "hornero")
		if err != nil {
			t.Fatal(err)
		}
		ana := acceptInvite(t, n.URL, "/password?token="+raw, "correct horse battery")
		_, body := ana.get("/dashboard")
		// The Go job is remote: two searches find it; the Rust one, hybrid,
		// none.
		if strings.Count(body, `class="search-followers"`) != 1 || !strings.Contains(body, "2 people follow searches that find it") {
			t.Fatalf("dashboard: %s", body)
		}
	})
}
