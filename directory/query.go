package directory

import (
	"encoding/base64"
	"encoding/json"
	"sort"
	"strconv"
	"time"
)

// Sort orders of a job search.
const (
	SortNewest    = "newest"
	SortRelevance = "relevance"
	// SortSalary puts the best paid first, by the top of each job's range
	// per month in the rates' base currency; jobs without a salary, or
	// whose currency has no rate, come last, newest first.
	SortSalary = "salary"
)

// Page sizes.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	// MaxFacetValues is how many values of one facet are returned, the
	// most frequent first.
	MaxFacetValues = 30
)

// JobQuery selects open jobs. Values within one filter OR together,
// different filters AND together.
type JobQuery struct {
	Text        Query
	Countries   []string
	Skills      []string
	Remote      []string
	Languages   []string
	Federations []string // federation actor ids or handles
	Coops       []string // co-op actor ids, handle@host, or local handles
	Currencies  []string
	// EmploymentTypes are FullTime, PartTime, Contract or Internship.
	EmploymentTypes []string
	// LiveIn, a country (ISO 3166-1 alpha-2), keeps the jobs a person
	// living there can take: hybrid and onsite jobs in that country (in
	// City, when set: compared by CityKey) and remote jobs open to it, to a
	// region that takes it in, or anywhere.
	LiveIn string
	City   string
	// Zone is the seeker's IANA time zone. With Overlap (hours), only
	// jobs whose window of hours overlaps the seeker's working day, from
	// DayStart to DayEnd (minutes after midnight; 09:00 to 18:00 when
	// DayEnd is 0) on today's date in Zone, by at least that long are
	// kept. Jobs that state no window need no particular hours and stay.
	Zone             string
	Overlap          int
	DayStart, DayEnd int
	// Seniority keeps jobs of these levels.
	Seniority []string
	// LeadsToMembership keeps jobs that lead to membership of the co-op.
	LeadsToMembership bool
	PostedSince       time.Time // zero for any time
	// PostedWithin, when set, makes the service set PostedSince that long
	// before now.
	PostedWithin time.Duration
	// Pay, when set, keeps the jobs whose pay range reaches it (see
	// PayFloor); jobs without a salary are left out.
	Pay   *PayFloor
	Sort  string
	Limit int
	After *Cursor
	// Now decides which jobs have expired; stores never read the clock.
	Now time.Time
	// Facets asks for facet counts too.
	Facets bool
}

// SeekerCodes lists the eligibility codes that open a remote job to the
// seeker: none without LiveIn.
func (q *JobQuery) SeekerCodes() []string {
	if q.LiveIn == "" {
		return nil
	}
	return SeekerCodes(q.LiveIn)
}

// Fits reports whether a job's window of hours overlaps the seeker's
// working day by at least q.Overlap hours (see JobQuery.Zone).
func (q *JobQuery) Fits(h Hours) bool {
	zone, err := time.LoadLocation(q.Zone)
	if err != nil {
		return false
	}
	start, end := q.DayStart, q.DayEnd
	if end == 0 {
		start, end = DefaultDayStart, DefaultDayEnd
	}
	return Overlap(h, zone, q.Now, start, end) >= time.Duration(q.Overlap)*time.Hour
}

// OverlapHours is how many whole hours of the seeker's working day a
// window of hours overlaps (see JobQuery.Zone); MaxOverlapFacet for a job
// that states no window.
func (q *JobQuery) OverlapHours(h *Hours) int {
	if h == nil {
		return MaxOverlapFacet
	}
	zone, err := time.LoadLocation(q.Zone)
	if err != nil {
		return 0
	}
	start, end := q.DayStart, q.DayEnd
	if end == 0 {
		start, end = DefaultDayStart, DefaultDayEnd
	}
	return int(Overlap(*h, zone, q.Now, start, end) / time.Hour)
}

// MaxOverlapFacet is the most hours the overlap facet counts.
const MaxOverlapFacet = 12

// OverlapFacet counts jobs by hours of overlap from the number of jobs
// with each window (nil for jobs with none).
func (q *JobQuery) OverlapFacet(windows map[*Hours]int) []FacetValue {
	start, end := q.DayStart, q.DayEnd
	if end == 0 {
		start, end = DefaultDayStart, DefaultDayEnd
	}
	top := min((end-start)/60, MaxOverlapFacet)
	counts := make([]int, top+1)
	for h, n := range windows {
		for k := 1; k <= min(q.OverlapHours(h), top); k++ {
			counts[k] += n
		}
	}
	out := []FacetValue{}
	for k := 1; k <= top; k++ {
		v := strconv.Itoa(k)
		out = append(out, FacetValue{Value: v, Label: v, Count: counts[k]})
	}
	return out
}

