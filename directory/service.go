package directory

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Service is the directory's use cases: it validates input, checks who may
// do what, and keeps the store consistent. Web forms, the JSON API and the
// command line all go through it.
type Service struct {
	store   Store
	links   Links
	now     func() time.Time
	changes chan struct{}
	// searches keeps recent search results by data version and query.
	searches *lru.Cache[string, *JobResults]
	stats    *lru.Cache[string, *Stats]

	log          *slog.Logger
	passwordCost int
	unknownOnce  sync.Once
	unknown      []byte
	mailer       Mailer
}

// DefaultPasswordCost is bcrypt's work factor for passwords.
const DefaultPasswordCost = 12

// SetPasswordCost sets bcrypt's work factor (4 to 31); tests lower it.
// Call it while wiring, before the service is used.
func (s *Service) SetPasswordCost(cost int) { s.passwordCost = cost }

// SetLogger sets where the service logs what it cannot otherwise report,
// such as a failed audit write. Call it while wiring.
func (s *Service) SetLogger(l *slog.Logger) {
	if l != nil {
		s.log = l
	}
}

// NewService wires a Service. now is the clock; tests pass a fixed one.
func NewService(store Store, links Links, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	searches, _ := lru.New[string, *JobResults](searchCacheSize)
	stats, _ := lru.New[string, *Stats](4)
	return &Service{store: store, links: links, now: now, changes: make(chan struct{}, 1), searches: searches, stats: stats,
		passwordCost: DefaultPasswordCost, log: slog.New(slog.DiscardHandler)}
}

// Changes signals, without blocking and coalescing bursts, that a local
// co-op or job changed; the federation worker listens so that deliveries
// go out at once rather than at its next poll.
func (s *Service) Changes() <-chan struct{} { return s.changes }

func (s *Service) changed() {
	select {
	case s.changes <- struct{}{}:
	default:
	}
}

// Links returns the node's URL minter.
func (s *Service) Links() Links { return s.links }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// DefaultValidity is how long a job stays open when no valid_through is given.
const DefaultValidity = 60 * 24 * time.Hour

// FederationSettings are the local federation's identity, from the node's
// configuration.
type FederationSettings struct {
	Name    string
	Handle  string
	Summary string
}

