package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// apiPatch sends a PATCH to the JSON API with a bearer token and returns
// the status.
func apiPatch(t *testing.T, base, path, token, body string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPatch, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

var apiTokenRE = regexp.MustCompile(`colmena_[A-Za-z0-9_-]{40,}`)

// TestManagingPeople: the admin lists accounts by co-op, changes roles,
// disables and enables (sessions and tokens end at once), sends new
// links, revokes invitations and deletes accounts; members see and revoke
// their co-op's invitations and leave it; each refusal names its field;
// members cannot use the console's people actions; all is audited.
func TestManagingPeople(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		a := nodetest.New(t, open, "SoberaniaX", "soberaniax")
		ctx := t.Context()
		for _, h := range []string{"hornero", "tacuara"} {
			a.Coop(t, directory.Coop{Handle: h, Name: h, Country: "AR", Workers: 5})
		}
		invite := func(email string, admin bool, coop string) (*directory.User, string) {
			t.Helper()
			u, raw, err := a.Svc.InviteUser(ctx, a.Admin, email, admin, coop)
			if err != nil {
				t.Fatal(err)
			}
			return u, "/password?token=" + raw
		}
		rootU, l := invite("root@soberaniax.example", true, "")
		root := acceptInvite(t, a.URL, l, "la clave de root")
		anaU, l := invite("ana@hornero.example", false, "hornero")
		ana := acceptInvite(t, a.URL, l, "la clave de ana")
		bobU, l := invite("bob@hornero.example", false, "hornero")
		bob := acceptInvite(t, a.URL, l, "la clave de bob")
		piaU, piaLink := invite("pia@hornero.example", false, "hornero")
		tomU, _ := invite("tom@tacuara.example", false, "tacuara")
		users := func(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

		// The console lists people by co-op with state and last sign-in.
		resp, body := root.get("/admin/people")
		expect(t, "console", resp, 200, body, "Node admins")
		for _, want := range []string{"member of hornero", "member of tacuara", "pia@hornero.example", "invited, no password yet",
			`id="person-` + strconv.FormatInt(anaU.ID, 10) + `"`, "Last sign-in", "(you)"} {
			if !strings.Contains(body, want) {
				t.Errorf("console lacks %q", want)
			}
		}

		// Members and strangers cannot use the people actions.
		for _, path := range []string{"/disable", "/role", "/link", "/revoke", "/delete"} {
			resp, _ := ana.post(users(bobU.ID)+path, url.Values{"disabled": {"1"}, "role": {"admin"}, "confirm": {"bob@hornero.example"}})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("a member posts %s: %d", path, resp.StatusCode)
			}
			resp, _ = newBrowser(t, a.URL).post(users(bobU.ID)+path, url.Values{"disabled": {"1"}})
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
				t.Errorf("nobody posts %s: %d", path, resp.StatusCode)
			}
		}
		resp, body = root.post(users(bobU.ID)+"/disable", url.Values{"disabled": {"1"}}, "Sec-Fetch-Site", "cross-site")
		expect(t, "cross-site disable", resp, 403, body, "")
		if u, _ := a.Store.UserByID(ctx, bobU.ID); u.State() != directory.StateActive || u.Admin {
			t.Fatalf("bob changed: %+v", u)
		}

		// Ana makes an API token; the admin disables her: her session and
		// token end at once, she cannot sign in or use a link.
		resp, body = ana.post("/account/tokens", url.Values{"label": {"ana's bot"}})
		expect(t, "ana's token", resp, 200, body, directory.TokenPrefix)
		anaTok := apiTokenRE.FindString(body)
		if st := apiPatch(t, a.URL, "/api/v1/coops/hornero", anaTok, `{"city":"Rosario"}`); st != http.StatusOK {
			t.Fatalf("ana's token before: %d", st)
		}
		resp, body = root.post(users(anaU.ID)+"/link", nil)
		expect(t, "reset link", resp, 200, body, "password reset link for ana@hornero.example")
		resetLink := linkRE.FindString(body)
		resp, body = root.post(users(anaU.ID)+"/disable", url.Values{"disabled": {"1"}})
		expect(t, "disable", resp, 200, body, "ana@hornero.example is disabled")
		if resp, _ := ana.get("/dashboard"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("a disabled account's session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if st := apiPatch(t, a.URL, "/api/v1/coops/hornero", anaTok, `{"city":"Rosario"}`); st != http.StatusUnauthorized {
			t.Errorf("a disabled account's token: %d", st)
		}
		resp, body = newBrowser(t, a.URL).post("/login", url.Values{"email": {"ana@hornero.example"}, "password": {"la clave de ana"}})
		expect(t, "disabled login", resp, 403, body, "The account ana@hornero.example is disabled")
		if c := resp.Cookies(); len(c) != 0 {
			t.Errorf("a disabled login set cookies: %v", c)
		}
		fresh := newBrowser(t, a.URL)
		resp, body = fresh.get(resetLink)
		expect(t, "a disabled account's link", resp, 403, body, "is disabled")
		if strings.Contains(body, `name="password"`) {
			t.Error("the link of a disabled account shows the password form")
		}
		m := linkRE.FindStringSubmatch(resetLink)
		resp, body = fresh.post("/password", url.Values{"token": {m[1]}, "password": {"otra clave larga"}, "confirm": {"otra clave larga"}})
		expect(t, "a disabled account's link sent", resp, 403, body, "is disabled")
		if len(resp.Cookies()) != 0 {
			t.Error("a disabled account's link signed in")
		}
		// Bad input names the field.
		resp, body = root.post(users(rootU.ID)+"/disable", url.Values{"disabled": {"1"}})
		expect(t, "disable oneself", resp, 400, body, "You cannot disable or delete your own account.")
		resp, body = root.post(users(rootU.ID)+"/role", url.Values{"role": {"member"}, "coop": {"hornero"}})
		expect(t, "demote the last admin", resp, 400, body, "root@soberaniax.example is the last active admin")
		resp, body = root.post(users(bobU.ID)+"/role", url.Values{"role": {"member"}, "coop": {"nowhere"}})
		expect(t, "unknown co-op", resp, 400, body, "No co-op on this node has the handle nowhere.")
		if !strings.Contains(body, `id="coop-`+strconv.FormatInt(bobU.ID, 10)+`" name="coop" aria-invalid="true"`) {
			t.Error("the unknown co-op is not marked on its field")
		}
		resp, body = root.post("/admin/users/999999/disable", url.Values{"disabled": {"1"}})
		expect(t, "unknown user", resp, 400, body, "No account has the number 999999.")

		// Enabled again: sign-in and token work.
		resp, body = root.post(users(anaU.ID)+"/disable", url.Values{"disabled": {"0"}})
		expect(t, "enable", resp, 200, body, "enabled again")
		ana = newBrowser(t, a.URL)
		if resp, _ := ana.post("/login", url.Values{"email": {"ana@hornero.example"}, "password": {"la clave de ana"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login after enabling: %d", resp.StatusCode)
		}
		if st := apiPatch(t, a.URL, "/api/v1/coops/hornero", anaTok, `{"city":"Rosario"}`); st != http.StatusOK {
			t.Errorf("ana's token after enabling: %d", st)
		}

		// Re-inviting a pending address gives a new link, not "taken".
		resp, body = root.post("/admin/invite", url.Values{"email": {"pia@hornero.example"}, "coop": {"hornero"}})
		expect(t, "re-invite", resp, 200, body, "/password?token=")
		if strings.Contains(body, "taken") || strings.Contains(body, "already has an account") {
			t.Error("re-inviting a pending address is refused")
		}
		if resp, _ := newBrowser(t, a.URL).post("/password", url.Values{"token": {linkRE.FindStringSubmatch(piaLink)[1]},
			"password": {"una clave larga"}, "confirm": {"una clave larga"}}); resp.StatusCode != http.StatusGone {
			t.Errorf("the old invitation still works: %d", resp.StatusCode)
		}
		resp, body = root.post(users(piaU.ID)+"/link", nil)
		expect(t, "new invitation link", resp, 200, body, "A new invitation for pia@hornero.example")

		// The dashboard lists the co-op's pending invitations; a member
		// revokes theirs, not another co-op's.
		resp, body = ana.get("/dashboard/colleagues")
		expect(t, "pending invitations", resp, 200, body, "pia@hornero.example")
		if strings.Contains(body, "tom@tacuara.example") {
			t.Error("another co-op's invitation is listed")
		}
		resp, _ = ana.post("/dashboard/invitations/"+strconv.FormatInt(tomU.ID, 10)+"/revoke", url.Values{})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("revoking another co-op's invitation: %d", resp.StatusCode)
		}
		resp, _ = ana.post("/dashboard/invitations/"+strconv.FormatInt(tomU.ID, 10)+"/revoke?coop=tacuara", url.Values{})
		if u, err := a.Store.UserByID(ctx, tomU.ID); err != nil || u.State() != directory.StateInvited {
			t.Fatalf("a member revoked another co-op's invitation (%d)", resp.StatusCode)
		}
		resp, body = ana.post("/dashboard/invitations/"+strconv.FormatInt(piaU.ID, 10)+"/revoke", url.Values{})
		expect(t, "revoke from the dashboard", resp, 200, body, "The invitation of pia@hornero.example was revoked.")
		if _, err := a.Store.UserByID(ctx, piaU.ID); directory.KindOf(err) != directory.KindNotFound {
			t.Errorf("the revoked invitee remains: %v", err)
		}
		resp, body = root.post(users(tomU.ID)+"/revoke", nil)
		expect(t, "the admin revokes", resp, 200, body, "The invitation of tom@tacuara.example was revoked.")
		resp, body = root.post(users(bobU.ID)+"/revoke", nil)
		expect(t, "revoke an accepted invitation", resp, 400, body, "bob@hornero.example has already accepted the invitation.")

		// The admin moves bob to tacuara; ana, now alone, cannot leave.
		resp, body = root.post(users(bobU.ID)+"/role", url.Values{"role": {"member"}, "coop": {"tacuara"}})
		expect(t, "move", resp, 200, body, "The role of bob@hornero.example was changed.")
		if _, body := bob.get("/dashboard"); !strings.Contains(body, "tacuara") {
			t.Error("bob's dashboard is not tacuara's")
		}
		resp, body = ana.post("/dashboard/leave", url.Values{})
		expect(t, "the last member leaves", resp, 400, body, "You are the last member of hornero")
		_, l = invite("cid@hornero.example", false, "hornero")
		acceptInvite(t, a.URL, l, "la clave de cid")
		resp, body = ana.post("/dashboard/leave", url.Values{})
		expect(t, "leave", resp, 200, body, "You left hornero.")
		if resp, _ := ana.get("/dashboard"); resp.Header.Get("Location") != "/account" {
			t.Errorf("after leaving, the dashboard sends to %q", resp.Header.Get("Location"))
		}
		if st := apiPatch(t, a.URL, "/api/v1/coops/hornero", anaTok, `{"city":"Rosario"}`); st != http.StatusUnauthorized {
			t.Errorf("the token of one who left: %d", st)
		}
		resp, _ = root.post("/dashboard/leave", url.Values{})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("the admin leaves a co-op: %d", resp.StatusCode)
		}

		// Deleting asks for the e-mail again; the session ends with it.
		resp, body = root.post(users(bobU.ID)+"/delete", url.Values{"confirm": {"someone else"}})
		expect(t, "delete unconfirmed", resp, 400, body, "Type the e-mail bob@hornero.example exactly")
		resp, body = root.post(users(bobU.ID)+"/delete", url.Values{"confirm": {"bob@hornero.example"}})
		expect(t, "delete", resp, 200, body, "The account bob@hornero.example was deleted.")
		if resp, _ := bob.get("/dashboard"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("a deleted account's session: %d", resp.StatusCode)
		}
		resp, body = root.post(users(rootU.ID)+"/delete", url.Values{"confirm": {"root@soberaniax.example"}})
		expect(t, "delete oneself", resp, 400, body, "You cannot disable or delete your own account.")

		// Every action is in the audit log, with who did it.
		_, body = root.get("/admin/audit")
		for _, action := range []string{"user.disable", "user.enable", "user.reset_link", "user.reinvite", "user.revoke_invite",
			"user.role", "user.leave", "user.delete"} {
			if !strings.Contains(body, action) {
				t.Errorf("the audit log lacks %s", action)
			}
		}
		log, _ := a.Svc.AuditLog(ctx, a.Admin, 100)
		for _, e := range log {
			if e.Action == "user.leave" && e.Actor != "ana@hornero.example" || e.Action == "user.delete" && e.Actor != "root@soberaniax.example" {
				t.Errorf("audit entry %s by %q", e.Action, e.Actor)
			}
		}
	})
}
