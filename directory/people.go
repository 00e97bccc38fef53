package directory

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// An account's states, as the console shows them.
const (
	// StateActive: the person set a password and may sign in.
	StateActive = "active"
	// StateInvited: the invitation is pending; no password is set yet.
	StateInvited = "invited"
	// StateDisabled: the admin disabled the account.
	StateDisabled = "disabled"
)

// State is the account's state: disabled, invited (pending) or active.
func (u *User) State() string {
	switch {
	case !u.DisabledAt.IsZero():
		return StateDisabled
	case len(u.PasswordHash) == 0:
		return StateInvited
	}
	return StateActive
}

// AccountUsable is the one check of whether an account may act at all:
// sign in, keep a session, use a one-time link or an API token it made.
// A disabled account may not; the error names the account and says to
// ask the node's admin.
func AccountUsable(u *User) error {
	if !u.DisabledAt.IsZero() {
		return Refused("email", CodeAccountDisabled, u.Email)
	}
	return nil
}

// roleName says what a user is, for the audit log and the command line.
func roleName(u *User) string {
	switch {
	case u.Admin:
		return "admin"
	case u.CoopID == 0:
		return "no co-op"
	}
	return "member of " + u.CoopHandle
}

// tokenHolder refuses an API token whose maker can no longer act as it:
// disabled, or no longer holding the role the token acts for (an admin
// token of someone no longer admin, a co-op token of someone who left the
// co-op). Tokens made on the command line belong to no one.
func (s *Service) tokenHolder(ctx context.Context, t *Token) error {
	if t.UserID == 0 {
		return nil
	}
	u, err := s.store.UserByID(ctx, t.UserID)
	if err != nil {
		if KindOf(err) == KindNotFound {
			return Unauthorizedf("the API token is not valid")
		}
		return err
	}
	if AccountUsable(u) != nil {
		return Unauthorizedf("the API token is not valid: the account that made it is disabled")
	}
	if !u.Admin && (t.CoopID == 0 || t.CoopID != u.CoopID) {
		return Unauthorizedf("the API token is not valid: the account that made it no longer acts for it")
	}
	return nil
}

// LinkUser returns the account a one-time link was made for without
// using the link up; KindNotFound when the link expired or was used, and
// AccountUsable's refusal when the account is disabled.
func (s *Service) LinkUser(ctx context.Context, raw string) (*User, error) {
	t, err := s.store.UserTokenByHash(ctx, hashSecret(raw), PurposeSetPassword, s.clock())
	if err != nil {
		if KindOf(err) == KindNotFound {
			return nil, NotFoundf("this link has expired or was used already")
		}
		return nil, err
	}
	u, err := s.store.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if err := AccountUsable(u); err != nil {
		return nil, err
	}
	return u, nil
}

// noAccount reports an unknown user in the named field.
func noAccount(field string, code Code, what any) error {
	return &Error{Kind: KindNotFound, Field: field, Code: code, Args: []any{what}, Message: fmt.Sprintf(english[code], what)}
}

// FindUser returns the account with an e-mail, for the admin.
func (s *Service) FindUser(ctx context.Context, p Principal, email string) (*User, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	addr, err := normalizeEmail(email)
	if err != nil {
		return nil, err
	}
	u, err := s.store.UserByEmail(ctx, addr)
	if KindOf(err) == KindNotFound {
		return nil, noAccount("email", CodeNoAccount, addr)
	}
	return u, err
}

// FindUserByID returns the account with an id, for the admin.
func (s *Service) FindUserByID(ctx context.Context, p Principal, id int64) (*User, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	return s.user(ctx, id)
}

// user returns the account with an id, naming field when there is none.
func (s *Service) user(ctx context.Context, id int64) (*User, error) {
	u, err := s.store.UserByID(ctx, id)
	if KindOf(err) == KindNotFound {
		return nil, noAccount("user", CodeNoUser, id)
	}
	return u, err
}

// otherActiveAdmin reports whether an admin other than u can sign in.
func (s *Service) otherActiveAdmin(ctx context.Context, u *User) (bool, error) {
	users, err := s.store.ListUsers(ctx)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(users, func(o User) bool { return o.ID != u.ID && o.Admin && o.State() == StateActive }), nil
}

// keepAnAdmin refuses to take the last active admin away: field names the
// form field that would.
func (s *Service) keepAnAdmin(ctx context.Context, u *User, field string) error {
	if !u.Admin || u.State() != StateActive {
		return nil
	}
	ok, err := s.otherActiveAdmin(ctx, u)
	if err != nil {
		return err
	}
	if !ok {
		return Conflict(field, CodeLastAdmin, u.Email)
	}
	return nil
}

// SetRole makes the account userID a node admin, or a member of the local
// co-op coopHandle. Only the admin may; the last active admin stays one.
// The person's API tokens follow the role: an admin token stops working
// when its maker is no longer admin, a co-op's when they leave it.
func (s *Service) SetRole(ctx context.Context, p Principal, userID int64, role, coopHandle string) (*User, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	u, err := s.user(ctx, userID)
	if err != nil {
		return nil, err
	}
	var coopID int64
	switch role {
	case "admin":
	case "member":
		if coopHandle == "" {
			return nil, Invalid("coop", CodeRequired)
		}
		c, err := s.store.LocalCoop(ctx, coopHandle)
		if err != nil {
			if KindOf(err) == KindNotFound {
				return nil, Invalid("coop", CodeNoLocalCoop, coopHandle)
			}
			return nil, err
		}
		coopID = c.ID
		if err := s.keepAnAdmin(ctx, u, "role"); err != nil {
			return nil, err
		}
	default:
		return nil, Invalid("role", CodeRole, role)
	}
	if err := s.store.SetUserRole(ctx, u.ID, role == "admin", coopID, s.clock()); err != nil {
		return nil, err
	}
	if u, err = s.store.UserByID(ctx, u.ID); err != nil {
		return nil, err
	}
	s.Audit(ctx, p, "user.role", u.Email, roleName(u))
	return u, nil
}

