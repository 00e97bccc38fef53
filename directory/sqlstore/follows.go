package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

const followCols = `id, target, follow_id, state, via, created_at, updated_at, backfilled_at,
	accepted_key, checked_at, broken_reason, broken_since`

func (s *Store) scanFollow(row interface{ Scan(...any) error }) (*directory.Follow, error) {
	var f directory.Follow
	if err := row.Scan(&f.ID, &f.Target, &f.FollowID, &f.State, &f.Via, s.d.ScanTime(&f.CreatedAt), s.d.ScanTime(&f.UpdatedAt),
		s.d.ScanTime(&f.BackfilledAt), &f.AcceptedKey, s.d.ScanTime(&f.CheckedAt), &f.BrokenReason, s.d.ScanTime(&f.BrokenSince)); err != nil {
		return nil, err
	}
	return &f, nil
}

// AddFollow records a follow and queues its Follow activity.
func (s *Store) AddFollow(ctx context.Context, f *directory.Follow, follow *directory.Delivery) error {
	return s.tx(ctx, func(tx *conn) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO follows (target, follow_id, state, via, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, f.Target, f.FollowID, f.State, f.Via, s.d.Time(f.CreatedAt), s.d.Time(f.UpdatedAt)).Scan(&f.ID)
		if err != nil {
			return s.translate("adding a follow", err)
		}
		if follow != nil {
			return s.insertDeliveries(ctx, tx, []directory.Delivery{*follow})
		}
		return nil
	})
}

func (s *Store) oneFollow(ctx context.Context, where string, arg any) (*directory.Follow, error) {
	f, err := s.scanFollow(s.r.QueryRowContext(ctx, `SELECT `+followCols+` FROM follows WHERE `+where, arg))
	return f, s.translate("follow", err)
}

// FollowByActivity finds a follow by its Follow activity's id.
func (s *Store) FollowByActivity(ctx context.Context, followID string) (*directory.Follow, error) {
	return s.oneFollow(ctx, `follow_id = ?`, followID)
}

// FollowByTarget finds a follow by the followed actor.
func (s *Store) FollowByTarget(ctx context.Context, target string) (*directory.Follow, error) {
	return s.oneFollow(ctx, `target = ?`, target)
}

// FollowByID finds a follow by number.
func (s *Store) FollowByID(ctx context.Context, id int64) (*directory.Follow, error) {
	return s.oneFollow(ctx, `id = ?`, id)
}

// SetFollowState records an Accept or Reject.
func (s *Store) SetFollowState(ctx context.Context, id int64, state string, at time.Time) error {
	return s.exec(ctx, "updating a follow", `UPDATE follows SET state = ?, updated_at = ? WHERE id = ?`, state, s.d.Time(at), id)
}

// AcceptFollow records an Accept and the key of the actor that sent it.
func (s *Store) AcceptFollow(ctx context.Context, id int64, key string, at time.Time) error {
	return s.exec(ctx, "accepting a follow", `UPDATE follows SET state = 'accepted', accepted_key = ?, broken_reason = '',
		broken_since = NULL, updated_at = ? WHERE id = ?`, key, s.d.Time(at), id)
}

// SetFollowKey records the followed actor's key.
func (s *Store) SetFollowKey(ctx context.Context, id int64, key string) error {
	return s.exec(ctx, "recording a follow's key", `UPDATE follows SET accepted_key = ? WHERE id = ?`, key, id)
}

// ClaimFollowChecks takes follows due for a check. The condition is
// repeated in the UPDATE: on PostgreSQL a replica that waited for
// another's lock on a row reads it again, and then leaves it.
func (s *Store) ClaimFollowChecks(ctx context.Context, before, now time.Time, limit int) ([]directory.Follow, error) {
	due := `state IN ('pending', 'accepted') AND (checked_at IS NULL OR checked_at < ?)`
	var out []directory.Follow
	err := s.tx(ctx, func(tx *conn) error {
		var err error
		out, err = collect(s, "claiming follow checks", s.scanFollow)(tx.QueryContext(ctx, `UPDATE follows SET checked_at = ?
			WHERE `+due+` AND id IN (SELECT id FROM follows WHERE `+due+`
				ORDER BY checked_at IS NOT NULL, checked_at, id LIMIT ?)
			RETURNING `+followCols, s.d.Time(now), s.d.Time(before), s.d.Time(before), limit))
		return err
	})
	return out, err
}

// MarkFollowBroken records why a follow is broken.
func (s *Store) MarkFollowBroken(ctx context.Context, id int64, reason string, at time.Time) error {
	return s.exec(ctx, "marking a follow broken", `UPDATE follows SET broken_reason = ?,
		broken_since = CASE WHEN broken_since IS NULL THEN ? ELSE broken_since END WHERE id = ?`, reason, s.d.Time(at), id)
}

