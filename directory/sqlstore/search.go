package sqlstore

import (
	"context"
	"database/sql"

	"github.com/colmena-coop/colmena/directory"
)

// What the engines' searches share: reading a page of results and
// reading facet counts. How they find and count is theirs.

// PayKey is the SQL of a job's place in a search by salary: its monthly
// pay in the base currency, or -1 for none, so that those come last.
const PayKey = `coalesce(j.salary_month_base, -1)`

// JobPage reads a search's rows, each JobColumns then its rank tier and
// its PayKey, into res: up to limit jobs of q with their federations, and
// the cursor of the next page when the query returned one row more than
// limit.
func (s *Store) JobPage(ctx context.Context, rows *sql.Rows, q *directory.JobQuery, res *directory.JobResults) error {
	defer rows.Close()
	limit := q.Limit
	var tiers []int
	var pays []int64
	res.Items = []directory.Job{}
	for rows.Next() {
		var t int
		var pay int64
		j, err := s.ScanJob(rows, &t, &pay)
		if err != nil {
			return s.translate("searching jobs", err)
		}
		res.Items = append(res.Items, *j)
		tiers = append(tiers, t)
		pays = append(pays, pay)
	}
	if err := rows.Err(); err != nil {
		return s.translate("searching jobs", err)
	}
	rows.Close()
	if len(res.Items) > limit {
		res.Items = res.Items[:limit]
		last := res.Items[limit-1]
		res.Next = &directory.Cursor{Tier: tiers[limit-1], Time: last.Published.UnixMicro(), ID: last.ID}
		if q.Sort == directory.SortSalary {
			res.Next.Pay = pays[limit-1]
		}
	}
	return s.AddFederations(ctx, res.Items)
}

// FacetValues reads rows of (value, label, count), as a query returns
// them.
func (s *Store) FacetValues(rows *sql.Rows, err error) ([]directory.FacetValue, error) {
	if err != nil {
		return nil, s.translate("counting facets", err)
	}
	defer rows.Close()
	vals := []directory.FacetValue{}
	for rows.Next() {
		var v directory.FacetValue
		if err := rows.Scan(&v.Value, &v.Label, &v.Count); err != nil {
			return nil, s.translate("counting facets", err)
		}
		vals = append(vals, v)
	}
	return vals, s.translate("counting facets", rows.Err())
}

// NamedFacetValues reads rows of (facet, value, label, count) counting
// several facets at once, and keeps each facet's top values.
func (s *Store) NamedFacetValues(rows *sql.Rows, err error) (map[string][]directory.FacetValue, error) {
	if err != nil {
		return nil, s.translate("counting facets", err)
	}
	defer rows.Close()
	out := map[string][]directory.FacetValue{}
	for rows.Next() {
		var name string
		var v directory.FacetValue
		if err := rows.Scan(&name, &v.Value, &v.Label, &v.Count); err != nil {
			return nil, s.translate("counting facets", err)
		}
		out[name] = append(out[name], v)
	}
	if err := rows.Err(); err != nil {
		return nil, s.translate("counting facets", err)
	}
	for n, vs := range out {
		out[n] = directory.TopFacetValues(vs)
	}
	return out, nil
}

// FacetNames lists the job facets in the order they are counted.
func FacetNames() []string {
	return []string{"country", "remote", "skill", "language", "federation", "type", "currency"}
}

// FacetFields maps each facet's name to its place in f.
func FacetFields(f *directory.Facets) map[string]*[]directory.FacetValue {
	return map[string]*[]directory.FacetValue{"country": &f.Country, "remote": &f.Remote, "skill": &f.Skill,
		"language": &f.Language, "federation": &f.Federation, "type": &f.Type, "currency": &f.Currency}
}
