package sqlstore

import (
	"context"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

const savedSearchCols = `id, handle, ap_id, query, name, created_at, used_at, gone_at`

func (s *Store) scanSavedSearch(row interface{ Scan(...any) error }) (*directory.SavedSearch, error) {
	var x directory.SavedSearch
	if err := row.Scan(&x.ID, &x.Handle, &x.APID, &x.Query, &x.Name, s.d.ScanTime(&x.CreatedAt), s.d.ScanTime(&x.UsedAt),
		s.d.ScanTime(&x.GoneAt)); err != nil {
		return nil, s.translate("saved search", err)
	}
	return &x, nil
}

// AddSavedSearch returns the saved search with x.Query, storing or
// reviving it within limit (directory.SearchStore).
func (s *Store) AddSavedSearch(ctx context.Context, x *directory.SavedSearch, limit int) (*directory.SavedSearch, error) {
	var out *directory.SavedSearch
	err := s.tx(ctx, func(tx *conn) error {
		// Counting and inserting in one transaction: PostgreSQL's
		// unique index keeps two racing inserts of one query to one row;
		// the limit may be passed by the few racing at its edge.
		old, err := s.scanSavedSearch(tx.QueryRowContext(ctx, `SELECT `+savedSearchCols+` FROM saved_searches WHERE query = ?`, x.Query))
		if err != nil && directory.KindOf(err) != directory.KindNotFound {
			return err
		}
		if old != nil && !old.Gone() {
			_, err := tx.ExecContext(ctx, `UPDATE saved_searches SET used_at = ? WHERE id = ?`, s.d.Time(x.UsedAt), old.ID)
			old.UsedAt = x.UsedAt
			out = old
			return s.translate("using a saved search", err)
		}
		var live int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM saved_searches WHERE gone_at IS NULL`).Scan(&live); err != nil {
			return s.translate("counting saved searches", err)
		}
		if live >= limit {
			return directory.SearchLimitError(limit)
		}
		if old != nil {
			_, err := tx.ExecContext(ctx, `UPDATE saved_searches SET used_at = ?, gone_at = NULL WHERE id = ?`, s.d.Time(x.UsedAt), old.ID)
			old.UsedAt, old.GoneAt = x.UsedAt, time.Time{}
			out = old
			return s.translate("reviving a saved search", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM saved_searches WHERE handle = ? OR ap_id = ?`, x.Handle, x.APID).Scan(&n); err != nil {
			return s.translate("saved search handles", err)
		}
		if n > 0 {
			return &directory.Error{Kind: directory.KindConflict, Field: "handle", Message: "the handle " + x.Handle + " is another search's",
				Err: directory.ErrSearchHandleTaken}
		}
		c := *x
		err = tx.QueryRowContext(ctx, `INSERT INTO saved_searches (handle, ap_id, query, name, created_at, used_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, c.Handle, c.APID, c.Query, c.Name, s.d.Time(c.CreatedAt), s.d.Time(c.UsedAt)).Scan(&c.ID)
		out = &c
		return s.translate("storing a saved search", err)
	})
	if directory.KindOf(err) == directory.KindConflict && out == nil {
		// Another writer stored the same query first.
		if prev, perr := s.scanSavedSearch(s.r.QueryRowContext(ctx, `SELECT `+savedSearchCols+` FROM saved_searches WHERE query = ?`, x.Query)); perr == nil && !prev.Gone() {
			return prev, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SavedSearchByHandle finds a saved search, collected ones too.
func (s *Store) SavedSearchByHandle(ctx context.Context, handle string) (*directory.SavedSearch, error) {
	return s.scanSavedSearch(s.r.QueryRowContext(ctx, `SELECT `+savedSearchCols+` FROM saved_searches WHERE handle = ?`, handle))
}

// SavedSearchByAPID finds a saved search by its actor id.
func (s *Store) SavedSearchByAPID(ctx context.Context, apid string) (*directory.SavedSearch, error) {
	return s.scanSavedSearch(s.r.QueryRowContext(ctx, `SELECT `+savedSearchCols+` FROM saved_searches WHERE ap_id = ?`, apid))
}

// LiveSavedSearches lists the searches not collected, oldest first.
func (s *Store) LiveSavedSearches(ctx context.Context) ([]directory.SavedSearch, error) {
	return s.savedSearches(ctx, `SELECT `+savedSearchCols+` FROM saved_searches WHERE gone_at IS NULL ORDER BY id`)
}

// SearchesAnnounced lists the live searches that announced job.
func (s *Store) SearchesAnnounced(ctx context.Context, job string) ([]directory.SavedSearch, error) {
	return s.savedSearches(ctx, `SELECT `+savedSearchCols+` FROM saved_searches WHERE gone_at IS NULL
		AND id IN (SELECT search_id FROM saved_search_announced WHERE job_ap_id = ?) ORDER BY id`, job)
}

func (s *Store) savedSearches(ctx context.Context, query string, args ...any) ([]directory.SavedSearch, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.translate("saved searches", err)
	}
	defer rows.Close()
	var out []directory.SavedSearch
	for rows.Next() {
		x, err := s.scanSavedSearch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *x)
	}
	return out, s.translate("saved searches", rows.Err())
}

// TouchSavedSearch marks a search used at at.
func (s *Store) TouchSavedSearch(ctx context.Context, id int64, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		_, err := tx.ExecContext(ctx, `UPDATE saved_searches SET used_at = ? WHERE id = ?`, s.d.Time(at), id)
		return s.translate("using a saved search", err)
	})
}

// CollectSavedSearches marks gone the idle searches nobody follows.
func (s *Store) CollectSavedSearches(ctx context.Context, idleSince, at time.Time) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, `UPDATE saved_searches SET gone_at = ?
			WHERE gone_at IS NULL AND used_at < ? AND NOT EXISTS (SELECT 1 FROM followers f WHERE f.actor_ap_id = saved_searches.ap_id)
			AND NOT EXISTS (SELECT 1 FROM alert_subscriptions a WHERE a.search_id = saved_searches.id AND a.state IN ('pending', 'confirmed'))`,
			s.d.Time(at), s.d.Time(idleSince))
		if err != nil {
			return s.translate("collecting saved searches", err)
		}
		k, err := res.RowsAffected()
		if err != nil {
			return s.translate("collecting saved searches", err)
		}
		if n = int(k); n == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM saved_search_announced WHERE search_id IN (SELECT id FROM saved_searches WHERE gone_at IS NOT NULL)`)
		return s.translate("collecting saved searches", err)
	})
	return n, err
}

