package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/colmena-coop/colmena/directory"
)

var _ directory.AccountStore = (*Store)(nil)

const userCols = `u.id, u.email, u.password_hash, u.admin, coalesce(u.coop_id, 0), coalesce(c.handle, ''), u.created_at, u.updated_at`

const usersFrom = ` FROM users u LEFT JOIN coops c ON c.id = u.coop_id`

func scanUser(row pgx.Row) (*directory.User, error) {
	var u directory.User
	if err := row.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Admin, &u.CoopID, &u.CoopHandle, &u.CreatedAt, &u.UpdatedAt); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// CreateUser inserts a user.
func (s *Store) CreateUser(ctx context.Context, u *directory.User) error {
	err := s.pool.QueryRow(ctx, `INSERT INTO users (email, password_hash, admin, coop_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, u.Email, u.PasswordHash, u.Admin, nullID(u.CoopID), u.CreatedAt, u.UpdatedAt).Scan(&u.ID)
	return translate("creating a user", err)
}

// UserByEmail finds a user.
func (s *Store) UserByEmail(ctx context.Context, email string) (*directory.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+usersFrom+` WHERE u.email = $1`, email))
	return u, translate("user", err)
}

// UserByID finds a user.
func (s *Store) UserByID(ctx context.Context, id int64) (*directory.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+usersFrom+` WHERE u.id = $1`, id))
	return u, translate("user", err)
}

// ListUsers returns every user by e-mail.
func (s *Store) ListUsers(ctx context.Context) ([]directory.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userCols+usersFrom+` ORDER BY u.email`)
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
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, at, userID)
		if err != nil {
			return translate("setting a password", err)
		}
		if tag.RowsAffected() == 0 {
			return directory.NotFoundf("no user %d", userID)
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, userID, keep)
		return translate("ending sessions", err)
	})
}

// AddUserToken stores a one-time link's hash.
func (s *Store) AddUserToken(ctx context.Context, t *directory.UserToken) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO user_tokens (hash, user_id, purpose, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)`,
		t.Hash, t.UserID, t.Purpose, t.ExpiresAt, t.CreatedAt)
	return translate("storing a link", err)
}

// TakeUserToken removes and returns an unexpired token.
func (s *Store) TakeUserToken(ctx context.Context, hash []byte, purpose string, now time.Time) (*directory.UserToken, error) {
	var t directory.UserToken
	err := s.pool.QueryRow(ctx, `DELETE FROM user_tokens WHERE hash = $1 AND purpose = $2 AND expires_at > $3
		RETURNING hash, user_id, purpose, expires_at, created_at`, hash, purpose, now).
		Scan(&t.Hash, &t.UserID, &t.Purpose, &t.ExpiresAt, &t.CreatedAt)
	if err != nil {
		return nil, translate("link", err)
	}
	return &t, nil
}

// CreateSession stores a session, dropping expired ones.
func (s *Store) CreateSession(ctx context.Context, sess *directory.Session) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, sess.CreatedAt); err != nil {
			return translate("ending old sessions", err)
		}
		err := tx.QueryRow(ctx, `INSERT INTO sessions (hash, user_id, user_agent, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, sess.Hash, sess.UserID, sess.UserAgent, sess.CreatedAt, sess.ExpiresAt).Scan(&sess.ID)
		return translate("starting a session", err)
	})
}

const sessionCols = `id, hash, user_id, user_agent, created_at, expires_at`

func scanSession(row pgx.Row) (*directory.Session, error) {
	var sess directory.Session
	if err := row.Scan(&sess.ID, &sess.Hash, &sess.UserID, &sess.UserAgent, &sess.CreatedAt, &sess.ExpiresAt); err != nil {
		return nil, err
	}
	sess.CreatedAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.ExpiresAt.UTC()
	return &sess, nil
}

// SessionByHash returns an unexpired session.
func (s *Store) SessionByHash(ctx context.Context, hash []byte, now time.Time) (*directory.Session, error) {
	sess, err := scanSession(s.pool.QueryRow(ctx, `SELECT `+sessionCols+` FROM sessions WHERE hash = $1 AND expires_at > $2`, hash, now))
	return sess, translate("session", err)
}

// ListSessions returns a user's unexpired sessions, newest first.
func (s *Store) ListSessions(ctx context.Context, userID int64, now time.Time) ([]directory.Session, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+sessionCols+` FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, id DESC`,
		userID, now)
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
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return translate("ending a session", err)
	}
	if tag.RowsAffected() == 0 {
		return directory.NotFoundf("no such session")
	}
	return nil
}

// AddAudit appends to the audit log.
func (s *Store) AddAudit(ctx context.Context, e *directory.AuditEntry) error {
	err := s.pool.QueryRow(ctx, `INSERT INTO audit_log (at, user_id, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		e.At, nullID(e.UserID), e.Actor, e.Action, e.Target, e.Detail).Scan(&e.ID)
	return translate("writing the audit log", err)
}

