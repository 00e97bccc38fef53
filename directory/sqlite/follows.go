package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

const followCols = `id, target, follow_id, state, via, created_at, updated_at, backfilled_at`

func scanFollow(row interface{ Scan(...any) error }) (*directory.Follow, error) {
	var f directory.Follow
	var created, updated int64
	var backfilled sql.NullInt64
	if err := row.Scan(&f.ID, &f.Target, &f.FollowID, &f.State, &f.Via, &created, &updated, &backfilled); err != nil {
		return nil, err
	}
	f.CreatedAt, f.UpdatedAt = fromMicros(created), fromMicros(updated)
	if backfilled.Valid {
		f.BackfilledAt = fromMicros(backfilled.Int64)
	}
	return &f, nil
}

// AddFollow records a follow and queues its Follow activity.
func (s *Store) AddFollow(ctx context.Context, f *directory.Follow, follow *directory.Delivery) error {
	return s.tx(ctx, func(tx *wtx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO follows (target, follow_id, state, via, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, f.Target, f.FollowID, f.State, f.Via, micros(f.CreatedAt), micros(f.UpdatedAt)).Scan(&f.ID)
		if err != nil {
			return translate("adding a follow", err)
		}
		if follow != nil {
			return insertDeliveries(ctx, tx, []directory.Delivery{*follow})
		}
		return nil
	})
}

func (s *Store) oneFollow(ctx context.Context, where string, arg any) (*directory.Follow, error) {
	f, err := scanFollow(s.r.QueryRowContext(ctx, `SELECT `+followCols+` FROM follows WHERE `+where, arg))
	return f, translate("follow", err)
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
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `UPDATE follows SET state = ?, updated_at = ? WHERE id = ?`, state, micros(at), id)
		return translate("updating a follow", err)
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
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `UPDATE follows SET backfilled_at = ? WHERE id = ?`, micros(at), id)
		return translate("recording a backfill", err)
	})
}

// DeleteRemoteFederation forgets a remote federation and the co-ops known
// only through it.
func (s *Store) DeleteRemoteFederation(ctx context.Context, apid string) error {
	return s.tx(ctx, func(tx *wtx) error {
		orphans := `SELECT c.id FROM coops c JOIN memberships m ON m.coop_id = c.id JOIN federations f ON f.id = m.federation_id
			WHERE f.ap_id = ?1 AND f.local = 0 AND c.local = 0
			AND NOT EXISTS (SELECT 1 FROM memberships m2 JOIN federations f2 ON f2.id = m2.federation_id WHERE m2.coop_id = c.id AND f2.ap_id <> ?1)
			AND NOT EXISTS (SELECT 1 FROM follows fo WHERE fo.target = c.ap_id)`
		for _, q := range []string{
			`DELETE FROM jobs_fts WHERE rowid IN (SELECT id FROM jobs WHERE coop_id IN (` + orphans + `))`,
			`DELETE FROM coops WHERE id IN (` + orphans + `)`,
			`DELETE FROM federations WHERE ap_id = ?1 AND local = 0`,
		} {
			if _, err := tx.ExecContext(ctx, q, apid); err != nil {
				return translate("forgetting a federation", err)
			}
		}
		return nil
	})
}

func (s *Store) followsWhere(ctx context.Context, where string) ([]directory.Follow, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+followCols+` FROM follows WHERE `+where+` ORDER BY id`)
	if err != nil {
		return nil, translate("follows", err)
	}
	defer rows.Close()
	var out []directory.Follow
	for rows.Next() {
		f, err := scanFollow(rows)
		if err != nil {
			return nil, translate("follows", err)
		}
		out = append(out, *f)
	}
	return out, translate("follows", rows.Err())
}

// DeleteFollow ends a follow and queues its Undo.
func (s *Store) DeleteFollow(ctx context.Context, id int64, undo *directory.Delivery) error {
	return s.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE id = ?`, id)
		if err != nil {
			return translate("deleting a follow", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.NotFoundf("no follow has the id %d", id)
		}
		if undo != nil {
			return insertDeliveries(ctx, tx, []directory.Delivery{*undo})
		}
		return nil
	})
}

// StaleRemoteCoops lists remote co-ops whose actor was fetched before the
// given time (or never), oldest first.
func (s *Store) StaleRemoteCoops(ctx context.Context, before time.Time, limit int) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT c.ap_id FROM coops c LEFT JOIN remote_actors a ON a.ap_id = c.ap_id
		WHERE c.local = 0 AND coalesce(a.fetched_at, 0) < ? ORDER BY coalesce(a.fetched_at, 0), c.id LIMIT ?`, micros(before), limit)
	if err != nil {
		return nil, translate("stale co-ops", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate("stale co-ops", err)
		}
		out = append(out, id)
	}
	return out, translate("stale co-ops", rows.Err())
}