// RenewFollow replaces a follow's Follow and queues the new one.
func (s *Store) RenewFollow(ctx context.Context, id int64, followID string, at time.Time, follow *directory.Delivery) error {
	return s.tx(ctx, func(tx *conn) error {
		var old string
		err := tx.QueryRowContext(ctx, `SELECT follow_id FROM follows WHERE id = ?`+s.d.ForUpdate(), id).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return directory.NotFoundf("no follow has the id %d", id)
		} else if err != nil {
			return s.translate("renewing a follow", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE follows SET follow_id = ?, state = 'pending', accepted_key = '', broken_reason = '',
			broken_since = NULL, backfilled_at = NULL, checked_at = NULL, updated_at = ? WHERE id = ?`, followID, s.d.Time(at), id); err != nil {
			return s.translate("renewing a follow", err)
		}
		if err := s.markGone(ctx, tx, old, at); err != nil {
			return err
		}
		if follow != nil {
			return s.insertDeliveries(ctx, tx, []directory.Delivery{*follow})
		}
		return nil
	})
}

// Follows lists every follow.
func (s *Store) Follows(ctx context.Context) ([]directory.Follow, error) {
	return s.followsWhere(ctx, `1 = 1`)
}

// PendingBackfills lists accepted follows not yet backfilled.
func (s *Store) PendingBackfills(ctx context.Context) ([]directory.Follow, error) {
	return s.followsWhere(ctx, `state = 'accepted' AND backfilled_at IS NULL`)
}

// SetBackfilled records a finished backfill.
func (s *Store) SetBackfilled(ctx context.Context, id int64, at time.Time) error {
	return s.exec(ctx, "recording a backfill", `UPDATE follows SET backfilled_at = ? WHERE id = ?`, s.d.Time(at), id)
}

// DeleteRemoteFederation forgets a remote federation and the co-ops known
// only through it.
func (s *Store) DeleteRemoteFederation(ctx context.Context, apid string) error {
	return s.tx(ctx, func(tx *conn) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM coops WHERE id IN (
			SELECT c.id FROM coops c JOIN memberships m ON m.coop_id = c.id JOIN federations f ON f.id = m.federation_id
			WHERE f.ap_id = ? AND NOT f.local AND NOT c.local
			AND NOT EXISTS (SELECT 1 FROM memberships m2 JOIN federations f2 ON f2.id = m2.federation_id WHERE m2.coop_id = c.id AND f2.ap_id <> ?)
			AND NOT EXISTS (SELECT 1 FROM follows fo WHERE fo.target = c.ap_id))`, apid, apid); err != nil {
			return s.translate("forgetting a federation", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM federations WHERE ap_id = ? AND NOT local`, apid)
		return s.translate("forgetting a federation", err)
	})
}

func (s *Store) followsWhere(ctx context.Context, where string) ([]directory.Follow, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+followCols+` FROM follows WHERE `+where+` ORDER BY id`)
	if err != nil {
		return nil, s.translate("follows", err)
	}
	defer rows.Close()
	var out []directory.Follow
	for rows.Next() {
		f, err := s.scanFollow(rows)
		if err != nil {
			return nil, s.translate("follows", err)
		}
		out = append(out, *f)
	}
	return out, s.translate("follows", rows.Err())
}

// DeleteFollow ends a follow and queues its Undo.
func (s *Store) DeleteFollow(ctx context.Context, id int64, undo *directory.Delivery) error {
	return s.tx(ctx, func(tx *conn) error {
		var followID string
		var updated time.Time
		err := tx.QueryRowContext(ctx, `DELETE FROM follows WHERE id = ? RETURNING follow_id, updated_at`, id).Scan(&followID, s.d.ScanTime(&updated))
		if errors.Is(err, sql.ErrNoRows) {
			return directory.NotFoundf("no follow has the id %d", id)
		} else if err != nil {
			return s.translate("deleting a follow", err)
		}
		if err := s.markGone(ctx, tx, followID, goneAt(undo, updated)); err != nil {
			return err
		}
		if undo != nil {
			return s.insertDeliveries(ctx, tx, []directory.Delivery{*undo})
		}
		return nil
	})
}

// StaleRemoteCoops lists remote co-ops whose actor was fetched before the
// given time (or never), oldest first.
func (s *Store) StaleRemoteCoops(ctx context.Context, before time.Time, limit int) ([]string, error) {
	// Never fetched comes first: NULL sorts first on one engine and last
	// on the other, so the order says so.
	return s.strings(ctx, "stale co-ops", `SELECT c.ap_id FROM coops c LEFT JOIN remote_actors a ON a.ap_id = c.ap_id
		WHERE NOT c.local AND (a.fetched_at IS NULL OR a.fetched_at < ?)
		ORDER BY a.fetched_at IS NOT NULL, a.fetched_at, c.id LIMIT ?`, s.d.Time(before), limit)
}

// ResetBackfills marks every accepted follow for a new import.
func (s *Store) ResetBackfills(ctx context.Context) error {
	return s.exec(ctx, "resetting backfills", `UPDATE follows SET backfilled_at = NULL WHERE state = 'accepted'`)
}

// PruneRemoteJobs deletes a remote co-op's jobs that are not in keep.
func (s *Store) PruneRemoteJobs(ctx context.Context, coopAPID string, keep []string, at time.Time) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *conn) error {
		// Each leaves a tombstone, as a remote job's own Delete does, so
		// that its page here says it closed.
		if _, err := tx.ExecContext(ctx, `INSERT INTO tombstones (ap_id, type, deleted_at)
			SELECT j.ap_id, 'Note', ? FROM jobs j JOIN coops c ON c.id = j.coop_id
			WHERE c.ap_id = ? AND NOT c.local AND NOT j.local AND j.ap_id NOT IN (`+In(len(keep))+`)
			ON CONFLICT (ap_id) DO NOTHING`, append([]any{s.d.Time(at), coopAPID}, Anys(keep)...)...); err != nil {
			return s.translate("pruning jobs", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM jobs WHERE id IN (SELECT j.id FROM jobs j JOIN coops c ON c.id = j.coop_id
			WHERE c.ap_id = ? AND NOT c.local AND NOT j.local AND j.ap_id NOT IN (`+In(len(keep))+`))`,
			append([]any{coopAPID}, Anys(keep)...)...)
		if err != nil {
			return s.translate("pruning jobs", err)
		}
		n = int(affected(res))
		return nil
	})
	return n, err
}

const coopFollowCols = `id, coop_id, target, follow_id, state, created_at, updated_at`

func (s *Store) scanCoopFollow(sc interface{ Scan(...any) error }) (*directory.CoopFollow, error) {
	var f directory.CoopFollow
	if err := sc.Scan(&f.ID, &f.CoopID, &f.Target, &f.FollowID, &f.State, s.d.ScanTime(&f.CreatedAt), s.d.ScanTime(&f.UpdatedAt)); err != nil {
		return nil, err
	}
	return &f, nil
}

// AddCoopFollow records a co-op's follow and queues its Follow.
func (s *Store) AddCoopFollow(ctx context.Context, f *directory.CoopFollow, follow *directory.Delivery) error {
	return s.tx(ctx, func(tx *conn) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO coop_follows (coop_id, target, follow_id, state, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, f.CoopID, f.Target, f.FollowID, f.State, s.d.Time(f.CreatedAt), s.d.Time(f.UpdatedAt)).Scan(&f.ID)
		if err != nil {
			return s.translate("following", err)
		}
		return s.insertDeliveries(ctx, tx, []directory.Delivery{*follow})
	})
}

