package federation

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/colmena-coop/colmena/directory"
)

// The node's own follows: the instance actor follows federations and
// co-ops of other nodes for the admin, and the members of a followed
// federation because of that membership.

// Follow makes the instance actor follow a federation or co-op on another
// node, for the admin. Any other actor (a Person, a bot, an Organization
// that publishes no co-op data) is refused (KindInvalid, CodeNotColmena on
// "target"), except a server's instance actor: that follow is sent and
// kept, and nothing is aggregated from it.
func (f *Federation) Follow(ctx context.Context, p directory.Principal, target string) (*directory.Follow, error) {
	if err := p.CheckAdmin(); err != nil {
		return nil, err
	}
	fl, err := f.follow(ctx, target, "")
	if err != nil {
		return nil, err
	}
	f.svc.Audit(ctx, p, "follow.create", fl.Target, "")
	return fl, nil
}

// follow makes the instance actor follow target; via names the federation
// whose membership brought it, if any.
func (f *Federation) follow(ctx context.Context, target, via string) (*directory.Follow, error) {
	return f.followActor(ctx, target, via, nil)
}

// followActor is follow with the target's actor, when it was just fetched
// (fetched, nil otherwise); it is not fetched again.
func (f *Federation) followActor(ctx context.Context, target, via string, fetched *directory.RemoteActor) (*directory.Follow, error) {
	id, err := f.ResolveActor(ctx, target)
	if err != nil {
		return nil, err
	}
	if hostOf(id) == f.links.Host() {
		return nil, directory.Invalid("target", directory.CodeOnThisNode, id)
	}
	if blocked, err := f.store.Blocked(ctx, hostOf(id)); err != nil {
		return nil, err
	} else if blocked {
		return nil, directory.Refused("target", directory.CodeBlocked, hostOf(id))
	}
	if existing, err := f.store.FollowByTarget(ctx, id); err == nil {
		return existing, nil
	}
	actor := fetched
	if actor == nil || actor.APID != id {
		if actor, err = f.FetchActor(ctx, id); err != nil {
			return nil, directory.Invalid("target", directory.CodeFetchFailed, id, err)
		}
	}
	// Following means aggregating: only a Colmena federation or co-op
	// has something to aggregate. A server's instance actor may be
	// followed too, and nothing is aggregated from it (Backfill).
	if !isFederationActor(actor) && !isCoopActor(actor) && (via != "" || !isInstanceActor(actor)) {
		typ := actor.Type
		if actor.Type == "Organization" {
			typ = "Organization without co-op data"
		}
		return nil, directory.Invalid("target", directory.CodeNotColmena, id, typ)
	}
	me := f.links.InstanceActor()
	now := f.now()
	fl := &directory.Follow{Target: id, FollowID: f.newFollowID(), State: directory.FollowPending, Via: via, CreatedAt: now, UpdatedAt: now}
	body, _ := json.Marshal(&Activity{Context: asContext, ID: fl.FollowID, Type: "Follow", Actor: me, Object: id})
	d := &directory.Delivery{Inbox: actor.Inbox, Signer: me, ActivityID: fl.FollowID, Body: body, NextAttemptAt: now, CreatedAt: now}
	if err := f.store.AddFollow(ctx, fl, d); err != nil {
		if directory.KindOf(err) == directory.KindConflict {
			return f.store.FollowByTarget(ctx, id)
		}
		return nil, err
	}
	f.log.InfoContext(ctx, "following", slog.String("target", id), slog.String("via", via))
	f.Nudge()
	return fl, nil
}

// Follows lists the node's follows, for the admin.
func (f *Federation) Follows(ctx context.Context, p directory.Principal) ([]directory.Follow, error) {
	if err := p.CheckAdmin(); err != nil {
		return nil, err
	}
	return f.store.Follows(ctx)
}

// RenewFollow sends a new Follow for one of the node's follows, for the
// admin: a follow the check found broken (followcheck.go), or any other.
// The followed actor is fetched again first, so that its new key is
// known when its Accept arrives. The follow is pending until then, and
// once accepted it is imported anew: jobs the followed node no longer
// has are removed, new ones taken. Renewing a federation's follow renews
// the follows its membership brought, whose node is the same.
func (f *Federation) RenewFollow(ctx context.Context, p directory.Principal, id int64) (*directory.Follow, error) {
	if err := p.CheckAdmin(); err != nil {
		return nil, err
	}
	fl, err := f.store.FollowByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := f.renew(ctx, fl); err != nil {
		return nil, err
	}
	all, err := f.store.Follows(ctx)
	if err != nil {
		return nil, err
	}
	for _, other := range all {
		if other.Via == fl.Target {
			if err := f.renew(ctx, &other); err != nil {
				// The federation's import follows it again, or drops it.
				f.log.WarnContext(ctx, "renewing a member's follow", slog.String("target", other.Target), slog.Any("error", err))
			}
		}
	}
	f.svc.Audit(ctx, p, "follow.renew", fl.Target, "")
	f.Nudge()
	return f.store.FollowByID(ctx, id)
}

