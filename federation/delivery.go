package federation

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// DeliveryConfig tunes the delivery worker.
type DeliveryConfig struct {
	// Poll is how often the worker looks for work when not nudged.
	Poll time.Duration
	// FirstRetry is the wait after the first failure; each further failure
	// doubles it, up to MaxRetry.
	FirstRetry, MaxRetry time.Duration
	// MaxAttempts is how many tries a delivery gets before it is
	// dead-lettered. The defaults retry for about two days.
	MaxAttempts int
	// Concurrency bounds the POSTs in flight.
	Concurrency int
	// Timeout bounds one POST.
	Timeout time.Duration
	// RefreshAfter is how old a remote co-op's profile may grow before
	// the worker fetches it again.
	RefreshAfter time.Duration
}

func (c DeliveryConfig) withDefaults() DeliveryConfig {
	if c.Poll <= 0 {
		c.Poll = 2 * time.Second
	}
	if c.FirstRetry <= 0 {
		c.FirstRetry = 30 * time.Second
	}
	if c.MaxRetry <= 0 {
		c.MaxRetry = 12 * time.Hour
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 14 // 30s doubling to 12h: about 53 hours in all
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.RefreshAfter <= 0 {
		c.RefreshAfter = 24 * time.Hour
	}
	return c
}

// backoff is the wait after the given number of failed attempts, with
// ±10% jitter so that retries to one host spread out.
func (c DeliveryConfig) backoff(attempts int) time.Duration {
	d := c.FirstRetry
	for i := 1; i < attempts && d < c.MaxRetry; i++ {
		d *= 2
	}
	d = min(d, c.MaxRetry)
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}

// instanceSigner returns the instance actor's key for signed GETs.
func (f *Federation) instanceSigner(ctx context.Context) (string, *rsa.PrivateKey, error) {
	id := f.links.InstanceActor()
	key, _, err := f.keyPair(ctx, id)
	return keyIDOf(id), key, err
}

// Run works the transactional outbox and the delivery queue until ctx
// ends: events become signed deliveries, deliveries are POSTed with
// retries and exponential backoff, then dead-lettered.
func (f *Federation) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f.maintain(ctx)
	}()
	defer wg.Wait()
	t := time.NewTicker(f.deliver.Poll)
	defer t.Stop()
	for {
		for f.workOnce(ctx) && ctx.Err() == nil {
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-f.nudge:
		case <-f.svc.Changes():
		}
	}
}

// maintain imports accepted follows and refreshes stale profiles beside
// the delivery loop, so that a long import never holds up deliveries.
func (f *Federation) maintain(ctx context.Context) {
	// After a stop, import again what every followed actor has: what
	// arrived while this node was down may otherwise wait for the
	// sender's retries.
	if err := f.store.ResetBackfills(ctx); err != nil && ctx.Err() == nil {
		f.log.Error("scheduling imports", slog.Any("error", err))
	}
	t := time.NewTicker(f.deliver.Poll)
	defer t.Stop()
	for {
		f.backfillOnce(ctx)
		f.refreshOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-f.maintainNudge:
		}
	}
}

// workOnce handles one batch of events and deliveries; it reports whether
// there may be more to do right away.
func (f *Federation) workOnce(ctx context.Context) bool {
	more := false
	evs, err := f.store.PendingEvents(ctx, 50)
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("reading outbox events", slog.Any("error", err))
		}
		return false
	}
	for _, ev := range evs {
		ds, err := f.deliveriesFor(ctx, ev)
		if err != nil {
			f.log.Error("building activities", slog.String("kind", ev.Kind), slog.String("object", ev.ObjectID), slog.Any("error", err))
			return false
		}
		if err := f.store.CompleteEvent(ctx, ev.ID, ds); err != nil {
			f.log.Error("queueing deliveries", slog.Any("error", err))
			return false
		}
	}
	more = len(evs) == 50
	ds, err := f.store.ClaimDeliveries(ctx, f.now(), f.deliver.Timeout*2, f.deliver.Concurrency*4)
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("claiming deliveries", slog.Any("error", err))
		}
		return false
	}
	sem := make(chan struct{}, f.deliver.Concurrency)
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			f.attempt(ctx, d)
		}()
	}
	wg.Wait()
	return more || len(ds) == f.deliver.Concurrency*4
}

