package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

var _ directory.AccountStore = (*Store)(nil)

const userCols = `u.id, u.email, u.password_hash, u.admin, u.coop_id, coalesce(c.handle, ''), u.created_at, u.updated_at`

const usersFrom = ` FROM users u LEFT JOIN coops c ON c.id = u.coop_id`

func scanUser(sc interface{ Scan(...any) error }) (*directory.User, error) {
	var u directory.User
	var coop sql.NullInt64
	var created, updated int64
	if err := sc.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Admin, &coop, &u.CoopHandle, &created, &updated); err != nil {
		return nil, err
	}
	u.CoopID, u.CreatedAt, u.UpdatedAt = coop.Int64, fromMicros(created), fromMicros(updated)
	return &u, nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// CreateUser inserts a user.
func (s *Store) CreateUser(ctx context.Context, u *directory.User) error {
	return s.tx(ctx, func(tx *wtx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, password_hash, admin, coop_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, u.Email, u.PasswordHash, u.Admin, nullID(u.CoopID),
			micros(u.CreatedAt), micros(u.UpdatedAt)).Scan(&u.ID)
		return translate("creating a user", err)
	})
}

// UserByEmail finds a user.
func (s *Store) UserByEmail(ctx context.Context, email string) (*directory.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+usersFrom+` WHERE u.email = ?`, email))
	return u, translate("user", err)
}

// UserByID finds a user.
func (s *Store) UserByID(ctx context.Context, id int64) (*directory.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+usersFrom+` WHERE u.id = ?`, id))
	return u, translate("user", err)
}

// ListUsers returns every user by e-mail.
func (s *Store) ListUsers(ctx context.Context) ([]directory.User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+userCols+usersFrom+` ORDER BY u.email`)
	if err != nil {
		return nil, translate("listing users", err)
	}
	defer rows.Close()
	out := []directory.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, translate("listing users", err)
		}
		out = append(out, *u)
	}
	return out, translate("listing users", rows.Err())
}

// SetPassword stores a password hash and ends the user's other sessions.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash []byte, keep int64, at time.Time) error {
	return s.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, micros(at), userID)
		if err != nil {
			return translate("setting a password", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.NotFoundf("no user %d", userID)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keep)
		return translate("ending sessions", err)
	})
}

// AddUserToken stores a one-time link's hash.
func (s *Store) AddUserToken(ctx context.Context, t *directory.UserToken) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO user_tokens (hash, user_id, purpose, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`,
			t.Hash, t.UserID, t.Purpose, micros(t.ExpiresAt), micros(t.CreatedAt))
		return translate("storing a link", err)
	})
}

// TakeUserToken removes and returns an unexpired token.
func (s *Store) TakeUserToken(ctx context.Context, hash []byte, purpose string, now time.Time) (*directory.UserToken, error) {
	var t directory.UserToken
	err := s.tx(ctx, func(tx *wtx) error {
		var exp, created int64
		err := tx.QueryRowContext(ctx, `DELETE FROM user_tokens WHERE hash = ? AND purpose = ? AND expires_at > ?
			RETURNING hash, user_id, purpose, expires_at, created_at`, hash, purpose, micros(now)).
			Scan(&t.Hash, &t.UserID, &t.Purpose, &exp, &created)
		t.ExpiresAt, t.CreatedAt = fromMicros(exp), fromMicros(created)
		return translate("link", err)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, sess *directory.Session) error {
	return s.tx(ctx, func(tx *wtx) error {
		// Expired sessions go as new ones come.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, micros(sess.CreatedAt)); err != nil {
			return translate("ending old sessions", err)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO sessions (hash, user_id, user_agent, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, sess.Hash, sess.UserID, sess.UserAgent, micros(sess.CreatedAt),
			micros(sess.ExpiresAt)).Scan(&sess.ID)
		return translate("starting a session", err)
	})
}

func scanSession(sc interface{ Scan(...any) error }) (*directory.Session, error) {
	var sess directory.Session
	var created, exp int64
	if err := sc.Scan(&sess.ID, &sess.Hash, &sess.UserID, &sess.UserAgent, &created, &exp); err != nil {
		return nil, err
	}
	sess.CreatedAt, sess.ExpiresAt = fromMicros(created), fromMicros(exp)
	return &sess, nil
}

const sessionCols = `id, hash, user_id, user_agent, created_at, expires_at`

// SessionByHash returns an unexpired session.
func (s *Store) SessionByHash(ctx context.Context, hash []byte, now time.Time) (*directory.Session, error) {
	sess, err := scanSession(s.r.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE hash = ? AND expires_at > ?`, hash, micros(now)))
	return sess, translate("session", err)
}

