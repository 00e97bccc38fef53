package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/smtptest"
	"github.com/colmena-coop/colmena/internal/teststore"
	"github.com/colmena-coop/colmena/mail"
)

var resetRE = regexp.MustCompile(`/password/reset\?token=([A-Za-z0-9_-]+)`)

// mailNode runs a node that mails through a real SMTP server on
// 127.0.0.1, on a clock the test moves.
func mailNode(t *testing.T, open teststore.Opener, srv *smtptest.Server) (*nodetest.Node, *storetest.Clock) {
	t.Helper()
	clock := storetest.NewClock(time.Now().UTC().Truncate(time.Second))
	n := nodetest.NewWith(t, open, "SoberaniaX", "soberaniax", nodetest.Options{SMTPURL: srv.URL(), Now: clock.Now})
	return n, clock
}

// TestMailedInvitationAndReset: invitations are mailed in the inviter's
// language with a link that works; "forgot password" answers alike for
// known and unknown addresses and mails only the known one; the reset
// link names the account, works once, ends the other sessions, and
// expires.
func TestMailedInvitationAndReset(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		srv := smtptest.Start(t, smtptest.RequireAuth("nodo", "clave secreta"))
		n, clock := mailNode(t, open, srv)

		_, raw, err := n.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "admin@soberaniax.example", true, "")
		if err != nil {
			t.Fatal(err)
		}
		first := srv.Wait(t, 1)[0]
		if !strings.Contains(first.Text, n.URL+"/password?token="+raw) {
			t.Fatalf("the admin's mail has no link:\n%s", first.Text)
		}
		admin := newBrowser(t, n.URL)
		resp, _ := admin.post("/password", url.Values{"token": {raw}, "password": {"correct horse battery"}, "confirm": {"correct horse battery"}},
			"Accept-Language", "es")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("setting the admin's password: %d", resp.StatusCode)
		}
		resp, body := admin.post("/admin/coops", url.Values{"handle": {"hornero"}, "name": {"Hornero"}, "country": {"AR"}, "workers": {"26"}})
		expect(t, "co-op created", resp, 200, body, "Hornero")
		resp, body = admin.post("/admin/invite", url.Values{"email": {"ana@hornero.example"}, "coop": {"hornero"}})
		expect(t, "invitation", resp, 200, body, "The link is mailed to the address too.")

		srv.Wait(t, 2)
		ms := srv.To("ana@hornero.example")
		if len(ms) != 1 || ms[0].Subject != "Tu invitación a SoberaniaX" || !strings.Contains(ms[0].Text, "Elige tu contraseña") ||
			!strings.Contains(ms[0].HTML, "Elegir mi contraseña") {
			t.Fatalf("ana's invitation: %+v", ms)
		}
		ana := acceptInvite(t, n.URL, ms[0].Text, "una clave larga")
		resp, body = ana.get("/dashboard")
		expect(t, "ana's dashboard", resp, 200, body, "Hornero")

		// Forgot password: the same answer for an unknown and a known address.
		anon := newBrowser(t, n.URL)
		resp, body = anon.get("/login")
		expect(t, "login links to the form", resp, 200, body, `href="/password/forgot"`)
		resp, body = anon.get("/password/forgot")
		expect(t, "forgot form", resp, 200, body, `action="/password/forgot"`)
		respUnknown, bodyUnknown := anon.post("/password/forgot", url.Values{"email": {"nobody@hornero.example"}})
		respKnown, bodyKnown := anon.post("/password/forgot", url.Values{"email": {"ana@hornero.example"}})
		expect(t, "forgot, unknown", respUnknown, 200, bodyUnknown, "If an account has this address")
		if respKnown.StatusCode != respUnknown.StatusCode || bodyKnown != bodyUnknown {
			t.Fatalf("known and unknown addresses answer differently:\n%s\n---\n%s", bodyKnown, bodyUnknown)
		}
		resp, body = anon.post("/password/forgot", url.Values{"email": {"not an address"}})
		expect(t, "bad address", resp, 400, body, `id="email-error"`)
		srv.Wait(t, 3)
		if len(srv.To("nobody@hornero.example")) != 0 {
			t.Fatal("the unknown address got a mail")
		}
		resets := srv.To("ana@hornero.example")[1:]
		// Ana set her password from English pages: English from now on.
		if len(resets) != 1 || resets[0].Subject != "Reset your password on SoberaniaX" {
			t.Fatalf("reset mails: %+v", resets)
		}
		m := resetRE.FindStringSubmatch(resets[0].Text)
		if m == nil || !strings.Contains(resets[0].HTML, `href="`+n.URL+m[0]+`"`) {
			t.Fatalf("no reset link in:\n%s", resets[0].Text)
		}
		token := m[1]

		phone := newBrowser(t, n.URL)
		resp, body = phone.get("/password/reset?token=" + token)
		expect(t, "reset form names the account", resp, 200, body, "For the account ana@hornero.example")
		resp, body = phone.post("/password/reset", url.Values{"token": {token}, "password": {"otra clave larga"}, "confirm": {"otra"}})
		expect(t, "mismatch", resp, 400, body, "The two passwords differ.")
		resp, _ = phone.post("/password/reset", url.Values{"token": {token}, "password": {"otra clave larga"}, "confirm": {"otra clave larga"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard" {
			t.Fatalf("reset: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, _ = phone.get("/dashboard")
		if resp.StatusCode != 200 {
			t.Fatalf("logged in after the reset: %d", resp.StatusCode)
		}
		resp, _ = ana.get("/dashboard")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Fatalf("the other session survived the reset: %d", resp.StatusCode)
		}
		// Used once: a clear page and no sign-in.
		again := newBrowser(t, n.URL)
		resp, body = again.post("/password/reset", url.Values{"token": {token}, "password": {"tercera clave larga"}, "confirm": {"tercera clave larga"}})
		expect(t, "reused link", resp, http.StatusGone, body, "This link has expired or was used already")
		if resp.Header.Get("Set-Cookie") != "" {
			t.Fatal("a reused link set a cookie")
		}
		resp, body = again.get("/password/reset?token=" + token)
		expect(t, "reused link page", resp, http.StatusGone, body, "Ask for a new link")
		if strings.Contains(body, `name="password"`) {
			t.Fatal("a used link still shows the form")
		}
		if _, err := n.Svc.Login(t.Context(), "ana@hornero.example", "otra clave larga"); err != nil {
			t.Fatal(err)
		}

		// Expired after an hour.
		resp, _ = anon.post("/password/forgot", url.Values{"email": {"ana@hornero.example"}})
		if resp.StatusCode != 200 {
			t.Fatalf("second request: %d", resp.StatusCode)
		}
		srv.Wait(t, 4)
		late := resetRE.FindStringSubmatch(srv.Messages()[3].Text)
		clock.Advance(directory.ResetLifetime + time.Minute)
		resp, body = again.get("/password/reset?token=" + late[1])
		expect(t, "expired link", resp, http.StatusGone, body, "This link has expired or was used already")
		resp, _ = again.post("/password/reset", url.Values{"token": {late[1]}, "password": {"tercera clave larga"}, "confirm": {"tercera clave larga"}})
		if resp.StatusCode != http.StatusGone {
			t.Fatalf("expired link accepted: %d", resp.StatusCode)
		}
		if _, err := n.Svc.Login(t.Context(), "ana@hornero.example", "otra clave larga"); err != nil {
			t.Fatal("the expired link changed the password")
		}

		// A new e-mail address: the old one is told.
		resp, body = phone.post("/account/email", url.Values{"email": {"ana@nuevo.example"}, "email_current": {"wrong"}})
		expect(t, "wrong password", resp, 400, body, "That is not your current password.")
		resp, body = phone.post("/account/email", url.Values{"email": {"admin@soberaniax.example"}, "email_current": {"otra clave larga"}})
		expect(t, "taken address", resp, 409, body, "already has an account")
		resp, body = phone.post("/account/email", url.Values{"email": {"ana@nuevo.example"}, "email_current": {"otra clave larga"}})
		expect(t, "address changed", resp, 200, body, "Your e-mail address is now ana@nuevo.example.")
		srv.Wait(t, 5)
		told := srv.Messages()[4]
		if told.To[0] != "ana@hornero.example" || !strings.Contains(told.Text, "now uses ana@nuevo.example") {
			t.Fatalf("notice: %+v", told)
		}
	})
}