// CoopFollowByActivity finds a co-op's follow.
func (s *Store) CoopFollowByActivity(ctx context.Context, followID string) (*directory.CoopFollow, error) {
	f, err := s.scanCoopFollow(s.r.QueryRowContext(ctx, `SELECT `+coopFollowCols+` FROM coop_follows WHERE follow_id = ?`, followID))
	return f, s.translate("follow", err)
}

// SetCoopFollowState records an Accept or Reject.
func (s *Store) SetCoopFollowState(ctx context.Context, id int64, state string, at time.Time) error {
	return s.exec(ctx, "updating a follow", `UPDATE coop_follows SET state = ?, updated_at = ? WHERE id = ?`, state, s.d.Time(at), id)
}

// CoopFollows lists a co-op's follows, newest first.
func (s *Store) CoopFollows(ctx context.Context, coopID int64) ([]directory.CoopFollow, error) {
	return collect(s, "listing follows", s.scanCoopFollow)(s.r.QueryContext(ctx, `SELECT `+coopFollowCols+` FROM coop_follows WHERE coop_id = ? ORDER BY id DESC`, coopID))
}

// DeleteCoopFollow ends a co-op's follow and queues its Undo.
func (s *Store) DeleteCoopFollow(ctx context.Context, coopID, id int64, undo *directory.Delivery) (*directory.CoopFollow, error) {
	var f *directory.CoopFollow
	err := s.tx(ctx, func(tx *conn) error {
		var err error
		f, err = s.scanCoopFollow(tx.QueryRowContext(ctx, `DELETE FROM coop_follows WHERE id = ? AND coop_id = ? RETURNING `+coopFollowCols, id, coopID))
		if err != nil {
			return s.translate("follow", err)
		}
		if err := s.markGone(ctx, tx, f.FollowID, goneAt(undo, f.UpdatedAt)); err != nil {
			return err
		}
		if undo != nil {
			return s.insertDeliveries(ctx, tx, []directory.Delivery{*undo})
		}
		return nil
	})
	return f, err
}

// goneAt is when a Follow was taken back: when its Undo was made, or,
// without one, when the follow last changed.
func goneAt(undo *directory.Delivery, updated time.Time) time.Time {
	if undo != nil {
		return undo.CreatedAt
	}
	return updated
}
