package federation

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// The dispatcher sends deliveries as slots free up: each POST runs on its
// own, and the moment one ends the dispatcher claims more, host by host,
// as many as each host may take (hosts.go). No POST waits for another, so
// a host that never answers holds its own few slots and nothing else.
//
// Only what can start at once is claimed, so a claimed delivery is always
// being sent: its lease (twice the POST timeout) outlives the POST, and a
// worker that dies leaves its deliveries to be claimed again when their
// leases end.

// dueHostsPerRound bounds the hosts with deliveries due that one round
// reads.
const dueHostsPerRound = 500

// pausedBatch is how many deliveries to a paused host one round fails
// at once.
const pausedBatch = 50

type dispatcher struct {
	f     *Federation
	hosts *hostTable
	// freed has a value when a POST ended since the last round.
	freed chan struct{}
	wg    sync.WaitGroup
	// forgotAt is when idle hosts were last dropped from the table.
	forgotAt time.Time
}

func newDispatcher(f *Federation) *dispatcher {
	c := f.deliver
	return &dispatcher{f: f, freed: make(chan struct{}, 1), hosts: newHostTable(hostLimits{
		total: c.Concurrency, perHost: c.PerHost, unproven: max(1, c.Concurrency/2), tripAfter: c.TripAfter,
		firstPause: c.FirstRetry, maxPause: min(c.MaxRetry, 10*time.Minute), idle: 24 * time.Hour,
	})}
}

// round starts what may start now. It reports whether it did anything
// and slots are left, so that another round may find more at once.
func (d *dispatcher) round(ctx context.Context) bool {
	f := d.f
	now := f.now()
	if now.Sub(d.forgotAt) > time.Minute {
		d.hosts.forget(now)
		d.forgotAt = now
	}
	hosts, err := f.store.DueDeliveryHosts(ctx, now, dueHostsPerRound)
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("reading the delivery queue", slog.Any("error", err))
		}
		return false
	}
	progress := false
	for _, host := range hosts {
		if ctx.Err() != nil {
			return false
		}
		n, paused, until, lastErr := d.hosts.room(host, now)
		if paused {
			progress = d.skipPaused(ctx, host, now, until, lastErr) || progress
			continue
		}
		if n == 0 {
			continue
		}
		ds, err := f.store.ClaimDeliveries(ctx, host, now, f.deliver.Timeout*2, n)
		if err != nil {
			if ctx.Err() == nil {
				f.log.Error("claiming deliveries", slog.String("host", host), slog.Any("error", err))
			}
			return false
		}
		for _, dl := range ds {
			trial := d.hosts.start(host, now)
			d.wg.Go(func() { d.send(ctx, dl, trial) })
			progress = true
		}
	}
	return progress && d.hosts.free() > 0
}

// send POSTs one delivery in its slot and frees the slot.
func (d *dispatcher) send(ctx context.Context, dl directory.Delivery, trial bool) {
	f := d.f
	r, msg := f.attempt(ctx, dl)
	until, recovered := d.hosts.finish(dl.Host, trial, r, msg, f.now())
	switch {
	case !until.IsZero():
		f.log.Warn("delivery host failing: pausing its deliveries", slog.String("host", dl.Host),
			slog.Time("until", until), slog.String("error", msg))
	case recovered:
		f.log.Info("delivery host answers again", slog.String("host", dl.Host))
	}
	select {
	case d.freed <- struct{}{}:
	default:
	}
}

// skipPaused fails a batch of a paused host's due deliveries without a
// POST: each takes the backoff of a failed attempt, so that none holds a
// slot and all still dead-letter on time. It reports whether it failed
// any.
func (d *dispatcher) skipPaused(ctx context.Context, host string, now, until time.Time, lastErr string) bool {
	f := d.f
	ds, err := f.store.ClaimDeliveries(ctx, host, now, f.deliver.Timeout*2, pausedBatch)
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("claiming deliveries", slog.String("host", host), slog.Any("error", err))
		}
		return false
	}
	msg := fmt.Sprintf("not sent: %s keeps failing, paused until %s; last error: %s", host, until.UTC().Format(time.RFC3339), lastErr)
	for _, dl := range ds {
		f.failed(ctx, dl, 0, msg, now)
	}
	return len(ds) > 0
}

// deliverLoop turns outbox events into deliveries and sends them, until
// ctx ends; then it waits for the POSTs in flight, which the end of ctx
// cuts short.
func (f *Federation) deliverLoop(ctx context.Context) {
	d := newDispatcher(f)
	defer d.wg.Wait()
	t := time.NewTicker(f.deliver.Poll)
	defer t.Stop()
	for {
		woken := f.wake.C()
		for f.queueEvents(ctx) && ctx.Err() == nil {
		}
		for d.round(ctx) && ctx.Err() == nil {
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-woken:
		case <-d.freed:
		}
	}
}
