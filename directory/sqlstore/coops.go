package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

const federationCols = `id, ap_id, handle, host, local, name, summary, url, languages, created_at, updated_at`

func (s *Store) scanFederation(row interface{ Scan(...any) error }) (*directory.Federation, error) {
	var f directory.Federation
	if err := row.Scan(&f.ID, &f.APID, &f.Handle, &f.Host, &f.Local, &f.Name, &f.Summary, &f.URL, s.d.ScanList(&f.Languages),
		s.d.ScanTime(&f.CreatedAt), s.d.ScanTime(&f.UpdatedAt)); err != nil {
		return nil, err
	}
	return &f, nil
}

// PutLocalFederation inserts or updates the local federation.
func (s *Store) PutLocalFederation(ctx context.Context, f *directory.Federation) error {
	return s.tx(ctx, func(tx *conn) error {
		// A node whose public URL changed keeps one local federation: the
		// old row gives way to the new id.
		if _, err := tx.ExecContext(ctx, `DELETE FROM federations WHERE local AND ap_id <> ?`, f.APID); err != nil {
			return s.translate("replacing the local federation", err)
		}
		err := tx.QueryRowContext(ctx, `
			INSERT INTO federations (ap_id, handle, host, local, name, summary, url, languages, created_at, updated_at)
			VALUES (?, ?, ?, true, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ap_id) DO UPDATE SET handle = excluded.handle, host = excluded.host, local = true,
				name = excluded.name, summary = excluded.summary, url = excluded.url,
				languages = excluded.languages, updated_at = excluded.updated_at
			RETURNING id`,
			f.APID, f.Handle, f.Host, f.Name, f.Summary, f.URL, s.d.List(f.Languages), s.d.Time(f.CreatedAt), s.d.Time(f.UpdatedAt),
		).Scan(&f.ID)
		return s.translate("storing the local federation", err)
	})
}

// UpdateLocalFederation writes the local federation's profile and records
// the change for its followers.
func (s *Store) UpdateLocalFederation(ctx context.Context, f *directory.Federation) error {
	return s.tx(ctx, func(tx *conn) error {
		if err := s.one(ctx, tx, "updating the federation", directory.NotFoundf("no local federation"), `UPDATE federations SET name = ?, summary = ?, languages = ?, updated_at = ? WHERE id = ? AND local`,
			f.Name, f.Summary, s.d.List(f.Languages), s.d.Time(f.UpdatedAt), f.ID); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, directory.EventFederationUpdate, f.APID, f.APID, f.UpdatedAt)
	})
}

// LocalFederation returns this node's federation.
func (s *Store) LocalFederation(ctx context.Context) (*directory.Federation, error) {
	f, err := s.scanFederation(s.r.QueryRowContext(ctx, `SELECT `+federationCols+` FROM federations WHERE local`))
	return f, s.translate("local federation", err)
}

