package postgres

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlstore"
)

// search is PostgreSQL's job search: a tsvector per job for words, arrays
// with GIN indexes for skills and languages, facets counted in as few
// passes as the filters allow.
type search struct {
	st  *sqlstore.Store
	db  *sql.DB
	idx *sqlstore.JobIndex
}

// textIDs lists the jobs whose text matches q's, through their tsvector,
// and for a search by relevance those whose title matches every required
// term, tested in the same pass over the matches. Testing each job's
// vector costs a visit to its row: given few candidates, only they are
// visited, by key.
func (s *search) textIDs(ctx context.Context, q *directory.JobQuery, within []int64) (ids, title []int64, err error) {
	var a args
	match := `search @@ ` + a.add(tsQuery(q.Text, false, false)) + `::tsquery`
	titleTest := `false`
	if q.Relevance() {
		titleTest = `search @@ ` + a.add(tsQuery(q.Text, true, true)) + `::tsquery`
	}
	query := `SELECT id, ` + titleTest + ` FROM jobs WHERE ` + match
	if within != nil {
		query += ` AND id = ANY(` + a.add(within) + `::bigint[])`
	}
	rows, err := s.db.QueryContext(ctx, query, a.v...)
	if err != nil {
		return nil, nil, s.st.Translate("searching jobs", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var inTitle bool
		if err := rows.Scan(&id, &inTitle); err != nil {
			return nil, nil, s.st.Translate("searching jobs", err)
		}
		ids = append(ids, id)
		if inTitle {
			title = append(title, id)
		}
	}
	return ids, title, s.st.Translate("searching jobs", rows.Err())
}

// cond is one condition of a job search; facet names the facet it filters,
// so that the facet's own counts can leave it out. render writes its SQL,
// adding arguments as it goes.
type cond struct {
	facet  string
	render func(a *args) string
}

// jobConds builds a search's conditions. suspended says whether any co-op
// is suspended: only then do searches pay for leaving their jobs out.
// windows, when not nil, are the keys of the windows of hours that fit
// the search's overlap.
func jobConds(q *directory.JobQuery, suspended bool, windows []string) []cond {
	cs := []cond{{render: func(a *args) string {
		sql := `(j.valid_through IS NULL OR j.valid_through > ` + a.add(q.Now) + `)`
		if suspended {
			sql += ` AND j.coop_id NOT IN (SELECT id FROM coops WHERE suspended)`
		}
		return sql
	}}}
	if !q.Text.Empty() {
		tsq := tsQuery(q.Text, false, false)
		cs = append(cs, cond{render: func(a *args) string {
			return `j.search @@ ` + a.add(tsq) + `::tsquery`
		}})
	}
	in := func(facet, col string, v []string) {
		if len(v) > 0 {
			cs = append(cs, cond{facet: facet, render: func(a *args) string { return col + ` = ANY(` + a.list(v) + `)` }})
		}
	}
	in("country", "j.country", q.Countries)
	in("remote", "j.remote", q.Remote)
	in("currency", "j.salary_currency", q.Currencies)
	in("type", "j.employment_type", q.EmploymentTypes)
	in("seniority", "j.seniority", q.Seniority)
	if codes := q.SeekerCodes(); codes != nil {
		cs = append(cs, cond{render: func(a *args) string {
			place := `j.country = ` + a.add(q.LiveIn)
			if q.City != "" {
				place += ` AND j.city_key = ` + a.add(directory.CityKey(q.City))
			}
			return `((j.remote <> 'remote' AND ` + place + `) OR (j.remote = 'remote' AND j.eligible && ` + a.list(codes) + `))`
		}})
	}
	if q.LeadsToMembership {
		cs = append(cs, cond{render: func(*args) string { return `j.membership` }})
	}
	if windows != nil {
		cs = append(cs, cond{facet: "overlap", render: func(a *args) string {
			return `(j.hours_zone = '' OR ` + sqlstore.WindowKeySQL + ` = ANY(` + a.list(windows) + `))`
		}})
	}
	overlap := func(facet, col string, v []string) {
		if len(v) > 0 {
			cs = append(cs, cond{facet: facet, render: func(a *args) string { return col + ` && ` + a.list(v) }})
		}
	}
	overlap("skill", "j.skills", q.Skills)
	overlap("language", "j.languages", q.Languages)
	if v := q.Federations; len(v) > 0 {
		cs = append(cs, cond{facet: "federation", render: func(a *args) string {
			ph := a.list(v)
			return `j.coop_id IN (SELECT m.coop_id FROM memberships m JOIN federations f ON f.id = m.federation_id
				WHERE f.ap_id = ANY(` + ph + `) OR f.handle = ANY(` + ph + `))`
		}})
	}
	if v := q.Coops; len(v) > 0 {
		cs = append(cs, cond{render: func(a *args) string {
			ph := a.list(v)
			return `j.coop_id IN (SELECT id FROM coops WHERE ap_id = ANY(` + ph + `) OR (handle || '@' || host) = ANY(` + ph +
				`) OR (local AND handle = ANY(` + ph + `)))`
		}})
	}
	if !q.PostedSince.IsZero() {
		cs = append(cs, cond{render: func(a *args) string { return `j.published >= ` + a.add(q.PostedSince) }})
	}
	if f := q.Pay; f != nil {
		cs = append(cs, cond{render: func(a *args) string {
			if f.HasBase {
				return `j.salary_month_base >= ` + a.add(f.BaseCents)
			}
			return `j.salary_currency = ` + a.add(f.Currency) + ` AND j.salary_month >= ` + a.add(f.Cents)
		}})
	}
	return cs
}

func where(cs []cond, except string, a *args) string {
	var parts []string
	for _, c := range cs {
		if except != "" && c.facet == except {
			continue
		}
		parts = append(parts, c.render(a))
	}
	return strings.Join(parts, " AND ")
}

// SearchJobs returns a page of open jobs matching q and the counter of its facets.
func (s *search) SearchJobs(ctx context.Context, q directory.JobQuery) (*directory.JobResults, sqlstore.FacetCounter, error) {
	if sqlstore.Indexable(&q) {
		return s.idx.Search(ctx, q, s.textIDs)
	}
	var suspended bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM coops WHERE suspended)`).Scan(&suspended); err != nil {
		return nil, nil, s.st.Translate("searching jobs", err)
	}
	windows, err := s.st.FittingWindows(ctx, &q)
	if err != nil {
		return nil, nil, err
	}
	cs := jobConds(&q, suspended, windows)
	var res directory.JobResults
	var ca args
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM jobs j WHERE `+where(cs, "", &ca), ca.v...).Scan(&res.Total); err != nil {
		return nil, nil, s.st.Translate("counting jobs", err)
	}

	var a args
	tier := `0`
	if q.Relevance() {
		tier = `(CASE WHEN j.search @@ ` + a.add(tsQuery(q.Text, true, true)) + `::tsquery THEN 1 ELSE 0 END)`
	}
	query := `SELECT ` + sqlstore.JobColumns + `, ` + tier + ` AS rank_tier, ` + sqlstore.PayKey + ` AS pay_key FROM jobs j JOIN coops c ON c.id = j.coop_id WHERE ` + where(cs, "", &a)
	first := `rank_tier`
	if q.Sort == directory.SortSalary {
		first, tier = `pay_key`, sqlstore.PayKey
	}
	if c := q.After; c != nil {
		var key string
		if q.Sort == directory.SortSalary {
			key = a.add(c.Pay)
		} else {
			key = a.add(c.Tier)
		}
		query += ` AND (` + tier + `, j.published, j.id) < (` + key + `, ` + a.add(time.UnixMicro(c.Time).UTC()) + `, ` + a.add(c.ID) + `)`
	}
	query += ` ORDER BY ` + first + ` DESC, j.published DESC, j.id DESC LIMIT ` + a.add(q.Limit+1)
	rows, err := s.db.QueryContext(ctx, query, a.v...)
	if err != nil {
		return nil, nil, s.st.Translate("searching jobs", err)
	}
	if err := s.st.JobPage(ctx, rows, &q, &res); err != nil {
		return nil, nil, err
	}
	return &res, func(ctx context.Context) (*directory.Facets, error) { return s.facets(ctx, &q, cs) }, nil
}

