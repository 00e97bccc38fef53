package directory

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A saved search is a job search people follow: from the fediverse as an
// actor of its own (a bot that boosts each new or newly matching job),
// and later by e-mail. It is keyed by its canonical query, so the same
// search asked twice is one saved search with one handle.

// SavedSearch is a normalised job search that can be followed.
type SavedSearch struct {
	ID int64
	// Handle is its short stable name: letters, digits and hyphens, and
	// always one hyphen at least, so it never collides with a co-op's.
	Handle string
	// APID is its actor's id (Links.SearchActor).
	APID string
	// Query is the canonical query string (CanonicalSearch).
	Query string
	// Name is its readable name, in the node's language.
	Name      string
	CreatedAt time.Time
	// UsedAt is when it was last asked for or followed; a search nobody
	// follows is collected some time after.
	UsedAt time.Time
	// GoneAt, when set, is when it was collected: its handle answers 410
	// until the same search is asked for again.
	GoneAt time.Time
}

// Gone reports whether the search was collected.
func (s *SavedSearch) Gone() bool { return !s.GoneAt.IsZero() }

// SearchStore keeps saved searches and what each has announced.
type SearchStore interface {
	// AddSavedSearch returns the saved search with s.Query, storing s when
	// there is none and bringing back one collected. Either way it marks
	// it used at s.UsedAt. A new or revived search beyond limit live ones
	// is SearchLimitError; a handle another query holds is KindConflict
	// wrapping ErrSearchHandleTaken.
	AddSavedSearch(ctx context.Context, s *SavedSearch, limit int) (*SavedSearch, error)
	// SavedSearchByHandle finds a saved search, collected ones too.
	SavedSearchByHandle(ctx context.Context, handle string) (*SavedSearch, error)
	// SavedSearchByAPID finds a saved search by its actor id.
	SavedSearchByAPID(ctx context.Context, apid string) (*SavedSearch, error)
	// LiveSavedSearches lists the searches not collected.
	LiveSavedSearches(ctx context.Context) ([]SavedSearch, error)
	// TouchSavedSearch marks a search used at at.
	TouchSavedSearch(ctx context.Context, id int64, at time.Time) error
	// CollectSavedSearches marks gone, at at, the live searches nobody
	// follows (from the fediverse, or by an e-mail alert pending or
	// confirmed) that were last used before idleSince, and forgets what they
	// announced. It returns how many.
	CollectSavedSearches(ctx context.Context, idleSince, at time.Time) (int, error)
	// AnnounceOnce records that search announced job, in an Announce named
	// key, and, only when it had not before, queues ds and has the
	// search's confirmed e-mail subscribers wait for job (AlertStore), in
	// the same transaction. It reports whether this was the first time.
	AnnounceOnce(ctx context.Context, search int64, job, key string, at time.Time, ds []Delivery) (bool, error)
	// SearchesAnnounced lists the live searches that announced job.
	SearchesAnnounced(ctx context.Context, job string) ([]SavedSearch, error)
	// RemoveSavedSearch collects a search at once, at at: it is gone, its
	// followers and what it announced forgotten.
	RemoveSavedSearch(ctx context.Context, id int64, at time.Time) error
	// SearchAnnounce finds what the Announce named key of search boosted,
	// and when.
	SearchAnnounce(ctx context.Context, search int64, key string) (job string, at time.Time, err error)
}

// ErrSearchHandleTaken is a search handle another query holds.
var ErrSearchHandleTaken = errors.New("the handle is another search's")

// SearchLimitError is a new saved search beyond the node's limit.
func SearchLimitError(limit int) error {
	return &Error{Kind: KindConflict, Field: "query", Message: fmt.Sprintf(
		"this node keeps at most %d followed searches (its search actor limit), and has no room for another; follow a broader search or ask the node's admin to raise the limit", limit)}
}

// DefaultSearchLimit is how many live saved searches a node keeps unless
// told otherwise.
const DefaultSearchLimit = 500

// DefaultSearchIdle is how long a saved search nobody follows lives.
const DefaultSearchIdle = 30 * 24 * time.Hour