// ResetBackfills marks every accepted follow for a new import.
func (s *Store) ResetBackfills(ctx context.Context) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `UPDATE follows SET backfilled_at = NULL WHERE state = 'accepted'`)
		return translate("resetting backfills", err)
	})
}

// PruneRemoteJobs deletes a remote co-op's jobs that are not in keep.
func (s *Store) PruneRemoteJobs(ctx context.Context, coopAPID string, keep []string, at time.Time) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *wtx) error {
		gone := `SELECT j.id FROM jobs j JOIN coops c ON c.id = j.coop_id
			WHERE c.ap_id = ? AND c.local = 0 AND j.local = 0 AND j.ap_id NOT IN (SELECT value FROM json_each(?))`
		if _, err := tx.ExecContext(ctx, `DELETE FROM jobs_fts WHERE rowid IN (`+gone+`)`, coopAPID, list(keep)); err != nil {
			return translate("pruning jobs", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM jobs WHERE id IN (`+gone+`)`, coopAPID, list(keep))
		if err != nil {
			return translate("pruning jobs", err)
		}
		m, _ := res.RowsAffected()
		n = int(m)
		return nil
	})
	return n, err
}

const coopFollowCols = `id, coop_id, target, follow_id, state, created_at, updated_at`

func scanCoopFollow(sc interface{ Scan(...any) error }) (*directory.CoopFollow, error) {
	var f directory.CoopFollow
	var created, updated int64
	if err := sc.Scan(&f.ID, &f.CoopID, &f.Target, &f.FollowID, &f.State, &created, &updated); err != nil {
		return nil, err
	}
	f.CreatedAt, f.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &f, nil
}

// AddCoopFollow records a co-op's follow and queues its Follow.
func (s *Store) AddCoopFollow(ctx context.Context, f *directory.CoopFollow, follow *directory.Delivery) error {
	return s.tx(ctx, func(tx *wtx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO coop_follows (coop_id, target, follow_id, state, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, f.CoopID, f.Target, f.FollowID, f.State, micros(f.CreatedAt), micros(f.UpdatedAt)).Scan(&f.ID)
		if err != nil {
			return translate("following", err)
		}
		return insertDeliveries(ctx, tx, []directory.Delivery{*follow})
	})
}

// CoopFollowByActivity finds a co-op's follow.
func (s *Store) CoopFollowByActivity(ctx context.Context, followID string) (*directory.CoopFollow, error) {
	f, err := scanCoopFollow(s.r.QueryRowContext(ctx, `SELECT `+coopFollowCols+` FROM coop_follows WHERE follow_id = ?`, followID))
	return f, translate("follow", err)
}

// SetCoopFollowState records an Accept or Reject.
func (s *Store) SetCoopFollowState(ctx context.Context, id int64, state string, at time.Time) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `UPDATE coop_follows SET state = ?, updated_at = ? WHERE id = ?`, state, micros(at), id)
		return translate("updating a follow", err)
	})
}

// CoopFollows lists a co-op's follows, newest first.
func (s *Store) CoopFollows(ctx context.Context, coopID int64) ([]directory.CoopFollow, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+coopFollowCols+` FROM coop_follows WHERE coop_id = ? ORDER BY id DESC`, coopID)
	if err != nil {
		return nil, translate("listing follows", err)
	}
	defer rows.Close()
	out := []directory.CoopFollow{}
	for rows.Next() {
		f, err := scanCoopFollow(rows)
		if err != nil {
			return nil, translate("listing follows", err)
		}
		out = append(out, *f)
	}
	return out, translate("listing follows", rows.Err())
}

// DeleteCoopFollow ends a co-op's follow and queues its Undo.
func (s *Store) DeleteCoopFollow(ctx context.Context, coopID, id int64, undo *directory.Delivery) (*directory.CoopFollow, error) {
	var f *directory.CoopFollow
	err := s.tx(ctx, func(tx *wtx) error {
		var err error
		f, err = scanCoopFollow(tx.QueryRowContext(ctx, `DELETE FROM coop_follows WHERE id = ? AND coop_id = ? RETURNING `+coopFollowCols, id, coopID))
		if err != nil {
			return translate("follow", err)
		}
		if undo != nil {
			return insertDeliveries(ctx, tx, []directory.Delivery{*undo})
		}
		return nil
	})
	return f, err
}
