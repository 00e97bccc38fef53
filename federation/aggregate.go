package federation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// ResolveActor turns handle@host[:port] (with or without a leading @) or
// an actor URL into an actor id, by WebFinger for handles.
func (f *Federation) ResolveActor(ctx context.Context, target string) (string, error) {
	target = strings.TrimPrefix(strings.TrimSpace(target), "@")
	if strings.Contains(target, "://") {
		if _, err := checkURL(target); err != nil {
			return "", directory.Invalidf("target", "%v", err)
		}
		return target, nil
	}
	jrd, err := f.lookup(ctx, "target", target)
	if err != nil {
		return "", err
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && (l.Type == ContentTypeAS || IsASContentType(l.Type)) && l.Href != "" {
			return l.Href, nil
		}
	}
	return "", directory.Invalidf("target", "%s has no ActivityPub actor", target)
}

// subscribeRel is the WebFinger link whose template is a server's "follow
// this account" page (Mastodon's authorize_interaction).
const subscribeRel = "http://ostatus.org/schema/1.0/subscribe"

// SubscribeURL finds, by WebFinger, the page on account's own server where
// that person confirms following uri (an acct: address or actor id):
// remote follow, as Mastodon's profile pages offer it.
func (f *Federation) SubscribeURL(ctx context.Context, account, uri string) (string, error) {
	jrd, err := f.lookup(ctx, "account", strings.TrimPrefix(strings.TrimSpace(account), "@"))
	if err != nil {
		return "", err
	}
	for _, l := range jrd.Links {
		if l.Rel == subscribeRel && strings.Contains(l.Template, "{uri}") {
			u := strings.Replace(l.Template, "{uri}", url.QueryEscape(uri), 1)
			if _, err := checkURL(u); err != nil {
				return "", directory.Invalidf("account", "%s offers no usable follow page", account)
			}
			return u, nil
		}
	}
	return "", directory.Invalidf("account", "the server of %s does not offer remote follows", account)
}

// lookup asks the WebFinger of user@host's server about it; field names
// the input at fault in errors.
func (f *Federation) lookup(ctx context.Context, field, target string) (*JRD, error) {
	user, host, ok := strings.Cut(target, "@")
	if !ok || user == "" || host == "" || strings.ContainsAny(host, "/?#@ ") {
		return nil, directory.Invalidf(field, "%q must be handle@host", target)
	}
	schemes := []string{"https"}
	if f.allowPrivate {
		schemes = append(schemes, "http")
	}
	var lastErr error
	for _, scheme := range schemes {
		u := scheme + "://" + host + "/.well-known/webfinger?resource=" + url.QueryEscape("acct:"+user+"@"+host)
		body, err := f.client.GetJSON(ctx, u, "application/jrd+json, application/json")
		if err != nil {
			lastErr = err
			continue
		}
		var jrd JRD
		if err := json.Unmarshal(body, &jrd); err != nil {
			return nil, directory.Invalidf(field, "%s answered WebFinger with something that is not JSON", host)
		}
		return &jrd, nil
	}
	return nil, directory.Invalidf(field, "could not look up %s: %v", target, lastErr)
}

func newActivityID(base string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return base + "#follows/" + hex.EncodeToString(b)
}

// Follow makes the instance actor follow a federation or co-op on another
// node, for the admin.
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
	id, err := f.ResolveActor(ctx, target)
	if err != nil {
		return nil, err
	}
	if hostOf(id) == f.links.Host() {
		return nil, directory.Invalidf("target", "%s is on this node", id)
	}
	if blocked, err := f.store.Blocked(ctx, hostOf(id)); err != nil {
		return nil, err
	} else if blocked {
		return nil, directory.Forbiddenf("%s is blocked here", hostOf(id))
	}
	if existing, err := f.store.FollowByTarget(ctx, id); err == nil {
		return existing, nil
	}
	actor, err := f.FetchActor(ctx, id)
	if err != nil {
		return nil, directory.Invalidf("target", "could not fetch %s: %v", id, err)
	}
	me := f.links.InstanceActor()
	now := f.now()
	fl := &directory.Follow{Target: id, FollowID: newActivityID(me), State: directory.FollowPending, Via: via, CreatedAt: now, UpdatedAt: now}
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

// unfollow sends Undo and forgets the follow.
func (f *Federation) unfollow(ctx context.Context, id int64) error {
	fl, err := f.store.FollowByID(ctx, id)
	if err != nil {
		return err
	}
	me := f.links.InstanceActor()
	now := f.now()
	var d *directory.Delivery
	if a, err := f.store.RemoteActor(ctx, fl.Target); err == nil {
		body, _ := json.Marshal(&Activity{Context: asContext, ID: fl.FollowID + "/undo", Type: "Undo", Actor: me,
			Object: &Activity{ID: fl.FollowID, Type: "Follow", Actor: me, Object: fl.Target}})
		d = &directory.Delivery{Inbox: a.Inbox, Signer: me, ActivityID: fl.FollowID + "/undo", Body: body, NextAttemptAt: now, CreatedAt: now}
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

// backfillOnce imports the oldest accepted follow not yet backfilled. It
// runs in the delivery worker; a follow whose backfill fails waits a
// minute before the next try, and one a restart interrupted is taken up
// again since only a finished backfill is recorded.
func (f *Federation) backfillOnce(ctx context.Context) {
	fs, err := f.store.PendingBackfills(ctx)
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("listing backfills", slog.Any("error", err))
		}
		return
	}
	now := f.now()
	for _, fl := range fs {
		if next, ok := f.backfillRetry.Load(fl.ID); ok && now.Before(next.(time.Time)) {
			continue
		}
		bctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		err := f.Backfill(bctx, fl.Target)
		cancel()
		if _, ferr := f.store.FollowByID(ctx, fl.ID); directory.KindOf(ferr) == directory.KindNotFound {
			// Unfollowed while importing: undo what the import stored.
			if err := f.purgeTarget(ctx, fl.Target); err != nil && ctx.Err() == nil {
				f.log.Error("purging an unfollowed actor", slog.Any("error", err))
			}
			continue
		}
		if err != nil {
			if ctx.Err() == nil {
				f.log.Warn("backfill failed; will retry", slog.String("actor", fl.Target), slog.Any("error", err))
				f.backfillRetry.Store(fl.ID, now.Add(time.Minute))
			}
			continue
		}
		f.backfillRetry.Delete(fl.ID)
		if err := f.store.SetBackfilled(ctx, fl.ID, f.now()); err != nil {
			f.log.Error("recording a backfill", slog.Any("error", err))
		}
		f.log.Info("backfilled", slog.String("actor", fl.Target))
		return // one per pass keeps deliveries flowing
	}
}

