package directory

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// User is a person who logs in: a node admin, or a member acting for one
// co-op.
type User struct {
	ID    int64
	Email string
	// PasswordHash is bcrypt's; empty until the person sets a password.
	PasswordHash []byte
	Admin        bool
	CoopID       int64 // 0 for none
	// CoopHandle is the member's co-op's handle, filled in by stores.
	CoopHandle string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// DisabledAt is when the admin disabled the account; zero while it
	// is enabled.
	DisabledAt time.Time
	// LastLoginAt is when the person last signed in; zero if never.
	LastLoginAt time.Time

	// Language is what mails to the person are written in ("" for the
	// default).
	Language string
}

// Principal is who the user acts as.
func (u *User) Principal() Principal {
	return Principal{Admin: u.Admin, CoopID: u.CoopID, UserID: u.ID}
}

// Session is a logged-in browser. The cookie holds a secret; only its hash
// is stored.
type Session struct {
	ID        int64
	Hash      []byte
	UserID    int64
	UserAgent string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// UserToken is a one-time link's secret, by hash: to set a first password
// or accept an invitation.
type UserToken struct {
	Hash      []byte
	UserID    int64
	Purpose   string
	ExpiresAt time.Time
	CreatedAt time.Time
}

// Purposes of one-time links.
const (
	PurposeSetPassword = "set_password"
)

// AuditEntry is one thing an admin or member did.
type AuditEntry struct {
	ID     int64
	At     time.Time
	UserID int64  // 0 for the command line
	Actor  string // e-mail, or "command line"
	Action string
	Target string
	Detail string
}

// AccountStore keeps users, sessions, one-time links and the audit log.
type AccountStore interface {
	// CreateUser inserts a user; KindConflict when the e-mail is taken.
	CreateUser(ctx context.Context, u *User) error
	UserByEmail(ctx context.Context, email string) (*User, error)
	UserByID(ctx context.Context, id int64) (*User, error)
	// ListUsers returns every user, by e-mail.
	ListUsers(ctx context.Context) ([]User, error)
	// SetPassword stores a new password hash and ends every session of
	// the user but keep (0 for all).
	SetPassword(ctx context.Context, userID int64, hash []byte, keep int64, at time.Time) error
	AddUserToken(ctx context.Context, t *UserToken) error
	// TakeUserToken removes and returns an unexpired token of purpose;
	// KindNotFound when there is none, so that a link works once.
	TakeUserToken(ctx context.Context, hash []byte, purpose string, now time.Time) (*UserToken, error)
	CreateSession(ctx context.Context, s *Session) error
	// SessionByHash returns an unexpired session.
	SessionByHash(ctx context.Context, hash []byte, now time.Time) (*Session, error)
	ListSessions(ctx context.Context, userID int64, now time.Time) ([]Session, error)
	// DeleteSession ends one of the user's sessions.
	DeleteSession(ctx context.Context, userID, id int64) error
	// ListTokens returns the API tokens of one co-op, or with coopID 0 all
	// of them, newest first.
	ListTokens(ctx context.Context, coopID int64) ([]Token, error)
	// DeleteToken revokes a token; with coopID other than 0 only one of
	// that co-op's.
	DeleteToken(ctx context.Context, id, coopID int64) error
	// SetUserRole makes a user a node admin or, with coopID, a member of
	// that co-op.
	SetUserRole(ctx context.Context, id int64, admin bool, coopID int64, at time.Time) error
	// SetUserDisabled disables a user from disabledAt and ends every one
	// of its sessions in the same transaction; the zero time enables it.
	SetUserDisabled(ctx context.Context, id int64, disabledAt, at time.Time) error
	// DeleteUser removes a user, its sessions, its one-time links and
	// the API tokens it made.
	DeleteUser(ctx context.Context, id int64) error
	// DeleteUserTokens removes every one-time link of a user.
	DeleteUserTokens(ctx context.Context, userID int64) error
	// UserTokenByHash returns an unexpired one-time link without using
	// it up; KindNotFound when there is none.
	UserTokenByHash(ctx context.Context, hash []byte, purpose string, now time.Time) (*UserToken, error)
	AddAudit(ctx context.Context, e *AuditEntry) error
	// ListAudit returns the newest entries first.
	ListAudit(ctx context.Context, limit int) ([]AuditEntry, error)
}

// Account rules.
const (
	MinPassword     = 10
	MaxPassword     = 200
	SessionLifetime = 30 * 24 * time.Hour
	// LinkLifetime is how long a one-time link (first password,
	// invitation) works.
	LinkLifetime = 7 * 24 * time.Hour
)

func secret() (raw string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	raw = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(raw))
	return raw, sum[:]
}

