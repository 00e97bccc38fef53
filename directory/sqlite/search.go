package sqlite

import (
	"context"
	"strings"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlstore"
)

// search is SQLite's job search: FTS5 for words, job_terms for skills and
// languages, facets counted in as few passes as the filters allow.
type search struct {
	st  *sqlstore.Store
	r   *reader
	idx *sqlstore.JobIndex
}

// textIDs lists the jobs whose text matches q's, through FTS5, and for
// a search by relevance those whose title matches every required term.
// FTS5 lists matches faster than it would test candidates one by one.
func (s *search) textIDs(ctx context.Context, q *directory.JobQuery, _ []int64) (ids, title []int64, err error) {
	query, args := `SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?`, []any{ftsAll(q.Text.Positive(), "AND", false)}
	if neg := q.Text.Negative(); len(neg) > 0 {
		query += ` AND rowid NOT IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?)`
		args = append(args, ftsAll(neg, "OR", false))
	}
	if !q.Relevance() {
		ids, err = s.rowids(ctx, query, args...)
		return ids, nil, err
	}
	// The title tier is a second walk of the index, on a second
	// connection beside the first.
	var titleErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		title, titleErr = s.rowids(ctx, `SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?`, ftsAll(q.Text.Positive(), "AND", true))
	}()
	ids, err = s.rowids(ctx, query, args...)
	<-done
	if err == nil {
		err = titleErr
	}
	return ids, title, err
}

func (s *search) rowids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.st.Translate("searching jobs", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, s.st.Translate("searching jobs", err)
		}
		ids = append(ids, id)
	}
	return ids, s.st.Translate("searching jobs", rows.Err())
}

// cond is one condition of a job search; facet names the facet it filters,
// so that the facet's own counts can leave it out.
type cond struct {
	facet string
	sql   string
	args  []any
	// termsSQL, when set, is the condition on job_terms aliased j.
	termsSQL string
}

func quoted(s string) string { return `"` + s + `"` }

func ftsPhrase(p directory.Phrase) string { return quoted(strings.Join(p, " ")) }

// ftsClause matches one clause: its phrases among the tokens, its terms
// among the terms; in the title only, when title is set.
func ftsClause(c directory.Clause, title bool) string {
	tokenCols, termCols := "{title body}", "{title_terms body_terms}"
	if title {
		tokenCols, termCols = "title", "title_terms"
	}
	var alts []string
	if len(c.Any) > 0 {
		ps := make([]string, len(c.Any))
		for i, p := range c.Any {
			ps[i] = ftsPhrase(p)
		}
		alts = append(alts, tokenCols+" : ("+strings.Join(ps, " OR ")+")")
	}
	if len(c.Terms) > 0 {
		ts := make([]string, len(c.Terms))
		for i, t := range c.Terms {
			ts[i] = quoted(t)
		}
		alts = append(alts, termCols+" : ("+strings.Join(ts, " OR ")+")")
	}
	return "(" + strings.Join(alts, " OR ") + ")"
}

// ftsAll joins clauses with op; title keeps them to the title.
func ftsAll(cs []directory.Clause, op string, title bool) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = ftsClause(c, title)
	}
	return strings.Join(parts, " "+op+" ")
}

// jobsFrom is the FROM clause of a job search. With search text the
// full-text index drives the query (CROSS JOIN fixes the order): it is far
// more selective than any filter, which the planner cannot know.
func jobsFrom(q *directory.JobQuery) string {
	if len(q.Text.Positive()) > 0 {
		return `jobs_fts CROSS JOIN jobs j ON j.id = jobs_fts.rowid`
	}
	return `jobs j`
}