// CityKey is how cities are compared: lower-cased, accents folded.
func CityKey(city string) string { return SortKey(city) }

// Relevance reports whether results are ordered by relevance: jobs whose
// title matches every required term come first, newest first within each
// tier. The order depends only on each job and the query, so paging is
// stable while jobs are added.
func (q *JobQuery) Relevance() bool { return q.Sort == SortRelevance && len(q.Text.Positive()) > 0 }

// FacetValue is one value of a facet and how many jobs have it.
type FacetValue struct {
	Value string
	Label string
	Count int
}

// TopFacetValues orders facet values most frequent first, then by value
// (byte order), and keeps MaxFacetValues of them.
func TopFacetValues(vs []FacetValue) []FacetValue {
	sort.Slice(vs, func(i, j int) bool {
		if vs[i].Count != vs[j].Count {
			return vs[i].Count > vs[j].Count
		}
		return vs[i].Value < vs[j].Value
	})
	if len(vs) > MaxFacetValues {
		vs = vs[:MaxFacetValues]
	}
	return vs
}

// Facets counts the jobs matching a search by each filterable field. Each
// facet is counted with every filter applied except its own, so that a
// person can widen a filter as well as narrow it.
type Facets struct {
	Country    []FacetValue
	Skill      []FacetValue
	Remote     []FacetValue
	Language   []FacetValue
	Federation []FacetValue
	Type       []FacetValue // employment type
	Currency   []FacetValue // salary currency, of jobs that state a salary
	// Eligible counts the codes remote jobs are open to (see
	// Job.Eligible), as the jobs state them.
	Eligible  []FacetValue
	Seniority []FacetValue // of jobs that state it
	// Overlap, for a search with a Zone, counts for each whole number of
	// hours (1 up to the working day's length, at most 12) the jobs
	// whose window overlaps the seeker's day by at least that long, jobs
	// with no window among them; its values are "1", "2"...
	Overlap []FacetValue
}

// JobResults is one page of a job search.
type JobResults struct {
	Total  int
	Items  []Job
	Facets *Facets
	Next   *Cursor
}

// CoopQuery selects co-ops, ordered by name.
type CoopQuery struct {
	Text        Query
	Countries   []string
	Skills      []string
	Federations []string
	// Accounts are handle@host addresses.
	Accounts []string
	// Suspended lists suspended co-ops too (for the admin).
	Suspended bool
	// MinWorkers and MaxWorkers bound the co-op's size; zero is no bound.
	MinWorkers int
	MaxWorkers int
	Limit      int
	After      *Cursor
}

// CoopPage is one page of co-ops.
type CoopPage struct {
	Total int
	Items []Coop
	Next  *Cursor
}

// Cursor marks the last row of a page; the next page starts after it.
type Cursor struct {
	Tier int    `json:"t,omitempty"`
	Time int64  `json:"p,omitempty"` // unix microseconds
	Key  string `json:"k,omitempty"`
	// Pay is the job's monthly pay in the base currency, in hundredths,
	// or -1 for none, when results are sorted by salary.
	Pay int64 `json:"s,omitempty"`
	ID  int64 `json:"i"`
}

// Encode renders the cursor as an opaque URL-safe string.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses a cursor made by Encode.
func DecodeCursor(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 1024 {
		return nil, Invalid("cursor", CodeCursor)
	}
	var c Cursor
	if err := json.Unmarshal(b, &c); err != nil || c.ID <= 0 {
		return nil, Invalid("cursor", CodeCursor)
	}
	return &c, nil
}

// Stats aggregates co-ops, workers and open jobs by federation and by the
// co-ops' country, over local and aggregated data alike.
type Stats struct {
	Federations []FederationStats
	Countries   []CountryStats
	Totals      Totals
}

// Figures are the counts one row of statistics carries.
type Figures struct {
	Coops   int
	Workers int
	Jobs    int // open jobs
}

// AvgWorkers is the average co-op size, 0 when there are no co-ops.
func (f Figures) AvgWorkers() float64 {
	if f.Coops == 0 {
		return 0
	}
	return float64(f.Workers) / float64(f.Coops)
}

// FederationStats is one federation's row, with its member co-ops'
// figures per country (most co-ops first).
type FederationStats struct {
	Federation FederationRef
	Figures
	Countries []CountryStats
}

// CountryStats is one country's row: co-ops based there and their jobs.
type CountryStats struct {
	Country string
	Figures
}

// Totals sums every co-op once, whatever its federations.
type Totals struct {
	Figures
	Countries int
}