// UpsertRemoteFederation stores a federation known from another node.
func (s *Store) UpsertRemoteFederation(ctx context.Context, f *directory.Federation) error {
	return s.tx(ctx, func(tx *conn) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO federations (ap_id, handle, host, local, name, summary, url, languages, created_at, updated_at)
			VALUES (?, ?, ?, false, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ap_id) DO UPDATE SET handle = excluded.handle, host = excluded.host,
				name = excluded.name, summary = excluded.summary, url = excluded.url,
				languages = excluded.languages, updated_at = excluded.updated_at
			WHERE NOT federations.local
			RETURNING id`,
			f.APID, f.Handle, f.Host, f.Name, f.Summary, f.URL, s.d.List(f.Languages), s.d.Time(f.CreatedAt), s.d.Time(f.UpdatedAt),
		).Scan(&f.ID)
		if err == sql.ErrNoRows {
			return directory.Conflictf("id", "%s is this node's own federation", f.APID)
		}
		if err != nil {
			return s.translate("storing a federation", err)
		}
		return s.refuseBlocked(ctx, tx, f.APID)
	})
}

const coopCols = `c.id, c.ap_id, c.handle, c.host, c.local, c.name, c.summary, c.country, c.city, c.founded,
	c.workers, c.website, c.email, c.languages, c.skills, c.governance, c.url, c.suspended, c.created_at, c.updated_at`

func (s *Store) scanCoop(row interface{ Scan(...any) error }, extra ...any) (*directory.Coop, error) {
	var c directory.Coop
	dest := []any{&c.ID, &c.APID, &c.Handle, &c.Host, &c.Local, &c.Name, &c.Summary, &c.Country, &c.City, &c.Founded,
		&c.Workers, &c.Website, &c.Email, s.d.ScanList(&c.Languages), s.d.ScanList(&c.Skills), &c.Governance, &c.URL,
		&c.Suspended, s.d.ScanTime(&c.CreatedAt), s.d.ScanTime(&c.UpdatedAt)}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	return &c, nil
}

// coopSearch returns a co-op's search_text, its tokens, and its
// search_terms, each between spaces, so that LIKE '% x %' finds a whole
// token or term.
func coopSearch(c *directory.Coop) (text, terms string) {
	ix := directory.Index(c.Languages, c.Name, c.Handle, c.Summary, c.City, strings.Join(c.Skills, " "))
	return " " + strings.Join(ix.Tokens, " ") + " ", " " + strings.Join(ix.Terms, " ") + " "
}

func (s *Store) writeCoopTerms(ctx context.Context, tx *conn, c *directory.Coop) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM coop_terms WHERE coop_id = ?`, c.ID); err != nil {
		return s.translate("updating co-op skills", err)
	}
	for _, sk := range c.Skills {
		if _, err := tx.ExecContext(ctx, `INSERT INTO coop_terms (coop_id, kind, value) VALUES (?, 's', ?) ON CONFLICT DO NOTHING`, c.ID, sk); err != nil {
			return s.translate("updating co-op skills", err)
		}
	}
	return nil
}

// coopTextMatch returns the conditions, one per phrase or term, any of
// which satisfies a search clause, and their arguments.
func coopTextMatch(cl directory.Clause) ([]string, []any) {
	var alts []string
	var args []any
	for _, p := range cl.Any {
		alts = append(alts, `c.search_text LIKE ?`)
		args = append(args, "% "+strings.Join(p, " ")+" %")
	}
	for _, t := range cl.Terms {
		alts = append(alts, `c.search_terms LIKE ?`)
		args = append(args, "% "+t+" %")
	}
	return alts, args
}

// CreateCoop inserts a local co-op and its membership. The actor id of a
// deleted co-op keeps its tombstone, and with it its handle: followers
// and keys are kept by actor id, and a new co-op must not inherit them.
func (s *Store) CreateCoop(ctx context.Context, c *directory.Coop, federationID int64) error {
	return s.tx(ctx, func(tx *conn) error {
		var deleted int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM tombstones WHERE ap_id = ?`, c.APID).Scan(&deleted); err != nil {
			return s.translate("creating a co-op", err)
		}
		if deleted > 0 {
			return directory.Conflict("handle", directory.CodeHandleRetired, c.Handle)
		}
		text, terms := coopSearch(c)
		err := tx.QueryRowContext(ctx, `
			INSERT INTO coops (ap_id, handle, host, local, name, sort_key, summary, country, city, founded, workers,
				website, email, languages, skills, governance, url, search_text, search_terms, created_at, updated_at)
			VALUES (?, ?, ?, true, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			c.APID, c.Handle, c.Host, c.Name, directory.SortKey(c.Name), c.Summary, c.Country, c.City, c.Founded, c.Workers,
			c.Website, c.Email, s.d.List(c.Languages), s.d.List(c.Skills), c.Governance, c.URL, text, terms,
			s.d.Time(c.CreatedAt), s.d.Time(c.UpdatedAt),
		).Scan(&c.ID)
		if err != nil {
			return s.translate("creating a co-op", err)
		}
		if err := s.writeCoopTerms(ctx, tx, c); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO memberships (federation_id, coop_id, created_at) VALUES (?, ?, ?)`,
			federationID, c.ID, s.d.Time(c.CreatedAt))
		if err != nil {
			return s.translate("adding the co-op to its federation", err)
		}
		return s.addEvent(ctx, tx, directory.EventCoopCreate, c.APID, c.APID, c.CreatedAt)
	})
}

// UpdateCoop writes a local co-op's profile, unless it is suspended.
func (s *Store) UpdateCoop(ctx context.Context, c *directory.Coop) error {
	text, terms := coopSearch(c)
	return s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE coops SET name = ?, sort_key = ?, summary = ?, country = ?, city = ?, founded = ?, workers = ?,
				website = ?, email = ?, languages = ?, skills = ?, governance = ?, search_text = ?, search_terms = ?, updated_at = ?
			WHERE id = ? AND local AND NOT suspended`,
			c.Name, directory.SortKey(c.Name), c.Summary, c.Country, c.City, c.Founded, c.Workers,
			c.Website, c.Email, s.d.List(c.Languages), s.d.List(c.Skills), c.Governance, text, terms, s.d.Time(c.UpdatedAt), c.ID)
		if err != nil {
			return s.translate("updating a co-op", err)
		}
		if affected(res) == 0 {
			return s.notPublishing(ctx, tx, c.ID)
		}
		if err := s.writeCoopTerms(ctx, tx, c); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, directory.EventCoopUpdate, c.APID, c.APID, c.UpdatedAt)
	})
}

