package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/colmena-coop/colmena/directory"
)

const federationCols = `id, ap_id, handle, host, local, name, summary, url, languages, created_at, updated_at`

func scanFederation(row pgx.Row) (*directory.Federation, error) {
	var f directory.Federation
	if err := row.Scan(&f.ID, &f.APID, &f.Handle, &f.Host, &f.Local, &f.Name, &f.Summary, &f.URL, &f.Languages,
		&f.CreatedAt, &f.UpdatedAt); err != nil {
		return nil, err
	}
	f.Languages = orEmptyList(f.Languages)
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return &f, nil
}

// PutLocalFederation inserts or updates the local federation.
func (s *Store) PutLocalFederation(ctx context.Context, f *directory.Federation) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM federations WHERE local AND ap_id <> $1`, f.APID); err != nil {
			return translate("replacing the local federation", err)
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO federations (ap_id, handle, host, local, name, summary, url, languages, created_at, updated_at)
			VALUES ($1, $2, $3, true, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (ap_id) DO UPDATE SET handle = excluded.handle, host = excluded.host, local = true,
				name = excluded.name, summary = excluded.summary, url = excluded.url,
				languages = excluded.languages, updated_at = excluded.updated_at
			RETURNING id`,
			f.APID, f.Handle, f.Host, f.Name, f.Summary, f.URL, orEmptyList(f.Languages), f.CreatedAt, f.UpdatedAt,
		).Scan(&f.ID)
		return translate("storing the local federation", err)
	})
}

// UpdateLocalFederation writes the local federation's profile and records
// the change for its followers.
func (s *Store) UpdateLocalFederation(ctx context.Context, f *directory.Federation) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE federations SET name = $1, summary = $2, languages = $3, updated_at = $4 WHERE id = $5 AND local`,
			f.Name, f.Summary, orEmptyList(f.Languages), f.UpdatedAt, f.ID)
		if err != nil {
			return translate("updating the federation", err)
		}
		if tag.RowsAffected() == 0 {
			return directory.NotFoundf("no local federation")
		}
		return addEvent(ctx, tx, directory.EventFederationUpdate, f.APID, f.APID, f.UpdatedAt)
	})
}

// LocalFederation returns this node's federation.
func (s *Store) LocalFederation(ctx context.Context) (*directory.Federation, error) {
	f, err := scanFederation(s.pool.QueryRow(ctx, `SELECT `+federationCols+` FROM federations WHERE local`))
	return f, translate("local federation", err)
}

// UpsertRemoteFederation stores a federation known from another node.
func (s *Store) UpsertRemoteFederation(ctx context.Context, f *directory.Federation) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO federations (ap_id, handle, host, local, name, summary, url, languages, created_at, updated_at)
			VALUES ($1, $2, $3, false, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (ap_id) DO UPDATE SET handle = excluded.handle, host = excluded.host,
				name = excluded.name, summary = excluded.summary, url = excluded.url,
				languages = excluded.languages, updated_at = excluded.updated_at
			WHERE NOT federations.local
			RETURNING id`,
			f.APID, f.Handle, f.Host, f.Name, f.Summary, f.URL, orEmptyList(f.Languages), f.CreatedAt, f.UpdatedAt,
		).Scan(&f.ID)
		if err == pgx.ErrNoRows {
			return directory.Conflictf("id", "%s is this node's own federation", f.APID)
		}
		if err != nil {
			return translate("storing a federation", err)
		}
		return refuseBlocked(ctx, tx, f.APID)
	})
}

const coopCols = `c.id, c.ap_id, c.handle, c.host, c.local, c.name, c.summary, c.country, c.city, c.founded,
	c.workers, c.website, c.email, c.languages, c.skills, c.governance, c.url, c.suspended, c.created_at, c.updated_at`