// jobConds builds a search's conditions. suspended says whether any co-op
// is suspended: only then do searches pay for leaving their jobs out.
// windows, when not nil, are the keys of the windows of hours that fit
// the search's overlap.
func jobConds(q *directory.JobQuery, suspended bool, windows []string) []cond {
	cs := []cond{{sql: `(j.valid_through IS NULL OR j.valid_through > ?)`, args: []any{micros(q.Now)},
		termsSQL: `(j.valid_through IS NULL OR j.valid_through > ?)`}}
	if suspended {
		cs[0].sql += ` AND j.coop_id NOT IN (SELECT id FROM coops WHERE suspended = 1)`
		// Counting terms straight from job_terms, which has no coop_id.
		cs[0].termsSQL += ` AND j.job_id NOT IN (SELECT jj.id FROM jobs jj WHERE jj.coop_id IN (SELECT id FROM coops WHERE suspended = 1))`
	}
	if pos := q.Text.Positive(); len(pos) > 0 {
		cs = append(cs, cond{sql: `jobs_fts MATCH ?`, args: []any{ftsAll(pos, "AND", false)}})
	}
	if neg := q.Text.Negative(); len(neg) > 0 {
		cs = append(cs, cond{sql: `j.id NOT IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?)`, args: []any{ftsAll(neg, "OR", false)}})
	}
	in := func(facet, col string, v []string) {
		if len(v) > 0 {
			cs = append(cs, cond{facet: facet, sql: col + ` IN (` + sqlstore.In(len(v)) + `)`, args: sqlstore.Anys(v)})
		}
	}
	in("country", "j.country", q.Countries)
	in("remote", "j.remote", q.Remote)
	in("currency", "j.salary_currency", q.Currencies)
	in("type", "j.employment_type", q.EmploymentTypes)
	in("seniority", "j.seniority", q.Seniority)
	if codes := q.SeekerCodes(); codes != nil {
		place, args := `j.country = ?`, []any{q.LiveIn}
		if q.City != "" {
			place, args = place+` AND j.city_key = ?`, append(args, directory.CityKey(q.City))
		}
		cs = append(cs, cond{sql: `((j.remote <> 'remote' AND ` + place + `) OR (j.remote = 'remote' AND j.id IN
			(SELECT job_id FROM job_terms WHERE kind = 'e' AND value IN (` + sqlstore.In(len(codes)) + `))))`,
			args: append(args, sqlstore.Anys(codes)...)})
	}
	if q.LeadsToMembership {
		cs = append(cs, cond{sql: `j.membership = 1`})
	}
	if windows != nil {
		sql := `j.hours_zone = ''`
		if len(windows) > 0 {
			sql = `(j.hours_zone = '' OR ` + sqlstore.WindowKeySQL + ` IN (` + sqlstore.In(len(windows)) + `))`
		}
		cs = append(cs, cond{facet: "overlap", sql: sql, args: sqlstore.Anys(windows)})
	}
	// With search text the full-text index yields few jobs, and checking
	// each one's terms beats listing every job with a common term.
	textDriven := len(q.Text.Positive()) > 0
	term := func(facet, kind string, v []string) {
		if len(v) == 0 {
			return
		}
		sql := `j.id IN (SELECT job_id FROM job_terms WHERE kind = '` + kind + `' AND value IN (` + sqlstore.In(len(v)) + `))`
		if textDriven {
			sql = `EXISTS (SELECT 1 FROM job_terms t2 WHERE t2.job_id = j.id AND t2.kind = '` + kind + `' AND t2.value IN (` + sqlstore.In(len(v)) + `))`
		}
		cs = append(cs, cond{facet: facet, sql: sql, args: sqlstore.Anys(v)})
	}
	term("skill", "s", q.Skills)
	term("language", "l", q.Languages)
	if v := q.Federations; len(v) > 0 {
		ph := sqlstore.In(len(v))
		cs = append(cs, cond{facet: "federation",
			sql:  `j.coop_id IN (SELECT m.coop_id FROM memberships m JOIN federations f ON f.id = m.federation_id WHERE f.ap_id IN (` + ph + `) OR f.handle IN (` + ph + `))`,
			args: append(sqlstore.Anys(v), sqlstore.Anys(v)...)})
	}
	if v := q.Coops; len(v) > 0 {
		ph := sqlstore.In(len(v))
		cs = append(cs, cond{
			sql:  `j.coop_id IN (SELECT id FROM coops WHERE ap_id IN (` + ph + `) OR (handle || '@' || host) IN (` + ph + `) OR (local = 1 AND handle IN (` + ph + `)))`,
			args: append(append(sqlstore.Anys(v), sqlstore.Anys(v)...), sqlstore.Anys(v)...)})
	}
	if !q.PostedSince.IsZero() {
		cs = append(cs, cond{sql: `j.published >= ?`, args: []any{micros(q.PostedSince)}})
	}
	if f := q.Pay; f != nil {
		if f.HasBase {
			cs = append(cs, cond{sql: `j.salary_month_base >= ?`, args: []any{f.BaseCents}})
		} else {
			cs = append(cs, cond{sql: `j.salary_currency = ? AND j.salary_month >= ?`, args: []any{f.Currency, f.Cents}})
		}
	}
	return cs
}

// expiryOnly reports whether, leaving out the facet except, the search is
// just "open jobs": facets can then be counted from indexes alone.
func expiryOnly(cs []cond, except string) bool {
	n := 0
	for _, c := range cs {
		if except == "" || c.facet != except {
			n++
		}
	}
	return n == 1
}

func where(cs []cond, except string) (string, []any) {
	var parts []string
	var args []any
	for _, c := range cs {
		if except != "" && c.facet == except {
			continue
		}
		parts = append(parts, c.sql)
		args = append(args, c.args...)
	}
	return strings.Join(parts, " AND "), args
}

