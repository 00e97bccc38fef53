package federation

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/colmena-coop/colmena/directory"
)

// Storing what other nodes publish: remote federations, co-ops and job
// Notes, checked against domain blocks. The inbox, backfill and the
// refresh of stale profiles all come through here.

func (f *Federation) storeFederation(ctx context.Context, a *directory.RemoteActor) (*directory.Federation, error) {
	if err := f.checkNotBlocked(ctx, a.APID); err != nil {
		return nil, err
	}
	c, err := coopFromActor(a, f.now())
	if err != nil {
		return nil, err
	}
	fed := &directory.Federation{APID: a.APID, Handle: c.Handle, Host: a.Host, Name: c.Name, Summary: c.Summary, URL: c.URL,
		CreatedAt: c.CreatedAt, UpdatedAt: f.now()}
	return fed, f.store.UpsertRemoteFederation(ctx, fed)
}

// errBlocked refuses to store anything from a blocked domain.
var errBlocked = directory.Forbiddenf("the domain is blocked here")

func (f *Federation) checkNotBlocked(ctx context.Context, id string) error {
	blocked, err := f.store.Blocked(ctx, hostOf(id))
	if err != nil {
		return err
	}
	if blocked {
		return errBlocked
	}
	return nil
}

// ensureCoop stores (or refreshes) a remote co-op and, with fedID, its
// membership of that federation.
func (f *Federation) ensureCoop(ctx context.Context, id, fedID string) (*directory.Coop, error) {
	if err := f.checkNotBlocked(ctx, id); err != nil {
		return nil, err
	}
	if hostOf(id) == f.links.Host() {
		c, err := f.store.CoopByAPID(ctx, id)
		if err == nil && fedID != "" {
			err = f.store.AddMember(ctx, fedID, id, f.now())
		}
		return c, err
	}
	a, err := f.FetchActor(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := coopFromActor(a, f.now())
	if err != nil {
		return nil, err
	}
	if err := f.store.UpsertRemoteCoop(ctx, c); err != nil {
		return nil, err
	}
	if fedID != "" {
		if err := f.store.AddMember(ctx, fedID, id, f.now()); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// storeNote stores a job Note of a known remote co-op.
func (f *Federation) storeNote(ctx context.Context, actorID string, raw json.RawMessage) error {
	j, err := jobFromNote(raw)
	if err != nil {
		return nil // not a job: nothing to aggregate
	}
	if j.Coop.APID != actorID || hostOf(j.APID) != hostOf(actorID) {
		return refuse(http.StatusForbidden, "the job %s is not %s's", j.APID, actorID)
	}
	// The store refuses blocked domains inside its own transaction. Only a
	// member of this node's federation needs to know whether the job is
	// new (to boost it), which costs a read.
	c, err := f.store.CoopByAPID(ctx, actorID)
	if err != nil {
		return err
	}
	member := false
	for _, fr := range c.Federations {
		member = member || fr.APID == f.links.Federation()
	}
	isNew := false
	if member {
		_, err = f.store.JobByAPID(ctx, j.APID)
		isNew = directory.KindOf(err) == directory.KindNotFound
	}
	if err := f.store.UpsertRemoteJob(ctx, j); err != nil {
		return err
	}
	if isNew {
		j.Coop.Name = c.Name
		return f.announceMemberJob(ctx, j)
	}
	return nil
}

// announceMemberJob boosts a new job of a co-op hosted elsewhere that is a
// member of this node's federation, as the federation does for its local
// members, so that one follow of the federation shows every opening.
func (f *Federation) announceMemberJob(ctx context.Context, j *directory.Job) error {
	fedID := f.links.Federation()
	if !j.ValidThrough.IsZero() && j.ValidThrough.Before(f.now()) {
		return nil
	}
	inboxes, err := f.store.FollowerInboxes(ctx, []string{fedID})
	if err != nil || len(inboxes) == 0 {
		return err
	}
	act := f.announce(fedID, j)
	body, err := json.Marshal(act)
	if err != nil {
		return err
	}
	now := f.now()
	ds := make([]directory.Delivery, 0, len(inboxes))
	for _, in := range inboxes {
		if hostOf(in) == hostOf(j.APID) {
			continue // the job's own node has it
		}
		ds = append(ds, directory.Delivery{Inbox: in, Signer: fedID, ActivityID: act.ID, Body: body, NextAttemptAt: now, CreatedAt: now})
	}
	if len(ds) == 0 {
		return nil
	}
	f.Nudge()
	return f.store.EnqueueDeliveries(ctx, ds)
}

// aggregated reports whether content from actor is wanted here: it is a
// co-op this node stores (a member of a followed federation, or followed
// itself).
func (f *Federation) aggregated(ctx context.Context, actorID string) (bool, error) {
	c, err := f.store.CoopByAPID(ctx, actorID)
	if directory.KindOf(err) == directory.KindNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !c.Local, nil
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

// onAccept records the acceptance of one of our follows and imports
// what the followed actor already has.
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
		return refuse(http.StatusForbidden, "only %s can answer that follow", fl.Target)
	}
	state := directory.FollowAccepted
	if typ == "Reject" {
		state = directory.FollowRejected
	}
	if err := f.store.SetFollowState(ctx, fl.ID, state, f.now()); err != nil {
		return err
	}
	select { // the import loop backfills accepted follows
	case f.maintainNudge <- struct{}{}:
	default:
	}
	return nil
}

// onRemoteContent applies Create, Update, Delete, Announce, Add and Remove
// from other nodes to the aggregated directory.
func (f *Federation) onRemoteContent(ctx context.Context, actor *directory.RemoteActor, act *Incoming) error {
	obj := act.Object
	switch act.Type {
	case "Create", "Update":
		if obj.Type == "Note" {
			err := f.storeNote(ctx, actor.APID, obj.Raw)
			if directory.KindOf(err) == directory.KindNotFound {
				return nil // not a co-op this node aggregates
			}
			return err
		}
		if act.Type == "Update" && obj.ID == actor.APID && isFederation(actor.Document) {
			// A followed federation renamed itself.
			if fl, err := f.store.FollowByTarget(ctx, actor.APID); err == nil && fl.State == directory.FollowAccepted {
				fresh, err := f.FetchActor(ctx, actor.APID)
				if err != nil {
					return err
				}
				_, err = f.storeFederation(ctx, fresh)
				return err
			}
			return nil
		}
		if act.Type == "Update" && obj.ID == actor.APID {
			// A profile edit: refresh what we keep of the actor.
			if ok, err := f.aggregated(ctx, actor.APID); err == nil && ok {
				_, err := f.ensureCoop(ctx, actor.APID, "")
				return err
			}
		}
	case "Delete":
		if obj.ID == "" || obj.ID == actor.APID {
			return nil
		}
		j, err := f.store.JobByAPID(ctx, obj.ID)
		if err != nil || j.Local {
			return nil
		}
		if j.Coop.APID != actor.APID {
			return refuse(http.StatusForbidden, "only %s can delete %s", j.Coop.APID, obj.ID)
		}
		return f.store.DeleteJob(ctx, j.ID, f.now())
	case "Announce":
		fl, err := f.store.FollowByTarget(ctx, actor.APID)
		if err != nil || fl.State != directory.FollowAccepted || obj.ID == "" {
			return nil
		}
		raw, err := f.client.GetActivity(ctx, obj.ID)
		if err != nil {
			return nil
		}
		var n remoteNote
		if json.Unmarshal(raw, &n) != nil || n.ID != obj.ID || hostOf(n.AttributedTo) != hostOf(n.ID) {
			return nil
		}
		if _, err := f.ensureCoop(ctx, n.AttributedTo, actor.APID); err != nil {
			return nil
		}
		return f.storeNote(ctx, n.AttributedTo, raw)
	case "Add", "Remove":
		var target string
		var a struct {
			Target json.RawMessage `json:"target"`
		}
		if json.Unmarshal(act.Raw, &a) == nil {
			if r, err := parseRef(a.Target); err == nil {
				target = r.ID
			}
		}
		if target != membersOf(actor.APID) || obj.ID == "" {
			return nil
		}
		if fl, err := f.store.FollowByTarget(ctx, actor.APID); err != nil || fl.State != directory.FollowAccepted {
			return nil
		}
		if act.Type == "Add" {
			return f.addMember(ctx, actor.APID, obj.ID)
		}
		if err := f.store.RemoveMember(ctx, actor.APID, obj.ID, f.now()); err != nil {
			return err
		}
		if fl, err := f.store.FollowByTarget(ctx, obj.ID); err == nil && fl.Via == actor.APID {
			return f.unfollow(ctx, fl.ID)
		}
		return nil
	}
	return nil
}