func scanCoop(row pgx.Row, extra ...any) (*directory.Coop, error) {
	var c directory.Coop
	dest := []any{&c.ID, &c.APID, &c.Handle, &c.Host, &c.Local, &c.Name, &c.Summary, &c.Country, &c.City, &c.Founded,
		&c.Workers, &c.Website, &c.Email, &c.Languages, &c.Skills, &c.Governance, &c.URL, &c.Suspended, &c.CreatedAt, &c.UpdatedAt}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	c.Languages, c.Skills = orEmptyList(c.Languages), orEmptyList(c.Skills)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

func coopSearchText(c *directory.Coop) string {
	return " " + directory.SearchDoc(c.Name, c.Handle, c.Summary, c.City, strings.Join(c.Skills, " ")) + " "
}

// CreateCoop inserts a local co-op and its membership.
func (s *Store) CreateCoop(ctx context.Context, c *directory.Coop, federationID int64) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO coops (ap_id, handle, host, local, name, sort_key, summary, country, city, founded, workers,
				website, email, languages, skills, governance, url, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, true, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
			RETURNING id`,
			c.APID, c.Handle, c.Host, c.Name, directory.SortKey(c.Name), c.Summary, c.Country, c.City, c.Founded, c.Workers,
			c.Website, c.Email, orEmptyList(c.Languages), orEmptyList(c.Skills), c.Governance, c.URL, coopSearchText(c),
			c.CreatedAt, c.UpdatedAt,
		).Scan(&c.ID)
		if err != nil {
			return translate("creating a co-op", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO memberships (federation_id, coop_id, created_at) VALUES ($1, $2, $3)`,
			federationID, c.ID, c.CreatedAt)
		if err != nil {
			return translate("adding the co-op to its federation", err)
		}
		return addEvent(ctx, tx, directory.EventCoopCreate, c.APID, c.APID, c.CreatedAt)
	})
}

