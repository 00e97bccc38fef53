package directory

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Mail is one message in the outbox, already written in its recipient's
// language: a plain-text body and the same in HTML.
type Mail struct {
	ID      int64
	To      string
	Subject string
	Text    string
	HTML    string
	// State is MailPending, MailSent or MailFailed.
	State         string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	// DoneAt is when the mail was sent or given up; zero while pending.
	DoneAt    time.Time
	CreatedAt time.Time
	// ListUnsubscribe, when set, is the URL of the mail's one-click
	// unsubscribe (RFC 8058), sent in its List-Unsubscribe header.
	ListUnsubscribe string
	// AlertID is the e-mail alert the mail is for; 0 for other mails.
	AlertID int64
}

// States of a mail in the outbox.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed"
)

// MailStore keeps the mail outbox and the account details mails depend
// on.
type MailStore interface {
	// EnqueueMail stores a pending mail due at m.NextAttemptAt and fills
	// in its ID.
	EnqueueMail(ctx context.Context, m *Mail) error
	// ClaimMails takes up to limit pending mails due at now, oldest
	// first, and hides them from other claimers until now+lease: a
	// claimer that dies leaves them to be claimed again then. Claimers
	// side by side, in one process or several, never take the same mail
	// in one lease.
	ClaimMails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Mail, error)
	// ClaimMail is ClaimMails for the one mail id; KindNotFound when it
	// is not pending and due (another claimer has it, or it is done).
	ClaimMail(ctx context.Context, id int64, now time.Time, lease time.Duration) (*Mail, error)
	// MailSent marks a mail sent and forgets its body, which may hold a
	// one-time link.
	MailSent(ctx context.Context, id int64, at time.Time) error
	// MailRetry records a failed attempt and when to try again.
	MailRetry(ctx context.Context, id int64, attempts int, next time.Time, lastError string) error
	// MailFailed gives up on a mail and forgets its body.
	MailFailed(ctx context.Context, id int64, attempts int, lastError string, at time.Time) error
	// MailBounced gives up on a mail its recipient's server refused for
	// good (a 5xx answer) and marks the confirmed e-mail alert it was
	// for, if any, bounced.
	MailBounced(ctx context.Context, id int64, attempts int, lastError string, at time.Time) error
	// Mails lists the mails in a state, newest first.
	Mails(ctx context.Context, state string, limit int) ([]Mail, error)

	// SetUserLanguage records the language mails to a user are written
	// in.
	SetUserLanguage(ctx context.Context, userID int64, lang string) error
	// SetUserEmail changes a user's e-mail; KindConflict when another
	// account has it.
	SetUserEmail(ctx context.Context, userID int64, email string, at time.Time) error
	// UserToken returns an unexpired one-time link of purpose without
	// using it up; KindNotFound when there is none.
	UserToken(ctx context.Context, hash []byte, purpose string, now time.Time) (*UserToken, error)
}

// Mailer writes and queues the mails the service sends. A service
// without one sends none: links are then passed on by hand.
type Mailer interface {
	// Invitation mails a new account its link to set a first password.
	Invitation(ctx context.Context, to *User, secret string) error
	// PasswordReset mails an account its link to set a new password.
	PasswordReset(ctx context.Context, to *User, secret string) error
	// EmailChanged tells the old address that the account's e-mail is now
	// u.Email.
	EmailChanged(ctx context.Context, u *User, oldEmail string) error
}

// Languages mails are written in; the first is the default.
var mailLanguages = []string{"en", "es"}

// MailLanguage returns lang when mails can be written in it, else "".
func MailLanguage(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	for _, l := range mailLanguages {
		if l == lang {
			return l
		}
	}
	return ""
}

// Reset links.
const (
	PurposeResetPassword = "reset_password"
	// ResetLifetime is how long a password reset link works.
	ResetLifetime = time.Hour
)

// SetMailer makes the service mail invitations, reset links and notices
// through m. Call it while wiring.
func (s *Service) SetMailer(m Mailer) { s.mailer = m }

// Mailing reports whether the service sends mail.
func (s *Service) Mailing() bool { return s.mailer != nil }

// mailInvitation queues u's invitation. A mail that cannot be queued is
// logged: the invitation stands, and its link is shown to the inviter.
func (s *Service) mailInvitation(ctx context.Context, u *User, raw string) {
	if s.mailer == nil {
		return
	}
	if err := s.mailer.Invitation(ctx, u, raw); err != nil {
		s.log.ErrorContext(ctx, "could not queue an invitation mail", slog.String("to", u.Email), slog.Any("error", err))
	}
}

