package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

var _ directory.AlertStore = (*Store)(nil)

const alertCols = `id, email, search_id, frequency, language, search_name, state, confirm_hash, confirm_expires_at, unsubscribe_token,
	created_at, confirmed_at, last_sent_at, next_send_at`

func (s *Store) scanAlert(sc interface{ Scan(...any) error }) (*directory.Alert, error) {
	var a directory.Alert
	if err := sc.Scan(&a.ID, &a.Email, &a.SearchID, &a.Frequency, &a.Language, &a.SearchName, &a.State, &a.ConfirmHash,
		s.d.ScanTime(&a.ConfirmExpiresAt), &a.UnsubscribeToken, s.d.ScanTime(&a.CreatedAt), s.d.ScanTime(&a.ConfirmedAt),
		s.d.ScanTime(&a.LastSentAt), s.d.ScanTime(&a.NextSendAt)); err != nil {
		return nil, s.translate("e-mail alert", err)
	}
	return &a, nil
}

// AddAlert stores or renews a pending subscription (directory.AlertStore).
func (s *Store) AddAlert(ctx context.Context, a *directory.Alert) (bool, error) {
	fresh := false
	err := s.tx(ctx, func(tx *conn) error {
		old, err := s.scanAlert(tx.QueryRowContext(ctx, `SELECT `+alertCols+` FROM alert_subscriptions WHERE email = ? AND search_id = ?`,
			a.Email, a.SearchID))
		if err != nil && directory.KindOf(err) != directory.KindNotFound {
			return err
		}
		if old != nil && old.State == directory.AlertConfirmed {
			fresh = false
			return nil
		}
		fresh = true
		if old != nil {
			a.ID, a.UnsubscribeToken = old.ID, old.UnsubscribeToken
			_, err := tx.ExecContext(ctx, `UPDATE alert_subscriptions SET frequency = ?, language = ?, search_name = ?, state = 'pending',
				confirm_hash = ?, confirm_expires_at = ? WHERE id = ?`,
				a.Frequency, a.Language, a.SearchName, a.ConfirmHash, s.d.Time(a.ConfirmExpiresAt), old.ID)
			return s.translate("renewing an e-mail alert", err)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO alert_subscriptions (email, search_id, frequency, language, search_name, state, confirm_hash,
			confirm_expires_at, unsubscribe_token, created_at, next_send_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?) RETURNING id`,
			a.Email, a.SearchID, a.Frequency, a.Language, a.SearchName, a.ConfirmHash, s.d.Time(a.ConfirmExpiresAt), a.UnsubscribeToken,
			s.d.Time(a.CreatedAt), s.d.Time(a.NextSendAt)).Scan(&a.ID)
		return s.translate("storing an e-mail alert", err)
	})
	return fresh, err
}

// ConfirmAlert confirms a pending subscription by its link, once.
func (s *Store) ConfirmAlert(ctx context.Context, hash []byte, now time.Time) (*directory.Alert, error) {
	var out *directory.Alert
	err := s.tx(ctx, func(tx *conn) error {
		a, err := s.scanAlert(tx.QueryRowContext(ctx, `SELECT `+alertCols+` FROM alert_subscriptions
			WHERE confirm_hash = ? AND state = 'pending' AND confirm_expires_at > ?`, hash, s.d.Time(now)))
		if err != nil {
			return err
		}
		// The UPDATE checks again: of two opening the link at once, one
		// confirms.
		out, err = s.scanAlert(tx.QueryRowContext(ctx, `UPDATE alert_subscriptions SET state = 'confirmed', confirm_hash = NULL,
			confirm_expires_at = NULL, confirmed_at = ?, next_send_at = ? WHERE id = ? AND state = 'pending' AND confirm_hash = ?
			RETURNING `+alertCols, s.d.Time(now), s.d.Time(now.Add(a.Period())), a.ID, hash))
		return err
	})
	return out, err
}

// AlertByConfirm finds a pending subscription by its link.
func (s *Store) AlertByConfirm(ctx context.Context, hash []byte, now time.Time) (*directory.Alert, error) {
	return s.scanAlert(s.r.QueryRowContext(ctx, `SELECT `+alertCols+` FROM alert_subscriptions
		WHERE confirm_hash = ? AND state = 'pending' AND confirm_expires_at > ?`, hash, s.d.Time(now)))
}

// AlertByUnsubscribe finds a subscription by its unsubscribe token.
func (s *Store) AlertByUnsubscribe(ctx context.Context, token string) (*directory.Alert, error) {
	return s.scanAlert(s.r.QueryRowContext(ctx, `SELECT `+alertCols+` FROM alert_subscriptions WHERE unsubscribe_token = ?`, token))
}

// Unsubscribe ends a subscription.
func (s *Store) Unsubscribe(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *conn) error {
		if _, err := tx.ExecContext(ctx, `UPDATE alert_subscriptions SET state = 'unsubscribed', confirm_hash = NULL,
			confirm_expires_at = NULL WHERE id = ?`, id); err != nil {
			return s.translate("unsubscribing", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM alert_pending WHERE alert_id = ?`, id)
		return s.translate("unsubscribing", err)
	})
}