// CanonicalSearch checks a job search's parameters (as ParseJobQuery
// does, with cur the currency of a salary minimum that names none) and
// returns them canonical: only those that select jobs, values cleaned,
// sorted and deduplicated, defaults dropped. The same search written two
// ways gives the same values, and Encode gives the same string.
func CanonicalSearch(v url.Values, cur string) (url.Values, error) {
	q, err := ParseJobQuery(v, cur)
	if err != nil {
		return nil, err
	}
	if err := checkSeeker(&q); err != nil {
		return nil, err
	}
	out := url.Values{}
	set := func(name string, vs []string) {
		vs = slices.Compact(slices.Sorted(slices.Values(vs)))
		if len(vs) > 0 && vs[0] == "" {
			vs = vs[1:]
		}
		if len(vs) > 0 {
			out[name] = vs
		}
	}
	one := func(name, v string) {
		if v != "" {
			out[name] = []string{v}
		}
	}
	if !q.Text.Empty() {
		one("q", strings.Join(strings.Fields(v.Get("q")), " "))
	}
	set("country", q.Countries)
	set("skill", CanonicalTags(q.Skills))
	set("remote", q.Remote)
	set("language", q.Languages)
	set("federation", q.Federations)
	set("coop", q.Coops)
	set("currency", q.Currencies)
	set("type", q.EmploymentTypes)
	set("seniority", q.Seniority)
	one("live_in", q.LiveIn)
	one("city", q.City)
	if q.Zone != "" {
		one("tz", q.Zone)
		if q.Overlap > 0 {
			one("overlap", strconv.Itoa(q.Overlap))
		}
		if q.DayStart != DefaultDayStart || q.DayEnd != DefaultDayEnd {
			one("day_start", Clock(q.DayStart))
			one("day_end", Clock(q.DayEnd))
		}
	}
	if q.LeadsToMembership {
		one("leads_to_membership", "true")
	}
	if d := q.PostedWithin; d > 0 {
		if d%(24*time.Hour) == 0 {
			one("posted_within", strconv.Itoa(int(d/(24*time.Hour)))+"d")
		} else {
			one("posted_within", d.String())
		}
	}
	if p := q.Pay; p != nil {
		one("salary_min", strconv.FormatInt(p.Amount, 10))
		one("salary_currency", p.Currency)
		if p.Period != PerMonth {
			one("salary_period", p.Period)
		}
	}
	return out, nil
}

// maxSearchHandle bounds a search's handle.
const maxSearchHandle = 40

// SearchHandle is the handle a canonical search would like: its main
// filters joined by hyphens ("remote-go-ar"), "go-jobs" for a single
// one, "all-jobs" for none. A long one is cut and ends in a hash of the
// query; HandleWithHash gives the form used when another search holds it.
func SearchHandle(canon url.Values) string {
	var parts []string
	add := func(vs ...string) {
		for _, v := range vs {
			if s := slug(v); s != "" {
				parts = append(parts, s)
			}
		}
	}
	add(canon["remote"]...)
	add(canon["type"]...)
	add(canon["seniority"]...)
	add(canon["skill"]...)
	add(strings.Fields(canon.Get("q"))...)
	add(canon["country"]...)
	add(canon["live_in"]...)
	add(canon["language"]...)
	for _, c := range canon["coop"] {
		h, _, _ := strings.Cut(c, "@")
		add(h[strings.LastIndex(h, "/")+1:])
	}
	switch len(parts) {
	case 0:
		return "all-jobs"
	case 1:
		parts = append(parts, "jobs")
	}
	h := strings.Join(parts, "-")
	if len(h) > maxSearchHandle-7 {
		h = h[:maxSearchHandle-7]
		if i := strings.LastIndexByte(h, '-'); i > 0 {
			h = h[:i] // whole words only
		}
		return HandleWithHash(h, canon.Encode())
	}
	return h
}

// HandleWithHash is handle followed by a short hash of the query.
func HandleWithHash(handle, query string) string {
	sum := sha256.Sum256([]byte(query))
	return handle + "-" + hex.EncodeToString(sum[:3])
}

