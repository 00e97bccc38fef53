package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestAuthorizationMatrix sends every write of the API and of the web
// forms as nobody, as a member of another co-op and as the co-op's own
// member or the admin, and checks who gets through: the rules live in the
// domain, so API tokens and browser sessions meet the same ones.
func TestAuthorizationMatrix(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n := nodetest.New(t, open, "SoberaniaX", "soberaniax")
		ctx := t.Context()
		admin := directory.Principal{Admin: true}
		for _, h := range []string{"hornero", "tacuara"} {
			n.Coop(t, directory.Coop{Handle: h, Name: h, Country: "AR", Workers: 5})
		}
		newJob := func(coop string) *directory.Job {
			return n.Job(t, coop, directory.Job{Title: "Job of " + coop, Description: "d", Remote: "remote",
				EmploymentType: "contract", ApplyEmail: "a@" + coop + ".example"})
		}
		adminTok, _ := n.Svc.CreateToken(ctx, "", "")
		hornTok, _ := n.Svc.CreateToken(ctx, "hornero", "")
		tacTok, _ := n.Svc.CreateToken(ctx, "tacuara", "")

		made := 0
		type call struct {
			method, path, body string
		}
		api := func(tok string, c call) int {
			t.Helper()
			req, _ := http.NewRequestWithContext(ctx, c.method, n.URL+c.path, strings.NewReader(c.body))
			if c.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		// Each write against hornero's data: who may, by token.
		writes := []struct {
			name string
			call func() call
			// status for nobody, tacuara's token, hornero's token, admin
			want [4]int
		}{
			{"create co-op", func() call {
				made++
				return call{"POST", "/api/v1/coops", `{"handle":"x` + strconv.Itoa(made) + `","name":"X","country":"AR","workers":3}`}
			}, [4]int{401, 403, 403, 201}},
			{"update co-op", func() call { return call{"PATCH", "/api/v1/coops/hornero", `{"city":"Rosario"}`} }, [4]int{401, 403, 200, 200}},
			{"publish job", func() call {
				return call{"POST", "/api/v1/coops/hornero/jobs", `{"title":"T","description":"d","remote":"remote","employment_type":"contract","apply_email":"a@b.example"}`}
			}, [4]int{401, 403, 201, 201}},
			{"edit job", func() call {
				return call{"PATCH", "/api/v1/jobs/" + url.PathEscape(newJob("hornero").APID), `{"title":"T2"}`}
			}, [4]int{401, 403, 200, 200}},
			{"close job", func() call { return call{"DELETE", "/api/v1/jobs/" + url.PathEscape(newJob("hornero").APID), ""} }, [4]int{401, 403, 204, 204}},
			{"follow", func() call { return call{"POST", "/api/v1/admin/follows", `{"target":"nobody@127.0.0.1:1"}`} }, [4]int{401, 403, 403, 400}},
			{"list deliveries", func() call { return call{"GET", "/api/v1/admin/deliveries?state=failed", ""} }, [4]int{401, 403, 403, 200}},
			{"block", func() call { return call{"POST", "/api/v1/admin/blocks", `{"domain":"spam.example"}`} }, [4]int{401, 403, 403, 201}},
			{"unblock", func() call { return call{"DELETE", "/api/v1/admin/blocks/spam.example", ""} }, [4]int{401, 403, 403, 204}},
			{"add member", func() call { return call{"POST", "/api/v1/admin/members", `{"coop":"nobody@127.0.0.1:1"}`} }, [4]int{401, 403, 403, 400}},
			{"list search actors", func() call { return call{"GET", "/api/v1/admin/searches", ""} }, [4]int{401, 403, 403, 200}},
			{"remove a search actor", func() call { return call{"DELETE", "/api/v1/admin/searches/nobody-here", ""} }, [4]int{401, 403, 403, 404}},
		}
		for _, w := range writes {
			for i, tok := range []string{"", tacTok, hornTok, adminTok} {
				if got := api(tok, w.call()); got != w.want[i] {
					t.Errorf("%s as %s: %d, want %d", w.name, []string{"nobody", "another co-op", "the co-op", "the admin"}[i], got, w.want[i])
				}
			}
		}
		// Deleting a co-op is the admin's alone.
		for i, tok := range []string{"", tacTok, hornTok} {
			if got := api(tok, call{"DELETE", "/api/v1/coops/hornero", ""}); got != []int{401, 403, 403}[i] {
				t.Errorf("delete co-op as %d: %d", i, got)
			}
		}

		// The web forms, with sessions, meet the same rules.
		_, raw, err := n.Svc.InviteUser(ctx, admin, "ana@tacuara.example", false, "tacuara")
		if err != nil {
			t.Fatal(err)
		}
		ana := acceptInvite(t, n.URL, "/password?token="+raw, "una clave larga")
		horneroJob := newJob("hornero")
		for _, f := range []struct {
			path string
			form url.Values
		}{
			{"/dashboard/jobs/" + url.PathEscape(horneroJob.APID) + "/close", url.Values{}},
			{"/admin/coops", url.Values{"handle": {"y"}, "name": {"Y"}, "country": {"AR"}}},
			{"/admin/invite", url.Values{"email": {"eve@example.org"}}},
			{"/admin/follows", url.Values{"target": {"x@127.0.0.1:1"}}},
		} {
			if resp, _ := ana.post(f.path, f.form); resp.StatusCode != http.StatusForbidden {
				t.Errorf("member of tacuara posting %s: %d, want 403", f.path, resp.StatusCode)
			}
		}
		if resp, _ := ana.get("/dashboard/jobs/" + url.PathEscape(horneroJob.APID) + "/edit"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a member opens another co-op's opening to edit: %d", resp.StatusCode)
		}
		if resp, _ := ana.post("/dashboard/jobs/"+url.PathEscape(horneroJob.APID), url.Values{"title": {"Mine now"},
			"remote": {"remote"}, "employment_type": {"contract"}, "apply_email": {"a@b.example"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a member edits another co-op's opening: %d", resp.StatusCode)
		}
		// ?coop= does not reach another co-op for a member: her own gets the job.
		if resp, _ := ana.post("/dashboard/jobs?coop=hornero", url.Values{"title": {"Sneaky"}, "description": {"d"}, "remote": {"remote"},
			"employment_type": {"contract"}, "apply_email": {"a@b.example"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", resp.StatusCode)
		}
		res, _ := n.Svc.SearchJobs(ctx, directory.JobQuery{Text: directory.ParseQuery("sneaky")})
		if res.Total != 1 || res.Items[0].Coop.Handle != "tacuara" {
			t.Errorf("the member's job went to %+v", res.Items)
		}
		if _, err := n.Svc.Job(ctx, horneroJob.APID); err != nil {
			t.Error("another co-op's job was closed")
		}
		for _, path := range []string{"/dashboard/jobs", "/dashboard/profile", "/dashboard/invite", "/account/password", "/admin/coops"} {
			if resp, _ := newBrowser(t, n.URL).post(path, url.Values{}); resp.StatusCode != http.StatusSeeOther ||
				!strings.HasPrefix(resp.Header.Get("Location"), "/login") {
				t.Errorf("nobody posting %s: %d %s", path, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
	})
}
