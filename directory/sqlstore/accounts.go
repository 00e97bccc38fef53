package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

var _ directory.AccountStore = (*Store)(nil)

const userCols = `u.id, u.email, u.password_hash, u.admin, coalesce(u.coop_id, 0), coalesce(c.handle, ''), u.created_at, u.updated_at,
	u.disabled_at, u.last_login_at, u.language`

const usersFrom = ` FROM users u LEFT JOIN coops c ON c.id = u.coop_id`

func (s *Store) scanUser(sc interface{ Scan(...any) error }) (*directory.User, error) {
	var u directory.User
	if err := sc.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Admin, &u.CoopID, &u.CoopHandle,
		s.d.ScanTime(&u.CreatedAt), s.d.ScanTime(&u.UpdatedAt), s.d.ScanTime(&u.DisabledAt), s.d.ScanTime(&u.LastLoginAt), &u.Language); err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUser inserts a user.
func (s *Store) CreateUser(ctx context.Context, u *directory.User) error {
	return s.tx(ctx, func(tx *conn) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, password_hash, admin, coop_id, created_at, updated_at, language)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Email, u.PasswordHash, u.Admin, nullID(u.CoopID),
			s.d.Time(u.CreatedAt), s.d.Time(u.UpdatedAt), u.Language).Scan(&u.ID)
		return s.translate("creating a user", err)
	})
}

// UserByEmail finds a user.
func (s *Store) UserByEmail(ctx context.Context, email string) (*directory.User, error) {
	u, err := s.scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+usersFrom+` WHERE u.email = ?`, email))
	return u, s.translate("user", err)
}

// UserByID finds a user.
func (s *Store) UserByID(ctx context.Context, id int64) (*directory.User, error) {
	u, err := s.scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+usersFrom+` WHERE u.id = ?`, id))
	return u, s.translate("user", err)
}

// ListUsers returns every user by e-mail.
func (s *Store) ListUsers(ctx context.Context) ([]directory.User, error) {
	return collect(s, "listing users", s.scanUser)(s.r.QueryContext(ctx, `SELECT `+userCols+usersFrom+` ORDER BY u.email`))
}

// SetPassword stores a password hash and ends the user's other sessions.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash []byte, keep int64, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		if err := s.one(ctx, tx, "setting a password", directory.NotFoundf("no user %d", userID), `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, s.d.Time(at), userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keep)
		return s.translate("ending sessions", err)
	})
}

// AddUserToken stores a one-time link's hash.
func (s *Store) AddUserToken(ctx context.Context, t *directory.UserToken) error {
	return s.exec(ctx, "storing a link", `INSERT INTO user_tokens (hash, user_id, purpose, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`,
		t.Hash, t.UserID, t.Purpose, s.d.Time(t.ExpiresAt), s.d.Time(t.CreatedAt))
}