// MaxBackfillPages bounds how many collection pages one backfill reads.
const MaxBackfillPages = 200

// Backfill imports a followed federation (its members and their open
// jobs) or co-op (its open jobs) by paging their collections.
func (f *Federation) Backfill(ctx context.Context, actorID string) error {
	a, err := f.FetchActor(ctx, actorID)
	if err != nil {
		return err
	}
	if isFederation(a.Document) {
		fed, err := f.storeFederation(ctx, a)
		if err != nil {
			return err
		}
		var members []string
		if err := f.pageCollection(ctx, membersOf(fed.APID), func(item json.RawMessage) error {
			var id string
			if json.Unmarshal(item, &id) == nil {
				members = append(members, id)
			}
			return nil
		}); err != nil {
			return err
		}
		// A member that cannot be imported now (its server is down) fails
		// the backfill after the others are in, so that it is retried
		// rather than recorded as done.
		var failed []error
		for _, m := range members {
			if err := f.addMember(ctx, fed.APID, m); err != nil {
				f.log.Warn("importing a member", slog.String("coop", m), slog.Any("error", err))
				failed = append(failed, fmt.Errorf("member %s: %w", m, err))
			}
		}
		return errors.Join(failed...)
	}
	if _, err := f.ensureCoop(ctx, actorID, ""); err != nil {
		return err
	}
	return f.importOutbox(ctx, actorID)
}

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

// addMember stores a member co-op of a followed federation with its open
// jobs, and follows it too, so that its edits arrive wherever it is
// hosted.
func (f *Federation) addMember(ctx context.Context, fedID, coopID string) error {
	if _, err := f.ensureCoop(ctx, coopID, fedID); err != nil {
		return err
	}
	if hostOf(coopID) == f.links.Host() {
		return nil
	}
	fl, err := f.follow(ctx, coopID, fedID)
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

// importOutbox reads a co-op's outbox and stores its job Notes. When it
// read the whole outbox, stored jobs of the co-op that are no longer there
// were closed while this node was not listening, and are deleted.
func (f *Federation) importOutbox(ctx context.Context, coopID string) error {
	var seen []string
	complete, err := f.pageCollectionAll(ctx, outboxOf(coopID), func(item json.RawMessage) error {
		var act struct {
			Type   string          `json:"type"`
			Object json.RawMessage `json:"object"`
		}
		if json.Unmarshal(item, &act) != nil || act.Type != "Create" {
			return nil
		}
		var obj struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(act.Object, &obj) == nil && obj.ID != "" {
			seen = append(seen, obj.ID)
		}
		return f.storeNote(ctx, coopID, act.Object)
	})
	if err != nil || !complete {
		return err
	}
	n, err := f.store.PruneRemoteJobs(ctx, coopID, seen, f.now())
	if n > 0 {
		f.log.Info("removed jobs closed while away", slog.String("coop", coopID), slog.Int("jobs", n))
	}
	return err
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

// pageCollection walks an OrderedCollection from its first page, bounded.
func (f *Federation) pageCollection(ctx context.Context, id string, each func(json.RawMessage) error) error {
	_, err := f.pageCollectionAll(ctx, id, each)
	return err
}

// pageCollectionAll is pageCollection that also reports whether it read
// every page (the page limit was not reached).
func (f *Federation) pageCollectionAll(ctx context.Context, id string, each func(json.RawMessage) error) (bool, error) {
	raw, err := f.client.GetActivity(ctx, id)
	if err != nil {
		return false, err
	}
	var root struct {
		First        json.RawMessage   `json:"first"`
		OrderedItems []json.RawMessage `json:"orderedItems"`
		Items        []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(raw, &root); err != nil {
		return false, err
	}
	for _, it := range append(root.OrderedItems, root.Items...) {
		if err := each(it); err != nil {
			return false, err
		}
	}
	next := ""
	_ = json.Unmarshal(root.First, &next)
	for pages := 0; next != "" && pages < MaxBackfillPages; pages++ {
		if hostOf(next) != hostOf(id) {
			return false, fmt.Errorf("page %s is not on %s", next, hostOf(id))
		}
		raw, err := f.client.GetActivity(ctx, next)
		if err != nil {
			return false, err
		}
		var page struct {
			Next         string            `json:"next"`
			OrderedItems []json.RawMessage `json:"orderedItems"`
			Items        []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return false, err
		}
		for _, it := range append(page.OrderedItems, page.Items...) {
			if err := each(it); err != nil {
				return false, err
			}
		}
		next = page.Next
	}
	return next == "", nil
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