// permanent reports statuses that retrying cannot fix.
func permanent(status int) bool {
	return status >= 400 && status < 500 && status != http.StatusUnauthorized &&
		status != http.StatusRequestTimeout && status != http.StatusTooManyRequests
}

func (f *Federation) attempt(ctx context.Context, d directory.Delivery) {
	key, _, err := f.keyPair(ctx, d.Signer)
	if err != nil {
		f.log.Error("delivery key", slog.String("signer", d.Signer), slog.Any("error", err))
		return
	}
	pctx, cancel := context.WithTimeout(ctx, f.deliver.Timeout)
	status, err := f.client.Post(pctx, d.Inbox, d.Body, keyIDOf(d.Signer), key)
	cancel()
	now := f.now()
	if err == nil {
		if err := f.store.DeliveryDone(ctx, d.ID); err != nil && ctx.Err() == nil {
			f.log.Error("finishing a delivery", slog.Any("error", err))
		}
		f.log.Debug("delivered", slog.String("inbox", d.Inbox), slog.String("activity", d.ActivityID), slog.Int("status", status))
		return
	}
	if ctx.Err() != nil {
		return // shutting down: the lease runs out and another attempt follows
	}
	attempts := d.Attempts + 1
	msg := err.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	if permanent(status) || attempts >= f.deliver.MaxAttempts {
		f.log.Warn("delivery failed for good", slog.String("inbox", d.Inbox), slog.String("activity", d.ActivityID),
			slog.Int("attempts", attempts), slog.String("error", msg))
		if err := f.store.DeliveryDead(ctx, d.ID, attempts, msg, now); err != nil {
			f.log.Error("dead-lettering a delivery", slog.Any("error", err))
		}
		return
	}
	next := now.Add(f.deliver.backoff(attempts))
	f.log.Info("delivery failed; will retry", slog.String("inbox", d.Inbox), slog.String("activity", d.ActivityID),
		slog.Int("attempts", attempts), slog.Time("next", next), slog.String("error", msg))
	if err := f.store.DeliveryRetry(ctx, d.ID, attempts, next, msg, now); err != nil {
		f.log.Error("rescheduling a delivery", slog.Any("error", err))
	}
}

