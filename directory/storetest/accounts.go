package storetest

import (
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// testAccounts covers accounts from invitation to logout: one-time links
// that work once and expire, logins that tell nothing about which e-mails
// exist, sessions that end, and who may invite whom.
func testAccounts(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	gcoop := e.Coop(t, "gcoop", "AR", 40)
	fiqus := e.Coop(t, "fiqus", "AR", 12)

	admin, link, err := e.Svc.InviteUser(e.Context, e.Admin, "Admin@Soberaniax.example", true, "")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "e-mail normalised", admin.Email, "admin@soberaniax.example")
	if _, err := e.Svc.Login(e.Context, "admin@soberaniax.example", ""); directory.KindOf(err) != directory.KindUnauthorized {
		t.Fatalf("login before a password is set: %v", err)
	}
	mustKind(t, errOf(e.Svc.AcceptLink(e.Context, link, "short")), directory.KindInvalid)
	if _, err := e.Svc.AcceptLink(e.Context, link, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	mustKind(t, errOf(e.Svc.AcceptLink(e.Context, link, "correct horse battery")), directory.KindNotFound) // once only
	u, err := e.Svc.Login(e.Context, " ADMIN@soberaniax.example ", "correct horse battery")
	if err != nil || !u.Admin || u.ID != admin.ID {
		t.Fatalf("login: %+v %v", u, err)
	}
	wrong := errOf(e.Svc.Login(e.Context, "admin@soberaniax.example", "wrong password!"))
	unknown := errOf(e.Svc.Login(e.Context, "nobody@soberaniax.example", "wrong password!"))
	mustKind(t, wrong, directory.KindUnauthorized)
	mustKind(t, unknown, directory.KindUnauthorized)
	eq(t, "same answer for unknown e-mails", directory.SafeMessage(unknown), directory.SafeMessage(wrong))
	mustKind(t, errOf2(e.Svc.InviteUser(e.Context, e.Admin, "admin@soberaniax.example", false, "gcoop")), directory.KindConflict)
	mustKind(t, errOf2(e.Svc.InviteUser(e.Context, e.Admin, "not an address", false, "gcoop")), directory.KindInvalid)

	// A member invites a colleague to their own co-op, and no one else.
	member, mlink, err := e.Svc.InviteUser(e.Context, u.Principal(), "ana@gcoop.example", false, "gcoop")
	if err != nil || member.CoopID != gcoop.ID || member.CoopHandle != "" && member.CoopHandle != "gcoop" {
		t.Fatalf("invite member: %+v %v", member, err)
	}
	if _, err := e.Svc.AcceptLink(e.Context, mlink, "una clave larga"); err != nil {
		t.Fatal(err)
	}
	ana, err := e.Svc.Login(e.Context, "ana@gcoop.example", "una clave larga")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "member's co-op handle", ana.CoopHandle, "gcoop")
	p := ana.Principal()
	eq(t, "member principal", []any{p.Admin, p.CoopID, p.UserID}, []any{false, gcoop.ID, ana.ID})
	if _, _, err := e.Svc.InviteUser(e.Context, p, "bea@gcoop.example", false, "gcoop"); err != nil {
		t.Fatalf("member invites a colleague: %v", err)
	}
	mustKind(t, errOf2(e.Svc.InviteUser(e.Context, p, "eve@fiqus.example", false, fiqus.Handle)), directory.KindForbidden)
	mustKind(t, errOf2(e.Svc.InviteUser(e.Context, p, "eve@example.org", true, "")), directory.KindForbidden)
	mustKind(t, errOf(e.Svc.Users(e.Context, p)), directory.KindForbidden)
	users, err := e.Svc.Users(e.Context, u.Principal())
	if err != nil || len(users) != 3 {
		t.Fatalf("users: %d %v", len(users), err)
	}

	// Sessions: start, find, list, end; a password change ends the others.
	raw1, s1, err := e.Svc.StartSession(e.Context, ana, "Firefox")
	if err != nil {
		t.Fatal(err)
	}
	raw2, s2, _ := e.Svc.StartSession(e.Context, ana, "Chromium")
	if got, gu, err := e.Svc.SessionUser(e.Context, raw1); err != nil || got.ID != s1.ID || gu.ID != ana.ID {
		t.Fatalf("session: %+v %v", got, err)
	}
	mustKind(t, errOf2(e.Svc.SessionUser(e.Context, "forged")), directory.KindUnauthorized)
	list, _ := e.Svc.Sessions(e.Context, ana.ID)
	eq(t, "two sessions", len(list), 2)
	mustKind(t, e.Svc.EndSession(e.Context, admin.ID, s2.ID), directory.KindNotFound) // not the admin's
	mustKind(t, e.Svc.ChangePassword(e.Context, ana, "not it at all", "otra clave larga", s1.ID), directory.KindInvalid)
	if err := e.Svc.ChangePassword(e.Context, ana, "una clave larga", "otra clave larga", s1.ID); err != nil {
		t.Fatal(err)
	}
	mustKind(t, errOf2(e.Svc.SessionUser(e.Context, raw2)), directory.KindUnauthorized)
	if _, _, err := e.Svc.SessionUser(e.Context, raw1); err != nil {
		t.Fatalf("the session that changed the password ends too: %v", err)
	}
	if err := e.Svc.EndSession(e.Context, ana.ID, s1.ID); err != nil {
		t.Fatal(err)
	}
	mustKind(t, errOf2(e.Svc.SessionUser(e.Context, raw1)), directory.KindUnauthorized)
	// Sessions expire.
	raw3, _, _ := e.Svc.StartSession(e.Context, ana, "")
	e.Clock.Advance(directory.SessionLifetime + time.Second)
	mustKind(t, errOf2(e.Svc.SessionUser(e.Context, raw3)), directory.KindUnauthorized)

	// Links expire.
	_, late, err := e.Svc.InviteUser(e.Context, e.Admin, "late@fiqus.example", false, "fiqus")
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(directory.LinkLifetime + time.Second)
	mustKind(t, errOf(e.Svc.AcceptLink(e.Context, late, "a long enough one")), directory.KindNotFound)

	// The audit log names who invited whom, newest first.
	log, err := e.Svc.AuditLog(e.Context, e.Admin, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) < 4 || log[0].Target != "late@fiqus.example" || log[0].Actor != "command line" {
		t.Fatalf("audit: %+v", log)
	}
	found := false
	for _, a := range log {
		found = found || (a.Target == "bea@gcoop.example" && a.Actor == "ana@gcoop.example" && a.UserID == ana.ID)
	}
	if !found {
		t.Errorf("the member's invitation is not in the audit log: %+v", log)
	}
	mustKind(t, errOf(e.Svc.AuditLog(e.Context, p, 10)), directory.KindForbidden)

	// The admin renames the federation; a restart without a name keeps it.
	mustKind(t, errOf(e.Svc.UpdateFederation(e.Context, p, "Taken", "", nil)), directory.KindForbidden)
	if _, err := e.Svc.UpdateFederation(e.Context, e.Admin, "SoberaniaX Argentina", "Federación.", []string{"es", "en"}); err != nil {
		t.Fatal(err)
	}
	f, err := e.Svc.Init(e.Context, directory.FederationSettings{Handle: "soberaniax"})
	if err != nil || f.Name != "SoberaniaX Argentina" || f.Summary != "Federación." || len(f.Languages) != 2 {
		t.Fatalf("after a restart: %+v %v", f, err)
	}
	if f, err = e.Svc.Init(e.Context, directory.FederationSettings{Name: "From the flag", Handle: "soberaniax"}); err != nil || f.Name != "From the flag" {
		t.Fatalf("an explicit name: %+v %v", f, err)
	}

	// API tokens: a member makes and revokes their co-op's only.
	raw, err := e.Svc.IssueToken(e.Context, p, "gcoop", "deploy bot")
	if err != nil {
		t.Fatal(err)
	}
	mustKind(t, errOf(e.Svc.IssueToken(e.Context, p, "fiqus", "x")), directory.KindForbidden)
	fiqusTok, err := e.Svc.IssueToken(e.Context, u.Principal(), "fiqus", "fiqus bot")
	if err != nil {
		t.Fatal(err)
	}
	mine, err := e.Svc.Tokens(e.Context, p)
	if err != nil || len(mine) != 1 || mine[0].Label != "deploy bot" || mine[0].CoopID != gcoop.ID {
		t.Fatalf("member's tokens: %+v %v", mine, err)
	}
	all, _ := e.Svc.Tokens(e.Context, u.Principal())
	eq(t, "admin sees every token", len(all) >= 2, true)
	if got, err := e.Svc.Authenticate(e.Context, raw); err != nil || got.CoopID != gcoop.ID {
		t.Fatalf("the new token: %+v %v", got, err)
	}
	var fiqusID int64
	for _, tk := range all {
		if tk.Label == "fiqus bot" {
			fiqusID = tk.ID
		}
	}
	mustKind(t, e.Svc.RevokeToken(e.Context, p, fiqusID), directory.KindNotFound)
	if _, err := e.Svc.Authenticate(e.Context, fiqusTok); err != nil {
		t.Fatal("a member revoked another co-op's token")
	}
	if err := e.Svc.RevokeToken(e.Context, p, mine[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Svc.Authenticate(e.Context, raw); err == nil {
		t.Fatal("a revoked token still works")
	}
}

func errOf[T any](_ T, err error) error { return err }

func errOf2[A, B any](_ A, _ B, err error) error { return err }