// AnnounceOnce records that search announced job and queues ds the
// first time only.
func (s *Store) AnnounceOnce(ctx context.Context, search int64, job, key string, at time.Time, ds []directory.Delivery) (bool, error) {
	fresh := false
	err := s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO saved_search_announced (search_id, job_ap_id, announce_key, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, search, job, key, s.d.Time(at))
		if err != nil {
			return s.translate("recording an announce", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return s.translate("recording an announce", err)
		}
		if fresh = n == 1; !fresh {
			return nil
		}
		if err := s.queueAlerts(ctx, tx, search, job, at); err != nil {
			return err
		}
		if len(ds) == 0 {
			return nil
		}
		return s.insertDeliveries(ctx, tx, ds)
	})
	return fresh, err
}

// SearchAnnounce finds what a search's Announce named key boosted.
func (s *Store) SearchAnnounce(ctx context.Context, search int64, key string) (string, time.Time, error) {
	var job string
	var at time.Time
	err := s.r.QueryRowContext(ctx, `SELECT job_ap_id, created_at FROM saved_search_announced WHERE search_id = ? AND announce_key = ?`,
		search, key).Scan(&job, s.d.ScanTime(&at))
	return job, at, s.translate("a search's announce", err)
}

// RemoveSavedSearch collects a search at once.
func (s *Store) RemoveSavedSearch(ctx context.Context, id int64, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		var apid string
		if err := tx.QueryRowContext(ctx, `SELECT ap_id FROM saved_searches WHERE id = ?`, id).Scan(&apid); err != nil {
			return s.translate("a saved search", err)
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE saved_searches SET gone_at = ? WHERE id = ? AND gone_at IS NULL`, []any{s.d.Time(at), id}},
			{`DELETE FROM followers WHERE actor_ap_id = ?`, []any{apid}},
			{`DELETE FROM saved_search_announced WHERE search_id = ?`, []any{id}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return s.translate("removing a saved search", err)
			}
		}
		return nil
	})
}
