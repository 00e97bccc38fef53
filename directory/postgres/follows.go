package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/colmena-coop/colmena/directory"
)

const followCols = `id, target, follow_id, state, via, created_at, updated_at, backfilled_at`

func scanFollow(row pgx.Row) (*directory.Follow, error) {
	var f directory.Follow
	var backfilled *time.Time
	if err := row.Scan(&f.ID, &f.Target, &f.FollowID, &f.State, &f.Via, &f.CreatedAt, &f.UpdatedAt, &backfilled); err != nil {
		return nil, err
	}
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	if backfilled != nil {
		f.BackfilledAt = backfilled.UTC()
	}
	return &f, nil
}

// AddFollow records a follow and queues its Follow activity.
func (s *Store) AddFollow(ctx context.Context, f *directory.Follow, follow *directory.Delivery) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO follows (target, follow_id, state, via, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, f.Target, f.FollowID, f.State, f.Via, f.CreatedAt, f.UpdatedAt).Scan(&f.ID)
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
	f, err := scanFollow(s.pool.QueryRow(ctx, `SELECT `+followCols+` FROM follows WHERE `+where, arg))
	return f, translate("follow", err)
}

// FollowByActivity finds a follow by its Follow activity's id.
func (s *Store) FollowByActivity(ctx context.Context, followID string) (*directory.Follow, error) {
	return s.oneFollow(ctx, `follow_id = $1`, followID)
}

// FollowByTarget finds a follow by the followed actor.
func (s *Store) FollowByTarget(ctx context.Context, target string) (*directory.Follow, error) {
	return s.oneFollow(ctx, `target = $1`, target)
}

// FollowByID finds a follow by number.
func (s *Store) FollowByID(ctx context.Context, id int64) (*directory.Follow, error) {
	return s.oneFollow(ctx, `id = $1`, id)
}

// SetFollowState records an Accept or Reject.
func (s *Store) SetFollowState(ctx context.Context, id int64, state string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE follows SET state = $1, updated_at = $2 WHERE id = $3`, state, at, id)
	return translate("updating a follow", err)
}

// Follows lists every follow.
func (s *Store) Follows(ctx context.Context) ([]directory.Follow, error) {
	return s.followsWhere(ctx, `true`)
}

// PendingBackfills lists accepted follows not yet backfilled.
func (s *Store) PendingBackfills(ctx context.Context) ([]directory.Follow, error) {
	return s.followsWhere(ctx, `state = 'accepted' AND backfilled_at IS NULL`)
}

// SetBackfilled records a finished backfill.
func (s *Store) SetBackfilled(ctx context.Context, id int64, at time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE follows SET backfilled_at = $1 WHERE id = $2`, at, id)
	return translate("recording a backfill", err)
}

// DeleteRemoteFederation forgets a remote federation and the co-ops known
// only through it.
func (s *Store) DeleteRemoteFederation(ctx context.Context, apid string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM coops WHERE id IN (
			SELECT c.id FROM coops c JOIN memberships m ON m.coop_id = c.id JOIN federations f ON f.id = m.federation_id
			WHERE f.ap_id = $1 AND NOT f.local AND NOT c.local
			AND NOT EXISTS (SELECT 1 FROM memberships m2 JOIN federations f2 ON f2.id = m2.federation_id WHERE m2.coop_id = c.id AND f2.ap_id <> $1)
			AND NOT EXISTS (SELECT 1 FROM follows fo WHERE fo.target = c.ap_id))`, apid); err != nil {
			return translate("forgetting a federation", err)
		}
		_, err := tx.Exec(ctx, `DELETE FROM federations WHERE ap_id = $1 AND NOT local`, apid)
		return translate("forgetting a federation", err)
	})
}

func (s *Store) followsWhere(ctx context.Context, where string) ([]directory.Follow, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+followCols+` FROM follows WHERE `+where+` ORDER BY id`)
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
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM follows WHERE id = $1`, id)
		if err != nil {
			return translate("deleting a follow", err)
		}
		if tag.RowsAffected() == 0 {
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
	rows, err := s.pool.Query(ctx, `SELECT c.ap_id FROM coops c LEFT JOIN remote_actors a ON a.ap_id = c.ap_id
		WHERE NOT c.local AND coalesce(a.fetched_at, '-infinity') < $1
		ORDER BY coalesce(a.fetched_at, '-infinity'), c.id LIMIT $2`, before, limit)
	if err != nil {
		return nil, translate("stale co-ops", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, translate("stale co-ops", err)
}

// ResetBackfills marks every accepted follow for a new import.
func (s *Store) ResetBackfills(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, `UPDATE follows SET backfilled_at = NULL WHERE state = 'accepted'`)
	return translate("resetting backfills", err)
}

// PruneRemoteJobs deletes a remote co-op's jobs that are not in keep.
func (s *Store) PruneRemoteJobs(ctx context.Context, coopAPID string, keep []string, at time.Time) (int, error) {
	if keep == nil {
		keep = []string{}
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM jobs j USING coops c
		WHERE c.id = j.coop_id AND c.ap_id = $1 AND NOT c.local AND NOT j.local AND NOT (j.ap_id = ANY($2))`, coopAPID, keep)
	if err != nil {
		return 0, translate("pruning jobs", err)
	}
	return int(tag.RowsAffected()), nil
}

const coopFollowCols = `id, coop_id, target, follow_id, state, created_at, updated_at`

func scanCoopFollow(row pgx.Row) (*directory.CoopFollow, error) {
	var f directory.CoopFollow
	if err := row.Scan(&f.ID, &f.CoopID, &f.Target, &f.FollowID, &f.State, &f.CreatedAt, &f.UpdatedAt); err != nil {
		return nil, err
	}
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return &f, nil
}

// AddCoopFollow records a co-op's follow and queues its Follow.
func (s *Store) AddCoopFollow(ctx context.Context, f *directory.CoopFollow, follow *directory.Delivery) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO coop_follows (coop_id, target, follow_id, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, f.CoopID, f.Target, f.FollowID, f.State, f.CreatedAt, f.UpdatedAt).Scan(&f.ID)
		if err != nil {
			return translate("following", err)
		}
		return insertDeliveries(ctx, tx, []directory.Delivery{*follow})
	})
}

// CoopFollowByActivity finds a co-op's follow.
func (s *Store) CoopFollowByActivity(ctx context.Context, followID string) (*directory.CoopFollow, error) {
	f, err := scanCoopFollow(s.pool.QueryRow(ctx, `SELECT `+coopFollowCols+` FROM coop_follows WHERE follow_id = $1`, followID))
	return f, translate("follow", err)
}

// SetCoopFollowState records an Accept or Reject.
func (s *Store) SetCoopFollowState(ctx context.Context, id int64, state string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE coop_follows SET state = $1, updated_at = $2 WHERE id = $3`, state, at, id)
	return translate("updating a follow", err)
}

// CoopFollows lists a co-op's follows, newest first.
func (s *Store) CoopFollows(ctx context.Context, coopID int64) ([]directory.CoopFollow, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+coopFollowCols+` FROM coop_follows WHERE coop_id = $1 ORDER BY id DESC`, coopID)
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
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		f, err = scanCoopFollow(tx.QueryRow(ctx, `DELETE FROM coop_follows WHERE id = $1 AND coop_id = $2 RETURNING `+coopFollowCols, id, coopID))
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