// Init creates or updates the local federation from the node's settings.
// An empty Name or Summary keeps what is stored (what the admin set in
// the console), or for a new node the name "Colmena".
func (s *Service) Init(ctx context.Context, fs FederationSettings) (*Federation, error) {
	stored, err := s.store.LocalFederation(ctx)
	if err != nil && KindOf(err) != KindNotFound {
		return nil, err
	}
	var languages []string
	if stored != nil && stored.APID == s.links.Federation() {
		if fs.Name == "" {
			fs.Name = stored.Name
		}
		if fs.Summary == "" {
			fs.Summary = stored.Summary
		}
		languages = stored.Languages
	}
	if fs.Name == "" {
		fs.Name = "Colmena"
	}
	if err := checkLine("name", fs.Name, MaxName, true); err != nil {
		return nil, err
	}
	if err := checkHandle("handle", fs.Handle); err != nil {
		return nil, err
	}
	if c, err := s.store.LocalCoop(ctx, fs.Handle); err == nil {
		return nil, Conflict("handle", CodeCoopHandle, fs.Handle, c.Name)
	} else if KindOf(err) != KindNotFound {
		return nil, err
	}
	now := s.clock()
	f := &Federation{
		APID:      s.links.Federation(),
		Handle:    fs.Handle,
		Host:      s.links.Host(),
		Local:     true,
		Name:      fs.Name,
		Summary:   fs.Summary,
		URL:       s.links.Federation(),
		Languages: languages,
		CreatedAt: now,
		UpdatedAt: now,
	}
	if err := s.store.PutLocalFederation(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// TokenPrefix starts every API token, so that leaked tokens are easy to spot.
const TokenPrefix = "colmena_"

// HashToken is how a token is stored: its SHA-256. Tokens carry 256 random
// bits, so a slow hash adds nothing.
func HashToken(raw string) []byte {
	h := sha256.Sum256([]byte(raw))
	return h[:]
}

// CreateToken makes an API token: a node-admin token when coopHandle is
// empty, else one that acts for that local co-op. It returns the token
// itself, which is shown once and never stored.
func (s *Service) CreateToken(ctx context.Context, coopHandle, label string) (string, error) {
	return s.createToken(ctx, coopHandle, label, 0)
}

// createToken is CreateToken recording who made the token: userID, or 0
// for the command line.
func (s *Service) createToken(ctx context.Context, coopHandle, label string, userID int64) (string, error) {
	t := &Token{Label: label, CreatedAt: s.clock(), UserID: userID}
	if coopHandle != "" {
		c, err := s.store.LocalCoop(ctx, coopHandle)
		if err != nil {
			if KindOf(err) == KindNotFound {
				return "", NotFoundf("no local co-op has the handle %q", coopHandle)
			}
			return "", err
		}
		t.CoopID = c.ID
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", Internal("making a token", err)
	}
	raw := TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t.Hash = HashToken(raw)
	if err := s.store.CreateToken(ctx, t); err != nil {
		return "", err
	}
	return raw, nil
}

// Authenticate turns a bearer token into the principal it stands for.
func (s *Service) Authenticate(ctx context.Context, raw string) (Principal, error) {
	if !strings.HasPrefix(raw, TokenPrefix) || len(raw) > 200 {
		return Principal{}, Unauthorizedf("the API token is not valid")
	}
	h := HashToken(raw)
	t, err := s.store.TokenByHash(ctx, h)
	if err != nil {
		if KindOf(err) == KindNotFound {
			return Principal{}, Unauthorizedf("the API token is not valid")
		}
		return Principal{}, err
	}
	if subtle.ConstantTimeCompare(t.Hash, h) != 1 {
		return Principal{}, Unauthorizedf("the API token is not valid")
	}
	if err := s.tokenHolder(ctx, t); err != nil {
		return Principal{}, err
	}
	return Principal{Admin: t.CoopID == 0, CoopID: t.CoopID, TokenID: t.ID}, nil
}

func requireAdmin(p Principal) error { return p.CheckAdmin() }

func requireCoop(p Principal, c *Coop) error {
	if p.Admin || (p.CoopID != 0 && p.CoopID == c.ID) {
		return nil
	}
	return Forbiddenf("this token may act only for its own co-op")
}

// CreateCoop adds a local co-op, a member of the local federation. The
// handle of a deleted co-op is never used again (CodeHandleRetired), as
// Mastodon keeps a deleted account's name.
func (s *Service) CreateCoop(ctx context.Context, p Principal, c Coop) (*Coop, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	now := s.clock()
	if err := ValidateCoop(&c, now); err != nil {
		return nil, err
	}
	fed, err := s.store.LocalFederation(ctx)
	if err != nil {
		return nil, err
	}
	if c.Handle == fed.Handle {
		return nil, Conflict("handle", CodeFederationHandle, c.Handle)
	}
	c.ID = 0
	c.APID = s.links.Coop(c.Handle)
	c.URL = c.APID
	c.Host = s.links.Host()
	c.Local = true
	c.CreatedAt, c.UpdatedAt = now, now
	if err := s.store.CreateCoop(ctx, &c, fed.ID); err != nil {
		// A coded conflict (a retired handle) says why already.
		var de *Error
		if errors.As(err, &de) && de.Kind == KindConflict && de.Code == "" {
			return nil, Conflict("handle", CodeTaken, c.Handle)
		}
		return nil, err
	}
	s.changed()
	s.Audit(ctx, p, "coop.create", c.Handle, c.Name)
	return s.store.CoopByAPID(ctx, c.APID)
}

// Coop returns a local co-op by handle.
func (s *Service) Coop(ctx context.Context, handle string) (*Coop, error) {
	c, err := s.store.LocalCoop(ctx, handle)
	if KindOf(err) == KindNotFound {
		return nil, NotFoundf("no co-op has the handle %q here", handle)
	}
	return c, err
}

// UpdateFederation changes the node's federation profile: its name,
// summary and languages; followers get an Update. Admin only.
func (s *Service) UpdateFederation(ctx context.Context, p Principal, name, summary string, languages []string) (*Federation, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	f, err := s.store.LocalFederation(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkLine("name", name, MaxName, true); err != nil {
		return nil, err
	}
	if err := checkText("summary", summary, MaxSummary, false); err != nil {
		return nil, err
	}
	if languages, err = NormalizeLanguages("languages", languages); err != nil {
		return nil, err
	}
	f.Name, f.Summary, f.Languages, f.UpdatedAt = name, summary, languages, s.clock()
	if err := s.store.UpdateLocalFederation(ctx, f); err != nil {
		return nil, err
	}
	s.changed()
	s.Audit(ctx, p, "federation.update", f.Handle, f.Name)
	return f, nil
}

// ManagedCoop returns a local co-op p may act for: its members and the
// admin, while it is not suspended.
func (s *Service) ManagedCoop(ctx context.Context, p Principal, handle string) (*Coop, error) {
	c, err := s.Coop(ctx, handle)
	if err != nil {
		return nil, err
	}
	if err := requireCoop(p, c); err != nil {
		return nil, err
	}
	if err := checkActive(c); err != nil {
		return nil, err
	}
	return c, nil
}

// checkActive refuses to act for a suspended co-op: until the admin
// reinstates it, nothing of it changes or goes out to its followers,
// except that the admin may close its openings or delete it.
func checkActive(c *Coop) error {
	if c.Suspended {
		return Refused("", CodeSuspendedCoop, c.Handle)
	}
	return nil
}

// SetSuspended suspends a local co-op, or reinstates it: suspended, it
// and its jobs leave listings, search and statistics here and, through an
// Update of its actor, on the nodes that aggregate it; its members and
// the admin can no longer change it (ManagedCoop). Admin only.
func (s *Service) SetSuspended(ctx context.Context, p Principal, handle string, suspended bool) (*Coop, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	c, err := s.Coop(ctx, handle)
	if err != nil {
		return nil, err
	}
	c.Suspended = suspended
	c.UpdatedAt = s.clock()
	if err := s.store.SetCoopSuspended(ctx, c.ID, suspended, c.UpdatedAt); err != nil {
		return nil, err
	}
	s.changed()
	action := "coop.reinstate"
	if suspended {
		action = "coop.suspend"
	}
	s.Audit(ctx, p, action, c.Handle, "")
	return c, nil
}

// FindCoop returns a co-op to show: a local one by handle, or any known
// one by handle@host. Only Coop finds co-ops to change.
func (s *Service) FindCoop(ctx context.Context, ref string) (*Coop, error) {
	h, host, ok := strings.Cut(ref, "@")
	if !ok || host == s.links.Host() {
		return s.Coop(ctx, h)
	}
	page, err := s.store.ListCoops(ctx, CoopQuery{Accounts: []string{ref}, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Items) == 0 {
		return nil, NotFoundf("no co-op %q is known here", ref)
	}
	return &page.Items[0], nil
}

// PublicCoop is FindCoop for pages anyone reads: a suspended co-op is not
// found.
func (s *Service) PublicCoop(ctx context.Context, ref string) (*Coop, error) {
	c, err := s.FindCoop(ctx, ref)
	if err == nil && c.Suspended {
		return nil, NotFoundf("no co-op %q is listed here", ref)
	}
	return c, err
}

// ListCoops returns a page of co-ops, local and aggregated.
func (s *Service) ListCoops(ctx context.Context, q CoopQuery) (*CoopPage, error) {
	q.Limit = clampLimit(q.Limit)
	q.Skills = CanonicalTags(q.Skills)
	return s.store.ListCoops(ctx, q)
}

// CoopPatch holds the profile fields to change; nil ones stay as they are.
type CoopPatch struct {
	Name, Summary, Country, City *string
	Founded, Workers             *int
	Website, Email, Governance   *string
	Languages, Skills            *[]string
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// UpdateCoop changes a local co-op's profile.
func (s *Service) UpdateCoop(ctx context.Context, p Principal, handle string, patch CoopPatch) (*Coop, error) {
	c, err := s.ManagedCoop(ctx, p, handle)
	if err != nil {
		return nil, err
	}
	setIf(&c.Name, patch.Name)
	setIf(&c.Summary, patch.Summary)
	setIf(&c.Country, patch.Country)
	setIf(&c.City, patch.City)
	setIf(&c.Founded, patch.Founded)
	setIf(&c.Workers, patch.Workers)
	setIf(&c.Website, patch.Website)
	setIf(&c.Email, patch.Email)
	setIf(&c.Governance, patch.Governance)
	setIf(&c.Languages, patch.Languages)
	setIf(&c.Skills, patch.Skills)
	now := s.clock()
	if err := ValidateCoop(c, now); err != nil {
		return nil, err
	}
	c.UpdatedAt = now
	if err := s.store.UpdateCoop(ctx, c); err != nil {
		return nil, err
	}
	s.changed()
	s.Audit(ctx, p, "coop.update", c.Handle, "")
	return s.store.CoopByAPID(ctx, c.APID)
}

// DeleteCoop removes a local co-op with its jobs. Only the admin may.
func (s *Service) DeleteCoop(ctx context.Context, p Principal, handle string) error {
	if err := requireAdmin(p); err != nil {
		return err
	}
	c, err := s.Coop(ctx, handle)
	if err != nil {
		return err
	}
	if err := s.store.DeleteCoop(ctx, c.ID, s.clock()); err != nil {
		return err
	}
	s.changed()
	s.Audit(ctx, p, "coop.delete", c.Handle, "")
	return nil
}

func newJobKey() (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", Internal("making a job id", err)
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

// CreateJob publishes a job of a local co-op.
func (s *Service) CreateJob(ctx context.Context, p Principal, coopHandle string, j Job) (*Job, error) {
	c, err := s.ManagedCoop(ctx, p, coopHandle)
	if err != nil {
		return nil, err
	}
	if err := ValidateJob(&j); err != nil {
		return nil, err
	}
	now := s.clock()
	if j.ValidThrough.IsZero() {
		j.ValidThrough = now.Add(DefaultValidity)
	}
	j.ValidThrough = j.ValidThrough.UTC().Truncate(time.Microsecond)
	if !j.ValidThrough.After(now) {
		return nil, Invalid("valid_through", CodeFuture)
	}
	key, err := newJobKey()
	if err != nil {
		return nil, err
	}
	j.ID = 0
	j.APID = s.links.Job(key)
	j.Local = true
	j.Coop = CoopRef{ID: c.ID, APID: c.APID, Handle: c.Handle, Host: c.Host, Name: c.Name}
	j.Published, j.Updated = now, now
	if err := s.store.CreateJob(ctx, &j); err != nil {
		return nil, err
	}
	s.changed()
	s.Audit(ctx, p, "job.publish", j.APID, j.Title)
	return s.store.JobByAPID(ctx, j.APID)
}

// JobID turns what a URL path names, a local job's key or a whole
// (escaped) id, into the job's id.
func (s *Service) JobID(ref string) string {
	if strings.Contains(ref, "://") {
		return ref
	}
	return s.links.Job(ref)
}

// Job returns a job, local or aggregated, by key or id.
func (s *Service) Job(ctx context.Context, ref string) (*Job, error) {
	j, err := s.store.JobByAPID(ctx, s.JobID(ref))
	if KindOf(err) == KindNotFound {
		return nil, NotFoundf("no job has the id %q here", ref)
	}
	return j, err
}

// JobByID returns a job, local or aggregated, by its row id.
func (s *Service) JobByID(ctx context.Context, id int64) (*Job, error) {
	j, err := s.store.JobByID(ctx, id)
	if KindOf(err) == KindNotFound {
		return nil, NotFoundf("no job has the number %d here", id)
	}
	return j, err
}

// JobPatch holds the job fields to change; nil ones stay as they are.
// SetSalary with a nil Salary removes the salary.
type JobPatch struct {
	Title, Description, Remote, Country, City, EmploymentType *string
	Skills, Languages                                         *[]string
	SetSalary                                                 bool
	Salary                                                    *Salary
	ApplyURL, ApplyEmail                                      *string
	ValidThrough                                              *time.Time
	// Eligible, when set, replaces the remote job's eligibility. A job
	// made hybrid or onsite without it loses its eligibility.
	Eligible *[]string
	// Set* with a nil value removes the fact.
	SetHours             bool
	Hours                *Hours
	HoursPerWeek         *int
	Seniority, Decisions *string
	SetMembership        bool
	Membership           *Membership
	SetPayPolicy         bool
	PayPolicy            *PayPolicy
}

func (s *Service) localJob(ctx context.Context, p Principal, ref string) (*Job, error) {
	j, err := s.Job(ctx, ref)
	if err != nil {
		return nil, err
	}
	if !j.Local {
		return nil, Forbiddenf("this job is hosted on another node; only its own node can change it")
	}
	if !p.Admin && p.CoopID != j.Coop.ID {
		return nil, Forbiddenf("this token may act only for its own co-op")
	}
	return j, nil
}

// UpdateJob edits a local job of a co-op that is not suspended.
func (s *Service) UpdateJob(ctx context.Context, p Principal, ref string, patch JobPatch) (*Job, error) {
	j, err := s.localJob(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	if _, err := s.ManagedCoop(ctx, p, j.Coop.Handle); err != nil {
		return nil, err
	}
	setIf(&j.Title, patch.Title)
	setIf(&j.Description, patch.Description)
	setIf(&j.Remote, patch.Remote)
	setIf(&j.Country, patch.Country)
	setIf(&j.City, patch.City)
	setIf(&j.EmploymentType, patch.EmploymentType)
	setIf(&j.Skills, patch.Skills)
	setIf(&j.Languages, patch.Languages)
	setIf(&j.ApplyURL, patch.ApplyURL)
	setIf(&j.ApplyEmail, patch.ApplyEmail)
	if patch.SetSalary {
		j.Salary = patch.Salary
	}
	setIf(&j.Eligible, patch.Eligible)
	if patch.Remote != nil && *patch.Remote != RemoteFull && patch.Eligible == nil {
		j.Eligible = nil
	}
	if patch.SetHours {
		j.Hours = patch.Hours
	}
	setIf(&j.HoursPerWeek, patch.HoursPerWeek)
	setIf(&j.Seniority, patch.Seniority)
	setIf(&j.Decisions, patch.Decisions)
	if patch.SetMembership {
		j.Membership = patch.Membership
	}
	if patch.SetPayPolicy {
		j.PayPolicy = patch.PayPolicy
	}
	if err := ValidateJob(j); err != nil {
		return nil, err
	}
	now := s.clock()
	if patch.ValidThrough != nil {
		vt := patch.ValidThrough.UTC().Truncate(time.Microsecond)
		if !vt.After(now) {
			return nil, Invalid("valid_through", CodeFutureOrDelete)
		}
		j.ValidThrough = vt
	}
	j.Updated = now
	if err := s.store.UpdateJob(ctx, j); err != nil {
		return nil, err
	}
	s.changed()
	s.Audit(ctx, p, "job.update", j.APID, j.Title)
	return s.store.JobByAPID(ctx, j.APID)
}

// DeleteJob closes and removes a local job. A suspended co-op's openings
// are closed by the admin only: closing takes them off the nodes that
// aggregate them, and is the one change its followers still hear of.
func (s *Service) DeleteJob(ctx context.Context, p Principal, ref string) error {
	j, err := s.localJob(ctx, p, ref)
	if err != nil {
		return err
	}
	if !p.Admin {
		if _, err := s.ManagedCoop(ctx, p, j.Coop.Handle); err != nil {
			return err
		}
	}
	if err := s.store.DeleteJob(ctx, j.ID, s.clock()); err != nil {
		return err
	}
	s.changed()
	s.Audit(ctx, p, "job.close", j.APID, j.Title)
	return nil
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// SearchJobs finds open jobs, local and aggregated. A skill filter
// names a skill by any of its names ("golang" is "go").
func (s *Service) SearchJobs(ctx context.Context, q JobQuery) (*JobResults, error) {
	q.Limit = clampLimit(q.Limit)
	if err := s.prepareSearch(ctx, &q); err != nil {
		return nil, err
	}
	key, err := s.searchKey(ctx, q)
	if err != nil {
		return nil, err
	}
	if res, ok := s.searches.Get(key); ok {
		return res, nil
	}
	res, err := s.store.SearchJobs(ctx, q)
	if err != nil {
		return nil, err
	}
	s.searches.Add(key, res)
	return res, nil
}

// prepareSearch checks a search and fills in what stores compare: the
// time, canonical skills, the seeker's place, the order and the pay
// floor in every currency.
func (s *Service) prepareSearch(ctx context.Context, q *JobQuery) error {
	return prepareQuery(q, s.clock(), func() (*Rates, error) { return s.store.Rates(ctx) })
}

// prepareQuery is prepareSearch at now, with rates read only when the
// search has a pay floor.
func prepareQuery(q *JobQuery, now time.Time, readRates func() (*Rates, error)) error {
	q.Now = now
	q.Skills = CanonicalTags(q.Skills)
	if q.PostedWithin > 0 {
		q.PostedSince = q.Now.Add(-q.PostedWithin)
	}
	if err := checkSeeker(q); err != nil {
		return err
	}
	switch q.Sort {
	case "":
		q.Sort = SortNewest
		if len(q.Text.Positive()) > 0 {
			q.Sort = SortRelevance
		}
	case SortNewest, SortRelevance, SortSalary:
	default:
		return Invalid("sort", CodeSort, q.Sort)
	}
	if q.Pay != nil {
		f := *q.Pay
		if err := CheckPayFloor(&f); err != nil {
			return err
		}
		rates, err := readRates()
		if err != nil {
			return err
		}
		f.resolve(rates)
		q.Pay = &f
	}
	return nil
}

// checkSeeker checks and normalises what a search says of the seeker.
func checkSeeker(q *JobQuery) error {
	var err error
	if q.LiveIn, err = NormalizeCountry("live_in", q.LiveIn, false); err != nil {
		return err
	}
	q.City = strings.TrimSpace(q.City)
	if q.City != "" && q.LiveIn == "" {
		return Invalid("city", CodeCityLiveIn)
	}
	if err := checkText("city", q.City, MaxCity, false); err != nil {
		return err
	}
	if q.Zone != "" {
		loc, err := LoadZone("tz", q.Zone)
		if err != nil {
			return err
		}
		q.Zone = loc.String()
	}
	if q.Overlap < 0 || q.Overlap > 24 {
		return Invalid("overlap", CodeOverlap, strconv.Itoa(q.Overlap))
	}
	if q.Overlap > 0 && q.Zone == "" {
		return Invalid("overlap", CodeOverlapZone)
	}
	if q.DayEnd == 0 && q.DayStart == 0 {
		q.DayStart, q.DayEnd = DefaultDayStart, DefaultDayEnd
	}
	if q.DayStart < 0 || q.DayStart >= dayMinutes {
		return Invalid("day_start", CodeClock, Clock(max(q.DayStart, 0)))
	}
	if q.DayEnd <= q.DayStart || q.DayEnd > dayMinutes {
		return Invalid("day_end", CodeWorkingDay)
	}
	for _, s := range q.Seniority {
		if !oneOf(s, SeniorityLevels()) {
			return Invalid("seniority", CodeSeniority, Clip(s, 40))
		}
	}
	return nil
}

// searchCacheSize is how many recent searches are kept.
const searchCacheSize = 512

// searchKey names a search's results: the store's data version, the query,
// and the current minute, so that jobs leave results within a minute of
// expiring. The same key always means the same answer, whichever replica
// computed it. The results it finds are shared: callers only read them.
func (s *Service) searchKey(ctx context.Context, q JobQuery) (string, error) {
	v, err := s.store.Version(ctx)
	if err != nil {
		return "", err
	}
	q.Now = q.Now.Truncate(time.Minute)
	if q.PostedWithin > 0 {
		q.PostedSince = time.Time{}
	}
	b, err := json.Marshal(q)
	if err != nil {
		return "", err
	}
	return v + "\x00" + string(b), nil
}

// Stats aggregates the directory.
func (s *Service) Stats(ctx context.Context) (*Stats, error) {
	now := s.clock()
	v, err := s.store.Version(ctx)
	if err != nil {
		return nil, err
	}
	key := v + "\x00" + now.Truncate(time.Minute).String()
	if st, ok := s.stats.Get(key); ok {
		return st, nil
	}
	st, err := s.store.Stats(ctx, now)
	if err != nil {
		return nil, err
	}
	s.stats.Add(key, st)
	return st, nil
}