// deliveriesFor turns an outbox event into one delivery per inbox.
func (f *Federation) deliveriesFor(ctx context.Context, ev directory.Event) ([]directory.Delivery, error) {
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return nil, err
	}
	type send struct {
		signer   string
		activity *Activity
		to       []string // actors whose followers receive it
	}
	var sends []send
	switch ev.Kind {
	case directory.EventJobCreate, directory.EventJobUpdate:
		j, err := f.store.JobByAPID(ctx, ev.ObjectID)
		if directory.KindOf(err) == directory.KindNotFound {
			return nil, nil // deleted since; its job.delete event follows
		} else if err != nil {
			return nil, err
		}
		note := f.note(j)
		if ev.Kind == directory.EventJobCreate {
			sends = append(sends,
				send{j.Coop.APID, f.wrap("Create", createID(j.APID), j.Coop.APID, j.Published, note), []string{j.Coop.APID}},
				send{fed.APID, f.announce(fed.APID, j), []string{fed.APID}})
		} else {
			sends = append(sends, send{j.Coop.APID, f.wrap("Update", updateID(j.APID, j.Updated), j.Coop.APID, j.Updated, note), []string{j.Coop.APID, fed.APID}})
		}
	case directory.EventJobDelete:
		ts := &Tombstone{ID: ev.ObjectID, Type: "Tombstone", FormerType: "Note", Deleted: asTime(ev.CreatedAt)}
		act := f.wrap("Delete", deleteID(ev.ObjectID), ev.ActorID, ev.CreatedAt, ts)
		sends = append(sends, send{ev.ActorID, act, []string{ev.ActorID, fed.APID}})
	case directory.EventCoopCreate:
		// A new co-op has no followers yet; its federation's followers
		// learn of the new member.
		add := &Activity{Context: f.objectContext(), ID: membershipID(fed.APID, "Add", ev.CreatedAt),
			Type: "Add", Actor: fed.APID, Published: asTime(ev.CreatedAt), To: []string{PublicURI},
			Cc: []string{followersOf(fed.APID)}, Object: ev.ObjectID, Target: membersOf(fed.APID)}
		sends = append(sends, send{fed.APID, add, []string{fed.APID}})
	case directory.EventMemberAdd, directory.EventMemberRemove:
		typ := "Add"
		if ev.Kind == directory.EventMemberRemove {
			typ = "Remove"
		}
		act := &Activity{Context: f.objectContext(), ID: membershipID(ev.ActorID, typ, ev.CreatedAt),
			Type: typ, Actor: ev.ActorID, Published: asTime(ev.CreatedAt), To: []string{PublicURI},
			Cc: []string{followersOf(ev.ActorID)}, Object: ev.ObjectID, Target: membersOf(ev.ActorID)}
		sends = append(sends, send{ev.ActorID, act, []string{ev.ActorID}})
	case directory.EventCoopUpdate:
		c, err := f.store.CoopByAPID(ctx, ev.ObjectID)
		if directory.KindOf(err) == directory.KindNotFound {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		actor, err := f.coopActor(ctx, c)
		if err != nil {
			return nil, err
		}
		actor.Context = nil
		sends = append(sends, send{c.APID, f.wrapActor("Update", updateID(c.APID, c.UpdatedAt), c.APID, c.UpdatedAt, actor), []string{c.APID, fed.APID}})
	case directory.EventFederationUpdate:
		actor, err := f.federationActor(ctx)
		if err != nil {
			return nil, err
		}
		actor.Context = nil
		sends = append(sends, send{actor.ID, f.wrapActor("Update", updateID(actor.ID, ev.CreatedAt), actor.ID, ev.CreatedAt, actor), []string{actor.ID}})
	case directory.EventCoopDelete:
		act := &Activity{Context: f.actorContext(), ID: deleteID(ev.ObjectID), Type: "Delete", Actor: ev.ActorID,
			Published: asTime(ev.CreatedAt), To: []string{PublicURI}, Object: ev.ObjectID}
		sends = append(sends, send{ev.ActorID, act, []string{ev.ActorID, fed.APID}})
	default:
		f.log.Warn("unknown outbox event", slog.String("kind", ev.Kind))
		return nil, nil
	}
	var out []directory.Delivery
	for _, s := range sends {
		inboxes, err := f.store.FollowerInboxes(ctx, s.to)
		if err != nil {
			return nil, err
		}
		if len(inboxes) == 0 {
			continue
		}
		body, err := json.Marshal(s.activity)
		if err != nil {
			return nil, err
		}
		for _, inbox := range inboxes {
			out = append(out, directory.Delivery{Inbox: inbox, Signer: s.signer, ActivityID: s.activity.ID, Body: body,
				NextAttemptAt: f.now(), CreatedAt: f.now()})
		}
	}
	return out, nil
}

// wrap makes a public activity around a Note or Tombstone.
func (f *Federation) wrap(typ, id, actor string, at time.Time, object any) *Activity {
	if n, ok := object.(*Note); ok {
		c := *n
		c.Context = nil
		object = &c
	}
	return &Activity{Context: f.objectContext(), ID: id, Type: typ, Actor: actor, Published: asTime(at),
		To: []string{PublicURI}, Cc: []string{followersOf(actor)}, Object: object}
}

func (f *Federation) wrapActor(typ, id, actor string, at time.Time, object *Actor) *Activity {
	return &Activity{Context: f.actorContext(), ID: id, Type: typ, Actor: actor, Published: asTime(at),
		To: []string{PublicURI}, Cc: []string{followersOf(actor)}, Object: object}
}

// announce is the federation boosting a member's job, so that following
// the federation shows every member's openings.
func (f *Federation) announce(fedID string, j *directory.Job) *Activity {
	return &Activity{Context: f.objectContext(), ID: f.announceID(fedID, j.APID), Type: "Announce", Actor: fedID,
		Published: asTime(j.Published), To: []string{PublicURI}, Cc: []string{followersOf(fedID), j.Coop.APID}, Object: j.APID}
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
