// Package directory is Colmena's domain: federations of tech worker
// co-operatives, their co-ops and job openings, search over them and the
// statistics a federation quotes. It defines the Store that adapters
// implement and imports nothing else of Colmena.
package directory

import "time"

// Federation is a federation of co-ops. Exactly one is local: the identity
// of this node. Others are known from the nodes this one aggregates.
type Federation struct {
	ID        int64
	APID      string // ActivityPub actor id
	Handle    string
	Host      string
	Local     bool
	Name      string
	Summary   string
	URL       string
	Languages []string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FederationRef names a federation a co-op belongs to.
type FederationRef struct {
	APID   string
	Handle string
	Name   string
}

// Coop is a worker co-operative's profile. Local co-ops are hosted here;
// remote ones were aggregated from other nodes and are keyed by APID.
type Coop struct {
	ID          int64
	APID        string
	Handle      string
	Host        string
	Local       bool
	Name        string
	Summary     string
	Country     string // ISO 3166-1 alpha-2
	City        string
	Founded     int // year, 0 when unknown
	Workers     int
	Website     string
	Email       string
	Languages   []string // BCP 47
	Skills      []string // lower-case tags
	Governance  string
	URL         string
	Federations []FederationRef
	// Suspended co-ops leave listings, search and statistics, here and on
	// the nodes that aggregate them, until reinstated.
	Suspended bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Acct is the co-op's fediverse address without the leading @.
func (c *Coop) Acct() string { return c.Handle + "@" + c.Host }

// CoopRef is the part of a co-op a job listing shows.
type CoopRef struct {
	ID     int64
	APID   string
	Handle string
	Host   string
	Name   string
}

// Remote modes of a job.
const (
	RemoteFull   = "remote"
	RemoteHybrid = "hybrid"
	RemoteOnsite = "onsite"
)

// Employment types of a job.
const (
	FullTime   = "full_time"
	PartTime   = "part_time"
	Contract   = "contract"
	Internship = "internship"
)

// Salary periods.
const (
	PerHour  = "hour"
	PerMonth = "month"
	PerYear  = "year"
)

// Salary is a pay range in whole units of an ISO 4217 currency.
type Salary struct {
	Min      int64
	Max      int64
	Currency string
	Period   string
}

// Job is a job opening of a co-op.
type Job struct {
	ID             int64
	APID           string // the object id; also its page
	Local          bool
	Coop           CoopRef
	Title          string
	Description    string // Markdown
	Skills         []string
	Remote         string
	Country        string
	City           string
	EmploymentType string
	Salary         *Salary
	Languages      []string
	ApplyURL       string
	ApplyEmail     string
	ValidThrough   time.Time // zero when open-ended (remote jobs only)
	Published      time.Time
	Updated        time.Time
	Federations    []FederationRef
	// Eligible says where applicants to a remote job may work from:
	// country codes (see EligibleCode), region codes, or just Anywhere.
	// Hybrid and onsite jobs leave it empty: Country and City place them.
	Eligible []string
	// Hours, when set, is the window of working hours the job needs.
	Hours *Hours
	// The co-op facts; see facts.go. Zero values are not stated.
	HoursPerWeek int
	Seniority    string
	Membership   *Membership
	PayPolicy    *PayPolicy
	Decisions    string
}

// Open reports whether the job is still taking applications at now.
func (j *Job) Open(now time.Time) bool {
	return j.ValidThrough.IsZero() || j.ValidThrough.After(now)
}

// Principal is who makes a request: the node's admin, or a co-op's member
// acting for it.
type Principal struct {
	Admin  bool
	CoopID int64
	// UserID is the logged-in person, 0 for an API token or the command
	// line.
	UserID int64
	// TokenID is the API token the request came with, 0 otherwise.
	TokenID int64
}

// CheckAdmin refuses anyone but the node's admin.
func (p Principal) CheckAdmin() error {
	if !p.Admin {
		return Forbiddenf("only the node's admin may do this")
	}
	return nil
}

// Token is an API bearer token. Only its hash is stored.
type Token struct {
	ID     int64
	Hash   []byte
	CoopID int64 // 0 for a node-admin token
	// UserID is the person who made the token, 0 for one made on the
	// command line. A person's token works only while their account is
	// usable and holds the role the token acts for.
	UserID    int64
	Label     string
	CreatedAt time.Time
}