// UpdateCoop writes a local co-op's profile.
func (s *Store) UpdateCoop(ctx context.Context, c *directory.Coop) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
		UPDATE coops SET name = $1, sort_key = $2, summary = $3, country = $4, city = $5, founded = $6, workers = $7,
			website = $8, email = $9, languages = $10, skills = $11, governance = $12, search_text = $13, updated_at = $14,
			suspended = $16
		WHERE id = $15 AND local`,
			c.Name, directory.SortKey(c.Name), c.Summary, c.Country, c.City, c.Founded, c.Workers,
			c.Website, c.Email, orEmptyList(c.Languages), orEmptyList(c.Skills), c.Governance, coopSearchText(c), c.UpdatedAt, c.ID,
			c.Suspended)
		if err != nil {
			return translate("updating a co-op", err)
		}
		if tag.RowsAffected() == 0 {
			return directory.NotFoundf("no local co-op with that id")
		}
		return addEvent(ctx, tx, directory.EventCoopUpdate, c.APID, c.APID, c.UpdatedAt)
	})
}

// DeleteCoop removes a co-op; its jobs and memberships cascade.
func (s *Store) DeleteCoop(ctx context.Context, id int64, at time.Time) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var apid string
		var local bool
		if err := tx.QueryRow(ctx, `SELECT ap_id, local FROM coops WHERE id = $1`, id).Scan(&apid, &local); err != nil {
			return translate("deleting a co-op", err)
		}
		if local {
			if _, err := tx.Exec(ctx, `INSERT INTO tombstones (ap_id, type, deleted_at)
				SELECT ap_id, 'Note', $1 FROM jobs WHERE coop_id = $2 ON CONFLICT (ap_id) DO NOTHING`, at, id); err != nil {
				return translate("deleting a co-op's jobs", err)
			}
			if err := addTombstone(ctx, tx, apid, "Organization", at); err != nil {
				return err
			}
			if err := addEvent(ctx, tx, directory.EventCoopDelete, apid, apid, at); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `DELETE FROM coops WHERE id = $1`, id)
		return translate("deleting a co-op", err)
	})
}

func (s *Store) oneCoop(ctx context.Context, where string, arg any) (*directory.Coop, error) {
	c, err := scanCoop(s.pool.QueryRow(ctx, `SELECT `+coopCols+` FROM coops c WHERE `+where, arg))
	if err != nil {
		return nil, translate("co-op", err)
	}
	feds, err := s.federationsOf(ctx, []int64{c.ID})
	if err != nil {
		return nil, err
	}
	c.Federations = orEmpty(feds[c.ID])
	return c, nil
}

// LocalCoop finds a local co-op by handle.
func (s *Store) LocalCoop(ctx context.Context, handle string) (*directory.Coop, error) {
	return s.oneCoop(ctx, `c.local AND c.handle = $1`, handle)
}

// CoopByAPID finds a co-op by actor id.
func (s *Store) CoopByAPID(ctx context.Context, apid string) (*directory.Coop, error) {
	return s.oneCoop(ctx, `c.ap_id = $1`, apid)
}

func orEmpty(f []directory.FederationRef) []directory.FederationRef {
	if f == nil {
		return []directory.FederationRef{}
	}
	return f
}

// federationsOf returns the federations of each co-op, the local one first.
func (s *Store) federationsOf(ctx context.Context, coopIDs []int64) (map[int64][]directory.FederationRef, error) {
	out := make(map[int64][]directory.FederationRef, len(coopIDs))
	if len(coopIDs) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `
		SELECT m.coop_id, f.ap_id, f.handle, f.name FROM memberships m JOIN federations f ON f.id = m.federation_id
		WHERE m.coop_id = ANY($1) ORDER BY f.local DESC, f.name COLLATE "C", f.id`, coopIDs)
	if err != nil {
		return nil, translate("loading federations", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f directory.FederationRef
		if err := rows.Scan(&id, &f.APID, &f.Handle, &f.Name); err != nil {
			return nil, translate("loading federations", err)
		}
		out[id] = append(out[id], f)
	}
	return out, translate("loading federations", rows.Err())
}

// ListCoops returns a page of co-ops ordered by name.
func (s *Store) ListCoops(ctx context.Context, q directory.CoopQuery) (*directory.CoopPage, error) {
	var a args
	where := []string{"true"}
	for _, cl := range q.Text.Positive() {
		var alts []string
		for _, p := range cl.Any {
			alts = append(alts, `c.search_text LIKE `+a.add("% "+strings.Join(p, " ")+" %"))
		}
		where = append(where, "("+strings.Join(alts, " OR ")+")")
	}
	for _, cl := range q.Text.Negative() {
		for _, p := range cl.Any {
			where = append(where, `c.search_text NOT LIKE `+a.add("% "+strings.Join(p, " ")+" %"))
		}
	}
	if len(q.Countries) > 0 {
		where = append(where, `c.country = ANY(`+a.list(q.Countries)+`)`)
	}
	if len(q.Skills) > 0 {
		where = append(where, `c.skills && `+a.list(q.Skills))
	}
	if len(q.Federations) > 0 {
		ph := a.list(q.Federations)
		where = append(where, `c.id IN (SELECT m.coop_id FROM memberships m JOIN federations f ON f.id = m.federation_id
			WHERE f.ap_id = ANY(`+ph+`) OR f.handle = ANY(`+ph+`))`)
	}
	if !q.Suspended {
		where = append(where, `NOT c.suspended`)
	}
	if len(q.Accounts) > 0 {
		where = append(where, `(c.handle || '@' || c.host) = ANY(`+a.list(q.Accounts)+`)`)
	}
	if q.MinWorkers > 0 {
		where = append(where, `c.workers >= `+a.add(q.MinWorkers))
	}
	if q.MaxWorkers > 0 {
		where = append(where, `c.workers <= `+a.add(q.MaxWorkers))
	}
	cond := strings.Join(where, " AND ")
	var page directory.CoopPage
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM coops c WHERE `+cond, a.v...).Scan(&page.Total); err != nil {
		return nil, translate("counting co-ops", err)
	}
	if q.After != nil {
		cond += ` AND (c.sort_key, c.id) > (` + a.add(q.After.Key) + `, ` + a.add(q.After.ID) + `)`
	}
	rows, err := s.pool.Query(ctx, `SELECT `+coopCols+`, c.sort_key FROM coops c WHERE `+cond+
		` ORDER BY c.sort_key, c.id LIMIT `+a.add(q.Limit+1), a.v...)
	if err != nil {
		return nil, translate("listing co-ops", err)
	}
	defer rows.Close()
	var keys []string
	ids := []int64{}
	for rows.Next() {
		var key string
		c, err := scanCoop(rows, &key)
		if err != nil {
			return nil, translate("listing co-ops", err)
		}
		page.Items = append(page.Items, *c)
		keys = append(keys, key)
		ids = append(ids, c.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, translate("listing co-ops", err)
	}
	if len(page.Items) > q.Limit {
		page.Items, keys = page.Items[:q.Limit], keys[:q.Limit]
		page.Next = &directory.Cursor{Key: keys[len(keys)-1], ID: page.Items[len(page.Items)-1].ID}
	}
	feds, err := s.federationsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range page.Items {
		page.Items[i].Federations = orEmpty(feds[page.Items[i].ID])
	}
	return &page, nil
}

