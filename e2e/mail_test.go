package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/smtptest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

var mailLinkRE = regexp.MustCompile(`http://\S+/password(/reset)?\?token=[A-Za-z0-9_-]+`)

// TestBrowserMail: on a node with a local SMTP server, the admin invites
// a member by e-mail; she sets her password from the mail, forgets it,
// and resets it from /login with the link mailed to her; the used link
// then gives a clear page. Then the admin disables her account in the
// console: she cannot sign in, and her API token is refused.
func TestBrowserMail(t *testing.T) {
	ctx := newBrowser(t)
	srv := smtptest.Start(t)
	a := nodetest.NewWith(t, teststore.SQLite, "SoberaniaX", "soberaniax", nodetest.Options{SMTPURL: srv.URL()})
	a.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26})
	if _, _, err := a.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "admin@soberaniax.example", true, ""); err != nil {
		t.Fatal(err)
	}
	linkIn := func(to string, n int) string {
		t.Helper()
		srv.Wait(t, n)
		ms := srv.To(to)
		if len(ms) == 0 {
			t.Fatalf("no mail to %s", to)
		}
		link := mailLinkRE.FindString(ms[len(ms)-1].Text)
		if link == "" {
			t.Fatalf("no link in the mail to %s:\n%s", to, ms[len(ms)-1].Text)
		}
		return link
	}
	do := func(what string, act chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, act); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	setPassword := func(link, pw string) {
		t.Helper()
		open(t, ctx, link)
		do("password", chromedp.SendKeys(chromedp.CSS("#password"), pw))
		do("confirm", chromedp.SendKeys(chromedp.CSS("#confirm"), pw))
		do("submit", chromedp.Submit(chromedp.CSS("#confirm")))
	}

	setPassword(linkIn("admin@soberaniax.example", 1), "correct horse battery")
	waitJS(t, ctx, "the admin console", `location.pathname === "/admin"`)
	do("to people", chromedp.Click(chromedp.CSS(`.section-nav a[href="/admin/people"]`)))
	waitJS(t, ctx, "the people section", `location.pathname === "/admin/people" && !!document.querySelector("#i-email")`)
	do("email", chromedp.SendKeys(chromedp.CSS("#i-email"), "ana@hornero.example"))
	do("coop", chromedp.SendKeys(chromedp.CSS("#i-coop"), "hornero"))
	do("invite", chromedp.Submit(chromedp.CSS("#i-coop")))
	waitJS(t, ctx, "the invitation mailed", `document.body.innerText.includes("The link is mailed to the address too.")`)
	do("log out", chromedp.Click(chromedp.CSS(".user-nav button")))
	waitJS(t, ctx, "logged out", `!!document.querySelector('.user-nav a[href="/login"]')`)

	setPassword(linkIn("ana@hornero.example", 2), "una clave larga")
	waitJS(t, ctx, "her dashboard", `location.pathname === "/dashboard"`)
	do("log out", chromedp.Click(chromedp.CSS(".user-nav button")))
	waitJS(t, ctx, "logged out", `!!document.querySelector('.user-nav a[href="/login"]')`)

	do("to login", chromedp.Click(chromedp.CSS(`.user-nav a[href="/login"]`)))
	waitJS(t, ctx, "the login form", `!!document.querySelector('a[href="/password/forgot"]')`)
	do("forgot", chromedp.Click(chromedp.CSS(`a[href="/password/forgot"]`)))
	waitJS(t, ctx, "the forgot form", `location.pathname === "/password/forgot" && !!document.querySelector("#email")`)
	do("email", chromedp.SendKeys(chromedp.CSS("#email"), "ana@hornero.example"))
	do("send", chromedp.Submit(chromedp.CSS("#email")))
	waitJS(t, ctx, "the answer", `document.body.innerText.includes("If an account has this address")`)
	reset := linkIn("ana@hornero.example", 3)
	open(t, ctx, reset)
	waitJS(t, ctx, "the reset form naming her", `document.body.innerText.includes("For the account ana@hornero.example")`)
	do("password", chromedp.SendKeys(chromedp.CSS("#password"), "otra clave larga"))
	do("confirm", chromedp.SendKeys(chromedp.CSS("#confirm"), "otra clave larga"))
	do("submit", chromedp.Submit(chromedp.CSS("#confirm")))
	waitJS(t, ctx, "her dashboard after the reset", `location.pathname === "/dashboard"`)
	screenshot(t, ctx, "after-reset")
	do("log out", chromedp.Click(chromedp.CSS(".user-nav button")))
	waitJS(t, ctx, "logged out", `!!document.querySelector('.user-nav a[href="/login"]')`)
	open(t, ctx, reset)
	waitJS(t, ctx, "the used link refused", `document.body.innerText.includes("This link has expired or was used already") && !document.querySelector("#password")`)
	if _, err := a.Svc.Login(t.Context(), "ana@hornero.example", "otra clave larga"); err != nil {
		t.Fatal(err)
	}

	// Ana makes an API token, then the admin disables her account: she
	// can no longer sign in, and the token is refused at once.
	login := func(email, pw string) {
		t.Helper()
		open(t, ctx, a.URL+"/login")
		do("email", chromedp.SendKeys(chromedp.CSS("#email"), email))
		do("password", chromedp.SendKeys(chromedp.CSS("#password"), pw))
		do("sign in", chromedp.Submit(chromedp.CSS("#password")))
	}
	login("ana@hornero.example", "otra clave larga")
	waitJS(t, ctx, "her dashboard", `location.pathname === "/dashboard"`)
	open(t, ctx, a.URL+"/account")
	do("token label", chromedp.SendKeys(chromedp.CSS("#token-label"), "deploy"))
	do("make token", chromedp.Submit(chromedp.CSS("#token-label")))
	waitJS(t, ctx, "the new token", `!!document.querySelector("#new-token")`)
	token := evalJS[string](t, ctx, `document.querySelector("#new-token").value`)
	if st := apiPatch(t, a.URL, "/api/v1/coops/hornero", token, `{"city":"Rosario"}`); st != http.StatusOK {
		t.Fatalf("her token before she is disabled: %d", st)
	}
	do("log out", chromedp.Click(chromedp.CSS(".user-nav button")))
	waitJS(t, ctx, "logged out", `!!document.querySelector('.user-nav a[href="/login"]')`)

	ana, err := a.Store.UserByEmail(t.Context(), "ana@hornero.example")
	if err != nil {
		t.Fatal(err)
	}
	login("admin@soberaniax.example", "correct horse battery")
	waitJS(t, ctx, "the admin console", `location.pathname === "/admin"`)
	do("to people", chromedp.Click(chromedp.CSS(`.section-nav a[href="/admin/people"]`)))
	row := fmt.Sprintf("#person-%d", ana.ID)
	waitJS(t, ctx, "the people section", fmt.Sprintf(`!!document.querySelector(%q)`, row))
	do("disable", chromedp.Click(chromedp.CSS(row+` form[action$="/disable"] button`)))
	waitJS(t, ctx, "her account disabled", fmt.Sprintf(`!!document.querySelector(%q)`, row+` form[action$="/disable"] input[name="disabled"][value="0"]`))
	screenshot(t, ctx, "member-disabled")
	do("log out", chromedp.Click(chromedp.CSS(".user-nav button")))
	waitJS(t, ctx, "logged out", `!!document.querySelector('.user-nav a[href="/login"]')`)

	login("ana@hornero.example", "otra clave larga")
	waitJS(t, ctx, "her sign-in refused", `location.pathname === "/login" && document.body.innerText.includes("is disabled")`)
	if st := apiPatch(t, a.URL, "/api/v1/coops/hornero", token, `{"city":"Córdoba"}`); st != http.StatusUnauthorized {
		t.Fatalf("her token after she is disabled: %d, want 401", st)
	}
}

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
