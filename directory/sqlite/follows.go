package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

const followCols = `id, target, follow_id, state, via, created_at, updated_at`

func scanFollow(row interface{ Scan(...any) error }) (*directory.Follow, error) {
	var f directory.Follow
	var created, updated int64
	if err := row.Scan(&f.ID, &f.Target, &f.FollowID, &f.State, &f.Via, &created, &updated); err != nil {
		return nil, err
	}
	f.CreatedAt, f.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &f, nil
}

// AddFollow records a follow and queues its Follow activity.
func (s *Store) AddFollow(ctx context.Context, f *directory.Follow, follow *directory.Delivery) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE follows SET state = ?, updated_at = ? WHERE id = ?`, state, micros(at), id)
		return translate("updating a follow", err)
	})
}

// Follows lists every follow.
func (s *Store) Follows(ctx context.Context) ([]directory.Follow, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+followCols+` FROM follows ORDER BY id`)
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
	return s.tx(ctx, func(tx *sql.Tx) error {
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