// SetCoopSuspended suspends or reinstates a local co-op.
func (s *Store) SetCoopSuspended(ctx context.Context, id int64, suspended bool, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		var apid string
		err := tx.QueryRowContext(ctx, `UPDATE coops SET suspended = ?, updated_at = ? WHERE id = ? AND local RETURNING ap_id`,
			suspended, s.d.Time(at), id).Scan(&apid)
		if err == sql.ErrNoRows {
			return directory.NotFoundf("no local co-op with that id")
		}
		if err != nil {
			return s.translate("suspending a co-op", err)
		}
		return s.addEvent(ctx, tx, directory.EventCoopUpdate, apid, apid, at)
	})
}

// notPublishing says why a write to a publishing co-op's row changed no
// row.
func (s *Store) notPublishing(ctx context.Context, tx *conn, id int64) error {
	if err := s.checkPublishing(ctx, tx, id); err != nil {
		return err
	}
	return directory.Conflictf("", "the co-op was reinstated while the change was made; try again")
}

// checkPublishing fails unless the local co-op id may publish: it exists
// and is not suspended. It holds the co-op's row until tx ends, so that a
// suspension either waits for the change or is seen by it.
func (s *Store) checkPublishing(ctx context.Context, tx *conn, id int64) error {
	var handle string
	var suspended bool
	err := tx.QueryRowContext(ctx, `SELECT handle, suspended FROM coops WHERE id = ? AND local`+s.d.ForShare(), id).Scan(&handle, &suspended)
	if err == sql.ErrNoRows {
		return directory.NotFoundf("no local co-op with that id")
	}
	if err != nil {
		return s.translate("co-op", err)
	}
	if suspended {
		return directory.Forbiddenf("the co-op %s is suspended", handle)
	}
	return nil
}