func hashSecret(raw string) []byte {
	sum := sha256.Sum256([]byte(raw))
	return sum[:]
}

func normalizeEmail(e string) (string, error) {
	e = strings.ToLower(strings.TrimSpace(e))
	if a, err := mail.ParseAddress(e); err != nil || a.Address != e || len(e) > MaxEmail {
		return "", Invalid("email", CodeEmail, e)
	}
	return e, nil
}

// InviteUser makes an account without a password and returns the secret of
// its one-time link. The admin may make admins and members of any local
// co-op; a member may invite colleagues to their own co-op only.
func (s *Service) InviteUser(ctx context.Context, p Principal, email string, admin bool, coopHandle string) (*User, string, error) {
	email, err := normalizeEmail(email)
	if err != nil {
		return nil, "", err
	}
	u := &User{Email: email, Admin: admin, Language: s.inviterLanguage(ctx, p)}
	if coopHandle != "" {
		c, err := s.Coop(ctx, coopHandle)
		if err != nil {
			return nil, "", err
		}
		u.CoopID = c.ID
	}
	switch {
	case p.Admin:
	case admin || u.CoopID == 0 || u.CoopID != p.CoopID:
		return nil, "", Forbiddenf("only the node's admin can invite admins or members of another co-op")
	}
	now := s.clock()
	u.CreatedAt, u.UpdatedAt = now, now
	if err := s.store.CreateUser(ctx, u); err != nil {
		if KindOf(err) == KindConflict {
			return s.reinvite(ctx, p, u)
		}
		return nil, "", err
	}
	raw, err := s.newLink(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	s.Audit(ctx, p, "user.invite", email, map[bool]string{true: "admin", false: coopHandle}[admin])
	s.mailInvitation(ctx, u, raw)
	return u, raw, nil
}

// reinvite answers an invitation of an address that has an account. One
// still pending (its owner never set a password) and not disabled gets a
// new link in place of the old ones, with the role asked for now, when p
// may invite to both the old role and the new: the admin always, a member
// only a colleague of their own co-op. Any other account is a conflict.
func (s *Service) reinvite(ctx context.Context, p Principal, asked *User) (*User, string, error) {
	taken := Conflict("email", CodeAccountExists, asked.Email)
	u, err := s.store.UserByEmail(ctx, asked.Email)
	if err != nil {
		if KindOf(err) == KindNotFound {
			return nil, "", taken
		}
		return nil, "", err
	}
	if u.State() != StateInvited || (!p.Admin && (u.Admin || u.CoopID != p.CoopID)) {
		return nil, "", taken
	}
	if u.Admin != asked.Admin || u.CoopID != asked.CoopID {
		if err := s.store.SetUserRole(ctx, u.ID, asked.Admin, asked.CoopID, s.clock()); err != nil {
			return nil, "", err
		}
		if u, err = s.store.UserByID(ctx, u.ID); err != nil {
			return nil, "", err
		}
	}
	raw, err := s.newLink(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	s.Audit(ctx, p, "user.reinvite", u.Email, roleName(u))
	return u, raw, nil
}

// newLink replaces a user's one-time links with a new one and returns
// its secret.
func (s *Service) newLink(ctx context.Context, userID int64) (string, error) {
	if err := s.store.DeleteUserTokens(ctx, userID); err != nil {
		return "", err
	}
	now := s.clock()
	raw, hash := secret()
	if err := s.store.AddUserToken(ctx, &UserToken{Hash: hash, UserID: userID, Purpose: PurposeSetPassword,
		ExpiresAt: now.Add(LinkLifetime), CreatedAt: now}); err != nil {
		return "", err
	}
	return raw, nil
}

// InviteColleague is InviteUser for a co-op member inviting a colleague
// to coopHandle, who must not learn from the answer whether an e-mail
// already has an account here. For one that has, it makes nothing, leaves
// that account as it was, and returns a secret of the same form that no
// link accepts: the inviter sees the same confirmation either way, and
// the owner of the address, who already has an account, logs in as
// before. The node's admin, who lists every account anyway, is told of
// the conflict.
func (s *Service) InviteColleague(ctx context.Context, p Principal, email, coopHandle string) (string, error) {
	_, raw, err := s.InviteUser(ctx, p, email, false, coopHandle)
	var de *Error
	if p.Admin || !errors.As(err, &de) || de.Code != CodeAccountExists {
		return raw, err
	}
	addr, _ := normalizeEmail(email)
	s.Audit(ctx, p, "user.invite_existing", addr, coopHandle)
	raw, _ = secret()
	return raw, nil
}

// CheckPassword says what is wrong with a new password, if anything: the
// check every way of setting one makes.
func CheckPassword(pw string) error { return checkPassword(pw) }

func checkPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPassword {
		return Invalid("password", CodePasswordShort, MinPassword)
	}
	if len(pw) > MaxPassword {
		return Invalid("password", CodePasswordLong, MaxPassword)
	}
	return nil
}

func (s *Service) hashPassword(pw string) ([]byte, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), s.passwordCost)
	if err != nil {
		return nil, Internal("hashing a password", err)
	}
	return h, nil
}

