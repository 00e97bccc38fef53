package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// jobTitles lists the titles of the open jobs a node lists, local and
// aggregated.
func jobTitles(t *testing.T, n *nodetest.Node) []string {
	t.Helper()
	resp, err := http.Get(n.URL + "/api/v1/jobs?limit=100")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, j := range out.Items {
		titles = append(titles, j.Title)
	}
	return titles
}

func lists(titles []string, title string) bool {
	for _, t := range titles {
		if t == title {
			return true
		}
	}
	return false
}

// TestResetPeerFollowRenewed: node B follows node A, which is then set up
// afresh at the same address (a new store and new keys, as a demo node
// run with --reset). B's follow check marks the follow broken because
// the key changed; the admin console says so, with since when, in both
// languages, and renews it in one click (a cross-site POST is refused).
// Once A accepts again, B no longer lists A's old jobs, lists the new
// one, and a job A publishes afterwards arrives.
func TestResetPeerFollowRenewed(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		ctx := t.Context()
		keys := &nodetest.KeyPool{Size: 2}
		a := nodetest.NewWith(t, open, "SoberaniaX", "soberaniax", nodetest.Options{Keys: keys})
		b := nodetest.NewWith(t, open, "EthiX", "ethix", nodetest.Options{Keys: keys, Hostname: "localhost"})
		job := directory.Job{Title: "Old Go developer", Description: "d", Remote: "remote", EmploymentType: "full_time",
			ApplyEmail: "jobs@hornero.example"}
		a.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26})
		a.Job(t, "hornero", job)
		a.Coop(t, directory.Coop{Handle: "tero", Name: "Tero", Country: "UY", Workers: 5})
		job.Title = "Old tester"
		a.Job(t, "tero", job)
		b.Follow(t, a.Acct())
		nodetest.Eventually(t, "B to list A's jobs", func() bool {
			ts := jobTitles(t, b)
			return b.Accepted(t) && lists(ts, "Old Go developer") && lists(ts, "Old tester")
		})

		a.Reset(t, open)
		a.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26})
		job.Title = "New Rust developer"
		a.Job(t, "hornero", job)

		if _, err := b.Fed.CheckFollows(ctx, time.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		fl, err := b.Store.FollowByTarget(ctx, a.FederationActor())
		if err != nil || fl.BrokenReason != directory.FollowKeyChanged || fl.BrokenSince.IsZero() {
			t.Fatalf("after A's reset: %+v %v", fl, err)
		}

		_, raw, err := b.Svc.InviteUser(ctx, b.Admin, "admin@ethix.example", true, "")
		if err != nil {
			t.Fatal(err)
		}
		admin := acceptInvite(t, b.URL, "/password?token="+raw, "una clave larga")
		_, body := admin.get("/admin/follows")
		row := regexp.MustCompile(`(?s)<tr id="follow-` + itoa(fl.ID) + `">.*?</tr>`).FindString(body)
		since := fl.BrokenSince.UTC()
		for _, want := range []string{"broken", "new keys", since.Format("15:04"), `action="/admin/follows/` + itoa(fl.ID) + `/renew"`} {
			if !strings.Contains(row, want) {
				t.Errorf("the console's row of the follow lacks %q:\n%s", want, row)
			}
		}
		if strings.Contains(row, ">following<") && !strings.Contains(row, "broken") {
			t.Error("the console shows the broken follow as following")
		}
		_, body = admin.do(http.MethodGet, "/admin/follows", nil, "Accept-Language", "es")
		if !strings.Contains(body, "claves nuevas") || !strings.Contains(body, "Renovar") {
			t.Error("the Spanish console does not say the follow is broken")
		}

		renew := "/admin/follows/" + itoa(fl.ID) + "/renew"
		resp, _ := admin.post(renew, url.Values{}, "Sec-Fetch-Site", "cross-site", "Origin", "https://elsewhere.example")
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a cross-site renew: %d, want 403", resp.StatusCode)
		}
		if fl2, _ := b.Store.FollowByTarget(ctx, a.FederationActor()); fl2.FollowID != fl.FollowID {
			t.Fatal("a cross-site POST renewed the follow")
		}
		if resp, _ := admin.post(renew, url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("renew: %d", resp.StatusCode)
		}
		nodetest.Eventually(t, "B to follow the new A and list its jobs only", func() bool {
			ts := jobTitles(t, b)
			return b.Accepted(t) && lists(ts, "New Rust developer") && !lists(ts, "Old Go developer") && !lists(ts, "Old tester")
		})
		if _, body := admin.get("/admin/follows"); strings.Contains(body, "follow-broken") {
			t.Error("the console still shows a broken follow")
		}
		job.Title = "Newer Elixir developer"
		a.Job(t, "hornero", job)
		nodetest.Eventually(t, "a job published after the renewal to arrive", func() bool {
			return lists(jobTitles(t, b), "Newer Elixir developer")
		})
		if _, err := b.Fed.CheckFollows(ctx, time.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if fl, err := b.Store.FollowByTarget(ctx, a.FederationActor()); err != nil || fl.Broken() {
			t.Fatalf("the renewed follow: %+v %v", fl, err)
		}
	})
}
