package federation

import (
	"context"
	"log/slog"

	"github.com/colmena-coop/colmena/directory"
)

// Accept and Reject: the answer to a Follow this node sent.

// onAcceptOrReject records the answer to a Follow this node sent, by its
// instance actor or by one of its co-ops. An accepted follow of the
// instance actor is imported by the worker's backfill.
func (f *Federation) onAcceptOrReject(ctx context.Context, actor *directory.RemoteActor, typ string, obj *objectRef) error {
	if handled, err := f.onCoopFollowAnswer(ctx, actor, typ, obj.ID); handled || err != nil {
		return err
	}
	fl, err := f.store.FollowByActivity(ctx, obj.ID)
	if directory.KindOf(err) == directory.KindNotFound {
		fl, err = f.store.FollowByTarget(ctx, actor.APID)
	}
	if err != nil {
		if directory.KindOf(err) == directory.KindNotFound {
			return nil // not ours
		}
		return err
	}
	if fl.Target != actor.APID {
		return directory.Forbiddenf("only %s can answer that follow", fl.Target)
	}
	if typ == "Reject" {
		return f.store.SetFollowState(ctx, fl.ID, directory.FollowRejected, f.now())
	}
	// The key the actor accepted with is kept: the follow check
	// (followcheck.go) tells by it that the actor's node was set up
	// afresh.
	if err := f.store.AcceptFollow(ctx, fl.ID, actor.PublicPEM, f.now()); err != nil {
		return err
	}
	f.Nudge() // the import loop backfills accepted follows
	return nil
}

// onCoopFollowAnswer records the Accept or Reject of a co-op's follow.
// When a co-op of another node accepts, its open jobs are imported, so
// the following co-op's dashboard shows what it publishes.
func (f *Federation) onCoopFollowAnswer(ctx context.Context, actor *directory.RemoteActor, typ, followID string) (bool, error) {
	fl, err := f.store.CoopFollowByActivity(ctx, followID)
	if directory.KindOf(err) == directory.KindNotFound {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if fl.Target != actor.APID {
		return true, directory.Forbiddenf("only %s can answer that follow", fl.Target)
	}
	state := directory.FollowAccepted
	if typ == "Reject" {
		state = directory.FollowRejected
	}
	if err := f.store.SetCoopFollowState(ctx, fl.ID, state, f.now()); err != nil {
		return true, err
	}
	if state == directory.FollowAccepted && isCoopActor(actor) {
		if _, err := f.ensureCoop(ctx, actor.APID, ""); err == nil {
			if err := f.importOutbox(ctx, actor.APID); err != nil {
				f.log.WarnContext(ctx, "importing a followed co-op's jobs", slog.String("coop", actor.APID), slog.Any("error", err))
			}
		}
	}
	return true, nil
}