// AcceptLink sets the password of the account a one-time link was made
// for, and returns the user. The link works once.
func (s *Service) AcceptLink(ctx context.Context, raw, password string) (*User, error) {
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	if _, err := s.LinkUser(ctx, raw); err != nil {
		return nil, err
	}
	return s.passwordByLink(ctx, raw, PurposeSetPassword, password)
}

// passwordByLink takes the one-time link raw of purpose (it works once),
// sets the password of its account, ending every session, and returns
// the account.
func (s *Service) passwordByLink(ctx context.Context, raw, purpose, password string) (*User, error) {
	t, err := s.store.TakeUserToken(ctx, hashSecret(raw), purpose, s.clock())
	if err != nil {
		if KindOf(err) == KindNotFound {
			return nil, linkGone()
		}
		return nil, err
	}
	h, err := s.hashPassword(password)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetPassword(ctx, t.UserID, h, 0, s.clock()); err != nil {
		return nil, err
	}
	return s.store.UserByID(ctx, t.UserID)
}

// Login checks an e-mail and password. A wrong password and an unknown
// e-mail give the same error after the same work: one bcrypt comparison at
// the service's cost.
func (s *Service) Login(ctx context.Context, email, password string) (*User, error) {
	bad := Unauthorizedf("wrong e-mail or password")
	u, err := s.store.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if err != nil && KindOf(err) != KindNotFound {
		return nil, err
	}
	hash := s.unknownHash()
	known := err == nil && len(u.PasswordHash) > 0
	if known {
		hash = u.PasswordHash
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || !known {
		return nil, bad
	}
	// Only the owner of the password learns that the account is disabled.
	if err := AccountUsable(u); err != nil {
		return nil, err
	}
	return u, nil
}

// unknownHash is a hash no password matches, made once at the service's
// cost, compared against when an account has no password.
func (s *Service) unknownHash() []byte {
	s.unknownOnce.Do(func() {
		raw, _ := secret()
		s.unknown, _ = bcrypt.GenerateFromPassword([]byte(raw), s.passwordCost)
	})
	return s.unknown
}

// StartSession records a session for u and returns the cookie's secret.
func (s *Service) StartSession(ctx context.Context, u *User, userAgent string) (string, *Session, error) {
	raw, hash := secret()
	now := s.clock()
	userAgent = Storable(userAgent, 200)
	sess := &Session{Hash: hash, UserID: u.ID, UserAgent: userAgent, CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", nil, err
	}
	return raw, sess, nil
}

// SessionUser returns the session and user a cookie's secret stands for.
func (s *Service) SessionUser(ctx context.Context, raw string) (*Session, *User, error) {
	sess, err := s.store.SessionByHash(ctx, hashSecret(raw), s.clock())
	if err != nil {
		if KindOf(err) == KindNotFound {
			return nil, nil, &Error{Kind: KindUnauthorized, Message: "not logged in"}
		}
		return nil, nil, err
	}
	u, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, nil, err
	}
	if AccountUsable(u) != nil {
		return nil, nil, &Error{Kind: KindUnauthorized, Message: "not logged in"}
	}
	return sess, u, nil
}