// DeleteCoop removes a co-op; its jobs, terms and memberships cascade.
func (s *Store) DeleteCoop(ctx context.Context, id int64, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		var apid string
		var local bool
		if err := tx.QueryRowContext(ctx, `SELECT ap_id, local FROM coops WHERE id = ?`, id).Scan(&apid, &local); err != nil {
			return s.translate("deleting a co-op", err)
		}
		// Its jobs' ids and pages answer 410, here and, for a remote
		// co-op, on this aggregating node's pages.
		if _, err := tx.ExecContext(ctx, `INSERT INTO tombstones (ap_id, type, deleted_at)
			SELECT ap_id, 'Note', ? FROM jobs WHERE coop_id = ? ON CONFLICT (ap_id) DO NOTHING`, s.d.Time(at), id); err != nil {
			return s.translate("deleting a co-op's jobs", err)
		}
		if local {
			// Each job's Delete (and the federation's Undo of its
			// Announce) goes out before the co-op's own Delete: servers
			// that get only the actor's Delete keep its posts.
			if _, err := tx.ExecContext(ctx, `INSERT INTO events (kind, object_id, actor_id, created_at)
				SELECT ?, ap_id, ?, ? FROM jobs WHERE coop_id = ? ORDER BY id`, directory.EventCoopJobDelete, apid, s.d.Time(at), id); err != nil {
				return s.translate("deleting a co-op's jobs", err)
			}
			if err := s.addTombstone(ctx, tx, apid, "Organization", at); err != nil {
				return err
			}
			if err := s.addEvent(ctx, tx, directory.EventCoopDelete, apid, apid, at); err != nil {
				return err
			}
		}
		if err := s.one(ctx, tx, "deleting a co-op", directory.NotFoundf("no co-op with that id"), `DELETE FROM coops WHERE id = ?`, id); err != nil {
			return err
		}
		return nil
	})
}

func (s *Store) oneCoop(ctx context.Context, where string, arg any) (*directory.Coop, error) {
	c, err := s.scanCoop(s.r.QueryRowContext(ctx, `SELECT `+coopCols+` FROM coops c WHERE `+where, arg))
	if err != nil {
		return nil, s.translate("co-op", err)
	}
	cs := []*directory.Coop{c}
	if err := s.loadFederations(ctx, cs); err != nil {
		return nil, err
	}
	return c, nil
}

// LocalCoop finds a local co-op by handle.
func (s *Store) LocalCoop(ctx context.Context, handle string) (*directory.Coop, error) {
	return s.oneCoop(ctx, `c.local AND c.handle = ?`, handle)
}

// CoopByAPID finds a co-op by actor id.
func (s *Store) CoopByAPID(ctx context.Context, apid string) (*directory.Coop, error) {
	return s.oneCoop(ctx, `c.ap_id = ?`, apid)
}

// loadFederations fills in each co-op's federations.
func (s *Store) loadFederations(ctx context.Context, cs []*directory.Coop) error {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	feds, err := s.federationsOf(ctx, ids)
	if err != nil {
		return err
	}
	for _, c := range cs {
		c.Federations = feds[c.ID]
		if c.Federations == nil {
			c.Federations = []directory.FederationRef{}
		}
	}
	return nil
}

