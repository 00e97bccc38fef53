package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/colmena-coop/colmena/directory"
)

// Block refuses a domain and purges its data. Hosts are compared without
// their port, so blocking a domain blocks every port of it.
func (s *Store) Block(ctx context.Context, domain string, at time.Time) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		// Imports check blocks after writing, in their own transaction;
		// this lock makes a concurrent import either finish before the
		// purge or see the block.
		if _, err := tx.Exec(ctx, `LOCK TABLE coops, jobs, federations IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return translate("blocking a domain", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO blocks (domain, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, domain, at); err != nil {
			return translate("blocking a domain", err)
		}
		match := `(host = $1 OR host LIKE $1 || ':%' OR host LIKE '%.' || $1 OR host LIKE '%.' || $1 || ':%')`
		for _, q := range []string{
			`DELETE FROM coops WHERE NOT local AND ` + match,
			`DELETE FROM federations WHERE NOT local AND ` + match,
			`DELETE FROM remote_actors WHERE ` + match,
		} {
			if _, err := tx.Exec(ctx, q, domain); err != nil {
				return translate("purging a domain", err)
			}
		}
		pats := []string{"%://" + domain + "/%", "%://%." + domain + "/%", "%://" + domain + ":%", "%://%." + domain + ":%"}
		for _, q := range []string{`DELETE FROM followers WHERE follower_ap_id LIKE ANY($1)`, `DELETE FROM follows WHERE target LIKE ANY($1)`} {
			if _, err := tx.Exec(ctx, q, pats); err != nil {
				return translate("purging a domain", err)
			}
		}
		return nil
	})
}

// Unblock lifts a block.
func (s *Store) Unblock(ctx context.Context, domain string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM blocks WHERE domain = $1`, domain)
	if err != nil {
		return translate("unblocking", err)
	}
	if tag.RowsAffected() == 0 {
		return directory.NotFoundf("%s is not blocked", domain)
	}
	return nil
}

// Blocks lists blocked domains.
func (s *Store) Blocks(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT domain FROM blocks ORDER BY domain COLLATE "C"`)
	if err != nil {
		return nil, translate("blocks", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if out == nil {
		out = []string{}
	}
	return out, translate("blocks", err)
}

// Blocked reports whether host or a parent domain of it is blocked.
func (s *Store) Blocked(ctx context.Context, host string) (bool, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM blocks WHERE domain = ANY($1)`, directory.DomainSuffixes(host)).Scan(&n)
	return n > 0, translate("blocks", err)
}

// refuseBlocked fails a write of remote data from a blocked domain. It
// runs after the write inside its transaction (see Block).
func refuseBlocked(ctx context.Context, tx pgx.Tx, apid string) error {
	var n int64
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM blocks WHERE domain = ANY($1)`,
		directory.DomainSuffixes(directory.HostOf(apid))).Scan(&n); err != nil {
		return translate("blocks", err)
	}
	if n > 0 {
		return directory.Forbiddenf("%s is blocked here", directory.HostOf(apid))
	}
	return nil
}