// sharedFacetParts count facets over the materialised matches m, one
// part per facet whose own filter is not in use.
var sharedFacetParts = map[string]string{
	"country":    `SELECT 'country', country, country, count(*) FROM m WHERE country <> '' GROUP BY country`,
	"remote":     `SELECT 'remote', remote, remote, count(*) FROM m GROUP BY remote`,
	"skill":      `SELECT 'skill', v, v, count(*) FROM m CROSS JOIN LATERAL unnest(m.skills) AS v GROUP BY v`,
	"language":   `SELECT 'language', v, v, count(*) FROM m CROSS JOIN LATERAL unnest(m.languages) AS v GROUP BY v`,
	"federation": `SELECT 'federation', f.ap_id, min(f.name), sum(x.n)::bigint FROM (SELECT coop_id, count(*) AS n FROM m GROUP BY coop_id) x JOIN memberships mm ON mm.coop_id = x.coop_id JOIN federations f ON f.id = mm.federation_id GROUP BY f.ap_id`,
	"type":       `SELECT 'type', employment_type, employment_type, count(*) FROM m GROUP BY employment_type`,
	"currency":   `SELECT 'currency', salary_currency, salary_currency, count(*) FROM m WHERE salary_currency <> '' GROUP BY salary_currency`,
	"eligible":   `SELECT 'eligible', v, v, count(*) FROM m CROSS JOIN LATERAL unnest(m.eligible) AS v GROUP BY v`,
	"seniority":  `SELECT 'seniority', seniority, seniority, count(*) FROM m WHERE seniority <> '' GROUP BY seniority`,
}

