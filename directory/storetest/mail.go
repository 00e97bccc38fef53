package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// testMailOutbox covers the outbox: due mails are claimed under a lease,
// retried, sent (their one-time links forgotten) or given up.
func testMailOutbox(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	ctx := e.Context
	queue := func(to string, due time.Time) *directory.Mail {
		t.Helper()
		m := &directory.Mail{To: to, Subject: "Hola", Text: "token=secret", HTML: "<p>token=secret</p>", NextAttemptAt: due, CreatedAt: Start}
		if err := e.Store.EnqueueMail(ctx, m); err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 {
			t.Fatal("no id")
		}
		return m
	}
	a := queue("ana@example.org", Start)
	b := queue("bea@example.org", Start.Add(time.Hour))

	ms, err := e.Store.ClaimMails(ctx, Start, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].ID != a.ID || ms[0].Text != "token=secret" || ms[0].State != directory.MailPending {
		t.Fatalf("claimed %+v, want only the due mail", ms)
	}
	// Leased: hidden from another claimer until the lease ends.
	if ms, _ := e.Store.ClaimMails(ctx, Start.Add(30*time.Second), time.Minute, 10); len(ms) != 0 {
		t.Fatalf("leased mail claimed again: %+v", ms)
	}
	mustKind(t, errOf(e.Store.ClaimMail(ctx, a.ID, Start.Add(30*time.Second), time.Minute)), directory.KindNotFound)
	// A claimer that died leaves it to the next once the lease ends.
	m, err := e.Store.ClaimMail(ctx, a.ID, Start.Add(2*time.Minute), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.MailRetry(ctx, m.ID, 1, Start.Add(10*time.Minute), "451 4.3.0 try later"); err != nil {
		t.Fatal(err)
	}
	pending, err := e.Store.Mails(ctx, directory.MailPending, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 || pending[1].ID != a.ID || pending[1].Attempts != 1 || pending[1].LastError != "451 4.3.0 try later" ||
		!pending[1].NextAttemptAt.Equal(Start.Add(10*time.Minute)) {
		t.Fatalf("pending = %+v", pending)
	}
	ms, err = e.Store.ClaimMails(ctx, Start.Add(time.Hour), time.Minute, 10)
	if err != nil || len(ms) != 2 || ms[0].ID != a.ID || ms[1].ID != b.ID {
		t.Fatalf("claim both: %+v %v", ms, err)
	}
	if err := e.Store.MailSent(ctx, a.ID, Start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.MailFailed(ctx, b.ID, 7, "535 5.7.8 wrong password", Start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	sent, _ := e.Store.Mails(ctx, directory.MailSent, 10)
	if len(sent) != 1 || sent[0].Text != "" || sent[0].HTML != "" || !sent[0].DoneAt.Equal(Start.Add(time.Hour)) || sent[0].Attempts != 2 {
		t.Fatalf("sent = %+v (the body, which held a link, must be gone)", sent)
	}
	failed, _ := e.Store.Mails(ctx, directory.MailFailed, 10)
	if len(failed) != 1 || failed[0].LastError != "535 5.7.8 wrong password" || failed[0].Attempts != 7 || failed[0].Text != "" {
		t.Fatalf("failed = %+v", failed)
	}
	if ms, _ := e.Store.ClaimMails(ctx, Start.Add(48*time.Hour), time.Minute, 10); len(ms) != 0 {
		t.Fatalf("done mails claimed: %+v", ms)
	}
}

// testConcurrentMailClaims: claimers side by side never take one mail
// twice, and between them take every one.
func testConcurrentMailClaims(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	const total = 40
	for range total {
		if err := e.Store.EnqueueMail(e.Context, &directory.Mail{To: "x@example.org", Subject: "s", NextAttemptAt: Start, CreatedAt: Start}); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu      sync.Mutex
		claimed = map[int64]int{}
		wg      sync.WaitGroup
		errs    = make(chan error, 6)
	)
	for w := range 6 {
		wg.Go(func() {
			for range total {
				ms, err := e.Store.ClaimMails(e.Context, Start, time.Minute, 1+w%3)
				if err != nil {
					errs <- err
					return
				}
				if len(ms) == 0 {
					return
				}
				mu.Lock()
				for _, m := range ms {
					claimed[m.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rest, err := e.Store.ClaimMails(e.Context, Start, time.Minute, total)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rest {
		claimed[m.ID]++
	}
	if len(claimed) != total {
		t.Fatalf("%d mails claimed, want %d", len(claimed), total)
	}
	for id, n := range claimed {
		if n != 1 {
			t.Fatalf("mail %d claimed %d times", id, n)
		}
	}
}

// recordingMailer keeps what the service asked to mail.
type recordingMailer struct {
	mu      sync.Mutex
	invites map[string]string // e-mail -> secret
	resets  map[string]string
	changed map[string]string // old -> new
	langs   map[string]string
}

func newRecordingMailer() *recordingMailer {
	return &recordingMailer{invites: map[string]string{}, resets: map[string]string{}, changed: map[string]string{}, langs: map[string]string{}}
}

func (r *recordingMailer) Invitation(_ context.Context, u *directory.User, secret string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.invites[u.Email], r.langs[u.Email] = secret, u.Language
	return nil
}

func (r *recordingMailer) PasswordReset(_ context.Context, u *directory.User, secret string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.resets[u.Email] = secret
	return nil
}

func (r *recordingMailer) EmailChanged(_ context.Context, u *directory.User, old string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changed[old] = u.Email
	return nil
}

// testPasswordReset covers the mails of accounts: an invitation in the
// inviter's language, a reset link that names its account, works once,
// for an hour, and ends every session; an unknown address that answers
// as a known one; an e-mail change that tells the old address.
func testPasswordReset(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	ctx := e.Context
	rec := newRecordingMailer()
	e.Svc.SetMailer(rec)
	if !e.Svc.Mailing() {
		t.Fatal("Mailing() = false with a mailer")
	}
	gcoop := e.Coop(t, "gcoop", "AR", 40)

	_, link, err := e.Svc.InviteUser(ctx, e.Admin, "admin@example.org", true, "")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "invitation mailed", rec.invites["admin@example.org"], link)
	admin, err := e.Svc.AcceptLink(ctx, link, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Svc.SetLanguage(ctx, admin, "es"); err != nil {
		t.Fatal(err)
	}
	if err := e.Svc.SetLanguage(ctx, admin, "tlh"); err != nil { // no mails in it: ignored
		t.Fatal(err)
	}
	if u, _ := e.Store.UserByID(ctx, admin.ID); u.Language != "es" {
		t.Fatalf("language = %q, want es", u.Language)
	}
	if _, _, err := e.Svc.InviteUser(ctx, admin.Principal(), "eva@example.org", false, gcoop.Handle); err != nil {
		t.Fatal(err)
	}
	eq(t, "invitation in the inviter's language", rec.langs["eva@example.org"], "es")
	if u, _ := e.Store.UserByEmail(ctx, "eva@example.org"); u.Language != "es" {
		t.Fatalf("invited language = %q", u.Language)
	}

	// Unknown and known addresses answer alike; only the known one gets a link.
	if err := e.Svc.RequestPasswordReset(ctx, "nobody@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := e.Svc.RequestPasswordReset(ctx, " Admin@Example.org "); err != nil {
		t.Fatal(err)
	}
	mustKind(t, e.Svc.RequestPasswordReset(ctx, "not an address"), directory.KindInvalid)
	if len(rec.resets) != 1 || rec.resets["admin@example.org"] == "" {
		t.Fatalf("resets = %v", rec.resets)
	}
	reset := rec.resets["admin@example.org"]
	_, sess1, _ := e.Svc.StartSession(ctx, admin, "a")
	u, err := e.Svc.ResetLinkUser(ctx, reset)
	if err != nil || u.Email != "admin@example.org" {
		t.Fatalf("link user: %v %v", u, err)
	}
	mustKind(t, errOf(e.Svc.ResetPassword(ctx, reset, "short")), directory.KindInvalid)
	mustKind(t, errOf(e.Svc.AcceptLink(ctx, reset, "another long password")), directory.KindNotFound) // not an invitation
	if _, err := e.Svc.ResetPassword(ctx, reset, "another long password"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.SessionByHash(ctx, sess1.Hash, e.Clock.Now()); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("session survived the reset: %v", err)
	}
	if _, err := e.Svc.Login(ctx, "admin@example.org", "another long password"); err != nil {
		t.Fatal(err)
	}
	mustKind(t, errOf(e.Svc.ResetPassword(ctx, reset, "a third long password")), directory.KindNotFound) // once only
	mustKind(t, errOf(e.Svc.ResetLinkUser(ctx, reset)), directory.KindNotFound)

	// An hour later the link is gone.
	if err := e.Svc.RequestPasswordReset(ctx, "admin@example.org"); err != nil {
		t.Fatal(err)
	}
	late := rec.resets["admin@example.org"]
	e.Clock.Advance(directory.ResetLifetime + time.Second)
	mustKind(t, errOf(e.Svc.ResetLinkUser(ctx, late)), directory.KindNotFound)
	mustKind(t, errOf(e.Svc.ResetPassword(ctx, late, "a third long password")), directory.KindNotFound)

	// Changing one's e-mail needs the password and a free address, and
	// tells the old one.
	admin, _ = e.Store.UserByID(ctx, admin.ID)
	mustKind(t, e.Svc.ChangeEmail(ctx, admin, "new@example.org", "wrong"), directory.KindInvalid)
	mustKind(t, e.Svc.ChangeEmail(ctx, admin, "eva@example.org", "another long password"), directory.KindConflict)
	mustKind(t, e.Svc.ChangeEmail(ctx, admin, "nope", "another long password"), directory.KindInvalid)
	if err := e.Svc.ChangeEmail(ctx, admin, "New@Example.org", "another long password"); err != nil {
		t.Fatal(err)
	}
	eq(t, "old address told", rec.changed["admin@example.org"], "new@example.org")
	if _, err := e.Svc.Login(ctx, "new@example.org", "another long password"); err != nil {
		t.Fatal(err)
	}
}