// ListSessions returns a user's unexpired sessions, newest first.
func (s *Store) ListSessions(ctx context.Context, userID int64, now time.Time) ([]directory.Session, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, id DESC`,
		userID, micros(now))
	if err != nil {
		return nil, translate("listing sessions", err)
	}
	defer rows.Close()
	out := []directory.Session{}
	for rows.Next() {
		sess, err := scanSession(rows)
		if err != nil {
			return nil, translate("listing sessions", err)
		}
		out = append(out, *sess)
	}
	return out, translate("listing sessions", rows.Err())
}

// DeleteSession ends one of a user's sessions.
func (s *Store) DeleteSession(ctx context.Context, userID, id int64) error {
	return s.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return translate("ending a session", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.NotFoundf("no such session")
		}
		return nil
	})
}

// AddAudit appends to the audit log.
func (s *Store) AddAudit(ctx context.Context, e *directory.AuditEntry) error {
	return s.tx(ctx, func(tx *wtx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO audit_log (at, user_id, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			micros(e.At), nullID(e.UserID), e.Actor, e.Action, e.Target, e.Detail).Scan(&e.ID)
		return translate("writing the audit log", err)
	})
}

// ListAudit returns the newest entries first.
func (s *Store) ListAudit(ctx context.Context, limit int) ([]directory.AuditEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, user_id, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, translate("reading the audit log", err)
	}
	defer rows.Close()
	out := []directory.AuditEntry{}
	for rows.Next() {
		var e directory.AuditEntry
		var at int64
		var user sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &user, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, translate("reading the audit log", err)
		}
		e.At, e.UserID = fromMicros(at), user.Int64
		out = append(out, e)
	}
	return out, translate("reading the audit log", rows.Err())
}

// ListTokens returns API tokens, newest first.
func (s *Store) ListTokens(ctx context.Context, coopID int64) ([]directory.Token, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, coop_id, label, created_at FROM tokens WHERE ? = 0 OR coop_id = ? ORDER BY id DESC`, coopID, coopID)
	if err != nil {
		return nil, translate("listing tokens", err)
	}
	defer rows.Close()
	out := []directory.Token{}
	for rows.Next() {
		var t directory.Token
		var coop sql.NullInt64
		var created int64
		if err := rows.Scan(&t.ID, &coop, &t.Label, &created); err != nil {
			return nil, translate("listing tokens", err)
		}
		t.CoopID, t.CreatedAt = coop.Int64, fromMicros(created)
		out = append(out, t)
	}
	return out, translate("listing tokens", rows.Err())
}

