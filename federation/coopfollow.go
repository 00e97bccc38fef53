package federation

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/colmena-coop/colmena/directory"
)

// CoopFollow makes a local co-op follow an actor, by handle or URL: another
// co-op on any node, or any fediverse account. The Follow is signed with
// the co-op's key and goes out through the delivery queue.
func (f *Federation) CoopFollow(ctx context.Context, p directory.Principal, handle, target string) (*directory.CoopFollow, error) {
	c, err := f.svc.ManagedCoop(ctx, p, handle)
	if err != nil {
		return nil, err
	}
	id, err := f.ResolveActor(ctx, target)
	if err != nil {
		return nil, err
	}
	if id == c.APID {
		return nil, directory.Invalid("target", directory.CodeSelfFollow)
	}
	if blocked, err := f.store.Blocked(ctx, hostOf(id)); err != nil {
		return nil, err
	} else if blocked {
		return nil, directory.Refused("target", directory.CodeBlocked, hostOf(id))
	}
	actor, err := f.FetchActor(ctx, id)
	if err != nil {
		return nil, directory.Invalid("target", directory.CodeFetchFailed, id, err)
	}
	now := f.now()
	fl := &directory.CoopFollow{CoopID: c.ID, Target: id, FollowID: f.newFollowID(), State: directory.FollowPending,
		CreatedAt: now, UpdatedAt: now}
	body, _ := json.Marshal(&Activity{Context: asContext, ID: fl.FollowID, Type: "Follow", Actor: c.APID, Object: id})
	d := &directory.Delivery{Inbox: actor.Inbox, Signer: c.APID, ActivityID: fl.FollowID, Body: body, NextAttemptAt: now, CreatedAt: now}
	if err := f.store.AddCoopFollow(ctx, fl, d); err != nil {
		if directory.KindOf(err) == directory.KindConflict {
			return nil, directory.Conflict("target", directory.CodeAlreadyFollows, c.Handle, target)
		}
		return nil, err
	}
	f.log.InfoContext(ctx, "co-op following", slog.String("coop", c.APID), slog.String("target", id))
	f.Nudge()
	f.svc.Audit(ctx, p, "coop.follow", c.Handle, id)
	return fl, nil
}

// CoopUnfollow ends one of a co-op's follows and sends the Undo.
func (f *Federation) CoopUnfollow(ctx context.Context, p directory.Principal, handle string, id int64) error {
	c, err := f.svc.ManagedCoop(ctx, p, handle)
	if err != nil {
		return err
	}
	follows, err := f.store.CoopFollows(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, fl := range follows {
		if fl.ID != id {
			continue
		}
		actor, err := f.FetchActor(ctx, fl.Target)
		var undo *directory.Delivery
		if err == nil {
			now := f.now()
			follow := &Activity{ID: fl.FollowID, Type: "Follow", Actor: c.APID, Object: fl.Target}
			id := f.undoID(fl.FollowID)
			body, _ := json.Marshal(&Activity{Context: asContext, ID: id, Type: "Undo", Actor: c.APID, Object: follow})
			undo = &directory.Delivery{Inbox: actor.Inbox, Signer: c.APID, ActivityID: id, Body: body,
				NextAttemptAt: now, CreatedAt: now}
		}
		if _, err := f.store.DeleteCoopFollow(ctx, c.ID, id, undo); err != nil {
			return err
		}
		f.Nudge()
		f.svc.Audit(ctx, p, "coop.unfollow", c.Handle, fl.Target)
		return nil
	}
	return directory.NotFoundf("%s has no such follow", c.Handle)
}

// CoopFollows lists what a co-op follows.
func (f *Federation) CoopFollows(ctx context.Context, c *directory.Coop) ([]directory.CoopFollow, error) {
	return f.store.CoopFollows(ctx, c.ID)
}