// federationsOf returns the federations of each co-op, the local one first.
func (s *Store) federationsOf(ctx context.Context, coopIDs []int64) (map[int64][]directory.FederationRef, error) {
	out := make(map[int64][]directory.FederationRef, len(coopIDs))
	if len(coopIDs) == 0 {
		return out, nil
	}
	seen := make(map[int64]bool, len(coopIDs))
	ids := make([]any, 0, len(coopIDs))
	for _, id := range coopIDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT m.coop_id, f.ap_id, f.handle, f.name FROM memberships m JOIN federations f ON f.id = m.federation_id
		WHERE m.coop_id IN (`+In(len(ids))+`) ORDER BY f.local DESC, f.name, f.id`, ids...)
	if err != nil {
		return nil, s.translate("loading federations", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f directory.FederationRef
		if err := rows.Scan(&id, &f.APID, &f.Handle, &f.Name); err != nil {
			return nil, s.translate("loading federations", err)
		}
		out[id] = append(out[id], f)
	}
	return out, s.translate("loading federations", rows.Err())
}

// ListCoops returns a page of co-ops ordered by name.
func (s *Store) ListCoops(ctx context.Context, q directory.CoopQuery) (*directory.CoopPage, error) {
	var where []string
	var args []any
	for _, cl := range q.Text.Positive() {
		alts, altArgs := coopTextMatch(cl)
		where = append(where, "("+strings.Join(alts, " OR ")+")")
		args = append(args, altArgs...)
	}
	for _, cl := range q.Text.Negative() {
		alts, altArgs := coopTextMatch(cl)
		where = append(where, "NOT ("+strings.Join(alts, " OR ")+")")
		args = append(args, altArgs...)
	}
	if len(q.Countries) > 0 {
		where = append(where, `c.country IN (`+In(len(q.Countries))+`)`)
		args = append(args, Anys(q.Countries)...)
	}
	if len(q.Skills) > 0 {
		where = append(where, `c.id IN (SELECT coop_id FROM coop_terms WHERE kind = 's' AND value IN (`+In(len(q.Skills))+`))`)
		args = append(args, Anys(q.Skills)...)
	}
	if len(q.Federations) > 0 {
		ph := In(len(q.Federations))
		where = append(where, `c.id IN (SELECT m.coop_id FROM memberships m JOIN federations f ON f.id = m.federation_id
			WHERE f.ap_id IN (`+ph+`) OR f.handle IN (`+ph+`))`)
		args = append(args, Anys(q.Federations)...)
		args = append(args, Anys(q.Federations)...)
	}
	if !q.Suspended {
		where = append(where, `NOT c.suspended`)
	}
	if len(q.Accounts) > 0 {
		where = append(where, `(c.handle || '@' || c.host) IN (`+In(len(q.Accounts))+`)`)
		args = append(args, Anys(q.Accounts)...)
	}
	if q.MinWorkers > 0 {
		where = append(where, `c.workers >= ?`)
		args = append(args, q.MinWorkers)
	}
	if q.MaxWorkers > 0 {
		where = append(where, `c.workers <= ?`)
		args = append(args, q.MaxWorkers)
	}
	cond := "1 = 1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	var page directory.CoopPage
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM coops c WHERE `+cond, args...).Scan(&page.Total); err != nil {
		return nil, s.translate("counting co-ops", err)
	}
	pageCond, pageArgs := cond, append([]any(nil), args...)
	if q.After != nil {
		pageCond += ` AND (c.sort_key, c.id) > (?, ?)`
		pageArgs = append(pageArgs, q.After.Key, q.After.ID)
	}
	pageArgs = append(pageArgs, q.Limit+1)
	rows, err := s.r.QueryContext(ctx, `SELECT `+coopCols+`, c.sort_key FROM coops c WHERE `+pageCond+
		` ORDER BY c.sort_key, c.id LIMIT ?`, pageArgs...)
	if err != nil {
		return nil, s.translate("listing co-ops", err)
	}
	defer rows.Close()
	var items []*directory.Coop
	var keys []string
	for rows.Next() {
		var key string
		c, err := s.scanCoop(rows, &key)
		if err != nil {
			return nil, s.translate("listing co-ops", err)
		}
		items = append(items, c)
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, s.translate("listing co-ops", err)
	}
	if len(items) > q.Limit {
		items, keys = items[:q.Limit], keys[:q.Limit]
		last := items[len(items)-1]
		page.Next = &directory.Cursor{Key: keys[len(keys)-1], ID: last.ID}
	}
	if err := s.loadFederations(ctx, items); err != nil {
		return nil, err
	}
	page.Items = make([]directory.Coop, len(items))
	for i, c := range items {
		page.Items[i] = *c
	}
	return &page, nil
}

