package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/internal/smtptest"
	"github.com/colmena-coop/colmena/internal/teststore"
	"github.com/colmena-coop/colmena/mail"
)

// env is a service over a fresh store whose mails go through a real SMTP
// server on 127.0.0.1.
type env struct {
	store directory.Store
	svc   *directory.Service
	clock *storetest.Clock
	links directory.Links
	smtp  *smtptest.Server
	out   *mail.Outbox
	ctx   context.Context
}

func newEnv(t *testing.T, open teststore.Opener, opts ...smtptest.Option) *env {
	t.Helper()
	st := open(t)
	links, err := directory.NewLinks("https://colmena.example")
	if err != nil {
		t.Fatal(err)
	}
	clock := storetest.NewClock(storetest.Start)
	svc := directory.NewService(st, links, clock.Now)
	svc.SetPasswordCost(4)
	if _, err := svc.Init(t.Context(), directory.FederationSettings{Name: "SoberaniaX", Handle: "soberaniax"}); err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(t, opts...)
	e := &env{store: st, svc: svc, clock: clock, links: links, smtp: srv, ctx: t.Context()}
	e.out = e.outbox(t)
	svc.SetMailer(e.out)
	return e
}

// outbox makes a sender over the env's store, as a node (re)started on
// it would.
func (e *env) outbox(t *testing.T) *mail.Outbox {
	t.Helper()
	cfg, err := mail.ParseSMTP(e.smtp.URL(), "Colmena <nodo@colmena.example>")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 5 * time.Second
	return mail.New(mail.Config{Store: e.store, Sender: cfg, Links: e.links, Node: "SoberaniaX", Now: e.clock.Now})
}

func TestInvitationInSpanish(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		e := newEnv(t, open, smtptest.RequireAuth("nodo", "s3cret pass"))
		_, link, err := e.svc.InviteUser(e.ctx, directory.Principal{Admin: true}, "admin@example.org", true, "")
		if err != nil {
			t.Fatal(err)
		}
		admin, err := e.svc.AcceptLink(e.ctx, link, "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetLanguage(e.ctx, admin, "es"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CreateCoop(e.ctx, directory.Principal{Admin: true}, directory.Coop{Handle: "gcoop", Name: "Gcoop",
			Country: "AR", Workers: 40, Languages: []string{"es"}, Website: "https://gcoop.example"}); err != nil {
			t.Fatal(err)
		}
		_, raw, err := e.svc.InviteUser(e.ctx, admin.Principal(), "Eva@Example.org", false, "gcoop")
		if err != nil {
			t.Fatal(err)
		}
		if n := e.out.SendDue(e.ctx); n != 2 {
			t.Fatalf("sent %d, want 2 (both invitations)", n)
		}
		ms := e.smtp.To("eva@example.org")
		if len(ms) != 1 {
			t.Fatalf("%d mails to eva", len(ms))
		}
		m := ms[0]
		want := "https://colmena.example/password?token=" + raw
		if m.Subject != "Tu invitación a SoberaniaX" || !strings.Contains(m.Text, "Hola:") || !strings.Contains(m.Text, want) ||
			!strings.Contains(m.HTML, `href="`+want+`"`) || !strings.Contains(m.HTML, "Elegir mi contraseña") {
			t.Fatalf("mail = %q\n%s\n%s", m.Subject, m.Text, m.HTML)
		}
		if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
			t.Fatalf("Content-Type = %q", ct)
		}
		if m.From != "nodo@colmena.example" {
			t.Fatalf("from = %q", m.From)
		}
		// The first admin, invited from the command line, reads English.
		if en := e.smtp.To("admin@example.org"); len(en) != 1 || en[0].Subject != "Your invitation to SoberaniaX" {
			t.Fatalf("admin's mail = %+v", en)
		}
		// The link in the mail works once.
		if _, err := e.svc.AcceptLink(e.ctx, raw, "eva's long password"); err != nil {
			t.Fatal(err)
		}
		sent, _ := e.store.Mails(e.ctx, directory.MailSent, 10)
		if len(sent) != 2 || sent[0].Text != "" {
			t.Fatalf("sent mails kept %+v", sent)
		}
	})
}

// A server that refuses mail leaves it queued with the reason; it goes
// out once the server is back, also from a sender started afresh on the
// same store.
func TestRetryAfterFailureAndRestart(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		e := newEnv(t, open)
		e.smtp.Fail(451, "mailbox busy, try later")
		if err := e.svc.RequestPasswordReset(e.ctx, "nobody@example.org"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.InviteUser(e.ctx, directory.Principal{Admin: true}, "ana@example.org", true, ""); err != nil {
			t.Fatal(err)
		}
		if n := e.out.SendDue(e.ctx); n != 0 {
			t.Fatalf("sent %d while the server fails", n)
		}
		pending, err := e.svc.MailOutbox(e.ctx, directory.Principal{Admin: true}, directory.MailPending)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 1 || pending[0].Attempts != 1 || !strings.Contains(pending[0].LastError, "451") ||
			!strings.Contains(pending[0].LastError, "mailbox busy") || !pending[0].NextAttemptAt.Equal(storetest.Start.Add(mail.FirstWait)) {
			t.Fatalf("pending = %+v", pending)
		}
		if _, err := e.svc.MailOutbox(e.ctx, directory.Principal{CoopID: 1}, directory.MailPending); directory.KindOf(err) != directory.KindForbidden {
			t.Fatalf("a member reads the outbox: %v", err)
		}
		// Not due yet: nothing is tried.
		e.smtp.Recover()
		if n := e.out.SendDue(e.ctx); n != 0 || len(e.smtp.Messages()) != 0 {
			t.Fatalf("sent %d before the retry is due", n)
		}
		// The node restarts: a new sender over the same store sends it when due.
		e.clock.Advance(mail.FirstWait)
		again := e.outbox(t)
		if n := again.SendDue(e.ctx); n != 1 {
			t.Fatalf("sent %d after recovery", n)
		}
		if ms := e.smtp.To("ana@example.org"); len(ms) != 1 {
			t.Fatalf("%d mails to ana", len(ms))
		}
		if len(e.smtp.Messages()) != 1 {
			t.Fatal("the unknown address got a mail")
		}
		if p, _ := e.store.Mails(e.ctx, directory.MailPending, 10); len(p) != 0 {
			t.Fatalf("still pending: %+v", p)
		}
	})
}

