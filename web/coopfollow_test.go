package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestCoopFollowsCoop: a member makes her co-op follow a co-op on another
// node; the other node accepts, its openings show on her dashboard, the
// co-op's following collection and page name it, and unfollowing undoes
// it on the other node.
func TestCoopFollowsCoop(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		keys := &nodetest.KeyPool{Size: 2}
		a := nodetest.NewWith(t, open, "SoberaniaX", "soberaniax", nodetest.Options{Keys: keys})
		b := nodetest.NewWith(t, open, "EthiX", "ethix", nodetest.Options{Keys: keys, Hostname: "localhost"})
		ctx := t.Context()
		a.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26})
		larkspur := b.Coop(t, directory.Coop{Handle: "larkspur", Name: "Larkspur Collective", Country: "GB", Workers: 9})
		b.Job(t, "larkspur", directory.Job{Title: "Python developer", Description: "d", Remote: "remote",
			EmploymentType: "full_time", ApplyEmail: "jobs@larkspur.example"})
		_, raw, err := a.Svc.InviteUser(ctx, directory.Principal{Admin: true}, "ana@hornero.example", false, "hornero")
		if err != nil {
			t.Fatal(err)
		}
		ana := acceptInvite(t, a.URL, "/password?token="+raw, "una clave larga")

		resp, body := ana.post("/dashboard/follow", url.Values{"target": {"nobody"}})
		expect(t, "bad handle", resp, 400, body, `id="follow-target-error"`)
		resp, _ = ana.post("/dashboard/follow", url.Values{"target": {"larkspur@" + b.Host}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("follow: %d", resp.StatusCode)
		}
		hornero := a.URL + "/coops/hornero"
		nodetest.Eventually(t, "the other node to accept", func() bool {
			_, body := ana.get("/dashboard/follows")
			return strings.Contains(body, "Larkspur Collective") && strings.Contains(body, "following") &&
				strings.Contains(body, "Python developer")
		})
		followers, err := b.Store.Followers(ctx, larkspur.APID, "", 10)
		if err != nil || len(followers) != 1 || followers[0].FollowerAPID != hornero {
			t.Fatalf("larkspur's followers: %+v %v", followers, err)
		}
		following := getJSONAS(t, hornero+"/following?page=true")
		if items, _ := following["orderedItems"].([]any); len(items) != 1 || items[0] != larkspur.APID {
			t.Errorf("following collection: %v", following)
		}
		if _, body := newBrowser(t, a.URL).get("/coops/hornero"); !strings.Contains(body, ">Larkspur Collective</a>") {
			t.Error("the co-op page does not name whom it follows")
		}
		resp, body = ana.post("/dashboard/follow", url.Values{"target": {"larkspur@" + b.Host}})
		expect(t, "following twice", resp, 400, body, "already follows")

		_, body = ana.get("/dashboard/follows")
		m := regexp.MustCompile(`action="/dashboard/follows/(\d+)/end`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no unfollow button")
		}
		if resp, _ := ana.post("/dashboard/follows/"+m[1]+"/end", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("unfollow: %d", resp.StatusCode)
		}
		nodetest.Eventually(t, "the Undo on the other node", func() bool {
			f, err := b.Store.Followers(ctx, larkspur.APID, "", 10)
			return err == nil && len(f) == 0
		})

		// A refusal about what she typed shows next to the field, in her
		// language, like any other mistake in the form.
		if _, err := a.Fed.Block(ctx, a.Admin, "localhost"); err != nil {
			t.Fatal(err)
		}
		resp, body = ana.do(http.MethodPost, "/dashboard/follow", url.Values{"target": {"larkspur@" + b.Host}}, "Accept-Language", "es")
		expect(t, "following a blocked domain", resp, 400, body, `id="follow-target-error"`)
		if !strings.Contains(body, "está bloqueado en este nodo") {
			t.Errorf("the refusal is not worded in Spanish next to the field: %s", regexp.MustCompile(`id="follow-target-error"[^<]*<?[^<]*`).FindString(body))
		}

		// A suspended co-op's dashboard says why nothing can be done.
		if _, err := a.Svc.SetSuspended(ctx, a.Admin, "hornero", true); err != nil {
			t.Fatal(err)
		}
		resp, body = ana.get("/dashboard")
		expect(t, "a suspended co-op's dashboard", resp, 403, body, "is suspended")
	})
}

func getJSONAS(t *testing.T, u string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := jsonDecode(resp, &m); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	return m
}

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }
