package sqlite

import (
	"context"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Block refuses a domain and purges its data. Hosts are compared without
// their port, so blocking a domain blocks every port of it.
func (s *Store) Block(ctx context.Context, domain string, at time.Time) error {
	return s.tx(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO blocks (domain, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, domain, micros(at)); err != nil {
			return translate("blocking a domain", err)
		}
		match := `(host = ?1 OR host LIKE ?1 || ':%' OR host LIKE '%.' || ?1 OR host LIKE '%.' || ?1 || ':%')`
		stmts := []string{
			`DELETE FROM jobs_fts WHERE rowid IN (SELECT j.id FROM jobs j JOIN coops c ON c.id = j.coop_id WHERE c.local = 0 AND ` + match + `)`,
			`DELETE FROM coops WHERE local = 0 AND ` + match,
			`DELETE FROM federations WHERE local = 0 AND ` + match,
			`DELETE FROM remote_actors WHERE ` + match,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, domain); err != nil {
				return translate("purging a domain", err)
			}
		}
		for _, q := range []string{`DELETE FROM followers WHERE follower_ap_id LIKE ?1 OR follower_ap_id LIKE ?2`,
			`DELETE FROM follows WHERE target LIKE ?1 OR target LIKE ?2`} {
			if _, err := tx.ExecContext(ctx, q, "%://"+domain+"/%", "%://%."+domain+"/%"); err != nil {
				return translate("purging a domain", err)
			}
			if _, err := tx.ExecContext(ctx, q, "%://"+domain+":%", "%://%."+domain+":%"); err != nil {
				return translate("purging a domain", err)
			}
		}
		return nil
	})
}

// Unblock lifts a block.
func (s *Store) Unblock(ctx context.Context, domain string) error {
	return s.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM blocks WHERE domain = ?`, domain)
		if err != nil {
			return translate("unblocking", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.NotFoundf("%s is not blocked", domain)
		}
		return nil
	})
}

// Blocks lists blocked domains.
func (s *Store) Blocks(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT domain FROM blocks ORDER BY domain`)
	if err != nil {
		return nil, translate("blocks", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, translate("blocks", err)
		}
		out = append(out, d)
	}
	return out, translate("blocks", rows.Err())
}

// Blocked reports whether host or a parent domain of it is blocked.
func (s *Store) Blocked(ctx context.Context, host string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM blocks WHERE domain IN (SELECT value FROM json_each(?))`,
		list(directory.DomainSuffixes(host))).Scan(&n)
	return n > 0, translate("blocks", err)
}

// refuseBlocked fails a write of remote data from a blocked domain; it
// runs inside the write's transaction, so a block and an import never
// interleave.
func refuseBlocked(ctx context.Context, tx *wtx, apid string) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM blocks WHERE domain IN (SELECT value FROM json_each(?))`,
		list(directory.DomainSuffixes(directory.HostOf(apid)))).Scan(&n)
	if err != nil {
		return translate("blocks", err)
	}
	if n > 0 {
		return directory.Forbiddenf("%s is blocked here", directory.HostOf(apid))
	}
	return nil
}
