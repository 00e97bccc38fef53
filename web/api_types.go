package web

import (
	"encoding/json"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// The JSON API's own shapes: domain structs carry no JSON tags.

type federationRefJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func federationRefs(fs []directory.FederationRef) []federationRefJSON {
	out := make([]federationRefJSON, len(fs))
	for i, f := range fs {
		out[i] = federationRefJSON{ID: f.APID, Name: f.Name}
	}
	return out
}

type coopJSON struct {
	ID          string              `json:"id"`
	Handle      string              `json:"handle"`
	Acct        string              `json:"acct"`
	Name        string              `json:"name"`
	Summary     string              `json:"summary"`
	Country     string              `json:"country"`
	City        string              `json:"city"`
	Founded     int                 `json:"founded,omitempty"`
	Workers     int                 `json:"workers"`
	Website     string              `json:"website"`
	Email       string              `json:"email"`
	Languages   []string            `json:"languages"`
	Skills      []string            `json:"skills"`
	Governance  string              `json:"governance"`
	Local       bool                `json:"local"`
	URL         string              `json:"url"`
	Federations []federationRefJSON `json:"federations"`
	Published   time.Time           `json:"published"`
	Updated     time.Time           `json:"updated"`
}

func coopOut(c *directory.Coop) coopJSON {
	return coopJSON{
		ID: c.APID, Handle: c.Handle, Acct: c.Acct(), Name: c.Name, Summary: c.Summary, Country: c.Country,
		City: c.City, Founded: c.Founded, Workers: c.Workers, Website: c.Website, Email: c.Email,
		Languages: c.Languages, Skills: c.Skills, Governance: c.Governance, Local: c.Local, URL: c.URL,
		Federations: federationRefs(c.Federations), Published: c.CreatedAt, Updated: c.UpdatedAt,
	}
}

// coopCreateJSON is the body of POST /api/v1/coops.
type coopCreateJSON struct {
	Handle     string   `json:"handle"`
	Name       string   `json:"name"`
	Summary    string   `json:"summary"`
	Country    string   `json:"country"`
	City       string   `json:"city"`
	Founded    int      `json:"founded"`
	Workers    int      `json:"workers"`
	Website    string   `json:"website"`
	Email      string   `json:"email"`
	Languages  []string `json:"languages"`
	Skills     []string `json:"skills"`
	Governance string   `json:"governance"`
}

func (in coopCreateJSON) coop() directory.Coop {
	return directory.Coop{
		Handle: in.Handle, Name: in.Name, Summary: in.Summary, Country: in.Country, City: in.City,
		Founded: in.Founded, Workers: in.Workers, Website: in.Website, Email: in.Email,
		Languages: in.Languages, Skills: in.Skills, Governance: in.Governance,
	}
}

// coopPatchJSON is the body of PATCH /api/v1/coops/{handle}: fields left
// out stay as they are.
type coopPatchJSON struct {
	Handle     *string   `json:"handle"`
	Name       *string   `json:"name"`
	Summary    *string   `json:"summary"`
	Country    *string   `json:"country"`
	City       *string   `json:"city"`
	Founded    *int      `json:"founded"`
	Workers    *int      `json:"workers"`
	Website    *string   `json:"website"`
	Email      *string   `json:"email"`
	Languages  *[]string `json:"languages"`
	Skills     *[]string `json:"skills"`
	Governance *string   `json:"governance"`
}

func (in coopPatchJSON) patch() directory.CoopPatch {
	return directory.CoopPatch{
		Name: in.Name, Summary: in.Summary, Country: in.Country, City: in.City, Founded: in.Founded,
		Workers: in.Workers, Website: in.Website, Email: in.Email, Governance: in.Governance,
		Languages: in.Languages, Skills: in.Skills,
	}
}

type salaryJSON struct {
	Min      int64  `json:"min"`
	Max      int64  `json:"max"`
	Currency string `json:"currency"`
	Period   string `json:"period"`
	// Normalized is read-only: what a write sends here is ignored.
	Normalized *normalizedJSON `json:"normalized,omitempty"`
}

// normalizedJSON is a salary converted into the reader's currency, per
// month and per year, in whole units: month and year of the top of the
// range (what sorting and minimums compare), month_min and year_min of
// its bottom.
type normalizedJSON struct {
	Currency  string `json:"currency"`
	Month     int64  `json:"month"`
	Year      int64  `json:"year"`
	MonthMin  int64  `json:"month_min"`
	YearMin   int64  `json:"year_min"`
	RatesDate string `json:"rates_date"`
}

type coopRefJSON struct {
	ID     string `json:"id"`
	Handle string `json:"handle"`
	Name   string `json:"name"`
}

type jobJSON struct {
	ID             string              `json:"id"`
	URL            string              `json:"url"`
	Title          string              `json:"title"`
	Description    string              `json:"description"`
	Skills         []string            `json:"skills"`
	Remote         string              `json:"remote"`
	Country        string              `json:"country"`
	City           string              `json:"city"`
	EmploymentType string              `json:"employment_type"`
	Salary         *salaryJSON         `json:"salary"`
	Languages      []string            `json:"languages"`
	ApplyURL       string              `json:"apply_url"`
	ApplyEmail     string              `json:"apply_email"`
	ValidThrough   *time.Time          `json:"valid_through"`
	Published      time.Time           `json:"published"`
	Updated        time.Time           `json:"updated"`
	Local          bool                `json:"local"`
	Coop           coopRefJSON         `json:"coop"`
	Federations    []federationRefJSON `json:"federations"`
	factsJSON
}

func jobOut(j *directory.Job, pv payView) jobJSON {
	out := jobJSON{
		ID: j.APID, URL: j.APID, Title: j.Title, Description: j.Description, Skills: j.Skills, Remote: j.Remote,
		Country: j.Country, City: j.City, EmploymentType: j.EmploymentType, Languages: j.Languages,
		ApplyURL: j.ApplyURL, ApplyEmail: j.ApplyEmail, Published: j.Published, Updated: j.Updated, Local: j.Local,
		Coop:        coopRefJSON{ID: j.Coop.APID, Handle: j.Coop.Handle, Name: j.Coop.Name},
		Federations: federationRefs(j.Federations), factsJSON: factsOut(j),
	}
	if s := j.Salary; s != nil {
		out.Salary = &salaryJSON{Min: s.Min, Max: s.Max, Currency: s.Currency, Period: s.Period}
		if p, ok := pv.pay(j); ok {
			out.Salary.Normalized = &normalizedJSON{Currency: p.Currency, Month: p.MonthMax, Year: p.YearMax,
				MonthMin: p.MonthMin, YearMin: p.YearMin, RatesDate: p.RatesDate.Format(directory.RatesDateLayout)}
		}
	}
	if !j.ValidThrough.IsZero() {
		vt := j.ValidThrough
		out.ValidThrough = &vt
	}
	return out
}

// jobCreateJSON is the body of POST /api/v1/coops/{handle}/jobs.
type jobCreateJSON struct {
	Title          string      `json:"title"`
	Description    string      `json:"description"`
	Skills         []string    `json:"skills"`
	Remote         string      `json:"remote"`
	Country        string      `json:"country"`
	City           string      `json:"city"`
	EmploymentType string      `json:"employment_type"`
	Salary         *salaryJSON `json:"salary"`
	Languages      []string    `json:"languages"`
	ApplyURL       string      `json:"apply_url"`
	ApplyEmail     string      `json:"apply_email"`
	ValidThrough   string      `json:"valid_through"`
	factsJSON
}

func parseTime(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, directory.Invalid(field, directory.CodeTime, s)
	}
	return t, nil
}

