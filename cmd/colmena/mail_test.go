package main

import (
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/internal/smtptest"
)

// TestUserCreateMails: with SMTP set, the command line mails the link it
// prints, at once, also while a node with the same settings runs; one
// mail either way.
func TestUserCreateMails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	port := freePort(t)
	srv := smtptest.Start(t, smtptest.RequireAuth("nodo", "pass word"))
	env := []string{"COLMENA_PUBLIC_URL=http://127.0.0.1:" + port, "COLMENA_SMTP_URL=" + srv.URL(), "COLMENA_MAIL_FROM=Colmena <nodo@example.org>"}
	if r := colmena(t, dir, env, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	r := colmena(t, dir, env, "admin", "user", "create", "--email", "Admin@Example.org", "--admin")
	if r.code != 0 || !strings.Contains(r.stdout, "Mailed the link to admin@example.org") {
		t.Fatalf("user create: %+v", r)
	}
	link := r.lastLine()
	ms := srv.Wait(t, 1)
	if len(ms) != 1 || ms[0].To[0] != "admin@example.org" || !strings.Contains(ms[0].Text, link) || !strings.Contains(ms[0].HTML, link) {
		t.Fatalf("mail: %+v, link %s", ms, link)
	}

	startServeOn(t, port, dir, env)
	r = colmena(t, dir, env, "admin", "user", "create", "--email", "second@example.org", "--admin")
	if r.code != 0 || !strings.HasPrefix(r.lastLine(), "http://127.0.0.1:"+port+"/password?token=") {
		t.Fatalf("user create beside a node: %+v", r)
	}
	srv.Wait(t, 2)
	if n := len(srv.To("second@example.org")); n != 1 {
		t.Fatalf("%d mails to the second admin", n)
	}

	// A refusing server: the link is printed all the same, the mail waits
	// in the outbox, and stderr says why.
	srv.Fail(451, "mailbox busy, try later")
	r = colmena(t, dir, env, "admin", "user", "create", "--email", "third@example.org", "--admin")
	if r.code != 0 || !strings.HasPrefix(r.lastLine(), "http://127.0.0.1:"+port+"/password?token=") ||
		!strings.Contains(r.stdout, "waits in the mail outbox") || !strings.Contains(r.stderr, "mailbox busy") {
		t.Fatalf("user create with a refusing server: %+v", r)
	}
	if n := len(srv.To("third@example.org")); n != 0 {
		t.Fatalf("%d mails to the third admin", n)
	}

	for _, bad := range [][]string{{"COLMENA_SMTP_URL=ftp://x"}, {"COLMENA_SMTP_URL=" + srv.URL(), "COLMENA_MAIL_FROM="}} {
		r := colmena(t, dir, bad, "admin", "user", "create", "--email", "fourth@example.org", "--admin")
		if r.code != 2 || !strings.Contains(r.stderr, "colmena: --") {
			t.Errorf("%v: %+v", bad, r)
		}
	}
}
