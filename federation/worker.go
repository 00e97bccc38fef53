package federation

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// The worker: two loops beside each other, one sending deliveries
// (dispatch.go) and one importing (backfills and stale profiles), so that
// a long import never holds up deliveries. Both wait on one wakeup, or on
// the poll interval; the delivery loop also wakes when a POST ends. A
// third loop, when a rates URL is configured, fetches exchange rates once
// a day (rates.go); a fourth checks the node's follows at start and daily
// (followcheck.go).

// wakeup tells the worker's loops there may be work: a local change, a
// delivery queued, a follow accepted. Nudges never block and coalesce.
// A loop takes C before it looks for work and waits on that channel
// after, so a nudge that comes while it works is not lost.
type wakeup struct {
	mu sync.Mutex
	c  chan struct{}
}

func newWakeup() *wakeup { return &wakeup{c: make(chan struct{})} }

// Nudge wakes every loop waiting on a channel C gave before.
func (w *wakeup) Nudge() {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(w.c)
	w.c = make(chan struct{})
}

// C is closed by the next Nudge.
func (w *wakeup) C() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.c
}

// Nudge wakes the worker, e.g. after a local change.
func (f *Federation) Nudge() { f.wake.Nudge() }

// Run works the transactional outbox and the delivery queue until ctx
// ends: events become signed deliveries, deliveries are POSTed with
// retries and exponential backoff, then dead-lettered. Beside it, accepted
// follows are imported, stale remote profiles refreshed and expired local
// jobs closed, the exchange rates fetched daily when a rates URL is
// configured, and the node's follows checked at start and daily.
func (f *Federation) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { f.makeKeys(ctx, keyWorkers) })
	wg.Go(func() { f.forwardChanges(ctx) })
	wg.Go(func() { f.importLoop(ctx) })
	wg.Go(func() { f.ratesLoop(ctx) })
	wg.Go(func() { f.followCheckLoop(ctx) })
	f.deliverLoop(ctx)
}

// forwardChanges nudges the worker when the directory reports a change
// to a local co-op or job, so that its deliveries go out at once.
func (f *Federation) forwardChanges(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.svc.Changes():
			f.wake.Nudge()
		}
	}
}

// importLoop backfills accepted follows, refreshes stale profiles,
// forgets activity ids older than SeenWindow and closes local jobs past
// their valid_through (expire.go).
func (f *Federation) importLoop(ctx context.Context) {
	// After a stop, import again what every followed actor has: what
	// arrived while this node was down may otherwise wait for the
	// sender's retries.
	if err := f.store.ResetBackfills(ctx); err != nil && ctx.Err() == nil {
		f.log.Error("scheduling imports", slog.Any("error", err))
	}
	t := time.NewTicker(f.deliver.Poll)
	defer t.Stop()
	for {
		woken := f.wake.C()
		f.backfillOnce(ctx)
		f.refreshOnce(ctx)
		f.pruneSeen(ctx)
		f.expireJobs(ctx)
		f.collectSearches(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-woken:
		}
	}
}
