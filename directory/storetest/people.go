package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// person invites email as admin or to coop and sets their password.
func person(t *testing.T, e *Env, email string, admin bool, coop string) *directory.User {
	t.Helper()
	_, link, err := e.Svc.InviteUser(e.Context, e.Admin, email, admin, coop)
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.Svc.AcceptLink(e.Context, link, "a long password")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func codeOf(err error) directory.Code {
	var de *directory.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return ""
}

func mustCode(t *testing.T, what string, err error, field string, code directory.Code) {
	t.Helper()
	var de *directory.Error
	if !errors.As(err, &de) || de.Code != code || de.Field != field {
		t.Fatalf("%s: got %v (field %q, code %q), want field %q code %q", what, err, func() string {
			if de != nil {
				return de.Field
			}
			return ""
		}(), codeOf(err), field, code)
	}
}

// testPeople covers managing accounts: states, roles, disabling (sessions
// end, links and tokens refused), deleting, new links, pending
// invitations and leaving a co-op, with who may do each.
func testPeople(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	gcoop := e.Coop(t, "gcoop", "AR", 40)
	fiqus := e.Coop(t, "fiqus", "AR", 12)
	root := person(t, e, "root@soberaniax.example", true, "")
	ana := person(t, e, "ana@gcoop.example", false, "gcoop")
	bea := person(t, e, "bea@gcoop.example", false, "gcoop")
	rootP, anaP := root.Principal(), ana.Principal()

	// States and the last sign-in.
	pending, link, err := e.Svc.InviteUser(e.Context, e.Admin, "pia@gcoop.example", false, "gcoop")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "pending state", pending.State(), directory.StateInvited)
	eq(t, "active state", ana.State(), directory.StateActive)
	if !ana.LastLoginAt.IsZero() {
		t.Fatal("a last sign-in before any")
	}
	anaRaw, _, err := e.Svc.StartSession(e.Context, ana, "Firefox")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := e.Store.UserByID(e.Context, ana.ID); !got.LastLoginAt.Equal(e.Clock.Now()) {
		t.Fatalf("last sign-in: %v, want %v", got.LastLoginAt, e.Clock.Now())
	}

	// Re-inviting a pending address sends a new link; the old one stops.
	e.Clock.Advance(time.Minute)
	again, link2, err := e.Svc.InviteUser(e.Context, anaP, "pia@gcoop.example", false, "gcoop")
	if err != nil || again.ID != pending.ID || link2 == link {
		t.Fatalf("re-invite: %+v %v", again, err)
	}
	mustKind(t, errOf(e.Svc.AcceptLink(e.Context, link, "a long password")), directory.KindNotFound)
	// An active account stays a conflict; a member cannot re-invite
	// another co-op's pending invitee.
	mustCode(t, "invite an active account", errOf2(e.Svc.InviteUser(e.Context, e.Admin, "ana@gcoop.example", false, "gcoop")), "email", directory.CodeAccountExists)
	_, fiqusLink, err := e.Svc.InviteUser(e.Context, e.Admin, "fay@fiqus.example", false, "fiqus")
	if err != nil {
		t.Fatal(err)
	}
	mustKind(t, errOf2(e.Svc.InviteUser(e.Context, anaP, "fay@fiqus.example", false, "gcoop")), directory.KindConflict)
	// The admin re-invites to another role.
	moved, _, err := e.Svc.InviteUser(e.Context, e.Admin, "fay@fiqus.example", false, "gcoop")
	if err != nil || moved.CoopID != gcoop.ID {
		t.Fatalf("re-invite elsewhere: %+v %v", moved, err)
	}
	mustKind(t, errOf(e.Svc.AcceptLink(e.Context, fiqusLink, "a long password")), directory.KindNotFound)

	// Pending invitations: a co-op's members see and revoke theirs only.
	inv, err := e.Svc.PendingInvitations(e.Context, anaP, "gcoop")
	if err != nil || len(inv) != 2 {
		t.Fatalf("pending: %+v %v", inv, err)
	}
	mustKind(t, errOf(e.Svc.PendingInvitations(e.Context, anaP, "fiqus")), directory.KindForbidden)
	_, _, err = e.Svc.InviteUser(e.Context, e.Admin, "other@fiqus.example", false, "fiqus")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := e.Store.UserByEmail(e.Context, "other@fiqus.example")
	mustKind(t, errOf(e.Svc.RevokeInvitation(e.Context, anaP, other.ID)), directory.KindForbidden)
	mustCode(t, "revoke an accepted invitation", errOf(e.Svc.RevokeInvitation(e.Context, e.Admin, bea.ID)), "user", directory.CodeNotPending)
	mustCode(t, "revoke nobody", errOf(e.Svc.RevokeInvitation(e.Context, e.Admin, 999999)), "user", directory.CodeNoUser)
	if _, err := e.Svc.RevokeInvitation(e.Context, anaP, pending.ID); err != nil {
		t.Fatal(err)
	}
	mustKind(t, errOf(e.Svc.AcceptLink(e.Context, link2, "a long password")), directory.KindNotFound)
	mustKind(t, errOf(e.Store.UserByEmail(e.Context, "pia@gcoop.example")), directory.KindNotFound)
	if _, _, err := e.Svc.InviteUser(e.Context, anaP, "pia@gcoop.example", false, "gcoop"); err != nil {
		t.Fatalf("inviting a revoked address again: %v", err)
	}

	// Roles: only the admin; bad input names the field; the last admin
	// stays.
	mustKind(t, errOf(e.Svc.SetRole(e.Context, anaP, bea.ID, "admin", "")), directory.KindForbidden)
	mustCode(t, "unknown co-op", errOf(e.Svc.SetRole(e.Context, rootP, bea.ID, "member", "nowhere")), "coop", directory.CodeNoLocalCoop)
	mustCode(t, "no co-op", errOf(e.Svc.SetRole(e.Context, rootP, bea.ID, "member", "")), "coop", directory.CodeRequired)
	mustCode(t, "bad role", errOf(e.Svc.SetRole(e.Context, rootP, bea.ID, "owner", "")), "role", directory.CodeRole)
	mustCode(t, "unknown user", errOf(e.Svc.SetRole(e.Context, rootP, 999999, "admin", "")), "user", directory.CodeNoUser)
	mustCode(t, "demote the last admin", errOf(e.Svc.SetRole(e.Context, rootP, root.ID, "member", "gcoop")), "role", directory.CodeLastAdmin)
	u, err := e.Svc.SetRole(e.Context, rootP, bea.ID, "member", "fiqus")
	if err != nil || u.CoopID != fiqus.ID || u.Admin {
		t.Fatalf("move: %+v %v", u, err)
	}
	if u, err = e.Svc.SetRole(e.Context, rootP, bea.ID, "admin", ""); err != nil || !u.Admin || u.CoopID != 0 {
		t.Fatalf("promote: %+v %v", u, err)
	}
	if d, err := e.Svc.SetRole(e.Context, rootP, root.ID, "member", "gcoop"); err != nil || d.Admin {
		t.Fatalf("demote with another admin: %+v %v", d, err)
	}
	// bea is now an admin, root a member.
	adminP := u.Principal()
	if _, err := e.Svc.SetRole(e.Context, adminP, root.ID, "admin", ""); err != nil {
		t.Fatal(err)
	}

	// Tokens follow their maker's role.
	anaTok, err := e.Svc.IssueToken(e.Context, anaP, "gcoop", "ana's bot")
	if err != nil {
		t.Fatal(err)
	}
	rootTok, err := e.Svc.IssueToken(e.Context, rootP, "", "root's bot")
	if err != nil {
		t.Fatal(err)
	}
	cliTok, err := e.Svc.CreateToken(e.Context, "gcoop", "from the command line")
	if err != nil {
		t.Fatal(err)
	}
	toks, _ := e.Svc.Tokens(e.Context, rootP)
	makers := map[string]int64{}
	for _, tk := range toks {
		makers[tk.Label] = tk.UserID
	}
	eq(t, "token makers", []int64{makers["ana's bot"], makers["root's bot"], makers["from the command line"]}, []int64{ana.ID, root.ID, 0})
	if _, err := e.Svc.SetRole(e.Context, adminP, root.ID, "member", "gcoop"); err != nil {
		t.Fatal(err)
	}
	mustKind(t, errOf(e.Svc.Authenticate(e.Context, rootTok)), directory.KindUnauthorized)
	if _, err := e.Svc.SetRole(e.Context, adminP, root.ID, "admin", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Svc.Authenticate(e.Context, rootTok); err != nil {
		t.Fatalf("the admin token of an admin again: %v", err)
	}

	// Disabling: sessions end, login, links and tokens are refused;
	// enabling brings back login and tokens.
	mustKind(t, errOf(e.Svc.SetDisabled(e.Context, anaP, ana.ID, true)), directory.KindForbidden)
	mustCode(t, "disable oneself", errOf(e.Svc.SetDisabled(e.Context, rootP, root.ID, true)), "user", directory.CodeSelfAccount)
	_, anaLink, err := e.Svc.PasswordLink(e.Context, rootP, ana.ID)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Svc.SetDisabled(e.Context, rootP, ana.ID, true)
	if err != nil || d.State() != directory.StateDisabled {
		t.Fatalf("disable: %+v %v", d, err)
	}
	mustKind(t, errOf2(e.Svc.SessionUser(e.Context, anaRaw)), directory.KindUnauthorized)
	if list, _ := e.Svc.Sessions(e.Context, ana.ID); len(list) != 0 {
		t.Fatalf("a disabled account keeps %d sessions", len(list))
	}
	mustCode(t, "disabled login", errOf(e.Svc.Login(e.Context, "ana@gcoop.example", "a long password")), "email", directory.CodeAccountDisabled)
	mustKind(t, errOf(e.Svc.Login(e.Context, "ana@gcoop.example", "not the password")), directory.KindUnauthorized)
	mustCode(t, "disabled link", errOf(e.Svc.AcceptLink(e.Context, anaLink, "a new long password")), "email", directory.CodeAccountDisabled)
	mustCode(t, "disabled link user", errOf(e.Svc.LinkUser(e.Context, anaLink)), "email", directory.CodeAccountDisabled)
	mustKind(t, errOf(e.Svc.Authenticate(e.Context, anaTok)), directory.KindUnauthorized)
	if _, err := e.Svc.Authenticate(e.Context, cliTok); err != nil {
		t.Fatalf("a command-line token of the co-op: %v", err)
	}
	mustCode(t, "link for a disabled account", errOf2(e.Svc.PasswordLink(e.Context, rootP, ana.ID)), "email", directory.CodeAccountDisabled)
	if err := directory.AccountUsable(d); codeOf(err) != directory.CodeAccountDisabled {
		t.Fatalf("AccountUsable: %v", err)
	}
	if _, err := e.Svc.SetDisabled(e.Context, rootP, ana.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Svc.Login(e.Context, "ana@gcoop.example", "a long password"); err != nil {
		t.Fatalf("login after enabling: %v", err)
	}
	if _, err := e.Svc.Authenticate(e.Context, anaTok); err != nil {
		t.Fatalf("token after enabling: %v", err)
	}
	// The link made before disabling still works once enabled: the
	// admin may send a new one anyway.
	if _, err := e.Svc.AcceptLink(e.Context, anaLink, "a new long password"); err != nil {
		t.Fatal(err)
	}
	// The last active admin cannot be disabled, even from the command line.
	if _, err := e.Svc.SetDisabled(e.Context, rootP, bea.ID, true); err != nil {
		t.Fatal(err)
	}
	mustCode(t, "disable the last admin", errOf(e.Svc.SetDisabled(e.Context, e.Admin, root.ID, true)), "user", directory.CodeLastAdmin)

	// Leaving: the last active member cannot; a member who leaves keeps
	// the account without a co-op, and their co-op tokens stop.
	mustCode(t, "leave as the last member", errOf(e.Svc.LeaveCoop(e.Context, anaP)), "coop", directory.CodeLastMember)
	cara := person(t, e, "cara@gcoop.example", false, "gcoop")
	left, err := e.Svc.LeaveCoop(e.Context, anaP)
	if err != nil || left.CoopID != 0 || left.Admin {
		t.Fatalf("leave: %+v %v", left, err)
	}
	mustKind(t, errOf(e.Svc.Authenticate(e.Context, anaTok)), directory.KindUnauthorized)
	mustCode(t, "leave twice", errOf(e.Svc.LeaveCoop(e.Context, anaP)), "coop", directory.CodeNoCoop)
	mustCode(t, "the last one stays", errOf(e.Svc.LeaveCoop(e.Context, cara.Principal())), "coop", directory.CodeLastMember)

	// Deleting: only the admin, not oneself; tokens and sessions go too.
	mustKind(t, e.Svc.DeleteUser(e.Context, cara.Principal(), ana.ID), directory.KindForbidden)
	mustCode(t, "delete oneself", e.Svc.DeleteUser(e.Context, rootP, root.ID), "user", directory.CodeSelfAccount)
	if err := e.Svc.DeleteUser(e.Context, rootP, ana.ID); err != nil {
		t.Fatal(err)
	}
	mustKind(t, errOf(e.Store.UserByID(e.Context, ana.ID)), directory.KindNotFound)
	mustKind(t, errOf(e.Svc.Authenticate(e.Context, anaTok)), directory.KindUnauthorized)
	left2, err := e.Svc.Tokens(e.Context, rootP)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range left2 {
		if tk.Label == "ana's bot" {
			t.Fatal("a deleted account's token is still listed")
		}
	}

	// A new link for an active account is a reset link; the audit log
	// names who did each thing.
	_, reset, err := e.Svc.PasswordLink(e.Context, rootP, cara.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Svc.AcceptLink(e.Context, reset, "yet another password"); err != nil {
		t.Fatal(err)
	}
	mustCode(t, "find nobody", errOf(e.Svc.FindUser(e.Context, rootP, "nobody@example.org")), "email", directory.CodeNoAccount)
	mustKind(t, errOf(e.Svc.FindUser(e.Context, cara.Principal(), "cara@gcoop.example")), directory.KindForbidden)
	log, err := e.Svc.AuditLog(e.Context, rootP, 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, a := range log {
		if _, ok := seen[a.Action]; !ok {
			seen[a.Action] = a.Actor + " " + a.Target
		}
	}
	for action, want := range map[string]string{
		"user.reinvite":      "command line fay@fiqus.example",
		"user.revoke_invite": "ana@gcoop.example pia@gcoop.example",
		"user.role":          "bea@gcoop.example root@soberaniax.example",
		"user.disable":       "root@soberaniax.example bea@gcoop.example",
		"user.enable":        "root@soberaniax.example ana@gcoop.example",
		"user.leave":         "ana@gcoop.example ana@gcoop.example",
		"user.delete":        "root@soberaniax.example ana@gcoop.example",
		"user.reset_link":    "root@soberaniax.example cara@gcoop.example",
	} {
		eq(t, "audit "+action, seen[action], want)
	}
}