// TakeUserToken removes and returns an unexpired token.
func (s *Store) TakeUserToken(ctx context.Context, hash []byte, purpose string, now time.Time) (*directory.UserToken, error) {
	var t directory.UserToken
	err := s.tx(ctx, func(tx *conn) error {
		err := tx.QueryRowContext(ctx, `DELETE FROM user_tokens WHERE hash = ? AND purpose = ? AND expires_at > ?
			RETURNING hash, user_id, purpose, expires_at, created_at`, hash, purpose, s.d.Time(now)).
			Scan(&t.Hash, &t.UserID, &t.Purpose, s.d.ScanTime(&t.ExpiresAt), s.d.ScanTime(&t.CreatedAt))
		return s.translate("link", err)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, sess *directory.Session) error {
	return s.tx(ctx, func(tx *conn) error {
		// Expired sessions go as new ones come.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, s.d.Time(sess.CreatedAt)); err != nil {
			return s.translate("ending old sessions", err)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO sessions (hash, user_id, user_agent, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, sess.Hash, sess.UserID, sess.UserAgent, s.d.Time(sess.CreatedAt),
			s.d.Time(sess.ExpiresAt)).Scan(&sess.ID)
		if err != nil {
			return s.translate("starting a session", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, s.d.Time(sess.CreatedAt), sess.UserID)
		return s.translate("recording a sign-in", err)
	})
}

func (s *Store) scanSession(sc interface{ Scan(...any) error }) (*directory.Session, error) {
	var sess directory.Session
	if err := sc.Scan(&sess.ID, &sess.Hash, &sess.UserID, &sess.UserAgent, s.d.ScanTime(&sess.CreatedAt), s.d.ScanTime(&sess.ExpiresAt)); err != nil {
		return nil, err
	}
	return &sess, nil
}

const sessionCols = `id, hash, user_id, user_agent, created_at, expires_at`

// SessionByHash returns an unexpired session.
func (s *Store) SessionByHash(ctx context.Context, hash []byte, now time.Time) (*directory.Session, error) {
	sess, err := s.scanSession(s.r.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE hash = ? AND expires_at > ?`, hash, s.d.Time(now)))
	return sess, s.translate("session", err)
}

// ListSessions returns a user's unexpired sessions, newest first.
func (s *Store) ListSessions(ctx context.Context, userID int64, now time.Time) ([]directory.Session, error) {
	return collect(s, "listing sessions", s.scanSession)(s.r.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, id DESC`,
		userID, s.d.Time(now)))
}

// DeleteSession ends one of a user's sessions.
func (s *Store) DeleteSession(ctx context.Context, userID, id int64) error {
	return s.execOne(ctx, "ending a session", directory.NotFoundf("no such session"), `DELETE FROM sessions WHERE id = ? AND user_id = ?`, id, userID)
}

// AddAudit appends to the audit log.
func (s *Store) AddAudit(ctx context.Context, e *directory.AuditEntry) error {
	return s.tx(ctx, func(tx *conn) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO audit_log (at, user_id, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			s.d.Time(e.At), nullID(e.UserID), e.Actor, e.Action, e.Target, e.Detail).Scan(&e.ID)
		return s.translate("writing the audit log", err)
	})
}

// ListAudit returns the newest entries first.
func (s *Store) ListAudit(ctx context.Context, limit int) ([]directory.AuditEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, coalesce(user_id, 0), actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, s.translate("reading the audit log", err)
	}
	defer rows.Close()
	out := []directory.AuditEntry{}
	for rows.Next() {
		var e directory.AuditEntry
		if err := rows.Scan(&e.ID, s.d.ScanTime(&e.At), &e.UserID, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, s.translate("reading the audit log", err)
		}
		out = append(out, e)
	}
	return out, s.translate("reading the audit log", rows.Err())
}

