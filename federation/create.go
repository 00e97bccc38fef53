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