// SearchJobs returns a page of open jobs matching q and the counter of its facets.
func (s *search) SearchJobs(ctx context.Context, q directory.JobQuery) (*directory.JobResults, sqlstore.FacetCounter, error) {
	if sqlstore.Indexable(&q) {
		return s.idx.Search(ctx, q, s.textIDs)
	}
	var suspended bool
	if err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM coops WHERE suspended = 1)`).Scan(&suspended); err != nil {
		return nil, nil, s.st.Translate("searching jobs", err)
	}
	windows, err := s.st.FittingWindows(ctx, &q)
	if err != nil {
		return nil, nil, err
	}
	cs := jobConds(&q, suspended, windows)
	from := jobsFrom(&q)
	cond, args := where(cs, "")
	var res directory.JobResults
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM `+from+` WHERE `+cond, args...).Scan(&res.Total); err != nil {
		return nil, nil, s.st.Translate("counting jobs", err)
	}

	tier, tierArgs := `0`, []any(nil)
	if q.Relevance() {
		tier = `(CASE WHEN j.id IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?) THEN 1 ELSE 0 END)`
		tierArgs = []any{ftsAll(q.Text.Positive(), "AND", true)}
	}
	query := `SELECT ` + sqlstore.JobColumns + `, ` + tier + ` AS rank_tier, ` + sqlstore.PayKey + ` AS pay_key FROM ` + from + ` JOIN coops c ON c.id = j.coop_id WHERE ` + cond
	qargs := append(append([]any(nil), tierArgs...), args...)
	bySalary := q.Sort == directory.SortSalary
	if a := q.After; a != nil {
		if bySalary {
			query += ` AND (` + sqlstore.PayKey + `, j.published, j.id) < (?, ?, ?)`
			qargs = append(qargs, a.Pay, a.Time, a.ID)
		} else {
			query += ` AND (` + tier + `, j.published, j.id) < (?, ?, ?)`
			qargs = append(append(qargs, tierArgs...), a.Tier, a.Time, a.ID)
		}
	}
	switch {
	case bySalary:
		query += ` ORDER BY pay_key DESC, j.published DESC, j.id DESC LIMIT ?`
	case q.Relevance():
		query += ` ORDER BY rank_tier DESC, j.published DESC, j.id DESC LIMIT ?`
	default:
		// Without the constant tier the jobs_published index gives the order.
		query += ` ORDER BY j.published DESC, j.id DESC LIMIT ?`
	}
	qargs = append(qargs, q.Limit+1)
	rows, err := s.r.QueryContext(ctx, query, qargs...)
	if err != nil {
		return nil, nil, s.st.Translate("searching jobs", err)
	}
	if err := s.st.JobPage(ctx, rows, &q, &res); err != nil {
		return nil, nil, err
	}
	return &res, func(ctx context.Context) (*directory.Facets, error) { return s.facets(ctx, &q, from, cs) }, nil
}

// sharedFacetParts count facets over the materialised matches m, one
// part per facet whose own filter is not in use.
var sharedFacetParts = map[string]string{
	"country":  `SELECT 'country', country, country, count(*) FROM m WHERE country <> '' GROUP BY country`,
	"remote":   `SELECT 'remote', remote, remote, count(*) FROM m GROUP BY remote`,
	"skill":    `SELECT 'skill', t.value, t.value, count(*) FROM m JOIN job_terms t ON t.job_id = m.id AND t.kind = 's' GROUP BY t.value`,
	"language": `SELECT 'language', t.value, t.value, count(*) FROM m JOIN job_terms t ON t.job_id = m.id AND t.kind = 'l' GROUP BY t.value`,
	"federation": `SELECT 'federation', f.ap_id, f.name, sum(x.n) FROM (SELECT coop_id, count(*) AS n FROM m GROUP BY coop_id) x
		JOIN memberships mm ON mm.coop_id = x.coop_id JOIN federations f ON f.id = mm.federation_id GROUP BY f.id`,
	"type":      `SELECT 'type', employment_type, employment_type, count(*) FROM m GROUP BY employment_type`,
	"currency":  `SELECT 'currency', currency, currency, count(*) FROM m WHERE currency <> '' GROUP BY currency`,
	"eligible":  `SELECT 'eligible', t.value, t.value, count(*) FROM m JOIN job_terms t ON t.job_id = m.id AND t.kind = 'e' GROUP BY t.value`,
	"seniority": `SELECT 'seniority', seniority, seniority, count(*) FROM m WHERE seniority <> '' GROUP BY seniority`,
}

