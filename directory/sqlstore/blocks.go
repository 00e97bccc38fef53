package sqlstore

import (
	"context"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Block refuses a domain and purges its data. The domain passes through
// directory.NormalizeDomain first (what it refuses is KindInvalid), so it
// is a host name, never a pattern. Which rows came from it is decided here,
// host by host, with directory.InDomain, the rule Blocked follows: the
// domain itself or any name under it, whatever the port.
func (s *Store) Block(ctx context.Context, domain string, at time.Time) error {
	d, err := directory.NormalizeDomain("domain", domain)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *conn) error {
		if lock := s.d.LockForPurge(); lock != "" {
			if _, err := tx.ExecContext(ctx, lock); err != nil {
				return s.translate("blocking a domain", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO blocks (domain, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, d, s.d.Time(at)); err != nil {
			return s.translate("blocking a domain", err)
		}
		// Each query lists a key, an actor or object id (a URL), and the
		// host stored beside it, if any; a row goes when either host is
		// in the domain. A co-op's jobs go with it.
		for _, p := range []struct{ list, del string }{
			{`SELECT ap_id, host FROM coops WHERE NOT local`, `DELETE FROM coops WHERE NOT local AND ap_id IN `},
			{`SELECT ap_id, host FROM federations WHERE NOT local`, `DELETE FROM federations WHERE NOT local AND ap_id IN `},
			{`SELECT ap_id, host FROM remote_actors`, `DELETE FROM remote_actors WHERE ap_id IN `},
			{`SELECT DISTINCT follower_ap_id, '' FROM followers`, `DELETE FROM followers WHERE follower_ap_id IN `},
			{`SELECT target, '' FROM follows`, `DELETE FROM follows WHERE target IN `},
		} {
			if err := s.purge(ctx, tx, d, p.list, p.del); err != nil {
				return err
			}
		}
		return nil
	})
}

// BlockImpact counts what Block would purge from domain, with the same
// matching.
func (s *Store) BlockImpact(ctx context.Context, domain string) (directory.BlockImpact, error) {
	d, err := directory.NormalizeDomain("domain", domain)
	if err != nil {
		return directory.BlockImpact{}, err
	}
	out := directory.BlockImpact{Domain: d}
	var coops []string
	for _, q := range []struct {
		list string
		n    *int
		keys *[]string
	}{
		{`SELECT ap_id, host FROM coops WHERE NOT local`, &out.Coops, &coops},
		{`SELECT DISTINCT follower_ap_id, '' FROM followers`, &out.Followers, nil},
		{`SELECT target, '' FROM follows`, &out.Follows, nil},
	} {
		keys, err := s.inDomain(ctx, d, q.list)
		if err != nil {
			return out, err
		}
		*q.n = len(keys)
		if q.keys != nil {
			*q.keys = keys
		}
	}
	for len(coops) > 0 {
		n := min(len(coops), purgeBatch)
		var jobs int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE coop_id IN (SELECT id FROM coops WHERE ap_id IN (`+In(n)+`))`,
			Anys(coops[:n])...).Scan(&jobs); err != nil {
			return out, s.translate("counting a domain's jobs", err)
		}
		out.Jobs += jobs
		coops = coops[n:]
	}
	return out, nil
}

// inDomain lists the keys that list finds in domain d, as purge does.
func (s *Store) inDomain(ctx context.Context, d, list string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, list)
	if err != nil {
		return nil, s.translate("reading a domain", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var key, host string
		if err := rows.Scan(&key, &host); err != nil {
			return nil, s.translate("reading a domain", err)
		}
		if directory.InDomain(directory.HostOf(key), d) || host != "" && directory.InDomain(host, d) {
			keys = append(keys, key)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.translate("reading a domain", err)
	}
	return keys, nil
}

// purgeBatch is how many rows one purge statement names.
const purgeBatch = 500

// purge deletes, with del followed by a list of keys, the rows that list
// finds in domain d.
func (s *Store) purge(ctx context.Context, tx *conn, d, list, del string) error {
	rows, err := tx.QueryContext(ctx, list)
	if err != nil {
		return s.translate("purging a domain", err)
	}
	var keys []string
	for rows.Next() {
		var key, host string
		if err := rows.Scan(&key, &host); err != nil {
			rows.Close()
			return s.translate("purging a domain", err)
		}
		if directory.InDomain(directory.HostOf(key), d) || host != "" && directory.InDomain(host, d) {
			keys = append(keys, key)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.translate("purging a domain", err)
	}
	for len(keys) > 0 {
		n := min(len(keys), purgeBatch)
		if _, err := tx.ExecContext(ctx, del+`(`+In(n)+`)`, Anys(keys[:n])...); err != nil {
			return s.translate("purging a domain", err)
		}
		keys = keys[n:]
	}
	return nil
}

// Unblock lifts a block. A block kept in another spelling of the same
// domain (upper case, an international name as written) is lifted too.
func (s *Store) Unblock(ctx context.Context, domain string) error {
	return s.tx(ctx, func(tx *conn) error {
		rows, err := tx.QueryContext(ctx, `SELECT domain FROM blocks`)
		if err != nil {
			return s.translate("unblocking", err)
		}
		var gone []string
		for rows.Next() {
			var b string
			if err := rows.Scan(&b); err != nil {
				rows.Close()
				return s.translate("unblocking", err)
			}
			if n, err := directory.NormalizeDomain("domain", b); b == domain || err == nil && n == domain {
				gone = append(gone, b)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.translate("unblocking", err)
		}
		if len(gone) == 0 {
			return directory.NotFoundf("%s is not blocked", domain)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM blocks WHERE domain IN (`+In(len(gone))+`)`, Anys(gone)...)
		return s.translate("unblocking", err)
	})
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
