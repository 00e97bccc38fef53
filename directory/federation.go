package directory

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// What a node keeps to take part in ActivityPub. The directory does not
// interpret these records; the federation package does. They live here so
// that both stores implement them beside the directory's own tables.

// Key is an actor's RSA key pair, PEM-encoded.
type Key struct {
	ActorAPID  string
	PrivatePEM string
	PublicPEM  string
	CreatedAt  time.Time
}

// RemoteActor is an actor of another server, as last fetched.
type RemoteActor struct {
	APID        string
	Type        string
	Username    string
	Host        string
	Name        string
	Inbox       string
	SharedInbox string
	KeyID       string
	PublicPEM   string
	// Keys are the keys the actor publishes beside its main one (FEP-521a
	// assertionMethod Multikey entries); a key id belongs to one actor.
	Keys     []RemoteKey
	Document []byte
	// ETag is the validator the actor's server gave, for conditional GETs.
	ETag      string
	FetchedAt time.Time
}

// RemoteKey is a key a remote actor publishes beside its main one.
type RemoteKey struct {
	ID string
	// Type names the algorithm: KeyEd25519.
	Type string
	// Public is the key as published: a multibase publicKeyMultibase.
	Public string
}

// KeyEd25519 is the type of an Ed25519 key.
const KeyEd25519 = "ed25519"

// Key finds one of the actor's additional keys by id.
func (a *RemoteActor) Key(id string) *RemoteKey {
	for i := range a.Keys {
		if a.Keys[i].ID == id {
			return &a.Keys[i]
		}
	}
	return nil
}

// DeliveryInbox is where activities for this actor go: its shared inbox
// when it has one.
func (a *RemoteActor) DeliveryInbox() string {
	if a.SharedInbox != "" {
		return a.SharedInbox
	}
	return a.Inbox
}

// Follower is a remote actor following a local one.
type Follower struct {
	ActorAPID    string // the local actor followed
	FollowerAPID string
	Inbox        string // where to deliver: shared inbox or inbox
	FollowID     string // the Follow activity's id
	CreatedAt    time.Time
}

// BlockImpact is what a block of a domain purges: the co-ops from it
// (and their jobs), and the followers and follows of actors there.
type BlockImpact struct {
	Domain                          string
	Coops, Jobs, Followers, Follows int
}

// Event kinds written by the stores in the same transaction as the change.
const (
	EventCoopCreate = "coop.create"
	EventCoopUpdate = "coop.update"
	EventCoopDelete = "coop.delete"
	EventJobCreate  = "job.create"
	EventJobUpdate  = "job.update"
	EventJobDelete  = "job.delete"
	// Membership changes of the local federation; ActorID is the
	// federation, ObjectID the co-op.
	EventMemberAdd    = "member.add"
	EventMemberRemove = "member.remove"
	// The local federation's own profile changed; ObjectID is its actor.
	EventFederationUpdate = "federation.update"
	// A job closed because its local co-op was deleted (ActorID): besides
	// the job's Delete, the federation withdraws its Announce of it.
	EventCoopJobDelete = "coop.job.delete"
)

// Event is a local change that other servers must hear about.
type Event struct {
	ID        int64
	Kind      string
	ObjectID  string // the job or co-op id
	ActorID   string // the co-op that did it
	CreatedAt time.Time
}

// Delivery states.
const (
	DeliveryPending = "pending"
	DeliveryFailed  = "failed"
)

