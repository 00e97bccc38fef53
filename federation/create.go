package federation

import (
	"context"

	"github.com/colmena-coop/colmena/directory"
)

// Create: a co-op this node aggregates publishes a job Note.

// onCreate stores a new job Note; other objects are ignored.
func (f *Federation) onCreate(ctx context.Context, actor *directory.RemoteActor, obj *objectRef) error {
	if obj.Type != "Note" {
		return nil
	}
	return f.applyNote(ctx, actor, obj)
}

// applyNote stores a job Note a Create or Update carries, when its actor
// is a co-op this node aggregates.
func (f *Federation) applyNote(ctx context.Context, actor *directory.RemoteActor, obj *objectRef) error {
	err := f.storeNote(ctx, actor.APID, obj.Raw)
	if directory.KindOf(err) == directory.KindNotFound {
		return nil // not a co-op this node aggregates
	}
	return err
}

// isJobCreate reports whether a Create carries a job Note of its actor's,
// one onCreateInteraction leaves to onCreate: the inbox then records the
// activity as seen in the transaction storing the job (applyJobCreate)
// rather than in one of its own.
func (f *Federation) isJobCreate(ctx context.Context, actor *directory.RemoteActor, act *Incoming) bool {
	if act.Type != "Create" || act.Object == nil || act.Object.Type != "Note" {
		return false
	}
	p, ok := readPost(actor, act.Object)
	return ok && p.JobPosting != nil && f.localJob(ctx, string(p.InReplyTo)) == nil
}

// applyJobCreate stores the job of a Create isJobCreate accepted, once.
func (f *Federation) applyJobCreate(ctx context.Context, actor *directory.RemoteActor, act *Incoming) error {
	err := f.storeNoteOnce(ctx, actor.APID, act.ID, act.Object.Raw)
	if directory.KindOf(err) == directory.KindNotFound {
		return nil // not a co-op this node aggregates
	}
	return err
}