// Wrong credentials keep the mail for retry, until it is given up after
// two days.
func TestWrongCredentialsThenGiveUp(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		e := newEnv(t, open, smtptest.RequireAuth("nodo", "right"))
		cfg, _ := mail.ParseSMTP(strings.Replace(e.smtp.URL(), ":right@", ":wrong@", 1), "nodo@colmena.example")
		cfg.Timeout = 5 * time.Second
		out := mail.New(mail.Config{Store: e.store, Sender: cfg, Links: e.links, Node: "SoberaniaX", Now: e.clock.Now})
		e.svc.SetMailer(out)
		if _, _, err := e.svc.InviteUser(e.ctx, directory.Principal{Admin: true}, "ana@example.org", true, ""); err != nil {
			t.Fatal(err)
		}
		for i := range 40 { // bounded: backoff reaches two days in far fewer rounds
			out.SendDue(e.ctx)
			if f, _ := e.store.Mails(e.ctx, directory.MailFailed, 10); len(f) == 1 {
				if !strings.Contains(f[0].LastError, "535") || f[0].Attempts != i+1 {
					t.Fatalf("failed = %+v", f[0])
				}
				if e.clock.Now().Sub(storetest.Start) < mail.GiveUpAfter {
					t.Fatalf("given up after %v", e.clock.Now().Sub(storetest.Start))
				}
				return
			}
			p, _ := e.store.Mails(e.ctx, directory.MailPending, 10)
			if len(p) != 1 || !strings.Contains(p[0].LastError, "535") {
				t.Fatalf("pending = %+v", p)
			}
			e.clock.Advance(p[0].NextAttemptAt.Sub(e.clock.Now()))
		}
		t.Fatal("never given up")
	})
}

// The command line sends what it queued at once, unless a node's sender
// claimed it first: never twice.
func TestSendQueuedOnce(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		e := newEnv(t, open)
		if _, _, err := e.svc.InviteUser(e.ctx, directory.Principal{Admin: true}, "ana@example.org", true, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.InviteUser(e.ctx, directory.Principal{Admin: true}, "bea@example.org", true, ""); err != nil {
			t.Fatal(err)
		}
		node := e.outbox(t)
		ms, err := e.store.ClaimMails(e.ctx, e.clock.Now(), mail.Lease, 1) // the node holds ana's
		if err != nil || len(ms) != 1 {
			t.Fatal(ms, err)
		}
		if n := e.out.SendQueued(e.ctx); n != 1 {
			t.Fatalf("command line sent %d, want bea's only", n)
		}
		if n := e.out.SendQueued(e.ctx); n != 0 {
			t.Fatalf("sent %d again", n)
		}
		e.clock.Advance(mail.Lease)
		if n := node.SendDue(e.ctx); n != 1 {
			t.Fatalf("node sent %d after the lease", n)
		}
		if len(e.smtp.To("ana@example.org")) != 1 || len(e.smtp.To("bea@example.org")) != 1 {
			t.Fatalf("messages: %d", len(e.smtp.Messages()))
		}
	})
}

func TestParseSMTP(t *testing.T) {
	for _, c := range []struct {
		url, from string
		port      int
		implicit  bool
		user      string
		bad       string
	}{
		{url: "smtp://u:p@mail.example", from: "a@b.example", port: 587, user: "u"},
		{url: "smtps://mail.example", from: "a@b.example", port: 465, implicit: true},
		{url: "smtp://mail.example:2525", from: "Node <a@b.example>", port: 2525},
		{url: "http://mail.example", from: "a@b.example", bad: "scheme"},
		{url: "smtp://mail.example:99999", from: "a@b.example", bad: "port"},
		{url: "smtp://mail.example", from: "", bad: "mail-from"},
		{url: "smtp://mail.example", from: "not an address", bad: "mail-from"},
		{url: "smtp://mail.example/x?tls=none", from: "a@b.example", bad: "path or query"},
		{url: "mail.example", from: "a@b.example", bad: "smtp-url"},
	} {
		s, err := mail.ParseSMTP(c.url, c.from)
		if c.bad != "" {
			if err == nil || !strings.Contains(err.Error(), c.bad) {
				t.Errorf("%s %q: error %v, want one naming %q", c.url, c.from, err, c.bad)
			}
			continue
		}
		if err != nil || s.Port != c.port || s.Implicit != c.implicit || s.Username != c.user {
			t.Errorf("%s: %+v %v", c.url, s, err)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	for i, w := range want {
		if got := mail.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := mail.Backoff(1000); got != mail.MaxWait {
		t.Errorf("Backoff(1000) = %v", got)
	}
}
