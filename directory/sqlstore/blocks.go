package sqlstore

import (
	"context"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Block refuses a domain and purges its data. Hosts are compared without
// their port, so blocking a domain blocks every port of it.
func (s *Store) Block(ctx context.Context, domain string, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		if lock := s.d.LockForPurge(); lock != "" {
			if _, err := tx.ExecContext(ctx, lock); err != nil {
				return s.translate("blocking a domain", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO blocks (domain, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, domain, s.d.Time(at)); err != nil {
			return s.translate("blocking a domain", err)
		}
		match := `(host = ? OR host LIKE ? || ':%' OR host LIKE '%.' || ? OR host LIKE '%.' || ? || ':%')`
		for _, q := range []string{
			`DELETE FROM coops WHERE NOT local AND ` + match,
			`DELETE FROM federations WHERE NOT local AND ` + match,
			`DELETE FROM remote_actors WHERE ` + match,
		} {
			if _, err := tx.ExecContext(ctx, q, domain, domain, domain, domain); err != nil {
				return s.translate("purging a domain", err)
			}
		}
		for _, q := range []string{`DELETE FROM followers WHERE follower_ap_id LIKE ? OR follower_ap_id LIKE ?`,
			`DELETE FROM follows WHERE target LIKE ? OR target LIKE ?`} {
			if _, err := tx.ExecContext(ctx, q, "%://"+domain+"/%", "%://%."+domain+"/%"); err != nil {
				return s.translate("purging a domain", err)
			}
			if _, err := tx.ExecContext(ctx, q, "%://"+domain+":%", "%://%."+domain+":%"); err != nil {
				return s.translate("purging a domain", err)
			}
		}
		return nil
	})
}

// Unblock lifts a block.
func (s *Store) Unblock(ctx context.Context, domain string) error {
	return s.execOne(ctx, "unblocking", directory.NotFoundf("%s is not blocked", domain), `DELETE FROM blocks WHERE domain = ?`, domain)
}

// Blocks lists blocked domains.
func (s *Store) Blocks(ctx context.Context) ([]string, error) {
	return s.strings(ctx, "blocks", `SELECT domain FROM blocks ORDER BY domain`)
}

// Blocked reports whether host or a parent domain of it is blocked.
func (s *Store) Blocked(ctx context.Context, host string) (bool, error) {
	return s.blocked(ctx, s.r, host)
}

// refuseBlocked fails a write of remote data from a blocked domain; it
// runs inside the write's transaction, so a block and an import never
// interleave.
func (s *Store) refuseBlocked(ctx context.Context, tx *conn, apid string) error {
	blocked, err := s.blocked(ctx, tx, directory.HostOf(apid))
	if err != nil {
		return err
	}
	if blocked {
		return directory.Forbiddenf("%s is blocked here", directory.HostOf(apid))
	}
	return nil
}

func (s *Store) blocked(ctx context.Context, q Querier, host string) (bool, error) {
	suffixes := directory.DomainSuffixes(host)
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM blocks WHERE domain IN (`+In(len(suffixes))+`)`, Anys(suffixes)...).Scan(&n)
	return n > 0, s.translate("blocks", err)
}