// UpsertRemoteCoop inserts or updates a co-op hosted elsewhere.
func (s *Store) UpsertRemoteCoop(ctx context.Context, c *directory.Coop) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
		INSERT INTO coops (ap_id, handle, host, local, name, sort_key, summary, country, city, founded, workers,
			website, email, languages, skills, governance, url, search_text, created_at, updated_at, suspended)
		VALUES ($1, $2, $3, false, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
		ON CONFLICT (ap_id) DO UPDATE SET suspended = excluded.suspended, handle = excluded.handle, host = excluded.host, name = excluded.name,
			sort_key = excluded.sort_key, summary = excluded.summary, country = excluded.country,
			city = excluded.city, founded = excluded.founded, workers = excluded.workers,
			website = excluded.website, email = excluded.email, languages = excluded.languages,
			skills = excluded.skills, governance = excluded.governance, url = excluded.url,
			search_text = excluded.search_text, updated_at = excluded.updated_at
		WHERE NOT coops.local
		RETURNING id`,
			c.APID, c.Handle, c.Host, c.Name, directory.SortKey(c.Name), c.Summary, c.Country, c.City, c.Founded, c.Workers,
			c.Website, c.Email, orEmptyList(c.Languages), orEmptyList(c.Skills), c.Governance, c.URL, coopSearchText(c),
			c.CreatedAt, c.UpdatedAt, c.Suspended,
		).Scan(&c.ID)
		if err == pgx.ErrNoRows {
			return directory.Conflictf("id", "%s is a co-op of this node", c.APID)
		}
		if err != nil {
			return translate("storing a remote co-op", err)
		}
		c.Local = false
		return refuseBlocked(ctx, tx, c.APID)
	})
}

// AddMember makes a co-op a member of a federation; both must be stored.
func (s *Store) AddMember(ctx context.Context, federationAPID, coopAPID string, at time.Time) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var fid, cid int64
		var local bool
		err := tx.QueryRow(ctx, `SELECT f.id, f.local, c.id FROM federations f, coops c WHERE f.ap_id = $1 AND c.ap_id = $2`,
			federationAPID, coopAPID).Scan(&fid, &local, &cid)
		if err == pgx.ErrNoRows {
			return directory.NotFoundf("the federation or the co-op is not known here")
		}
		if err != nil {
			return translate("adding a member", err)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO memberships (federation_id, coop_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			fid, cid, at)
		if err != nil {
			return translate("adding a member", err)
		}
		if tag.RowsAffected() == 0 || !local {
			return nil
		}
		return addEvent(ctx, tx, directory.EventMemberAdd, coopAPID, federationAPID, at)
	})
}

// RemoveMember ends a co-op's membership of a federation.
func (s *Store) RemoveMember(ctx context.Context, federationAPID, coopAPID string, at time.Time) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var local bool
		err := tx.QueryRow(ctx, `
			DELETE FROM memberships m USING federations f, coops c
			WHERE m.federation_id = f.id AND m.coop_id = c.id AND f.ap_id = $1 AND c.ap_id = $2
			RETURNING f.local`, federationAPID, coopAPID).Scan(&local)
		if err == pgx.ErrNoRows {
			return nil
		}
		if err != nil {
			return translate("removing a member", err)
		}
		if !local {
			return nil
		}
		return addEvent(ctx, tx, directory.EventMemberRemove, coopAPID, federationAPID, at)
	})
}

// CreateToken stores a token.
func (s *Store) CreateToken(ctx context.Context, t *directory.Token) error {
	var coop *int64
	if t.CoopID != 0 {
		coop = &t.CoopID
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO tokens (hash, coop_id, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		t.Hash, coop, t.Label, t.CreatedAt).Scan(&t.ID)
	return translate("creating a token", err)
}

// TokenByHash finds a token.
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (*directory.Token, error) {
	var t directory.Token
	var coop *int64
	err := s.pool.QueryRow(ctx, `SELECT id, hash, coop_id, label, created_at FROM tokens WHERE hash = $1`, hash).
		Scan(&t.ID, &t.Hash, &coop, &t.Label, &t.CreatedAt)
	if err != nil {
		return nil, translate("token", err)
	}
	if coop != nil {
		t.CoopID = *coop
	}
	t.CreatedAt = t.CreatedAt.UTC()
	return &t, nil
}