// ClaimAlerts leases due subscriptions with jobs waiting. The UPDATE
// checks the condition again, so of two claimers racing for a row only
// one gets it.
func (s *Store) ClaimAlerts(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]directory.Alert, error) {
	var out []directory.Alert
	err := s.tx(ctx, func(tx *conn) error {
		out = nil
		rows, err := tx.QueryContext(ctx, `SELECT id FROM alert_subscriptions a WHERE state = 'confirmed' AND next_send_at <= ?
			AND EXISTS (SELECT 1 FROM alert_pending p WHERE p.alert_id = a.id) ORDER BY id LIMIT ?`, s.d.Time(now), limit)
		if err != nil {
			return s.translate("claiming e-mail alerts", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return s.translate("claiming e-mail alerts", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.translate("claiming e-mail alerts", err)
		}
		for _, id := range ids {
			a, err := s.scanAlert(tx.QueryRowContext(ctx, `UPDATE alert_subscriptions SET next_send_at = ?
				WHERE id = ? AND state = 'confirmed' AND next_send_at <= ? RETURNING `+alertCols,
				s.d.Time(now.Add(lease)), id, s.d.Time(now)))
			if directory.KindOf(err) == directory.KindNotFound || errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, *a)
		}
		return nil
	})
	return out, err
}

// AlertJobs lists the jobs waiting for a subscription, oldest first.
func (s *Store) AlertJobs(ctx context.Context, id int64, limit int) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT job_ap_id FROM alert_pending WHERE alert_id = ? ORDER BY created_at, job_ap_id LIMIT ?`, id, limit)
	if err != nil {
		return nil, s.translate("an alert's jobs", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var j string
		if err := rows.Scan(&j); err != nil {
			return nil, s.translate("an alert's jobs", err)
		}
		out = append(out, j)
	}
	return out, s.translate("an alert's jobs", rows.Err())
}

// AlertSent records a subscription's mail.
func (s *Store) AlertSent(ctx context.Context, id int64, jobs []string, at, next time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		for _, j := range jobs {
			if _, err := tx.ExecContext(ctx, `DELETE FROM alert_pending WHERE alert_id = ? AND job_ap_id = ?`, id, j); err != nil {
				return s.translate("recording an alert mail", err)
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE alert_subscriptions SET last_sent_at = ?, next_send_at = ? WHERE id = ?`,
			s.d.NullTime(at), s.d.Time(next), id)
		return s.translate("recording an alert mail", err)
	})
}

// SavedSearchByID finds a saved search, collected ones too.
func (s *Store) SavedSearchByID(ctx context.Context, id int64) (*directory.SavedSearch, error) {
	return s.scanSavedSearch(s.r.QueryRowContext(ctx, `SELECT `+savedSearchCols+` FROM saved_searches WHERE id = ?`, id))
}

// queueAlerts has the confirmed subscribers of search wait for job; it
// runs in the transaction that records the search's first match of it.
func (s *Store) queueAlerts(ctx context.Context, tx *conn, search int64, job string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO alert_pending (alert_id, job_ap_id, created_at)
		SELECT id, ?, ? FROM alert_subscriptions WHERE search_id = ? AND state = 'confirmed' ON CONFLICT DO NOTHING`,
		job, s.d.Time(at), search)
	return s.translate("queueing e-mail alerts", err)
}
