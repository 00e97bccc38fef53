package directory

import (
	"context"
	"time"
)

// What fediverse accounts do with local jobs (replies, favourites and
// boosts), the answers co-ops send to replies, and the posts of accounts
// local co-ops follow.

// Interaction kinds.
const (
	InteractionReply = "reply"
	InteractionLike  = "like"
	InteractionBoost = "boost"
)

// Bounds of what is kept of remote accounts' posts and interactions.
const (
	// MaxInteractionsPerJob is how many interactions a job keeps; later
	// ones are not stored.
	MaxInteractionsPerJob = 2000
	// MaxRepliesPerActor is how many replies to one job one account may
	// have stored.
	MaxRepliesPerActor = 20
	// MaxPostsPerAccount is how many posts of a followed account are
	// kept: the oldest go first.
	MaxPostsPerAccount = 50
	// MaxAnswerText is the longest answer a co-op may send, in
	// characters.
	MaxAnswerText = 2000
)

// Interaction is a remote account's reply to, favourite of or boost of a
// local job.
type Interaction struct {
	ID    int64
	JobID int64
	Kind  string
	// ActivityID is the Create, Like or Announce; ObjectID the reply's
	// Note for a reply, the job's id for a favourite or a boost.
	ActivityID string
	ObjectID   string
	// Actor is the account's id; ActorName and ActorHandle (@user@host)
	// what it was called when the interaction arrived; ActorURL its
	// profile page.
	Actor       string
	ActorName   string
	ActorHandle string
	ActorURL    string
	// Content is a reply's sanitised HTML, Text the same as plain text;
	// URL the reply's page. Public is whether the reply was addressed to
	// everyone.
	Content   string
	Text      string
	URL       string
	Public    bool
	CreatedAt time.Time
	UpdatedAt time.Time
	// JobTitle and JobAPID name the job (filled in by CoopQuestions and
	// Interaction); Answers are the co-op's answers, oldest first.
	JobTitle string
	JobAPID  string
	Answers  []Answer
}

// Answer is a local co-op's reply to a question: a Note of its own.
type Answer struct {
	ID            int64
	CoopID        int64
	InteractionID int64
	// NoteID is the Note's id, under the co-op's actor; InReplyTo the
	// question's Note; To the asker.
	NoteID    string
	InReplyTo string
	To        string
	// Document is the Note as sent, answered at NoteID.
	Document  []byte
	Text      string
	CreatedAt time.Time
}

// InteractionCounts counts what a job received.
type InteractionCounts struct {
	Replies, Likes, Boosts int
}

// FollowedPost is a public post of an account a local co-op follows.
type FollowedPost struct {
	ID          int64
	ObjectID    string
	Actor       string
	ActorName   string
	ActorHandle string
	Content     string
	Text        string
	URL         string
	Published   time.Time
	ReceivedAt  time.Time
}

// InteractionStore keeps interactions, answers and followed posts.
type InteractionStore interface {
	// AddInteraction stores i and fills in its ID. It reports false, and
	// stores nothing, when the activity or the reply's Note is stored
	// already, when the account has favourited or boosted the job
	// already, when the job is not local, or when the job or the
	// account's replies to it are at their bound.
	AddInteraction(ctx context.Context, i *Interaction) (bool, error)
	// UpdateReply changes the content of the reply objectID of actor; it
	// reports whether there was one.
	UpdateReply(ctx context.Context, actor, objectID, content, text string, at time.Time) (bool, error)
	// RemoveInteraction removes actor's interaction whose activity or
	// object id is id (a reply's Note, or a Like's or Announce's own id);
	// it reports how many went.
	RemoveInteraction(ctx context.Context, actor, id string) (int, error)
	// RemoveInteractionOf removes actor's favourite (kind like) or boost
	// of the job jobAPID.
	RemoveInteractionOf(ctx context.Context, actor, kind, jobAPID string) (int, error)
	// InteractionCounts counts a job's replies, favourites and boosts.
	InteractionCounts(ctx context.Context, jobID int64) (InteractionCounts, error)
	// CoopQuestions lists the replies to a co-op's jobs, newest first,
	// with their answers.
	CoopQuestions(ctx context.Context, coopID int64, limit int) ([]Interaction, error)
	// Question finds one reply to one of the co-op's jobs.
	Question(ctx context.Context, coopID, id int64) (*Interaction, error)
	// AddAnswer stores a co-op's answer and queues its delivery in one
	// transaction, and fills in its ID.
	AddAnswer(ctx context.Context, a *Answer, d *Delivery) error
	// AnswerByNoteID finds an answer by its Note's id.
	AnswerByNoteID(ctx context.Context, noteID string) (*Answer, error)

	// FollowedByCoop reports whether a local co-op follows actor, the
	// follow accepted.
	FollowedByCoop(ctx context.Context, actor string) (bool, error)
	// AddFollowedPost stores or updates (by ObjectID, same actor) a post
	// and keeps the newest MaxPostsPerAccount of its account.
	AddFollowedPost(ctx context.Context, p *FollowedPost) error
	// RemoveFollowedPost removes actor's post objectID.
	RemoveFollowedPost(ctx context.Context, actor, objectID string) (int, error)
	// CoopFeed lists the posts of the accounts a co-op follows, newest
	// first.
	CoopFeed(ctx context.Context, coopID int64, limit int) ([]FollowedPost, error)
	// ForgetAccount removes everything of a remote account that deleted
	// itself or is gone: its interactions, its posts, and every local
	// co-op's follow of it.
	ForgetAccount(ctx context.Context, actor string) error
}

// JobInteractions counts what a job received from the fediverse.
func (s *Service) JobInteractions(ctx context.Context, j *Job) (InteractionCounts, error) {
	if !j.Local {
		return InteractionCounts{}, nil
	}
	return s.store.InteractionCounts(ctx, j.ID)
}

// Questions lists the replies to a co-op's jobs, for its members.
func (s *Service) Questions(ctx context.Context, p Principal, handle string, limit int) ([]Interaction, error) {
	c, err := s.Coop(ctx, handle)
	if err != nil {
		return nil, err
	}
	if err := requireCoop(p, c); err != nil {
		return nil, err
	}
	return s.store.CoopQuestions(ctx, c.ID, limit)
}

// Feed lists what the accounts a co-op follows posted, for its members.
func (s *Service) Feed(ctx context.Context, p Principal, handle string, limit int) ([]FollowedPost, error) {
	c, err := s.Coop(ctx, handle)
	if err != nil {
		return nil, err
	}
	if err := requireCoop(p, c); err != nil {
		return nil, err
	}
	return s.store.CoopFeed(ctx, c.ID, limit)
}
