package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestInviteRevealsNoAccount: a member inviting a colleague gets the same
// page whether the e-mail already has an account or not; for one that
// has, nothing is made and the link shown sets no password. The admin,
// who lists every account anyway, is told.
func TestInviteRevealsNoAccount(t *testing.T) {
	a := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	ctx := t.Context()
	for _, h := range []string{"hornero", "tacuara"} {
		a.Coop(t, directory.Coop{Handle: h, Name: h, Country: "AR", Workers: 5})
	}
	invite := func(email string, admin bool, coop string) string {
		t.Helper()
		_, raw, err := a.Svc.InviteUser(ctx, a.Admin, email, admin, coop)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	ana := acceptInvite(t, a.URL, "/password?token="+invite("ana@hornero.example", false, "hornero"), "una clave larga")
	acceptInvite(t, a.URL, "/password?token="+invite("beto@tacuara.example", false, "tacuara"), "la clave de beto")
	acceptInvite(t, a.URL, "/password?token="+invite("root@soberaniax.example", true, ""), "la clave de root")
	invite("pending@tacuara.example", false, "tacuara") // invited, no password yet
	before, err := a.Svc.Users(ctx, a.Admin)
	if err != nil {
		t.Fatal(err)
	}

	token := regexp.MustCompile(`token=[A-Za-z0-9_-]+`)
	resp, fresh := ana.post("/dashboard/invite?coop=hornero", url.Values{"email": {"nueva@hornero.example"}})
	if resp.StatusCode != http.StatusOK || !token.MatchString(fresh) {
		t.Fatalf("inviting a new colleague: %d\n%.3000s", resp.StatusCode, fresh)
	}
	want := token.ReplaceAllString(fresh, "token=T")
	for _, email := range []string{"beto@tacuara.example", "BETO@tacuara.example", "root@soberaniax.example",
		"pending@tacuara.example", "ana@hornero.example"} {
		resp, body := ana.post("/dashboard/invite?coop=hornero", url.Values{"email": {email}})
		if resp.StatusCode != http.StatusOK || token.ReplaceAllString(body, "token=T") != want {
			t.Errorf("inviting %s, who has an account, answers differently: %d\n%.3000s", email, resp.StatusCode, body)
			continue
		}
		// The link shown sets no one's password.
		m := linkRE.FindStringSubmatch(body)
		resp, _ = newBrowser(t, a.URL).post("/password", url.Values{"token": {m[1]}, "password": {"taken over!"}, "confirm": {"taken over!"}})
		if resp.StatusCode != http.StatusGone {
			t.Errorf("the link shown for %s: %d, want 410", email, resp.StatusCode)
		}
	}
	if _, err := a.Svc.Login(ctx, "beto@tacuara.example", "la clave de beto"); err != nil {
		t.Errorf("beto's password changed: %v", err)
	}
	after, err := a.Svc.Users(ctx, a.Admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 {
		t.Errorf("%d accounts before, %d after one new invitation", len(before), len(after))
	}
	for _, u := range after {
		if u.Email == "beto@tacuara.example" && u.CoopHandle != "tacuara" {
			t.Errorf("beto moved to %s", u.CoopHandle)
		}
	}

	// The admin console says so.
	admin := newBrowser(t, a.URL)
	if resp, _ := admin.post("/login", url.Values{"email": {"root@soberaniax.example"}, "password": {"la clave de root"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin login: %d", resp.StatusCode)
	}
	resp, body := admin.post("/admin/invite", url.Values{"email": {"beto@tacuara.example"}, "coop": {"hornero"}})
	expect(t, "the admin invites an existing account", resp, http.StatusBadRequest, body, "already has an account")
}