func (in jobCreateJSON) job() (directory.Job, error) {
	j := directory.Job{
		Title: in.Title, Description: in.Description, Skills: in.Skills, Remote: in.Remote, Country: in.Country,
		City: in.City, EmploymentType: in.EmploymentType, Languages: in.Languages,
		ApplyURL: in.ApplyURL, ApplyEmail: in.ApplyEmail,
	}
	if s := in.Salary; s != nil {
		j.Salary = &directory.Salary{Min: s.Min, Max: s.Max, Currency: s.Currency, Period: s.Period}
	}
	if err := in.factsJSON.apply(&j); err != nil {
		return j, err
	}
	if in.ValidThrough != "" {
		t, err := parseTime("valid_through", in.ValidThrough)
		if err != nil {
			return j, err
		}
		j.ValidThrough = t
	}
	return j, nil
}

// jobPatchJSON is the body of PATCH /api/v1/jobs/{id}; "salary": null
// removes the salary.
type jobPatchJSON struct {
	Title          *string         `json:"title"`
	Description    *string         `json:"description"`
	Skills         *[]string       `json:"skills"`
	Remote         *string         `json:"remote"`
	Country        *string         `json:"country"`
	City           *string         `json:"city"`
	EmploymentType *string         `json:"employment_type"`
	Salary         json.RawMessage `json:"salary"`
	Languages      *[]string       `json:"languages"`
	ApplyURL       *string         `json:"apply_url"`
	ApplyEmail     *string         `json:"apply_email"`
	ValidThrough   *string         `json:"valid_through"`
	factsPatchJSON
}

