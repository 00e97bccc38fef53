package federation

import (
	"context"
	"crypto/rsa"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// The delivery queue: the worker claims due deliveries and POSTs each
// signed by its actor's key, retrying with backoff, then dead-letters it.

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
	if f.dropBlockedDelivery(ctx, d) {
		return
	}
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