// slug keeps the letters and digits of s, lower-cased and without
// accents; "c++" becomes "cpp" and "c#" "csharp".
func slug(s string) string {
	s = strings.NewReplacer("+", "p", "#", "sharp").Replace(SortKey(s))
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SavedSearchQuery is a saved search's query, ready to match jobs at now
// (MatchJob) with rates.
func SavedSearchQuery(query string, rates *Rates, now time.Time) (JobQuery, error) {
	v, err := url.ParseQuery(query)
	if err != nil {
		return JobQuery{}, Invalidf("query", "is not a query string")
	}
	q, err := ParseJobQuery(v, "")
	if err != nil {
		return q, err
	}
	return q, prepareQuery(&q, now, func() (*Rates, error) { return rates, nil })
}

// MatchJob reports whether a search (from SavedSearchQuery, or
// prepared as SearchJobs prepares it) finds job j, of co-op c, at now,
// by the rules the stores' search follows; rates are the exchange rates
// a salary minimum compares through.
func MatchJob(q *JobQuery, j *Job, c *Coop, rates *Rates, now time.Time) bool {
	if !j.Open(now) || c == nil || c.Suspended {
		return false
	}
	if !q.PostedSince.IsZero() && j.Published.Before(q.PostedSince) {
		return false
	}
	if len(q.Countries) > 0 && !slices.Contains(q.Countries, j.Country) ||
		len(q.Remote) > 0 && !slices.Contains(q.Remote, j.Remote) ||
		len(q.EmploymentTypes) > 0 && !slices.Contains(q.EmploymentTypes, j.EmploymentType) ||
		len(q.Seniority) > 0 && !slices.Contains(q.Seniority, j.Seniority) ||
		len(q.Skills) > 0 && !anyIn(q.Skills, j.Skills) ||
		len(q.Languages) > 0 && !anyIn(q.Languages, j.Languages) {
		return false
	}
	if len(q.Currencies) > 0 && (j.Salary == nil || !slices.Contains(q.Currencies, j.Salary.Currency)) {
		return false
	}
	if len(q.Coops) > 0 && !(slices.Contains(q.Coops, c.APID) || slices.Contains(q.Coops, c.Handle+"@"+c.Host) ||
		c.Local && slices.Contains(q.Coops, c.Handle)) {
		return false
	}
	if len(q.Federations) > 0 && !slices.ContainsFunc(c.Federations, func(f FederationRef) bool {
		return slices.Contains(q.Federations, f.APID) || slices.Contains(q.Federations, f.Handle)
	}) {
		return false
	}
	if q.LeadsToMembership && (j.Membership == nil || !j.Membership.LeadsToMembership) {
		return false
	}
	if p := q.Pay; p != nil {
		if j.Salary == nil {
			return false
		}
		if p.HasBase {
			base, ok := rates.JobBaseCents(j)
			if !ok || base < p.BaseCents {
				return false
			}
		} else if j.Salary.Currency != p.Currency || SalaryCents(j) < p.Cents {
			return false
		}
	}
	if codes := q.SeekerCodes(); codes != nil {
		if j.Remote == RemoteFull {
			if !anyIn(codes, j.Eligible) {
				return false
			}
		} else if j.Country != q.LiveIn || q.City != "" && CityKey(j.City) != CityKey(q.City) {
			return false
		}
	}
	if q.Zone != "" && q.Overlap > 0 && j.Hours != nil && !q.Fits(*j.Hours) {
		return false
	}
	if !q.Text.Empty() {
		title := Index(j.Languages, j.Title)
		body := Index(j.Languages, strings.Join(j.Skills, " "), j.City, j.Description)
		for _, cl := range q.Text.Clauses {
			if clauseHolds(cl, title, body) == cl.Negated {
				return false
			}
		}
	}
	return true
}

func anyIn(want, have []string) bool {
	for _, h := range have {
		if slices.Contains(want, h) {
			return true
		}
	}
	return false
}

// clauseHolds reports whether any phrase of c appears in the title's or
// the body's tokens, or any of its terms among theirs.
func clauseHolds(c Clause, title, body Indexed) bool {
	for _, t := range c.Terms {
		if slices.Contains(title.Terms, t) || slices.Contains(body.Terms, t) {
			return true
		}
	}
	for _, p := range c.Any {
		if hasPhrase(title.Tokens, p) || hasPhrase(body.Tokens, p) {
			return true
		}
	}
	return false
}

func hasPhrase(toks []string, p Phrase) bool {
	if len(p) == 0 {
		return false
	}
	for i := 0; i+len(p) <= len(toks); i++ {
		if slices.Equal(toks[i:i+len(p)], p) {
			return true
		}
	}
	return false
}