// sharedFacets counts, in one statement, every facet whose own filter is
// not in use: they all count the same matches, which are found once.
func (s *search) sharedFacets(ctx context.Context, from string, cs []cond, names []string) (map[string][]directory.FacetValue, error) {
	cond, args := where(cs, "")
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = sharedFacetParts[n]
	}
	q := `WITH m AS MATERIALIZED (SELECT j.id AS id, j.coop_id AS coop_id, j.country AS country, j.remote AS remote,
		j.employment_type AS employment_type, j.salary_currency AS currency, j.seniority AS seniority FROM ` +
		from + ` WHERE ` + cond + `) ` + strings.Join(parts, " UNION ALL ")
	return s.st.NamedFacetValues(s.r.QueryContext(ctx, q, args...))
}

func (s *search) facets(ctx context.Context, q *directory.JobQuery, from string, cs []cond) (*directory.Facets, error) {
	var f directory.Facets
	dst := sqlstore.FacetFields(&f)
	separate := map[string]bool{}
	if !expiryOnly(cs, "") {
		active := map[string]bool{}
		for _, c := range cs {
			active[c.facet] = true
		}
		var shared []string
		for _, n := range sqlstore.FacetNames() {
			if active[n] {
				separate[n] = true
			} else {
				shared = append(shared, n)
			}
		}
		if len(shared) > 0 {
			got, err := s.sharedFacets(ctx, from, cs, shared)
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
	} else {
		for _, n := range sqlstore.FacetNames() {
			separate[n] = true
		}
	}
	specs := []struct {
		dst   *[]directory.FacetValue
		facet string
		query string
	}{
		{&f.Country, "country", `SELECT j.country AS v, j.country AS l, count(*) AS n FROM %f WHERE j.country <> '' AND %s GROUP BY j.country`},
		{&f.Remote, "remote", `SELECT j.remote AS v, j.remote AS l, count(*) AS n FROM %f WHERE %s GROUP BY j.remote`},
		{&f.Skill, "skill", `SELECT t.value AS v, t.value AS l, count(*) AS n FROM %f CROSS JOIN job_terms t ON t.job_id = j.id WHERE t.kind = 's' AND %s GROUP BY t.value`},
		{&f.Language, "language", `SELECT t.value AS v, t.value AS l, count(*) AS n FROM %f CROSS JOIN job_terms t ON t.job_id = j.id WHERE t.kind = 'l' AND %s GROUP BY t.value`},
		{&f.Federation, "federation", `SELECT f.ap_id AS v, f.name AS l, sum(x.n) AS n
			FROM (SELECT j.coop_id, count(*) AS n FROM %f WHERE %s GROUP BY j.coop_id) x
			JOIN memberships m ON m.coop_id = x.coop_id JOIN federations f ON f.id = m.federation_id GROUP BY f.id`},
		{&f.Type, "type", `SELECT j.employment_type AS v, j.employment_type AS l, count(*) AS n FROM %f WHERE %s GROUP BY j.employment_type`},
		{&f.Currency, "currency", `SELECT j.salary_currency AS v, j.salary_currency AS l, count(*) AS n FROM %f WHERE j.salary_currency <> '' AND %s GROUP BY j.salary_currency`},
		{&f.Eligible, "eligible", `SELECT t.value AS v, t.value AS l, count(*) AS n FROM %f CROSS JOIN job_terms t ON t.job_id = j.id WHERE t.kind = 'e' AND %s GROUP BY t.value`},
		{&f.Seniority, "seniority", `SELECT j.seniority AS v, j.seniority AS l, count(*) AS n FROM %f WHERE j.seniority <> '' AND %s GROUP BY j.seniority`},
	}
	// CROSS JOIN keeps the matching jobs as the outer loop: the planner,
	// left to itself, may walk every skill of every job instead.
	for _, sp := range specs {
		if !separate[sp.facet] {
			continue
		}
		cond, args := where(cs, sp.facet)
		if (sp.facet == "skill" || sp.facet == "language" || sp.facet == "eligible") && expiryOnly(cs, sp.facet) {
			cond = cs[0].termsSQL
			kind := map[string]string{"skill": "s", "language": "l", "eligible": "e"}[sp.facet]
			sp.query = `SELECT value AS v, value AS l, count(*) AS n FROM job_terms j WHERE kind = '` + kind + `' AND %s GROUP BY value`
		}
		vals, err := s.st.FacetValues(s.r.QueryContext(ctx, `SELECT v, l, n FROM (`+strings.NewReplacer("%f", from, "%s", cond).Replace(sp.query)+`) AS t ORDER BY n DESC, v LIMIT 30`, args...))
		if err != nil {
			return nil, err
		}
		*sp.dst = vals
	}
	if q.Zone != "" {
		cond, args := where(cs, "overlap")
		query := strings.NewReplacer("%f", from, "%s", cond).Replace(sqlstore.OverlapFacetSQL)
		rows, err := s.r.QueryContext(ctx, query, args...)
		if f.Overlap, err = s.st.OverlapFacet(q, rows, err); err != nil {
			return nil, err
		}
	}
	return &f, nil
}