// SetDisabled disables the account userID, or enables it again. A
// disabled account cannot sign in, its sessions end at once, its one-time
// links and the API tokens it made are refused. Only the admin may; no
// admin disables themselves, nor the last active admin.
func (s *Service) SetDisabled(ctx context.Context, p Principal, userID int64, disabled bool) (*User, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	u, err := s.user(ctx, userID)
	if err != nil {
		return nil, err
	}
	at := s.clock()
	when := at
	if disabled {
		if p.UserID == u.ID {
			return nil, Refused("user", CodeSelfAccount)
		}
		if err := s.keepAnAdmin(ctx, u, "user"); err != nil {
			return nil, err
		}
		if !u.DisabledAt.IsZero() {
			when = u.DisabledAt
		}
	} else {
		when = time.Time{}
	}
	if err := s.store.SetUserDisabled(ctx, u.ID, when, at); err != nil {
		return nil, err
	}
	if u, err = s.store.UserByID(ctx, u.ID); err != nil {
		return nil, err
	}
	s.Audit(ctx, p, map[bool]string{true: "user.disable", false: "user.enable"}[disabled], u.Email, roleName(u))
	return u, nil
}

// DeleteUser removes the account userID with its sessions, links and the
// API tokens it made. Only the admin may; no admin deletes themselves,
// nor the last active admin.
func (s *Service) DeleteUser(ctx context.Context, p Principal, userID int64) error {
	if err := requireAdmin(p); err != nil {
		return err
	}
	u, err := s.user(ctx, userID)
	if err != nil {
		return err
	}
	if p.UserID == u.ID {
		return Refused("user", CodeSelfAccount)
	}
	if err := s.keepAnAdmin(ctx, u, "user"); err != nil {
		return err
	}
	if err := s.store.DeleteUser(ctx, u.ID); err != nil {
		return err
	}
	s.Audit(ctx, p, "user.delete", u.Email, roleName(u))
	return nil
}

// PasswordLink makes a new one-time link for the account userID and
// returns the account and the link's secret, for the admin to pass on or
// the node to mail: a new invitation when the account is pending, a
// password reset link when it is active. Older links of the account stop
// working. A disabled account gets none.
func (s *Service) PasswordLink(ctx context.Context, p Principal, userID int64) (*User, string, error) {
	if err := requireAdmin(p); err != nil {
		return nil, "", err
	}
	u, err := s.user(ctx, userID)
	if err != nil {
		return nil, "", err
	}
	if err := AccountUsable(u); err != nil {
		return nil, "", err
	}
	raw, err := s.newLink(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	action := "user.reset_link"
	if u.State() == StateInvited {
		action = "user.reinvite"
		s.mailInvitation(ctx, u, raw)
	} else {
		s.mailReset(ctx, u)
	}
	s.Audit(ctx, p, action, u.Email, roleName(u))
	return u, raw, nil
}

// PendingInvitations lists the accounts invited to a co-op that have not
// set a password yet: for that co-op's members and the admin.
func (s *Service) PendingInvitations(ctx context.Context, p Principal, coopHandle string) ([]User, error) {
	c, err := s.store.LocalCoop(ctx, coopHandle)
	if err != nil {
		return nil, err
	}
	if err := requireCoop(p, c); err != nil {
		return nil, err
	}
	users, err := s.store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := []User{}
	for _, u := range users {
		if u.CoopID == c.ID && !u.Admin && u.State() == StateInvited {
			out = append(out, u)
		}
	}
	return out, nil
}

// RevokeInvitation withdraws a pending invitation: the account, which
// never set a password, is removed with its links, and the address may be
// invited again. The admin may revoke any; a member only those to their
// own co-op.
func (s *Service) RevokeInvitation(ctx context.Context, p Principal, userID int64) (*User, error) {
	u, err := s.user(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !p.Admin && (p.CoopID == 0 || u.Admin || u.CoopID != p.CoopID) {
		return nil, Forbiddenf("members may revoke only their own co-op's invitations")
	}
	if u.State() != StateInvited {
		return nil, Conflict("user", CodeNotPending, u.Email)
	}
	if err := s.store.DeleteUser(ctx, u.ID); err != nil {
		return nil, err
	}
	s.Audit(ctx, p, "user.revoke_invite", u.Email, roleName(u))
	return u, nil
}

// LeaveCoop takes the signed-in member p out of their co-op. The account
// stays, without a co-op, until the admin places or deletes it; the API
// tokens it made for the co-op stop working. The last active member of a
// co-op cannot leave it: someone must remain to run it, or the admin
// must step in.
func (s *Service) LeaveCoop(ctx context.Context, p Principal) (*User, error) {
	if p.UserID == 0 {
		return nil, Forbiddenf("only a signed-in member can leave their co-op")
	}
	u, err := s.user(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	if u.Admin || u.CoopID == 0 {
		return nil, Invalid("coop", CodeNoCoop, u.Email)
	}
	users, err := s.store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(users, func(o User) bool { return o.ID != u.ID && o.CoopID == u.CoopID && o.State() == StateActive }) {
		return nil, Conflict("coop", CodeLastMember, u.CoopHandle)
	}
	if err := s.store.SetUserRole(ctx, u.ID, false, 0, s.clock()); err != nil {
		return nil, err
	}
	s.Audit(ctx, p, "user.leave", u.Email, u.CoopHandle)
	return s.store.UserByID(ctx, u.ID)
}