func (in jobPatchJSON) patch() (directory.JobPatch, error) {
	p := directory.JobPatch{
		Title: in.Title, Description: in.Description, Skills: in.Skills, Remote: in.Remote, Country: in.Country,
		City: in.City, EmploymentType: in.EmploymentType, Languages: in.Languages,
		ApplyURL: in.ApplyURL, ApplyEmail: in.ApplyEmail,
	}
	if len(in.Salary) > 0 {
		p.SetSalary = true
		if string(in.Salary) != "null" {
			var s salaryJSON
			if err := decodeStrict(in.Salary, &s); err != nil {
				if de, ok := err.(*directory.Error); ok && de.Field != "" && de.Field != "body" {
					de.Field = "salary." + de.Field
				} else if ok {
					de.Field = "salary"
				}
				return p, err
			}
			p.Salary = &directory.Salary{Min: s.Min, Max: s.Max, Currency: s.Currency, Period: s.Period}
		}
	}
	if in.ValidThrough != nil {
		t, err := parseTime("valid_through", *in.ValidThrough)
		if err != nil {
			return p, err
		}
		p.ValidThrough = &t
	}
	return p, in.factsPatchJSON.apply(&p)
}

type facetValueJSON struct {
	Value string `json:"value"`
	Label string `json:"label,omitempty"`
	Count int    `json:"count"`
}

type facetsJSON struct {
	Country    []facetValueJSON `json:"country"`
	Skill      []facetValueJSON `json:"skill"`
	Remote     []facetValueJSON `json:"remote"`
	Language   []facetValueJSON `json:"language"`
	Federation []facetValueJSON `json:"federation"`
	Type       []facetValueJSON `json:"type"`
	Currency   []facetValueJSON `json:"currency"`
	Eligible   []facetValueJSON `json:"eligible"`
	Seniority  []facetValueJSON `json:"seniority"`
	// Overlap is there only for a search with tz.
	Overlap []facetValueJSON `json:"overlap,omitempty"`
}

func facetValues(vs []directory.FacetValue, labelled bool) []facetValueJSON {
	out := make([]facetValueJSON, len(vs))
	for i, v := range vs {
		out[i] = facetValueJSON{Value: v.Value, Count: v.Count}
		if labelled {
			out[i].Label = v.Label
		}
	}
	return out
}

type jobPageJSON struct {
	Total      int        `json:"total"`
	Items      []jobJSON  `json:"items"`
	Facets     facetsJSON `json:"facets"`
	NextCursor *string    `json:"next_cursor"`
}

type coopPageJSON struct {
	Total      int        `json:"total"`
	Items      []coopJSON `json:"items"`
	NextCursor *string    `json:"next_cursor"`
}

func cursorOut(c *directory.Cursor) *string {
	if c == nil {
		return nil
	}
	s := c.Encode()
	return &s
}

type statsRowJSON struct {
	Coops      int     `json:"coops"`
	Workers    int     `json:"workers"`
	AvgWorkers float64 `json:"avg_workers"`
	Jobs       int     `json:"jobs"`
}

func statsRow(f directory.Figures) statsRowJSON {
	avg := float64(int(f.AvgWorkers()*10+0.5)) / 10
	return statsRowJSON{Coops: f.Coops, Workers: f.Workers, AvgWorkers: avg, Jobs: f.Jobs}
}

type federationStatsJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Handle string `json:"handle"`
	statsRowJSON
}

type countryStatsJSON struct {
	Country string `json:"country"`
	statsRowJSON
}

type totalsJSON struct {
	Coops     int `json:"coops"`
	Workers   int `json:"workers"`
	Jobs      int `json:"jobs"`
	Countries int `json:"countries"`
}

type statsJSON struct {
	Federations []federationStatsJSON `json:"federations"`
	Countries   []countryStatsJSON    `json:"countries"`
	Totals      totalsJSON            `json:"totals"`
}

func statsOut(st *directory.Stats) statsJSON {
	out := statsJSON{
		Federations: make([]federationStatsJSON, len(st.Federations)),
		Countries:   make([]countryStatsJSON, len(st.Countries)),
		Totals:      totalsJSON{Coops: st.Totals.Coops, Workers: st.Totals.Workers, Jobs: st.Totals.Jobs, Countries: st.Totals.Countries},
	}
	for i, f := range st.Federations {
		out.Federations[i] = federationStatsJSON{ID: f.Federation.APID, Name: f.Federation.Name, Handle: f.Federation.Handle, statsRowJSON: statsRow(f.Figures)}
	}
	for i, c := range st.Countries {
		out.Countries[i] = countryStatsJSON{Country: c.Country, statsRowJSON: statsRow(c.Figures)}
	}
	return out
}