// Delivery is a signed POST of one activity to one inbox.
type Delivery struct {
	ID    int64
	Inbox string
	// Host is the inbox's host and port, lower-cased: the worker limits
	// and claims deliveries per host. Stores set it from Inbox.
	Host          string
	Signer        string // the local actor whose key signs it
	ActivityID    string
	Body          []byte
	State         string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// InboxHost is the host a delivery to inbox goes to, as Delivery.Host
// holds it: the URL's host and port, lower-cased; empty when inbox is not
// a URL with a host.
func InboxHost(inbox string) string {
	u, err := url.Parse(inbox)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// Tombstone records a deleted local object or actor.
type Tombstone struct {
	APID      string
	Type      string
	DeletedAt time.Time
}

// SentActivity is an activity this node sent, as its id answers a GET.
type SentActivity struct {
	APID      string
	Body      []byte
	CreatedAt time.Time
	// GoneAt is when the activity was taken back (a Follow undone); zero
	// while it stands.
	GoneAt time.Time
}

// Follow states.
const (
	FollowPending  = "pending"
	FollowAccepted = "accepted"
	FollowRejected = "rejected"
)

// Follow is this node's instance actor following an actor elsewhere: a
// federation, or a co-op (Via names the federation whose membership made
// the node follow it, empty when the admin asked).
type Follow struct {
	ID        int64
	Target    string // the followed actor's id
	FollowID  string // our Follow activity's id
	State     string
	Via       string
	CreatedAt time.Time
	UpdatedAt time.Time
	// BackfilledAt is zero until the followed actor's existing co-ops and
	// jobs were imported.
	BackfilledAt time.Time
	// AcceptedKey is the followed actor's public key (PEM) when it
	// accepted; empty until then, or for a follow accepted before keys
	// were recorded (the next check records the one it finds).
	AcceptedKey string
	// CheckedAt is when the periodic check last looked at the follow.
	CheckedAt time.Time
	// BrokenReason says why the check found the follow broken (one of
	// the FollowBroken codes), empty when it is not; BrokenSince is when
	// it first found so. A renewed or accepted follow is not broken.
	BrokenReason string
	BrokenSince  time.Time
}

// Why a follow is broken: the followed actor's key is not the one it
// accepted with (its node was set up afresh), it answers 410 Gone or
// 404 Not Found, or its node no longer counts this node as a follower.
const (
	FollowKeyChanged  = "key_changed"
	FollowGone        = "gone"
	FollowNotFound    = "not_found"
	FollowNotFollower = "not_follower"
)

// Broken reports whether the check found the follow broken.
func (f *Follow) Broken() bool { return f.BrokenReason != "" }

// CoopFollow is an actor a local co-op follows.
type CoopFollow struct {
	ID        int64
	CoopID    int64
	Target    string // the followed actor's id
	FollowID  string
	State     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FederationStore keeps what federation needs. Every method is safe for
// concurrent use, also across processes sharing one PostgreSQL.
type FederationStore interface {
	// Key returns an actor's key; KindNotFound when it has none yet.
	Key(ctx context.Context, actorAPID string) (*Key, error)
	// AddKey stores k unless the actor already has a key, and returns the
	// key that is stored either way.
	AddKey(ctx context.Context, k *Key) (*Key, error)

	// PutRemoteActor stores or replaces a remote actor. A key id belongs
	// to one actor, the first stored with it: storing another actor with
	// that key id is refused (KindForbidden). Its text fields arrive
	// unchecked from another server: they are stored as Storable makes
	// them (no NUL, valid UTF-8).
	PutRemoteActor(ctx context.Context, a *RemoteActor) error
	RemoteActor(ctx context.Context, apid string) (*RemoteActor, error)
	// RemoteActorByKeyID finds the actor owning a key id.
	RemoteActorByKeyID(ctx context.Context, keyID string) (*RemoteActor, error)

	// AddFollower records a follow and, in the same transaction, queues
	// the Accept that answers it. Following twice keeps one row.
	AddFollower(ctx context.Context, f *Follower, accept *Delivery) error
	// RemoveFollower ends a follow; removing a missing one is not an error.
	RemoveFollower(ctx context.Context, actorAPID, followerAPID string) error
	// RemoveFollowByID ends the follow a Follow activity made.
	RemoveFollowByID(ctx context.Context, followerAPID, followID string) error
	// RemoveFollowerEverywhere ends every follow of a remote actor, as when
	// it is deleted.
	RemoveFollowerEverywhere(ctx context.Context, followerAPID string) error
	// Followers pages an actor's followers by follower id.
	Followers(ctx context.Context, actorAPID, after string, limit int) ([]Follower, error)
	CountFollowers(ctx context.Context, actorAPID string) (int, error)
	// FollowerInboxes returns the distinct delivery inboxes of the
	// followers of any of the actors.
	FollowerInboxes(ctx context.Context, actorAPIDs []string) ([]string, error)

	// MarkSeen records an incoming activity id; it reports false when the
	// id was seen before.
	MarkSeen(ctx context.Context, activityID string, at time.Time) (bool, error)
	// ApplyRemoteJob is MarkSeen and UpsertRemoteJob in one transaction:
	// an id seen before changes nothing and reports false; when the job
	// cannot be stored, the id is not recorded either.
	ApplyRemoteJob(ctx context.Context, activityID string, at time.Time, j *Job) (bool, error)
	// ForgetSeen undoes MarkSeen, when applying the activity failed, so
	// that the sender's retry is applied.
	ForgetSeen(ctx context.Context, activityID string) error
	// PruneSeen forgets the activity ids marked seen before the given
	// time, so that what the inbox remembers stays bounded; it returns
	// how many it forgot.
	PruneSeen(ctx context.Context, before time.Time) (int, error)

	// PendingEvents returns the oldest unprocessed events.
	PendingEvents(ctx context.Context, limit int) ([]Event, error)
	// CompleteEvent queues the event's deliveries and removes it, in one
	// transaction.
	CompleteEvent(ctx context.Context, eventID int64, deliveries []Delivery) error

	// EnqueueDeliveries queues deliveries outside any event.
	EnqueueDeliveries(ctx context.Context, ds []Delivery) error
	// DueDeliveryHosts returns up to limit hosts that have pending
	// deliveries due at now, the host whose oldest due delivery has waited
	// longest first.
	DueDeliveryHosts(ctx context.Context, now time.Time, limit int) ([]string, error)
	// ClaimDeliveries takes up to limit pending deliveries to host due at
	// now, oldest first, and hides them from other claimers until
	// now+lease: a claimer that dies leaves them to be claimed again then.
	// Claimers side by side, in one process or several, never take the
	// same delivery in one lease.
	ClaimDeliveries(ctx context.Context, host string, now time.Time, lease time.Duration, limit int) ([]Delivery, error)
	// DeliveryDone removes a delivered one.
	DeliveryDone(ctx context.Context, id int64) error
	// DeliveryRetry records a failed attempt and when to try again.
	// DeliveryRetry and DeliveryDead keep lastError as Storable text.
	DeliveryRetry(ctx context.Context, id int64, attempts int, next time.Time, lastError string, now time.Time) error
	// ReviveDelivery puts a failed delivery back in the queue, due at now,
	// with its attempts counted afresh; KindNotFound unless it failed.
	ReviveDelivery(ctx context.Context, id int64, now time.Time) error
	// DeliveryDead gives up on a delivery, keeping it for the admin to see.
	DeliveryDead(ctx context.Context, id int64, attempts int, lastError string, now time.Time) error
	// CancelDelivery removes the deliveries of an activity that were never
	// sent: those pending, never attempted and due by now (a worker's
	// claim pushes a delivery's next attempt past now), and those
	// dead-lettered. It reports whether it removed any; one held by a
	// worker or tried already and waiting for a retry is left to go out.
	CancelDelivery(ctx context.Context, activityID string, now time.Time) (bool, error)
	// Deliveries lists deliveries in a state, newest first.
	Deliveries(ctx context.Context, state string, limit int) ([]Delivery, error)

	// Tombstone returns the record of a deleted local id.
	Tombstone(ctx context.Context, apid string) (*Tombstone, error)

	// Every method that queues deliveries (AddFollower, CompleteEvent,
	// EnqueueDeliveries, AddFollow, AddCoopFollow, DeleteFollow,
	// DeleteCoopFollow) also records, in the same transaction, each
	// distinct activity they carry (id and body; the first body kept).
	// DeleteFollow and DeleteCoopFollow mark the follow's Follow gone.

	// SentActivity returns an activity this node sent, by id.
	SentActivity(ctx context.Context, apid string) (*SentActivity, error)
	// PruneActivities forgets the sent activities recorded before the
	// given time, except Follows of follows still in force; it returns
	// how many it forgot.
	PruneActivities(ctx context.Context, before time.Time) (int, error)

	// AddFollow records a follow of f.Target and, in the same transaction,
	// queues the Follow activity; following a target again returns the
	// existing row (KindConflict).
	AddFollow(ctx context.Context, f *Follow, follow *Delivery) error
	// AddCoopFollow records that a local co-op follows an actor and queues
	// the Follow, in one transaction; KindConflict if it follows already.
	AddCoopFollow(ctx context.Context, f *CoopFollow, follow *Delivery) error
	// CoopFollowByActivity finds a co-op's follow by its Follow's id.
	CoopFollowByActivity(ctx context.Context, followID string) (*CoopFollow, error)
	SetCoopFollowState(ctx context.Context, id int64, state string, at time.Time) error
	// CoopFollows lists what a co-op follows, newest first.
	CoopFollows(ctx context.Context, coopID int64) ([]CoopFollow, error)
	// DeleteCoopFollow ends a co-op's follow and queues its Undo.
	DeleteCoopFollow(ctx context.Context, coopID, id int64, undo *Delivery) (*CoopFollow, error)
	// FollowByActivity finds a follow by the id of its Follow activity.
	FollowByActivity(ctx context.Context, followID string) (*Follow, error)
	// FollowByTarget finds a follow by the followed actor.
	FollowByTarget(ctx context.Context, target string) (*Follow, error)
	// FollowByID finds a follow by its number.
	FollowByID(ctx context.Context, id int64) (*Follow, error)
	// SetFollowState records an Accept or Reject.
	SetFollowState(ctx context.Context, id int64, state string, at time.Time) error
	// AcceptFollow records an Accept by an actor whose key is key: the
	// follow is accepted and no longer broken.
	AcceptFollow(ctx context.Context, id int64, key string, at time.Time) error
	// SetFollowKey records the followed actor's key, for a follow accepted
	// before keys were recorded.
	SetFollowKey(ctx context.Context, id int64, key string) error
	// ClaimFollowChecks takes up to limit pending or accepted follows last
	// checked before the given time (or never), never checked first, and
	// records them as checked at now, in one statement: of several
	// replicas sharing a store, one takes each follow.
	ClaimFollowChecks(ctx context.Context, before, now time.Time, limit int) ([]Follow, error)
	// MarkFollowBroken records why a follow is broken; since stays the
	// time it was first found broken.
	MarkFollowBroken(ctx context.Context, id int64, reason string, at time.Time) error
	// RenewFollow replaces a follow's Follow activity with a new one
	// (followID, queued as follow) in one transaction: the follow is
	// pending again, not broken, and will be imported anew once
	// accepted. The old Follow is recorded as taken back.
	RenewFollow(ctx context.Context, id int64, followID string, at time.Time, follow *Delivery) error
	// FollowersOnHost lists, up to limit, the followers of an actor whose
	// ids start with prefix (a scheme and host, with its final slash).
	FollowersOnHost(ctx context.Context, actorAPID, prefix string, limit int) ([]string, error)
	// Follows lists every follow, oldest first.
	Follows(ctx context.Context) ([]Follow, error)
	// DeleteFollow ends a follow and, in the same transaction, queues the
	// Undo.
	DeleteFollow(ctx context.Context, id int64, undo *Delivery) error
	// StaleRemoteCoops lists remote co-ops whose actor was last fetched
	// before the given time, oldest first.
	StaleRemoteCoops(ctx context.Context, before time.Time, limit int) ([]string, error)
	// ResetBackfills marks every accepted follow for a new import, as a
	// node does when it starts: what it missed while down is fetched.
	ResetBackfills(ctx context.Context) error
	// PruneRemoteJobs deletes the stored jobs of a remote co-op whose ids
	// are not in keep: after a complete import of its outbox, those were
	// closed while this node was not listening. Each leaves a tombstone.
	PruneRemoteJobs(ctx context.Context, coopAPID string, keep []string, at time.Time) (int, error)
	// PendingBackfills lists accepted follows not yet backfilled.
	PendingBackfills(ctx context.Context) ([]Follow, error)
	// SetBackfilled records a finished backfill.
	SetBackfilled(ctx context.Context, id int64, at time.Time) error
	// DeleteRemoteFederation forgets a federation of another node and
	// the co-ops known only through it (no other membership, not followed
	// themselves), with their jobs.
	DeleteRemoteFederation(ctx context.Context, apid string) error

	// Block refuses a domain and, in the same transaction, purges what
	// came from it: its co-ops (with their jobs), federations, actors,
	// follows and followers. Blocking twice is not an error.
	Block(ctx context.Context, domain string, at time.Time) error
	// BlockImpact counts what blocking a domain would purge, without
	// blocking it.
	BlockImpact(ctx context.Context, domain string) (BlockImpact, error)
	// Unblock lifts a block; KindNotFound when there was none.
	Unblock(ctx context.Context, domain string) error
	// Blocks lists blocked domains.
	Blocks(ctx context.Context) ([]string, error)
	// Blocked reports whether host (host[:port]) is blocked.
	Blocked(ctx context.Context, host string) (bool, error)
}