// ListTokens returns API tokens, newest first.
func (s *Store) ListTokens(ctx context.Context, coopID int64) ([]directory.Token, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, coalesce(coop_id, 0), coalesce(user_id, 0), label, created_at FROM tokens WHERE ? = 0 OR coop_id = ? ORDER BY id DESC`, coopID, coopID)
	if err != nil {
		return nil, s.translate("listing tokens", err)
	}
	defer rows.Close()
	out := []directory.Token{}
	for rows.Next() {
		var t directory.Token
		if err := rows.Scan(&t.ID, &t.CoopID, &t.UserID, &t.Label, s.d.ScanTime(&t.CreatedAt)); err != nil {
			return nil, s.translate("listing tokens", err)
		}
		out = append(out, t)
	}
	return out, s.translate("listing tokens", rows.Err())
}

// DeleteToken revokes a token.
func (s *Store) DeleteToken(ctx context.Context, id, coopID int64) error {
	return s.execOne(ctx, "revoking a token", directory.NotFoundf("no such token"), `DELETE FROM tokens WHERE id = ? AND (? = 0 OR coop_id = ?)`, id, coopID, coopID)
}

// SetUserRole makes a user a node admin (coopID 0) or a member of a co-op.
func (s *Store) SetUserRole(ctx context.Context, id int64, admin bool, coopID int64, at time.Time) error {
	return s.execOne(ctx, "changing a role", directory.NotFoundf("no user %d", id), `UPDATE users SET admin = ?, coop_id = ?, updated_at = ? WHERE id = ?`,
		admin, nullID(coopID), s.d.Time(at), id)
}

// SetUserDisabled disables a user from disabledAt, ending every session
// in the same transaction, or with the zero time enables it again.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabledAt, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		if err := s.one(ctx, tx, "disabling a user", directory.NotFoundf("no user %d", id), `UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?`,
			s.d.NullTime(disabledAt), s.d.Time(at), id); err != nil {
			return err
		}
		if disabledAt.IsZero() {
			return nil
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		return s.translate("ending sessions", err)
	})
}

// DeleteUser removes a user with its sessions, one-time links and the API
// tokens it made.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	return s.execOne(ctx, "deleting a user", directory.NotFoundf("no user %d", id), `DELETE FROM users WHERE id = ?`, id)
}

// DeleteUserTokens removes every one-time link of a user.
func (s *Store) DeleteUserTokens(ctx context.Context, userID int64) error {
	return s.exec(ctx, "removing links", `DELETE FROM user_tokens WHERE user_id = ?`, userID)
}

// UserTokenByHash returns an unexpired one-time link without using it up.
func (s *Store) UserTokenByHash(ctx context.Context, hash []byte, purpose string, now time.Time) (*directory.UserToken, error) {
	var t directory.UserToken
	err := s.r.QueryRowContext(ctx, `SELECT hash, user_id, purpose, expires_at, created_at FROM user_tokens WHERE hash = ? AND purpose = ? AND expires_at > ?`,
		hash, purpose, s.d.Time(now)).Scan(&t.Hash, &t.UserID, &t.Purpose, s.d.ScanTime(&t.ExpiresAt), s.d.ScanTime(&t.CreatedAt))
	if err != nil {
		return nil, s.translate("link", err)
	}
	return &t, nil
}

var _ directory.LogoStore = (*Store)(nil)

// PutLogo stores a co-op's logo and queues an update of its actor.
func (s *Store) PutLogo(ctx context.Context, coopID int64, l *directory.Logo) error {
	return s.tx(ctx, func(tx *conn) error {
		var apid string
		err := tx.QueryRowContext(ctx, `UPDATE coops SET updated_at = ? WHERE id = ? AND local AND NOT suspended RETURNING ap_id`,
			s.d.Time(l.UpdatedAt), coopID).Scan(&apid)
		if err == sql.ErrNoRows {
			return s.notPublishing(ctx, tx, coopID)
		}
		if err != nil {
			return s.translate("co-op", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO coop_logos (coop_id, content_type, data, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (coop_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at`,
			coopID, l.ContentType, l.Data, s.d.Time(l.UpdatedAt)); err != nil {
			return s.translate("storing a logo", err)
		}
		return s.addEvent(ctx, tx, directory.EventCoopUpdate, apid, apid, l.UpdatedAt)
	})
}