// EndSession logs a session out; a user may end only their own.
func (s *Service) EndSession(ctx context.Context, userID, sessionID int64) error {
	return s.store.DeleteSession(ctx, userID, sessionID)
}

// Sessions lists a user's open sessions.
func (s *Service) Sessions(ctx context.Context, userID int64) ([]Session, error) {
	return s.store.ListSessions(ctx, userID, s.clock())
}

// ChangePassword replaces a password after checking the current one, and
// ends the user's other sessions.
func (s *Service) ChangePassword(ctx context.Context, u *User, current, next string, keepSession int64) error {
	if bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(current)) != nil {
		return Invalid("current_password", CodePasswordWrong)
	}
	if err := checkPassword(next); err != nil {
		return err
	}
	h, err := s.hashPassword(next)
	if err != nil {
		return err
	}
	return s.store.SetPassword(ctx, u.ID, h, keepSession, s.clock())
}

// Users lists the accounts, for the admin.
func (s *Service) Users(ctx context.Context, p Principal) ([]User, error) {
	if !p.Admin {
		return nil, Forbiddenf("only the node's admin sees every account")
	}
	return s.store.ListUsers(ctx)
}

// Audit records what p did. The services call it after each change they
// make, whichever surface asked for it (a form, the API, the command
// line). Failing to record is logged, never a reason to undo the action.
func (s *Service) Audit(ctx context.Context, p Principal, action, target, detail string) {
	actor := "command line"
	switch {
	case p.UserID != 0:
		if u, err := s.store.UserByID(ctx, p.UserID); err == nil {
			actor = u.Email
		}
	case p.TokenID != 0:
		actor = "API token " + strconv.FormatInt(p.TokenID, 10)
	case !p.Admin:
		actor = "API token"
	}
	e := &AuditEntry{At: s.clock(), UserID: p.UserID, Actor: actor, Action: action, Target: target, Detail: detail}
	if err := s.store.AddAudit(context.WithoutCancel(ctx), e); err != nil {
		s.log.ErrorContext(ctx, "could not write the audit log", slog.String("action", action), slog.String("actor", actor),
			slog.String("target", target), slog.Any("error", err))
	}
}

// AuditLog returns the newest entries, for the admin.
func (s *Service) AuditLog(ctx context.Context, p Principal, limit int) ([]AuditEntry, error) {
	if !p.Admin {
		return nil, Forbiddenf("only the node's admin reads the audit log")
	}
	return s.store.ListAudit(ctx, clampLimit(limit))
}

// Tokens lists the API tokens p may see: all for the admin, its co-op's
// for a member.
func (s *Service) Tokens(ctx context.Context, p Principal) ([]Token, error) {
	if !p.Admin && p.CoopID == 0 {
		return nil, Forbiddenf("no tokens for this account")
	}
	return s.store.ListTokens(ctx, map[bool]int64{true: 0, false: p.CoopID}[p.Admin])
}

// IssueToken makes an API token for p: a member's acts for their co-op;
// the admin's for the node, or for coopHandle when given.
func (s *Service) IssueToken(ctx context.Context, p Principal, coopHandle, label string) (string, error) {
	switch {
	case p.Admin:
	case p.CoopID != 0:
		c, err := s.Coop(ctx, coopHandle)
		if err != nil || c.ID != p.CoopID {
			return "", Forbiddenf("members make tokens for their own co-op only")
		}
	default:
		return "", Forbiddenf("no tokens for this account")
	}
	if err := checkLine("label", label, MaxName, false); err != nil {
		return "", err
	}
	raw, err := s.createToken(ctx, coopHandle, label, p.UserID)
	if err == nil {
		s.Audit(ctx, p, "token.create", coopHandle, label)
	}
	return raw, err
}

// RevokeToken deletes a token p may see.
func (s *Service) RevokeToken(ctx context.Context, p Principal, id int64) error {
	if !p.Admin && p.CoopID == 0 {
		return Forbiddenf("no tokens for this account")
	}
	if err := s.store.DeleteToken(ctx, id, map[bool]int64{true: 0, false: p.CoopID}[p.Admin]); err != nil {
		return err
	}
	s.Audit(ctx, p, "token.revoke", strconv.FormatInt(id, 10), "")
	return nil
}
