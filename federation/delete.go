package federation

import (
	"context"
	"log/slog"

	"github.com/colmena-coop/colmena/directory"
)

// Delete: a co-op closes one of its jobs, or an actor deletes itself.

// onDelete removes an aggregated job its co-op deleted, or everything
// of an actor that deleted itself.
func (f *Federation) onDelete(ctx context.Context, actor *directory.RemoteActor, obj *objectRef) error {
	if obj.ID == actor.APID {
		return f.forgetActor(ctx, actor.APID)
	}
	if obj.ID == "" {
		return nil
	}
	j, err := f.store.JobByAPID(ctx, obj.ID)
	if err != nil || j.Local {
		return nil
	}
	if j.Coop.APID != actor.APID {
		return directory.Forbiddenf("only %s can delete %s", j.Coop.APID, obj.ID)
	}
	if err := f.store.DeleteJob(ctx, j.ID, f.now()); err != nil {
		return err
	}
	// The search actors that boosted it take their boosts back.
	if err := f.undoSearchAnnounces(ctx, j.APID, f.now()); err != nil {
		f.log.WarnContext(ctx, "taking back searches' boosts", slog.String("job", j.APID), slog.Any("error", err))
	}
	return nil
}

// forgetActor applies an actor's own Delete: it no longer follows
// anything here, and a co-op or federation it was leaves the directory
// with its jobs and memberships, as does this node's follow of it.
func (f *Federation) forgetActor(ctx context.Context, apid string) error {
	if err := f.store.RemoveFollowerEverywhere(ctx, apid); err != nil {
		return err
	}
	if fl, err := f.store.FollowByTarget(ctx, apid); err == nil {
		if err := f.store.DeleteFollow(ctx, fl.ID, nil); err != nil && directory.KindOf(err) != directory.KindNotFound {
			return err
		}
	} else if directory.KindOf(err) != directory.KindNotFound {
		return err
	}
	if err := f.store.DeleteRemoteFederation(ctx, apid); err != nil {
		return err
	}
	if c, err := f.store.CoopByAPID(ctx, apid); err == nil && !c.Local {
		if err := f.store.DeleteCoop(ctx, c.ID, f.now()); err != nil && directory.KindOf(err) != directory.KindNotFound {
			return err
		}
		f.log.InfoContext(ctx, "co-op deleted by its node", slog.String("coop", apid))
	} else if err != nil && directory.KindOf(err) != directory.KindNotFound {
		return err
	}
	return nil
}
