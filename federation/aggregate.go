package federation

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

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

// checkMember refuses a membership a federation claims but may not: a
// federation of another node lists only co-ops on its own host. A co-op
// hosted elsewhere, this node's own among them, never said it belongs to
// that federation (co-op actors carry no such claim), and taking the
// federation's word would let it annex any co-op and make this node
// follow any actor. This node's own federation lists whom its admin
// added.
func (f *Federation) checkMember(fedID, coopID string) error {
	if fedID == f.links.Federation() || hostOf(coopID) == hostOf(fedID) {
		return nil
	}
	return directory.Forbiddenf("%s may list only co-ops on its own host as members, and %s is not one", fedID, coopID)
}

// ensureCoop stores (or refreshes) a remote co-op and, with fedID, its
// membership of that federation, if checkMember allows it. An actor that
// is not a co-op (isCoopActor) is refused (KindInvalid) and not stored.
func (f *Federation) ensureCoop(ctx context.Context, id, fedID string) (*directory.Coop, error) {
	c, _, err := f.fetchCoop(ctx, id, fedID)
	return c, err
}

// fetchCoop is ensureCoop that also returns the actor fetched (nil for a
// local co-op), so that following it needs no second fetch.
func (f *Federation) fetchCoop(ctx context.Context, id, fedID string) (*directory.Coop, *directory.RemoteActor, error) {
	if err := f.checkNotBlocked(ctx, id); err != nil {
		return nil, nil, err
	}
	if fedID != "" {
		if err := f.checkMember(fedID, id); err != nil {
			return nil, nil, err
		}
	}
	if hostOf(id) == f.links.Host() {
		c, err := f.store.CoopByAPID(ctx, id)
		if err == nil && fedID != "" {
			err = f.store.AddMember(ctx, fedID, id, f.now())
		}
		return c, nil, err
	}
	a, err := f.FetchActor(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := f.storeCoopActor(ctx, a, fedID)
	return c, a, err
}

// storeCoopActor is ensureCoop for a remote co-op's actor just fetched.
func (f *Federation) storeCoopActor(ctx context.Context, a *directory.RemoteActor, fedID string) (*directory.Coop, error) {
	id := a.APID
	if !isCoopActor(a) {
		return nil, errNotACoop(a)
	}
	c, err := coopFromActor(a, f.now())
	if err != nil {
		return nil, err
	}
	if err := f.store.UpsertRemoteCoop(ctx, c); err != nil {
		return nil, err
	}
	f.cacheLogo(ctx, c, a, false)
	if fedID != "" {
		if err := f.store.AddMember(ctx, fedID, id, f.now()); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// storeNote stores a job Note of a known remote co-op. A Note that is no
// job is ignored; a job that breaks the rules is refused (KindInvalid), as
// is one naming another author than the one stored (KindForbidden).
func (f *Federation) storeNote(ctx context.Context, actorID string, raw json.RawMessage) error {
	return f.storeNoteOnce(ctx, actorID, "", raw)
}

// storeNoteOnce is storeNote that, given an activity id, records it as
// seen in the transaction storing the job (ApplyRemoteJob): an id seen
// before stores nothing, and a job that is not stored leaves it unseen.
func (f *Federation) storeNoteOnce(ctx context.Context, actorID, activityID string, raw json.RawMessage) error {
	j, err := jobFromNote(raw)
	if errors.Is(err, errNotAJob) {
		return nil // nothing to aggregate
	}
	if err != nil {
		return err
	}
	if j.Coop.APID != actorID || hostOf(j.APID) != hostOf(actorID) {
		return directory.Forbiddenf("the job %s is not %s's", j.APID, actorID)
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
	if activityID == "" {
		err = f.store.UpsertRemoteJob(ctx, j)
	} else {
		var fresh bool
		fresh, err = f.store.ApplyRemoteJob(ctx, activityID, f.now(), j)
		isNew = isNew && fresh
	}
	if err != nil {
		return err
	}
	// A failure here is logged, not returned: the job is stored, and the
	// sender's retry would find the activity seen. For the same reason a
	// sender that stops waiting (the request's context ends) must not
	// cut the matching short: its boosts and e-mail alerts would be lost.
	if err := f.announceToSearches(context.WithoutCancel(ctx), j.APID); err != nil {
		f.log.WarnContext(ctx, "announcing a job to searches", slog.String("job", j.APID), slog.Any("error", err))
	}
	if isNew && !c.Suspended {
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

// refreshOnce fetches again a few remote co-ops whose profile is older
// than RefreshAfter, so that profile changes missed while a node was down
// still arrive. A co-op that cannot be fetched is tried again next time.
func (f *Federation) refreshOnce(ctx context.Context) {
	ids, err := f.store.StaleRemoteCoops(ctx, f.now().Add(-f.deliver.RefreshAfter), 5)
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("listing stale co-ops", slog.Any("error", err))
		}
		return
	}
	for _, id := range ids {
		rctx, cancel := context.WithTimeout(ctx, f.deliver.Timeout)
		_, err := f.ensureCoop(rctx, id, "")
		cancel()
		if err != nil && ctx.Err() == nil {
			f.log.Info("refreshing a remote co-op failed", slog.String("coop", id), slog.Any("error", err))
			// Mark the attempt so the next pass moves on to others.
			if a, aerr := f.store.RemoteActor(ctx, id); aerr == nil {
				a.FetchedAt = f.now()
				_ = f.store.PutRemoteActor(ctx, a)
			}
		}
	}
}
