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

// dueHostsPerRound bounds the hosts with deliveries due that one read of
// the queue returns.
const dueHostsPerRound = 500

// A round works through the hosts the last read of the queue returned
// and reads it again only when they are spent, when the poll ticks or
// when new deliveries are queued: a fan-out to a thousand hosts then
// reads the list of hosts twice, not once per POST.

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
	// due are hosts that had deliveries due at the last read of the
	// queue, and may still have; stale says to read it again.
	due   []string
	stale bool
}

func newDispatcher(f *Federation) *dispatcher {
	c := f.deliver
	return &dispatcher{f: f, freed: make(chan struct{}, 1), hosts: newHostTable(hostLimits{
		total: c.Concurrency, perHost: c.PerHost, unproven: max(1, c.Concurrency/2), slow: c.Concurrency, tripAfter: c.TripAfter,
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
	fresh := d.stale || len(d.due) == 0
	if fresh {
		hosts, err := f.store.DueDeliveryHosts(ctx, now, dueHostsPerRound)
		if err != nil {
			if ctx.Err() == nil {
				f.log.Error("reading the delivery queue", slog.Any("error", err))
			}
			return false
		}
		d.due, d.stale = hosts, false
	}
	progress := false
	kept := d.due[:0]
	defer func() {
		// What the loop did not reach stays for the next round.
		clear(d.due[len(kept):])
		d.due = kept
	}()
	for i, host := range d.due {
		if ctx.Err() != nil || d.hosts.free() == 0 {
			kept = append(kept, d.due[i:]...)
			break
		}
		n, paused, until, lastErr := d.hosts.room(host, now)
		if paused {
			if d.skipPaused(ctx, host, now, until, lastErr) {
				progress = true
				kept = append(kept, host)
			}
			continue
		}
		if n == 0 {
			kept = append(kept, host)
			continue
		}
		ds, err := f.store.ClaimDeliveries(ctx, host, now, f.deliver.Timeout*2, n)
		if err != nil {
			if ctx.Err() == nil {
				f.log.Error("claiming deliveries", slog.String("host", host), slog.Any("error", err))
			}
			kept = append(kept, d.due[i:]...)
			return false
		}
		if len(ds) == n {
			kept = append(kept, host) // it may have more
		}
		for _, dl := range ds {
			p := d.hosts.start(host, now)
			d.wg.Go(func() { d.send(ctx, dl, p) })
			progress = true
		}
	}
	if !progress && !fresh && d.hosts.newRoom() {
		// A host not yet in flight could start, but the hosts read
		// last time cannot take a POST: others may be due.
		d.stale = true
		return true
	}
	return progress && d.hosts.free() > 0
}

// send POSTs one delivery in its slot and frees the slot.
func (d *dispatcher) send(ctx context.Context, dl directory.Delivery, p *post) {
	f := d.f
	slow := time.AfterFunc(f.deliver.SlowAfter, func() {
		if d.hosts.release(p) {
			d.wakeRound()
		}
	})
	r, msg := f.attempt(ctx, dl)
	slow.Stop()
	until, recovered := d.hosts.finish(dl.Host, p, r, msg, f.now())
	switch {
	case !until.IsZero():
		f.log.Warn("delivery host failing: pausing its deliveries", slog.String("host", dl.Host),
			slog.Time("until", until), slog.String("error", msg))
	case recovered:
		f.log.Info("delivery host answers again", slog.String("host", dl.Host))
	}
	d.wakeRound()
}

// wakeRound tells the loop that a slot is free.
func (d *dispatcher) wakeRound() {
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
			d.stale = true
		}
		for d.round(ctx) && ctx.Err() == nil {
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.stale = true
		case <-woken:
			d.stale = true
		case <-d.freed:
		}
	}
}