// UpsertRemoteCoop inserts or updates a co-op hosted elsewhere.
func (s *Store) UpsertRemoteCoop(ctx context.Context, c *directory.Coop) error {
	text, terms := coopSearch(c)
	return s.tx(ctx, func(tx *conn) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO coops (ap_id, handle, host, local, name, sort_key, summary, country, city, founded, workers,
				website, email, languages, skills, governance, url, search_text, search_terms, suspended, created_at, updated_at)
			VALUES (?, ?, ?, false, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ap_id) DO UPDATE SET suspended = excluded.suspended, handle = excluded.handle, host = excluded.host, name = excluded.name,
				sort_key = excluded.sort_key, summary = excluded.summary, country = excluded.country,
				city = excluded.city, founded = excluded.founded, workers = excluded.workers,
				website = excluded.website, email = excluded.email, languages = excluded.languages,
				skills = excluded.skills, governance = excluded.governance, url = excluded.url,
				search_text = excluded.search_text, search_terms = excluded.search_terms, updated_at = excluded.updated_at
			WHERE NOT coops.local
			RETURNING id`,
			c.APID, c.Handle, c.Host, c.Name, directory.SortKey(c.Name), c.Summary, c.Country, c.City, c.Founded, c.Workers,
			c.Website, c.Email, s.d.List(c.Languages), s.d.List(c.Skills), c.Governance, c.URL, text, terms, c.Suspended,
			s.d.Time(c.CreatedAt), s.d.Time(c.UpdatedAt),
		).Scan(&c.ID)
		if err == sql.ErrNoRows {
			return directory.Conflictf("id", "%s is a co-op of this node", c.APID)
		}
		if err != nil {
			return s.translate("storing a remote co-op", err)
		}
		c.Local = false
		if err := s.refuseBlocked(ctx, tx, c.APID); err != nil {
			return err
		}
		return s.writeCoopTerms(ctx, tx, c)
	})
}

// AddMember makes a co-op a member of a federation; both must be stored.
func (s *Store) AddMember(ctx context.Context, federationAPID, coopAPID string, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO memberships (federation_id, coop_id, created_at)
			SELECT f.id, c.id, ? FROM federations f, coops c WHERE f.ap_id = ? AND c.ap_id = ?
			ON CONFLICT DO NOTHING`, s.d.Time(at), federationAPID, coopAPID)
		if err != nil {
			return s.translate("adding a member", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			err := tx.QueryRowContext(ctx, `SELECT count(*) FROM federations f, coops c WHERE f.ap_id = ? AND c.ap_id = ?`,
				federationAPID, coopAPID).Scan(&exists)
			if err != nil {
				return s.translate("adding a member", err)
			}
			if exists == 0 {
				return directory.NotFoundf("the federation or the co-op is not known here")
			}
			return nil
		}
		return s.localMemberEvent(ctx, tx, directory.EventMemberAdd, federationAPID, coopAPID, at)
	})
}

// localMemberEvent records a membership change of the local federation,
// which its followers must hear of.
func (s *Store) localMemberEvent(ctx context.Context, tx *conn, kind, federationAPID, coopAPID string, at time.Time) error {
	var local bool
	if err := tx.QueryRowContext(ctx, `SELECT local FROM federations WHERE ap_id = ?`, federationAPID).Scan(&local); err != nil {
		return s.translate("membership", err)
	}
	if !local {
		return nil
	}
	return s.addEvent(ctx, tx, kind, coopAPID, federationAPID, at)
}

// RemoveMember ends a co-op's membership of a federation.
func (s *Store) RemoveMember(ctx context.Context, federationAPID, coopAPID string, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, `
			DELETE FROM memberships WHERE federation_id = (SELECT id FROM federations WHERE ap_id = ?)
				AND coop_id = (SELECT id FROM coops WHERE ap_id = ?)`, federationAPID, coopAPID)
		if err != nil {
			return s.translate("removing a member", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return s.localMemberEvent(ctx, tx, directory.EventMemberRemove, federationAPID, coopAPID, at)
	})
}

// CreateToken stores a token.
func (s *Store) CreateToken(ctx context.Context, t *directory.Token) error {
	return s.tx(ctx, func(tx *conn) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO tokens (hash, coop_id, user_id, label, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			t.Hash, nullID(t.CoopID), nullID(t.UserID), t.Label, s.d.Time(t.CreatedAt)).Scan(&t.ID)
		return s.translate("creating a token", err)
	})
}

// TokenByHash finds a token.
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (*directory.Token, error) {
	var t directory.Token
	err := s.r.QueryRowContext(ctx, `SELECT id, hash, coalesce(coop_id, 0), coalesce(user_id, 0), label, created_at FROM tokens WHERE hash = ?`, hash).
		Scan(&t.ID, &t.Hash, &t.CoopID, &t.UserID, &t.Label, s.d.ScanTime(&t.CreatedAt))
	if err != nil {
		return nil, s.translate("token", err)
	}
	return &t, nil
}