// sharedFacets counts, in one statement, every facet whose own filter is
// not in use: they all count the same matches, found once.
func (s *search) sharedFacets(ctx context.Context, cs []cond, names []string) (map[string][]directory.FacetValue, error) {
	var a args
	cond := where(cs, "", &a)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = sharedFacetParts[n]
	}
	q := `WITH m AS MATERIALIZED (SELECT j.coop_id, j.country, j.remote, j.skills, j.languages, j.employment_type, j.salary_currency,
		j.eligible, j.seniority FROM jobs j WHERE ` + cond + `) ` +
		strings.Join(parts, " UNION ALL ")
	return s.st.NamedFacetValues(s.db.QueryContext(ctx, q, a.v...))
}

func (s *search) facets(ctx context.Context, q *directory.JobQuery, cs []cond) (*directory.Facets, error) {
	var f directory.Facets
	dst := sqlstore.FacetFields(&f)
	active := map[string]bool{}
	for _, c := range cs {
		active[c.facet] = true
	}
	// With no filter but expiry, materialising every open job costs more
	// than counting each facet straight from the table.
	onlyExpiry := len(cs) == 1
	var shared []string
	for _, n := range sqlstore.FacetNames() {
		if onlyExpiry {
			active[n] = true
		} else if !active[n] {
			shared = append(shared, n)
		}
	}
	if len(shared) > 0 {
		got, err := s.sharedFacets(ctx, cs, shared)
		if err != nil {
			return nil, err
		}
		for _, n := range shared {
			*dst[n] = got[n]
			if *dst[n] == nil {
				*dst[n] = []directory.FacetValue{}
			}
		}
	}
	specs := []struct {
		dst   *[]directory.FacetValue
		facet string
		query string
	}{
		{&f.Country, "country", `SELECT j.country AS v, j.country AS l, count(*) AS n FROM jobs j WHERE j.country <> '' AND %s GROUP BY j.country`},
		{&f.Remote, "remote", `SELECT j.remote AS v, j.remote AS l, count(*) AS n FROM jobs j WHERE %s GROUP BY j.remote`},
		{&f.Skill, "skill", `SELECT v AS v, v AS l, count(*) AS n FROM jobs j CROSS JOIN LATERAL unnest(j.skills) AS v WHERE %s GROUP BY v`},
		{&f.Language, "language", `SELECT v AS v, v AS l, count(*) AS n FROM jobs j CROSS JOIN LATERAL unnest(j.languages) AS v WHERE %s GROUP BY v`},
		{&f.Federation, "federation", `SELECT f.ap_id AS v, min(f.name) AS l, count(*) AS n FROM memberships m JOIN federations f ON f.id = m.federation_id JOIN jobs j ON j.coop_id = m.coop_id WHERE %s GROUP BY f.ap_id`},
		{&f.Type, "type", `SELECT j.employment_type AS v, j.employment_type AS l, count(*) AS n FROM jobs j WHERE %s GROUP BY j.employment_type`},
		{&f.Currency, "currency", `SELECT j.salary_currency AS v, j.salary_currency AS l, count(*) AS n FROM jobs j WHERE j.salary_currency <> '' AND %s GROUP BY j.salary_currency`},
		{&f.Eligible, "eligible", `SELECT v AS v, v AS l, count(*) AS n FROM jobs j CROSS JOIN LATERAL unnest(j.eligible) AS v WHERE %s GROUP BY v`},
		{&f.Seniority, "seniority", `SELECT j.seniority AS v, j.seniority AS l, count(*) AS n FROM jobs j WHERE j.seniority <> '' AND %s GROUP BY j.seniority`},
	}
	for _, sp := range specs {
		if !active[sp.facet] {
			continue
		}
		var a args
		cond := where(cs, sp.facet, &a)
		vals, err := s.st.FacetValues(s.db.QueryContext(ctx, `SELECT v, l, n FROM (`+strings.Replace(sp.query, "%s", cond, 1)+`) AS t ORDER BY n DESC, v COLLATE "C" LIMIT 30`, a.v...))
		if err != nil {
			return nil, err
		}
		*sp.dst = vals
	}
	if q.Zone != "" {
		var a args
		query := strings.NewReplacer("%f", "jobs j", "%s", where(cs, "overlap", &a)).Replace(sqlstore.OverlapFacetSQL)
		rows, err := s.db.QueryContext(ctx, query, a.v...)
		if f.Overlap, err = s.st.OverlapFacet(q, rows, err); err != nil {
			return nil, err
		}
	}
	return &f, nil
}
