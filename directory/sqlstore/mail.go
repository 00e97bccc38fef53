package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

var _ directory.MailStore = (*Store)(nil)

const mailCols = `id, recipient, subject, text_body, html_body, state, attempts, next_attempt_at, last_error, done_at, created_at,
	list_unsubscribe, alert_id`

func (s *Store) scanMail(sc interface{ Scan(...any) error }) (*directory.Mail, error) {
	var m directory.Mail
	var alert sql.NullInt64
	if err := sc.Scan(&m.ID, &m.To, &m.Subject, &m.Text, &m.HTML, &m.State, &m.Attempts, s.d.ScanTime(&m.NextAttemptAt),
		&m.LastError, s.d.ScanTime(&m.DoneAt), s.d.ScanTime(&m.CreatedAt), &m.ListUnsubscribe, &alert); err != nil {
		return nil, err
	}
	m.AlertID = alert.Int64
	return &m, nil
}

// EnqueueMail stores a pending mail.
func (s *Store) EnqueueMail(ctx context.Context, m *directory.Mail) error {
	return s.tx(ctx, func(tx *conn) error {
		alert := sql.NullInt64{Int64: m.AlertID, Valid: m.AlertID != 0}
		err := tx.QueryRowContext(ctx, `INSERT INTO mail_outbox (recipient, subject, text_body, html_body, next_attempt_at, created_at,
			list_unsubscribe, alert_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.To, m.Subject, m.Text, m.HTML, s.d.Time(m.NextAttemptAt),
			s.d.Time(m.CreatedAt), m.ListUnsubscribe, alert).Scan(&m.ID)
		if err == nil {
			m.State = directory.MailPending
		}
		return s.translate("queueing a mail", err)
	})
}

// claimMail leases one mail if it is still pending and due. The condition
// is checked again by the UPDATE itself, so that of two claimers racing
// for a row (PostgreSQL waits for the first to commit, then re-reads it)
// only one gets it; both take rows in id order, so they never deadlock.
func (s *Store) claimMail(ctx context.Context, tx *conn, id int64, now time.Time, lease time.Duration) (*directory.Mail, error) {
	m, err := s.scanMail(tx.QueryRowContext(ctx, `UPDATE mail_outbox SET next_attempt_at = ?
		WHERE id = ? AND state = 'pending' AND next_attempt_at <= ? RETURNING `+mailCols,
		s.d.Time(now.Add(lease)), id, s.d.Time(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return m, s.translate("claiming a mail", err)
}

// ClaimMails leases due mails, oldest first.
func (s *Store) ClaimMails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]directory.Mail, error) {
	var out []directory.Mail
	err := s.tx(ctx, func(tx *conn) error {
		out = nil
		rows, err := tx.QueryContext(ctx, `SELECT id FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= ?
			ORDER BY id LIMIT ?`, s.d.Time(now), limit)
		if err != nil {
			return s.translate("claiming mails", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return s.translate("claiming mails", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.translate("claiming mails", err)
		}
		for _, id := range ids {
			m, err := s.claimMail(ctx, tx, id, now, lease)
			if err != nil {
				return err
			}
			if m != nil {
				out = append(out, *m)
			}
		}
		return nil
	})
	return out, err
}

// ClaimMail leases one mail.
func (s *Store) ClaimMail(ctx context.Context, id int64, now time.Time, lease time.Duration) (*directory.Mail, error) {
	var m *directory.Mail
	err := s.tx(ctx, func(tx *conn) error {
		var err error
		m, err = s.claimMail(ctx, tx, id, now, lease)
		return err
	})
	if err == nil && m == nil {
		err = directory.NotFoundf("mail %d is not due", id)
	}
	return m, err
}

// MailSent marks a mail sent and forgets its body.
func (s *Store) MailSent(ctx context.Context, id int64, at time.Time) error {
	return s.exec(ctx, "marking a mail sent", `UPDATE mail_outbox SET state = 'sent', text_body = '', html_body = '', done_at = ?,
		attempts = attempts + 1 WHERE id = ?`, s.d.Time(at), id)
}

// MailRetry schedules another attempt.
func (s *Store) MailRetry(ctx context.Context, id int64, attempts int, next time.Time, lastError string) error {
	return s.exec(ctx, "rescheduling a mail", `UPDATE mail_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'`,
		attempts, s.d.Time(next), directory.Storable(lastError, maxLastError), id)
}

// MailFailed gives up on a mail.
func (s *Store) MailFailed(ctx context.Context, id int64, attempts int, lastError string, at time.Time) error {
	return s.exec(ctx, "giving up a mail", `UPDATE mail_outbox SET state = 'failed', attempts = ?, last_error = ?, done_at = ?,
		text_body = '', html_body = '' WHERE id = ? AND state = 'pending'`,
		attempts, directory.Storable(lastError, maxLastError), s.d.Time(at), id)
}

// MailBounced gives up on a mail the recipient's server refused for
// good, and marks the e-mail alert it was for bounced.
func (s *Store) MailBounced(ctx context.Context, id int64, attempts int, lastError string, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		if _, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET state = 'failed', attempts = ?, last_error = ?, done_at = ?,
			text_body = '', html_body = '' WHERE id = ? AND state = 'pending'`,
			attempts, directory.Storable(lastError, maxLastError), s.d.Time(at), id); err != nil {
			return s.translate("giving up a mail", err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE alert_subscriptions SET state = 'bounced'
			WHERE id = (SELECT alert_id FROM mail_outbox WHERE id = ?) AND state = 'confirmed'`, id)
		if err == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM alert_pending WHERE alert_id = (SELECT alert_id FROM mail_outbox WHERE id = ?)`, id)
		}
		return s.translate("marking an alert bounced", err)
	})
}

// Mails lists mails in a state, newest first.
func (s *Store) Mails(ctx context.Context, state string, limit int) ([]directory.Mail, error) {
	return collect(s, "listing mails", s.scanMail)(s.r.QueryContext(ctx, `SELECT `+mailCols+` FROM mail_outbox WHERE state = ?
		ORDER BY id DESC LIMIT ?`, state, limit))
}

// SetUserLanguage records a user's language.
func (s *Store) SetUserLanguage(ctx context.Context, userID int64, lang string) error {
	return s.execOne(ctx, "setting a language", directory.NotFoundf("no user %d", userID), `UPDATE users SET language = ? WHERE id = ?`, lang, userID)
}

// SetUserEmail changes a user's e-mail.
func (s *Store) SetUserEmail(ctx context.Context, userID int64, email string, at time.Time) error {
	return s.execOne(ctx, "changing an e-mail", directory.NotFoundf("no user %d", userID), `UPDATE users SET email = ?, updated_at = ? WHERE id = ?`,
		email, s.d.Time(at), userID)
}

// UserToken returns an unexpired link without using it.
func (s *Store) UserToken(ctx context.Context, hash []byte, purpose string, now time.Time) (*directory.UserToken, error) {
	var t directory.UserToken
	err := s.r.QueryRowContext(ctx, `SELECT hash, user_id, purpose, expires_at, created_at FROM user_tokens
		WHERE hash = ? AND purpose = ? AND expires_at > ?`, hash, purpose, s.d.Time(now)).
		Scan(&t.Hash, &t.UserID, &t.Purpose, s.d.ScanTime(&t.ExpiresAt), s.d.ScanTime(&t.CreatedAt))
	if err != nil {
		return nil, s.translate("link", err)
	}
	return &t, nil
}