// ListAudit returns the newest entries first.
func (s *Store) ListAudit(ctx context.Context, limit int) ([]directory.AuditEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, at, coalesce(user_id, 0), actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, translate("reading the audit log", err)
	}
	defer rows.Close()
	out := []directory.AuditEntry{}
	for rows.Next() {
		var e directory.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, translate("reading the audit log", err)
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	return out, translate("reading the audit log", rows.Err())
}

// ListTokens returns API tokens, newest first.
func (s *Store) ListTokens(ctx context.Context, coopID int64) ([]directory.Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, coalesce(coop_id, 0), label, created_at FROM tokens WHERE $1 = 0 OR coop_id = $1 ORDER BY id DESC`, coopID)
	if err != nil {
		return nil, translate("listing tokens", err)
	}
	defer rows.Close()
	out := []directory.Token{}
	for rows.Next() {
		var t directory.Token
		if err := rows.Scan(&t.ID, &t.CoopID, &t.Label, &t.CreatedAt); err != nil {
			return nil, translate("listing tokens", err)
		}
		t.CreatedAt = t.CreatedAt.UTC()
		out = append(out, t)
	}
	return out, translate("listing tokens", rows.Err())
}

// DeleteToken revokes a token.
func (s *Store) DeleteToken(ctx context.Context, id, coopID int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM tokens WHERE id = $1 AND ($2 = 0 OR coop_id = $2)`, id, coopID)
	if err != nil {
		return translate("revoking a token", err)
	}
	if tag.RowsAffected() == 0 {
		return directory.NotFoundf("no such token")
	}
	return nil
}

var _ directory.LogoStore = (*Store)(nil)

// PutLogo stores a co-op's logo and queues an update of its actor.
func (s *Store) PutLogo(ctx context.Context, coopID int64, l *directory.Logo) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var apid string
		if err := tx.QueryRow(ctx, `UPDATE coops SET updated_at = $1 WHERE id = $2 AND local RETURNING ap_id`, l.UpdatedAt, coopID).Scan(&apid); err != nil {
			return translate("co-op", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO coop_logos (coop_id, content_type, data, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (coop_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at`,
			coopID, l.ContentType, l.Data, l.UpdatedAt); err != nil {
			return translate("storing a logo", err)
		}
		return addEvent(ctx, tx, directory.EventCoopUpdate, apid, apid, l.UpdatedAt)
	})
}

// Logo returns a co-op's logo.
func (s *Store) Logo(ctx context.Context, coopID int64) (*directory.Logo, error) {
	var l directory.Logo
	err := s.pool.QueryRow(ctx, `SELECT content_type, data, updated_at FROM coop_logos WHERE coop_id = $1`, coopID).
		Scan(&l.ContentType, &l.Data, &l.UpdatedAt)
	if err != nil {
		return nil, translate("logo", err)
	}
	l.UpdatedAt = l.UpdatedAt.UTC()
	return &l, nil
}

var _ directory.DraftStore = (*Store)(nil)

// SaveDraft inserts or replaces a draft.
func (s *Store) SaveDraft(ctx context.Context, d *directory.JobDraft) error {
	if d.ID == 0 {
		err := s.pool.QueryRow(ctx, `INSERT INTO job_drafts (coop_id, title, fields, updated_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			d.CoopID, d.Title, d.Fields, d.UpdatedAt).Scan(&d.ID)
		return translate("saving a draft", err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE job_drafts SET title = $1, fields = $2, updated_at = $3 WHERE id = $4 AND coop_id = $5`,
		d.Title, d.Fields, d.UpdatedAt, d.ID, d.CoopID)
	if err != nil {
		return translate("saving a draft", err)
	}
	if tag.RowsAffected() == 0 {
		return directory.NotFoundf("no such draft")
	}
	return nil
}

func scanDraft(row pgx.Row) (*directory.JobDraft, error) {
	var d directory.JobDraft
	if err := row.Scan(&d.ID, &d.CoopID, &d.Title, &d.Fields, &d.UpdatedAt); err != nil {
		return nil, err
	}
	d.UpdatedAt = d.UpdatedAt.UTC()
	return &d, nil
}

// Drafts lists a co-op's drafts, newest first.
func (s *Store) Drafts(ctx context.Context, coopID int64) ([]directory.JobDraft, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, coop_id, title, fields, updated_at FROM job_drafts WHERE coop_id = $1 ORDER BY id DESC`, coopID)
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
	d, err := scanDraft(s.pool.QueryRow(ctx, `SELECT id, coop_id, title, fields, updated_at FROM job_drafts WHERE id = $1 AND coop_id = $2`, id, coopID))
	return d, translate("draft", err)
}

// DeleteDraft removes one of a co-op's drafts.
func (s *Store) DeleteDraft(ctx context.Context, coopID, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM job_drafts WHERE id = $1 AND coop_id = $2`, id, coopID)
	if err != nil {
		return translate("deleting a draft", err)
	}
	if tag.RowsAffected() == 0 {
		return directory.NotFoundf("no such draft")
	}
	return nil
}
