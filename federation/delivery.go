package federation

import (
	"context"
	"crypto/rsa"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// The delivery queue: the worker claims due deliveries host by host
// (dispatch.go) and POSTs each signed by its actor's key, retrying with
// backoff, then dead-letters it.

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
	// Concurrency bounds the POSTs in flight, to all hosts; hosts not
	// known to answer share half of them. A POST still waiting after
	// SlowAfter gives its slot back, so up to as many again may wait on
	// slow hosts.
	Concurrency int
	// PerHost bounds the POSTs in flight to one host that answers; a host
	// not known to answer gets one.
	PerHost int
	// TripAfter is how many failures in a row (no answer, 5xx, 408, 429)
	// pause a host: for FirstRetry, then twice as long after each failed
	// probe, up to MaxRetry or 10 minutes. A paused host's deliveries fail
	// without a POST and take their backoff.
	TripAfter int
	// Timeout bounds one POST.
	Timeout time.Duration
	// SlowAfter is how long a POST waits for its answer before it gives
	// its slot back (hosts.go).
	SlowAfter time.Duration
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
		// Enough for a thousand hosts in a few seconds; a POST in
		// flight costs a goroutine, a connection and its body.
		c.Concurrency = 64
	}
	if c.PerHost <= 0 {
		c.PerHost = 2
	}
	if c.TripAfter <= 0 {
		c.TripAfter = 3
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.SlowAfter <= 0 {
		c.SlowAfter = min(2*time.Second, c.Timeout/2)
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

// queueEvents turns a batch of outbox events into deliveries; it reports
// whether there may be more right away.
func (f *Federation) queueEvents(ctx context.Context) bool {
	const batch = 50
	evs, err := f.store.PendingEvents(ctx, batch)
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
	return len(evs) == batch
}

// permanent reports statuses that retrying cannot fix.
func permanent(status int) bool {
	return status >= 400 && status < 500 && status != http.StatusUnauthorized &&
		status != http.StatusRequestTimeout && status != http.StatusTooManyRequests
}

// attempt POSTs one delivery and records the outcome in the queue. It
// returns what the POST taught about the host, and the error if it failed.
// A delivery to a domain blocked since it was queued is dropped unsent.
func (f *Federation) attempt(ctx context.Context, d directory.Delivery) (hostResult, string) {
	if f.dropBlockedDelivery(ctx, d) {
		return resultNone, ""
	}
	key, _, err := f.keyPair(ctx, d.Signer)
	if err != nil {
		f.log.Error("delivery key", slog.String("signer", d.Signer), slog.Any("error", err))
		return resultNone, ""
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
		return resultAnswered, ""
	}
	if ctx.Err() != nil {
		return resultNone, "" // shutting down: the lease runs out and another attempt follows
	}
	msg := err.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	f.failed(ctx, d, status, msg, now)
	if hostFailed(status) {
		return resultFailed, msg
	}
	return resultAnswered, ""
}

// failed records a failed attempt: another one after a backoff, or a dead
// letter when the status says retrying cannot help or the attempts are
// spent.
func (f *Federation) failed(ctx context.Context, d directory.Delivery, status int, msg string, now time.Time) {
	attempts := d.Attempts + 1
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