// renew replaces one follow's Follow with a new one.
func (f *Federation) renew(ctx context.Context, fl *directory.Follow) error {
	if blocked, err := f.store.Blocked(ctx, hostOf(fl.Target)); err != nil {
		return err
	} else if blocked {
		return directory.Refused("target", directory.CodeBlocked, hostOf(fl.Target))
	}
	actor, err := f.FetchActor(ctx, fl.Target)
	if err != nil {
		return directory.Invalid("target", directory.CodeFetchFailed, fl.Target, err)
	}
	me := f.links.InstanceActor()
	now := f.now()
	followID := f.newFollowID()
	body, _ := json.Marshal(&Activity{Context: asContext, ID: followID, Type: "Follow", Actor: me, Object: fl.Target})
	d := &directory.Delivery{Inbox: actor.Inbox, Signer: me, ActivityID: followID, Body: body, NextAttemptAt: now, CreatedAt: now}
	if err := f.store.RenewFollow(ctx, fl.ID, followID, now, d); err != nil {
		return err
	}
	f.backfillRetry.Delete(fl.ID)
	f.log.InfoContext(ctx, "renewing a follow", slog.String("target", fl.Target), slog.String("was", fl.BrokenReason))
	return nil
}

// Unfollow ends one of the node's follows, for the admin.
func (f *Federation) Unfollow(ctx context.Context, p directory.Principal, id int64) error {
	if err := p.CheckAdmin(); err != nil {
		return err
	}
	fl, err := f.store.FollowByID(ctx, id)
	if err != nil {
		return err
	}
	if err := f.unfollow(ctx, id); err != nil {
		return err
	}
	f.svc.Audit(ctx, p, "follow.delete", fl.Target, "")
	return nil
}

// unfollow sends Undo, or cancels the Follow if it is still queued, and
// forgets the follow.
func (f *Federation) unfollow(ctx context.Context, id int64) error {
	fl, err := f.store.FollowByID(ctx, id)
	if err != nil {
		return err
	}
	me := f.links.InstanceActor()
	now := f.now()
	// A Follow that never left is taken back from the queue: then there
	// is nothing to undo.
	cancelled, err := f.store.CancelDelivery(ctx, fl.FollowID, now)
	if err != nil {
		return err
	}
	var d *directory.Delivery
	if a, err := f.store.RemoteActor(ctx, fl.Target); err == nil && !cancelled {
		undo := f.undoID(fl.FollowID)
		body, _ := json.Marshal(&Activity{Context: asContext, ID: undo, Type: "Undo", Actor: me,
			Object: &Activity{ID: fl.FollowID, Type: "Follow", Actor: me, Object: fl.Target}})
		d = &directory.Delivery{Inbox: a.Inbox, Signer: me, ActivityID: undo, Body: body, NextAttemptAt: now, CreatedAt: now}
	}
	if err := f.store.DeleteFollow(ctx, id, d); err != nil {
		return err
	}
	// Unfollowing a federation ends the follows its membership brought
	// and forgets what was aggregated only through it.
	all, err := f.store.Follows(ctx)
	if err != nil {
		return err
	}
	for _, other := range all {
		if other.Via == fl.Target {
			if err := f.unfollow(ctx, other.ID); err != nil && directory.KindOf(err) != directory.KindNotFound {
				return err
			}
		}
	}
	if err := f.purgeTarget(ctx, fl.Target); err != nil {
		return err
	}
	f.Nudge()
	return nil
}

// purgeTarget forgets what was aggregated through a follow of target: a
// federation with the co-ops known only through it, or a co-op followed
// for itself unless a federation this node still aggregates lists it.
func (f *Federation) purgeTarget(ctx context.Context, target string) error {
	if err := f.store.DeleteRemoteFederation(ctx, target); err != nil {
		return err
	}
	if c, err := f.store.CoopByAPID(ctx, target); err == nil && !c.Local && len(c.Federations) == 0 {
		if err := f.store.DeleteCoop(ctx, c.ID, f.now()); err != nil && directory.KindOf(err) != directory.KindNotFound {
			return err
		}
	}
	return nil
}

// addMember stores a member co-op of a followed federation with its open
// jobs, and follows it too, so that its edits arrive wherever it is
// hosted. A member the federation may not claim (checkMember) is refused
// before anything is fetched or followed.
func (f *Federation) addMember(ctx context.Context, fedID, coopID string) error {
	_, actor, err := f.fetchCoop(ctx, coopID, fedID)
	if err != nil {
		return err
	}
	if hostOf(coopID) == f.links.Host() {
		return nil
	}
	fl, err := f.followActor(ctx, coopID, fedID, actor)
	if err != nil {
		return err
	}
	if err := f.importOutbox(ctx, coopID); err != nil {
		return err
	}
	// The federation may have been unfollowed meanwhile: then this member
	// is not wanted after all.
	if local, err := f.store.LocalFederation(ctx); err == nil && local.APID != fedID {
		if _, err := f.store.FollowByTarget(ctx, fedID); directory.KindOf(err) == directory.KindNotFound {
			if fl.Via == fedID {
				if err := f.unfollow(ctx, fl.ID); err != nil && directory.KindOf(err) != directory.KindNotFound {
					return err
				}
			}
			return f.purgeTarget(ctx, coopID)
		}
	}
	return nil
}