// DeleteToken revokes a token.
func (s *Store) DeleteToken(ctx context.Context, id, coopID int64) error {
	return s.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE id = ? AND (? = 0 OR coop_id = ?)`, id, coopID, coopID)
		if err != nil {
			return translate("revoking a token", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.NotFoundf("no such token")
		}
		return nil
	})
}

var _ directory.LogoStore = (*Store)(nil)

// PutLogo stores a co-op's logo and queues an update of its actor.
func (s *Store) PutLogo(ctx context.Context, coopID int64, l *directory.Logo) error {
	return s.tx(ctx, func(tx *wtx) error {
		var apid string
		if err := tx.QueryRowContext(ctx, `UPDATE coops SET updated_at = ? WHERE id = ? AND local = 1 RETURNING ap_id`,
			micros(l.UpdatedAt), coopID).Scan(&apid); err != nil {
			return translate("co-op", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO coop_logos (coop_id, content_type, data, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (coop_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at`,
			coopID, l.ContentType, l.Data, micros(l.UpdatedAt)); err != nil {
			return translate("storing a logo", err)
		}
		return addEvent(ctx, tx, directory.EventCoopUpdate, apid, apid, l.UpdatedAt)
	})
}

// Logo returns a co-op's logo.
func (s *Store) Logo(ctx context.Context, coopID int64) (*directory.Logo, error) {
	var l directory.Logo
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT content_type, data, updated_at FROM coop_logos WHERE coop_id = ?`, coopID).
		Scan(&l.ContentType, &l.Data, &at)
	if err != nil {
		return nil, translate("logo", err)
	}
	l.UpdatedAt = fromMicros(at)
	return &l, nil
}

var _ directory.DraftStore = (*Store)(nil)

// SaveDraft inserts or replaces a draft.
func (s *Store) SaveDraft(ctx context.Context, d *directory.JobDraft) error {
	fields, err := json.Marshal(d.Fields)
	if err != nil {
		return directory.Internal("saving a draft", err)
	}
	return s.tx(ctx, func(tx *wtx) error {
		if d.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO job_drafts (coop_id, title, fields, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
				d.CoopID, d.Title, string(fields), micros(d.UpdatedAt)).Scan(&d.ID)
			return translate("saving a draft", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE job_drafts SET title = ?, fields = ?, updated_at = ? WHERE id = ? AND coop_id = ?`,
			d.Title, string(fields), micros(d.UpdatedAt), d.ID, d.CoopID)
		if err != nil {
			return translate("saving a draft", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.NotFoundf("no such draft")
		}
		return nil
	})
}

func scanDraft(sc interface{ Scan(...any) error }) (*directory.JobDraft, error) {
	var d directory.JobDraft
	var fields string
	var at int64
	if err := sc.Scan(&d.ID, &d.CoopID, &d.Title, &fields, &at); err != nil {
		return nil, err
	}
	d.UpdatedAt = fromMicros(at)
	if err := json.Unmarshal([]byte(fields), &d.Fields); err != nil {
		return nil, err
	}
	return &d, nil
}

// Drafts lists a co-op's drafts, newest first.
func (s *Store) Drafts(ctx context.Context, coopID int64) ([]directory.JobDraft, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, coop_id, title, fields, updated_at FROM job_drafts WHERE coop_id = ? ORDER BY id DESC`, coopID)
	if err != nil {
		return nil, translate("listing drafts", err)
	}
	defer rows.Close()
	out := []directory.JobDraft{}
	for rows.Next() {
		d, err := scanDraft(rows)
		if err != nil {
			return nil, translate("listing drafts", err)
		}
		out = append(out, *d)
	}
	return out, translate("listing drafts", rows.Err())
}

// Draft returns one of a co-op's drafts.
func (s *Store) Draft(ctx context.Context, coopID, id int64) (*directory.JobDraft, error) {
	d, err := scanDraft(s.r.QueryRowContext(ctx, `SELECT id, coop_id, title, fields, updated_at FROM job_drafts WHERE id = ? AND coop_id = ?`, id, coopID))
	return d, translate("draft", err)
}

// DeleteDraft removes one of a co-op's drafts.
func (s *Store) DeleteDraft(ctx context.Context, coopID, id int64) error {
	return s.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM job_drafts WHERE id = ? AND coop_id = ?`, id, coopID)
		if err != nil {
			return translate("deleting a draft", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.NotFoundf("no such draft")
		}
		return nil
	})
}