// TestForgotRateLimit: a flood of requests gets 429 with a clear message,
// per e-mail and per address.
func TestForgotRateLimit(t *testing.T) {
	srv := smtptest.Start(t)
	n, _ := mailNode(t, teststore.SQLite, srv)
	b := newBrowser(t, n.URL)
	for i := range 3 {
		if resp, _ := b.post("/password/forgot", url.Values{"email": {"eva@example.org"}}); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d", i, resp.StatusCode)
		}
	}
	resp, body := b.post("/password/forgot", url.Values{"email": {"Eva@Example.org"}})
	expect(t, "per e-mail", resp, http.StatusTooManyRequests, body, "Too many requests for a new password. Try again in 20 minutes.")
	if resp.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	if resp, _ := b.post("/password/forgot", url.Values{"email": {"other@example.org"}}); resp.StatusCode != 200 {
		t.Fatalf("another address: %d", resp.StatusCode)
	}
	resp, body = b.post("/password/forgot", url.Values{"email": {"third@example.org"}}, "Accept-Language", "es")
	expect(t, "per address, in Spanish", resp, http.StatusTooManyRequests, body, "Demasiadas solicitudes de contraseña nueva.")
}

// TestMailFailureInConsole: a refusing server leaves the mail queued with
// its error shown in the console; it goes out once the server is back,
// also from a sender started afresh on the same store.
func TestMailFailureInConsole(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		srv := smtptest.Start(t)
		n, clock := mailNode(t, open, srv)
		srv.Fail(451, "mailbox busy, try later")
		_, raw, err := n.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "admin@soberaniax.example", true, "")
		if err != nil {
			t.Fatal(err)
		}
		admin := acceptInvite(t, n.URL, "/password?token="+raw, "correct horse battery")
		nodetest.Eventually(t, "a failed attempt", func() bool {
			ms, err := n.Store.Mails(t.Context(), directory.MailPending, 10)
			return err == nil && len(ms) == 1 && ms[0].Attempts == 1
		})
		resp, body := admin.get("/admin/mail")
		expect(t, "error in the console", resp, 200, body, "mailbox busy, try later")
		if !strings.Contains(body, "admin@soberaniax.example</td><td>Your invitation to SoberaniaX") {
			t.Fatalf("the pending mail is not listed:\n%s", body)
		}
		srv.Recover()
		clock.Advance(mail.FirstWait)
		// A sender started afresh on the same store, as after a restart.
		smtp, err := mail.ParseSMTP(srv.URL(), "nodo@example.org")
		if err != nil {
			t.Fatal(err)
		}
		mail.New(mail.Config{Store: n.Store, Sender: smtp, Links: n.Svc.Links(), Node: "SoberaniaX", Now: clock.Now}).SendDue(t.Context())
		srv.Wait(t, 1)
		resp, body = admin.get("/admin/mail")
		expect(t, "nothing pending", resp, 200, body, "No mail is waiting to be sent.")
		if len(srv.Messages()) != 1 {
			t.Fatalf("%d messages, want 1", len(srv.Messages()))
		}
	})
}

// TestNoMail: without SMTP the node works as before, and says links go by
// hand.
func TestNoMail(t *testing.T) {
	n := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	_, raw, err := n.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "admin@soberaniax.example", true, "")
	if err != nil {
		t.Fatal(err)
	}
	admin := acceptInvite(t, n.URL, "/password?token="+raw, "correct horse battery")
	resp, body := admin.get("/admin/mail")
	expect(t, "console", resp, 200, body, "pass invitation and password links on by hand")
	resp, body = admin.post("/admin/invite", url.Values{"email": {"eva@example.org"}, "coop": {""}})
	expect(t, "invitation link shown", resp, 200, body, "/password?token=")
	if strings.Contains(body, "The link is mailed") {
		t.Fatal("claims to mail without SMTP")
	}
	anon := newBrowser(t, n.URL)
	resp, body = anon.get("/password/forgot")
	expect(t, "forgot without mail", resp, 200, body, "This node sends no e-mail: ask the node")
	resp, body = anon.post("/password/forgot", url.Values{"email": {"admin@soberaniax.example"}})
	expect(t, "forgot answer without mail", resp, 200, body, "This node sends no e-mail: ask the node")
}
