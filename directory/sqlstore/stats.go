package sqlstore

import (
	"context"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Stats aggregates co-ops, workers and open jobs by federation and country.
func (s *Store) Stats(ctx context.Context, now time.Time) (*directory.Stats, error) {
	open := s.d.Time(now)
	st := &directory.Stats{Federations: []directory.FederationStats{}, Countries: []directory.CountryStats{}}
	rows, err := s.r.QueryContext(ctx, `
		WITH open_jobs AS (
			SELECT coop_id, count(*) AS n FROM jobs WHERE valid_through IS NULL OR valid_through > ? GROUP BY coop_id)
		SELECT f.ap_id, f.handle, f.name, count(c.id), coalesce(sum(c.workers), 0), coalesce(sum(o.n), 0)
		FROM federations f
		LEFT JOIN memberships m ON m.federation_id = f.id
		LEFT JOIN coops c ON c.id = m.coop_id AND NOT c.suspended
		LEFT JOIN open_jobs o ON o.coop_id = c.id
		GROUP BY f.id ORDER BY f.local DESC, f.name, f.id`, open)
	if err != nil {
		return nil, s.translate("federation statistics", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r directory.FederationStats
		if err := rows.Scan(&r.Federation.APID, &r.Federation.Handle, &r.Federation.Name, &r.Coops, &r.Workers, &r.Jobs); err != nil {
			return nil, s.translate("federation statistics", err)
		}
		st.Federations = append(st.Federations, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.translate("federation statistics", err)
	}
	rows.Close()
	if err := s.federationCountries(ctx, open, st.Federations); err != nil {
		return nil, err
	}

	rows, err = s.r.QueryContext(ctx, `
		WITH open_jobs AS (
			SELECT coop_id, count(*) AS n FROM jobs WHERE valid_through IS NULL OR valid_through > ? GROUP BY coop_id)
		SELECT c.country, count(*), coalesce(sum(c.workers), 0), coalesce(sum(o.n), 0)
		FROM coops c LEFT JOIN open_jobs o ON o.coop_id = c.id
		WHERE NOT c.suspended
		GROUP BY c.country ORDER BY count(*) DESC, c.country`, open)
	if err != nil {
		return nil, s.translate("country statistics", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r directory.CountryStats
		if err := rows.Scan(&r.Country, &r.Coops, &r.Workers, &r.Jobs); err != nil {
			return nil, s.translate("country statistics", err)
		}
		st.Countries = append(st.Countries, r)
		st.Totals.Coops += r.Coops
		st.Totals.Workers += r.Workers
		st.Totals.Jobs += r.Jobs
		if r.Country != "" {
			st.Totals.Countries++
		}
	}
	return st, s.translate("country statistics", rows.Err())
}

// federationCountries fills each federation's figures per country.
func (s *Store) federationCountries(ctx context.Context, open any, feds []directory.FederationStats) error {
	at := map[string]int{}
	for i, f := range feds {
		at[f.Federation.APID] = i
	}
	rows, err := s.r.QueryContext(ctx, `
		WITH open_jobs AS (
			SELECT coop_id, count(*) AS n FROM jobs WHERE valid_through IS NULL OR valid_through > ? GROUP BY coop_id)
		SELECT f.ap_id, c.country, count(*), coalesce(sum(c.workers), 0), coalesce(sum(o.n), 0)
		FROM federations f
		JOIN memberships m ON m.federation_id = f.id
		JOIN coops c ON c.id = m.coop_id AND NOT c.suspended
		LEFT JOIN open_jobs o ON o.coop_id = c.id
		GROUP BY f.ap_id, c.country ORDER BY f.ap_id, count(*) DESC, c.country`, open)
	if err != nil {
		return s.translate("federation country statistics", err)
	}
	defer rows.Close()
	for rows.Next() {
		var apID string
		var r directory.CountryStats
		if err := rows.Scan(&apID, &r.Country, &r.Coops, &r.Workers, &r.Jobs); err != nil {
			return s.translate("federation country statistics", err)
		}
		if i, ok := at[apID]; ok {
			feds[i].Countries = append(feds[i].Countries, r)
		}
	}
	return s.translate("federation country statistics", rows.Err())
}