// mailReset queues a password reset link for u, when the node sends
// mail: what an admin's "send a reset link" does besides showing one. A
// mail that cannot be queued is logged; the shown link still works.
func (s *Service) mailReset(ctx context.Context, u *User) {
	if s.mailer == nil {
		return
	}
	now := s.clock()
	raw, hash := secret()
	err := s.store.AddUserToken(ctx, &UserToken{Hash: hash, UserID: u.ID, Purpose: PurposeResetPassword,
		ExpiresAt: now.Add(ResetLifetime), CreatedAt: now})
	if err == nil {
		err = s.mailer.PasswordReset(ctx, u, raw)
	}
	if err != nil {
		s.log.ErrorContext(ctx, "could not queue a password reset mail", slog.String("to", u.Email), slog.Any("error", err))
	}
}

// inviterLanguage is the language of the person behind p, which a new
// account invited by them starts with.
func (s *Service) inviterLanguage(ctx context.Context, p Principal) string {
	if p.UserID == 0 {
		return ""
	}
	if u, err := s.store.UserByID(ctx, p.UserID); err == nil {
		return u.Language
	}
	return ""
}

// SetLanguage records the language the user reads pages in, for the mails
// they get; a language mails are not written in is ignored.
func (s *Service) SetLanguage(ctx context.Context, u *User, lang string) error {
	lang = MailLanguage(lang)
	if lang == "" || lang == u.Language {
		return nil
	}
	if err := s.store.SetUserLanguage(ctx, u.ID, lang); err != nil {
		return err
	}
	u.Language = lang
	return nil
}

// resettable says whether an account may set a password through a reset
// link. Every reset, asked for or used, passes here: an account that may
// not sign in (a disabled one) is refused here, in one place.
func resettable(u *User) error {
	return AccountUsable(u)
}

// RequestPasswordReset mails a reset link to email when an account has it
// and the node sends mail. It answers the same whether or not the address
// has an account, so that the answer tells nothing.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email, err := normalizeEmail(email)
	if err != nil {
		return err
	}
	if s.mailer == nil {
		return nil
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil {
		if KindOf(err) == KindNotFound {
			return nil
		}
		return err
	}
	if resettable(u) != nil {
		return nil
	}
	now := s.clock()
	raw, hash := secret()
	if err := s.store.AddUserToken(ctx, &UserToken{Hash: hash, UserID: u.ID, Purpose: PurposeResetPassword,
		ExpiresAt: now.Add(ResetLifetime), CreatedAt: now}); err != nil {
		return err
	}
	if err := s.mailer.PasswordReset(ctx, u, raw); err != nil {
		return err
	}
	s.Audit(ctx, u.Principal(), "user.reset_request", u.Email, "")
	return nil
}

// linkGone is the answer to a reset link used already, expired or never
// made.
func linkGone() error { return NotFoundf("this link has expired or was used already") }

// ResetLinkUser returns the account a reset link is for, leaving the link
// usable.
func (s *Service) ResetLinkUser(ctx context.Context, raw string) (*User, error) {
	t, err := s.store.UserToken(ctx, hashSecret(raw), PurposeResetPassword, s.clock())
	if err != nil {
		if KindOf(err) == KindNotFound {
			return nil, linkGone()
		}
		return nil, err
	}
	u, err := s.store.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if err := resettable(u); err != nil {
		return nil, err
	}
	return u, nil
}

// ResetPassword sets a new password through a reset link, which works
// once, and ends every session of the account.
func (s *Service) ResetPassword(ctx context.Context, raw, password string) (*User, error) {
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	if _, err := s.ResetLinkUser(ctx, raw); err != nil {
		return nil, err
	}
	u, err := s.passwordByLink(ctx, raw, PurposeResetPassword, password)
	if err != nil {
		return nil, err
	}
	s.Audit(ctx, u.Principal(), "user.reset_password", u.Email, "")
	return u, nil
}

// ChangeEmail gives u's account a new e-mail after checking the current
// password, and tells the old address.
func (s *Service) ChangeEmail(ctx context.Context, u *User, email, password string) error {
	if bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(password)) != nil {
		return Invalid("current_password", CodePasswordWrong)
	}
	email, err := normalizeEmail(email)
	if err != nil {
		return err
	}
	if email == u.Email {
		return nil
	}
	if err := s.store.SetUserEmail(ctx, u.ID, email, s.clock()); err != nil {
		if KindOf(err) == KindConflict {
			return Conflict("email", CodeAccountExists, email)
		}
		return err
	}
	old := u.Email
	u.Email = email
	s.Audit(ctx, u.Principal(), "user.email", old, email)
	if s.mailer != nil {
		if err := s.mailer.EmailChanged(ctx, u, old); err != nil {
			s.log.ErrorContext(ctx, "could not queue an e-mail change notice", slog.String("to", old), slog.Any("error", err))
		}
	}
	return nil
}

// MailOutbox lists the outbox's mails in a state (MailPending,
// MailFailed, MailSent), newest first, for the admin.
func (s *Service) MailOutbox(ctx context.Context, p Principal, state string) ([]Mail, error) {
	if !p.Admin {
		return nil, Forbiddenf("only the node's admin reads the mail outbox")
	}
	return s.store.Mails(ctx, state, 50)
}
