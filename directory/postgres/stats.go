package postgres

import (
	"context"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Stats aggregates co-ops, workers and open jobs by federation and country.
func (s *Store) Stats(ctx context.Context, now time.Time) (*directory.Stats, error) {
	st := &directory.Stats{Federations: []directory.FederationStats{}, Countries: []directory.CountryStats{}}
	rows, err := s.pool.Query(ctx, `
		WITH open_jobs AS (
			SELECT coop_id, count(*) AS n FROM jobs WHERE valid_through IS NULL OR valid_through > $1 GROUP BY coop_id)
		SELECT f.ap_id, f.handle, f.name, count(c.id), coalesce(sum(c.workers), 0), coalesce(sum(o.n), 0)
		FROM federations f
		LEFT JOIN memberships m ON m.federation_id = f.id
		LEFT JOIN coops c ON c.id = m.coop_id AND NOT c.suspended
		LEFT JOIN open_jobs o ON o.coop_id = c.id
		GROUP BY f.id ORDER BY f.local DESC, f.name COLLATE "C", f.id`, now)
	if err != nil {
		return nil, translate("federation statistics", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r directory.FederationStats
		var coops, workers, jobs int64
		if err := rows.Scan(&r.Federation.APID, &r.Federation.Handle, &r.Federation.Name, &coops, &workers, &jobs); err != nil {
			return nil, translate("federation statistics", err)
		}
		r.Coops, r.Workers, r.Jobs = int(coops), int(workers), int(jobs)
		st.Federations = append(st.Federations, r)
	}
	if err := rows.Err(); err != nil {
		return nil, translate("federation statistics", err)
	}
	rows.Close()

	rows, err = s.pool.Query(ctx, `
		WITH open_jobs AS (
			SELECT coop_id, count(*) AS n FROM jobs WHERE valid_through IS NULL OR valid_through > $1 GROUP BY coop_id)
		SELECT c.country, count(*), coalesce(sum(c.workers), 0), coalesce(sum(o.n), 0)
		FROM coops c LEFT JOIN open_jobs o ON o.coop_id = c.id
		WHERE NOT c.suspended
		GROUP BY c.country ORDER BY count(*) DESC, c.country COLLATE "C"`, now)
	if err != nil {
		return nil, translate("country statistics", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r directory.CountryStats
		var coops, workers, jobs int64
		if err := rows.Scan(&r.Country, &coops, &workers, &jobs); err != nil {
			return nil, translate("country statistics", err)
		}
		r.Coops, r.Workers, r.Jobs = int(coops), int(workers), int(jobs)
		st.Countries = append(st.Countries, r)
		st.Totals.Coops += r.Coops
		st.Totals.Workers += r.Workers
		st.Totals.Jobs += r.Jobs
		if r.Country != "" {
			st.Totals.Countries++
		}
	}
	return st, translate("country statistics", rows.Err())
}
