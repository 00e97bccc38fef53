package federation

import (
	"context"

	"github.com/colmena-coop/colmena/directory"
)

// Undo: a follower stops following. Undo of anything but a Follow is
// ignored.

func (f *Federation) onUndo(ctx context.Context, actor *directory.RemoteActor, obj *objectRef) error {
	if obj.Type != "" && obj.Type != "Follow" {
		return nil
	}
	if obj.Actor != "" && obj.Actor != actor.APID {
		return directory.Forbiddenf("only the follower can undo a follow")
	}
	// Match the Follow by its id: an Undo of an older Follow must not end
	// a newer one (servers send both when a follow is retried).
	if obj.ID != "" {
		return f.store.RemoveFollowByID(ctx, actor.APID, obj.ID)
	}
	if obj.Object != "" {
		return f.store.RemoveFollower(ctx, obj.Object, actor.APID)
	}
	return nil
}
