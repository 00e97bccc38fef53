// Package storetest is the conformance suite every directory.Store must
// pass. Each store's tests call Run with a function that opens a fresh,
// empty store.
package storetest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Opener returns a new, empty, migrated store; the store is closed by the
// suite.
type Opener func(t *testing.T) directory.Store

// Clock is a settable clock for tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Start is the suite's fixed starting time.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Env is a store wired into a Service with a local federation.
type Env struct {
	Store   directory.Store
	Svc     *directory.Service
	Clock   *Clock
	Fed     *directory.Federation
	Admin   directory.Principal
	Links   directory.Links
	Context context.Context
}

// NewEnv opens a store and makes the local federation "soberaniax" on
// https://soberaniax.example.
func NewEnv(t *testing.T, open Opener) *Env {
	t.Helper()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	links, err := directory.NewLinks("https://soberaniax.example")
	if err != nil {
		t.Fatal(err)
	}
	clock := NewClock(Start)
	svc := directory.NewService(st, links, clock.Now)
	svc.SetPasswordCost(4) // bcrypt's minimum: tests hash many passwords
	ctx := t.Context()
	fed, err := svc.Init(ctx, directory.FederationSettings{Name: "SoberaniaX", Handle: "soberaniax"})
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	return &Env{Store: st, Svc: svc, Clock: clock, Fed: fed, Admin: directory.Principal{Admin: true}, Links: links, Context: ctx}
}

// Coop makes a valid local co-op with the given handle.
func (e *Env) Coop(t *testing.T, handle, country string, workers int, skills ...string) *directory.Coop {
	t.Helper()
	c, err := e.Svc.CreateCoop(e.Context, e.Admin, directory.Coop{
		Handle: handle, Name: "Coop " + handle, Country: country, Workers: workers, Skills: skills,
		Languages: []string{"es"}, Website: "https://" + handle + ".example",
	})
	if err != nil {
		t.Fatalf("create co-op %s: %v", handle, err)
	}
	return c
}

// JobSpec is what a test varies in a job.
type JobSpec struct {
	Title, Description string
	Skills, Languages  []string
	Remote, Country    string
	Currency           string
	EmploymentType     string // full time when empty
	ValidFor           time.Duration
}

// Job publishes a valid job for the local co-op, advancing the clock a
// second first so that publication times differ.
func (e *Env) Job(t *testing.T, coop string, s JobSpec) *directory.Job {
	t.Helper()
	e.Clock.Advance(time.Second)
	j := directory.Job{
		Title: s.Title, Description: s.Description, Skills: s.Skills, Languages: s.Languages,
		Remote: s.Remote, Country: s.Country, EmploymentType: cmp.Or(s.EmploymentType, directory.FullTime),
		ApplyEmail: "jobs@" + coop + ".example",
	}
	if j.Description == "" {
		j.Description = "We are hiring."
	}
	if j.Remote == "" {
		j.Remote = directory.RemoteFull
	}
	if s.Currency != "" {
		j.Salary = &directory.Salary{Min: 1000, Max: 2000, Currency: s.Currency, Period: directory.PerMonth}
	}
	if s.ValidFor != 0 {
		j.ValidThrough = e.Clock.Now().Add(s.ValidFor)
	}
	out, err := e.Svc.CreateJob(e.Context, e.Admin, coop, j)
	if err != nil {
		t.Fatalf("create job %q: %v", s.Title, err)
	}
	return out
}

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"Federation", testFederation},
		{"CoopCRUD", testCoopCRUD},
		{"RetiredHandle", testRetiredHandle},
		{"CoopList", testCoopList},
		{"RemoteCoop", testRemoteCoop},
		{"Membership", testMembership},
		{"JobCRUD", testJobCRUD},
		{"RemoteJob", testRemoteJob},
		{"RemoteJobOwner", testRemoteJobOwner},
		{"SearchText", testSearchText},
		{"WordsInMemory", testWordsInMemory},
		{"SearchFilters", testSearchFilters},
		{"SearchTerms", testSearchTerms},
		{"Facets", testFacets},
		{"Eligibility", testEligibility},
		{"Overlap", testOverlap},
		{"CoopFacts", testCoopFacts},
		{"Expiry", testExpiry},
		{"ExpireJobs", testExpireJobs},
		{"RemoteJobTombstone", testRemoteJobTombstone},
		{"SentActivities", testSentActivities},
		{"CoopDeletionJobs", testCoopDeletionJobs},
		{"RemoteClosuresTombstones", testRemoteClosuresTombstones},
		{"Relevance", testRelevance},
		{"Pagination", testPagination},
		{"PaginationConcurrentInserts", testPaginationConcurrent},
		{"Stats", testStats},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Tokens", testTokens},
		{"Keys", testKeys},
		{"RemoteActors", testRemoteActors},
		{"KeyOwner", testKeyOwner},
		{"AdditionalKeys", testAdditionalKeys},
		{"Followers", testFollowers},
		{"EventsAndTombstones", testEventsAndTombstones},
		{"Deliveries", testDeliveries},
		{"DeliveryHosts", testDeliveryHosts},
		{"CancelDelivery", testCancelDelivery},
		{"ConcurrentClaims", testConcurrentClaims},
		{"PruneSeen", testPruneSeen},
		{"Follows", testFollows},
		{"FollowChecks", testFollowChecks},
		{"FollowersOnHost", testFollowersOnHost},
		{"Blocks", testBlocks},
		{"BlockHosts", testBlockHosts},
		{"PruneRemoteJobs", testPruneRemoteJobs},
		{"Version", testVersion},
		{"Accounts", testAccounts},
		{"People", testPeople},
		{"Audit", testAudit},
		{"MailOutbox", testMailOutbox},
		{"ConcurrentMailClaims", testConcurrentMailClaims},
		{"Alerts", testAlerts},
		{"PasswordReset", testPasswordReset},
		{"Suspension", testSuspension},
		{"SuspendedWrites", testSuspendedWrites},
		{"Logo", testLogo},
		{"Drafts", testDrafts},
		{"Scripts", testScripts},
		{"UncheckedText", testUncheckedText},
		{"Rates", testRates},
		{"PaySearch", testPaySearch},
		{"PayRecompute", testPayRecompute},
		{"PayConcurrent", testPayConcurrent},
		{"Interactions", testInteractions},
		{"FollowedPosts", testFollowedPosts},
		{"Settings", testSettings},
		{"MatchAgrees", testMatchAgrees},
		{"SavedSearches", testSavedSearches},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

func mustKind(t *testing.T, err error, want directory.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", want)
	}
	if got := directory.KindOf(err); got != want {
		t.Fatalf("got %v (%v), want %v", got, err, want)
	}
}

func titles(js []directory.Job) []string {
	out := make([]string, len(js))
	for i, j := range js {
		out[i] = j.Title
	}
	return out
}

func search(t *testing.T, e *Env, q directory.JobQuery) *directory.JobResults {
	t.Helper()
	res, err := e.Svc.SearchJobs(e.Context, q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

func sortedTitles(js []directory.Job) []string {
	out := titles(js)
	slices.Sort(out)
	return out
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}