// PutRemoteLogo caches a remote co-op's logo. Nothing federates: the
// logo is another node's.
func (s *Store) PutRemoteLogo(ctx context.Context, coopID int64, l *directory.Logo) error {
	return s.tx(ctx, func(tx *conn) error {
		var local bool
		err := tx.QueryRowContext(ctx, `SELECT local FROM coops WHERE id = ?`, coopID).Scan(&local)
		if err != nil {
			return s.translate("co-op", err)
		}
		if local {
			return directory.Forbiddenf("co-op %d is local: its members set its logo", coopID)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO coop_logos (coop_id, content_type, data, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (coop_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at`,
			coopID, l.ContentType, l.Data, s.d.Time(l.UpdatedAt)); err != nil {
			return s.translate("storing a logo", err)
		}
		return nil
	})
}

// LogoTimes returns when each of the co-ops' logos was stored.
func (s *Store) LogoTimes(ctx context.Context, coopIDs []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	if len(coopIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(coopIDs))
	marks := make([]string, len(coopIDs))
	for i, id := range coopIDs {
		args[i], marks[i] = id, "?"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT coop_id, updated_at FROM coop_logos WHERE coop_id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, s.translate("logos", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, s.d.ScanTime(&at)); err != nil {
			return nil, s.translate("logos", err)
		}
		out[id] = at
	}
	return out, s.translate("logos", rows.Err())
}

// Logo returns a co-op's logo.
func (s *Store) Logo(ctx context.Context, coopID int64) (*directory.Logo, error) {
	var l directory.Logo
	err := s.r.QueryRowContext(ctx, `SELECT content_type, data, updated_at FROM coop_logos WHERE coop_id = ?`, coopID).
		Scan(&l.ContentType, &l.Data, s.d.ScanTime(&l.UpdatedAt))
	if err != nil {
		return nil, s.translate("logo", err)
	}
	return &l, nil
}

var _ directory.DraftStore = (*Store)(nil)

// SaveDraft inserts or replaces a draft.
func (s *Store) SaveDraft(ctx context.Context, d *directory.JobDraft) error {
	fields, err := json.Marshal(d.Fields)
	if err != nil {
		return directory.Internal("saving a draft", err)
	}
	return s.tx(ctx, func(tx *conn) error {
		if d.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO job_drafts (coop_id, title, fields, updated_at, closed_from) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				d.CoopID, d.Title, string(fields), s.d.Time(d.UpdatedAt), d.ClosedFrom).Scan(&d.ID)
			return s.translate("saving a draft", err)
		}
		if err := s.one(ctx, tx, "saving a draft", directory.NotFoundf("no such draft"), `UPDATE job_drafts SET title = ?, fields = ?, updated_at = ?, closed_from = ? WHERE id = ? AND coop_id = ?`,
			d.Title, string(fields), s.d.Time(d.UpdatedAt), d.ClosedFrom, d.ID, d.CoopID); err != nil {
			return err
		}
		return nil
	})
}

func (s *Store) scanDraft(sc interface{ Scan(...any) error }) (*directory.JobDraft, error) {
	var d directory.JobDraft
	var fields string
	if err := sc.Scan(&d.ID, &d.CoopID, &d.Title, &fields, s.d.ScanTime(&d.UpdatedAt), &d.ClosedFrom); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(fields), &d.Fields); err != nil {
		return nil, err
	}
	return &d, nil
}

// Drafts lists a co-op's drafts, newest first.
func (s *Store) Drafts(ctx context.Context, coopID int64) ([]directory.JobDraft, error) {
	return collect(s, "listing drafts", s.scanDraft)(s.r.QueryContext(ctx, `SELECT id, coop_id, title, fields, updated_at, closed_from FROM job_drafts WHERE coop_id = ? ORDER BY id DESC`, coopID))
}

// Draft returns one of a co-op's drafts.
func (s *Store) Draft(ctx context.Context, coopID, id int64) (*directory.JobDraft, error) {
	d, err := s.scanDraft(s.r.QueryRowContext(ctx, `SELECT id, coop_id, title, fields, updated_at, closed_from FROM job_drafts WHERE id = ? AND coop_id = ?`, id, coopID))
	return d, s.translate("draft", err)
}

// DeleteDraft removes one of a co-op's drafts.
func (s *Store) DeleteDraft(ctx context.Context, coopID, id int64) error {
	return s.execOne(ctx, "deleting a draft", directory.NotFoundf("no such draft"), `DELETE FROM job_drafts WHERE id = ? AND coop_id = ?`, id, coopID)
}
