package directory

import (
	"context"
	"time"
)

// Store persists everything a node keeps: the directory's listings, what
// federation needs, accounts, drafts and logos. Changes to local co-ops and
// jobs record an Event in the same transaction (a transactional outbox), so
// that a crash can delay federating a change but never lose it.
//
// Implementations translate their driver's errors into *Error kinds: a
// missing row is KindNotFound, a unique violation KindConflict. Every
// method is safe for concurrent use, also across processes sharing one
// PostgreSQL.
type Store interface {
	ListingStore
	FederationStore
	AccountStore
	DraftStore
	LogoStore
	InteractionStore
	MailStore
	SettingStore
	SearchStore
	AlertStore
}

// ListingStore keeps the federations, co-ops and jobs a node lists, local
// and remote, and searches them.
type ListingStore interface {
	// Ping checks that the store is reachable.
	Ping(ctx context.Context) error
	Close() error

	// PutLocalFederation inserts or updates this node's federation (keyed by
	// APID) and fills in its ID.
	PutLocalFederation(ctx context.Context, f *Federation) error
	// LocalFederation returns this node's federation.
	LocalFederation(ctx context.Context) (*Federation, error)
	// UpdateLocalFederation writes the local federation's name, summary
	// and languages and records the change for its followers.
	UpdateLocalFederation(ctx context.Context, f *Federation) error
	// UpsertRemoteFederation stores a federation known from another node,
	// keyed by APID; it never overwrites the local one.
	UpsertRemoteFederation(ctx context.Context, f *Federation) error

	// CreateCoop inserts a local co-op, a member of the federation with the
	// given ID, and fills in its ID. An actor id that a deleted co-op had
	// (it has a tombstone) is refused: KindConflict, CodeHandleRetired.
	CreateCoop(ctx context.Context, c *Coop, federationID int64) error
	// UpdateCoop writes every profile field of a local co-op (not
	// Suspended) and records a coop.update event; a suspended co-op is
	// refused (KindForbidden), also when its suspension commits while the
	// caller was preparing the change.
	UpdateCoop(ctx context.Context, c *Coop) error
	// SetCoopSuspended suspends or reinstates a local co-op and records a
	// coop.update event, so that its followers hear of it.
	SetCoopSuspended(ctx context.Context, id int64, suspended bool, at time.Time) error
	// DeleteCoop removes a co-op with its jobs and memberships, leaving a
	// tombstone for each job, local or remote. For a local co-op it also
	// leaves its own tombstone and records a coop.job.delete event for
	// each job, then a coop.delete event.
	DeleteCoop(ctx context.Context, id int64, at time.Time) error
	// LocalCoop finds a local co-op by handle.
	LocalCoop(ctx context.Context, handle string) (*Coop, error)
	// CoopByAPID finds a co-op, local or remote, by actor id.
	CoopByAPID(ctx context.Context, apid string) (*Coop, error)
	// ListCoops returns a page of co-ops ordered by name.
	ListCoops(ctx context.Context, q CoopQuery) (*CoopPage, error)
	// UpsertRemoteCoop inserts or updates a co-op hosted elsewhere, keyed by
	// APID, and fills in its ID. Re-applying the same data changes nothing;
	// a local co-op is never overwritten (KindConflict).
	UpsertRemoteCoop(ctx context.Context, c *Coop) error
	// AddMember and RemoveMember change which co-ops a federation lists.
	// Both are idempotent. A change to the local federation's members
	// records a member.add or member.remove event.
	AddMember(ctx context.Context, federationAPID, coopAPID string, at time.Time) error
	RemoveMember(ctx context.Context, federationAPID, coopAPID string, at time.Time) error

	// CreateJob inserts a local job of the co-op j.Coop.ID, fills in its
	// ID and records a job.create event. UpdateJob writes every field of
	// a local job and records a job.update event. Both refuse a job of a
	// suspended co-op (KindForbidden), so that nothing of it goes out.
	CreateJob(ctx context.Context, j *Job) error
	UpdateJob(ctx context.Context, j *Job) error
	// DeleteJob removes a job, also of a suspended co-op, and leaves a
	// tombstone. For a local job it also records a job.delete event.
	DeleteJob(ctx context.Context, id int64, at time.Time) error
	// ExpireJobs closes, as DeleteJob does, every local job whose
	// ValidThrough is at or before now: each leaves a tombstone and a
	// job.delete event. It counts the jobs closed; remote jobs are left
	// to their own nodes.
	ExpireJobs(ctx context.Context, now time.Time) (int, error)
	// JobByAPID finds a job, local or remote, by object id, expired or not.
	JobByAPID(ctx context.Context, apid string) (*Job, error)
	// JobByID finds a job, local or remote, by its row id, expired or
	// not: the number in an aggregated job's address on this node.
	JobByID(ctx context.Context, id int64) (*Job, error)
	// UpsertRemoteJob inserts or updates a job hosted elsewhere, keyed by
	// APID, for the stored co-op j.Coop.APID. An update whose Updated is
	// older than the stored one is ignored; a local job is never
	// overwritten (KindConflict); a stored job never changes co-op: a row
	// naming another co-op is refused (KindForbidden) and changes nothing.
	UpsertRemoteJob(ctx context.Context, j *Job) error
	// SearchJobs returns a page of open jobs matching q.
	SearchJobs(ctx context.Context, q JobQuery) (*JobResults, error)

	// Rates returns the exchange rates in use, empty Rates when none are.
	Rates(ctx context.Context) (*Rates, error)
	// ReplaceRates puts r in place of the rates in use and, in the same
	// transaction, sets every job's monthly pay in r's base currency
	// (none for a currency r has no rate for). CreateJob, UpdateJob and
	// UpsertRemoteJob set it from the rates in use.
	ReplaceRates(ctx context.Context, r *Rates) error

	// Stats aggregates co-ops, workers and jobs open at now.
	Stats(ctx context.Context, now time.Time) (*Stats, error)
	// Version names the committed data a read sees now: two equal
	// versions mean the same data, and any committed write, by this
	// process or another sharing the database, moves it. Reads cached
	// under a version are reused only while it holds.
	Version(ctx context.Context) (string, error)

	// CreateToken stores a token by its hash and fills in its ID.
	CreateToken(ctx context.Context, t *Token) error
	// TokenByHash finds a token.
	TokenByHash(ctx context.Context, hash []byte) (*Token, error)
}
