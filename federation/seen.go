package federation

import (
	"context"
	"log/slog"
	"time"
)

// The inbox applies each activity once: it remembers the ids it has seen
// (MarkSeen), for SeenWindow.

// SeenWindow is how long the inbox remembers an activity id. It must
// outlast the senders' retries of one delivery whose answer was lost:
// Mastodon retries 16 times over up to about three days (Sidekiq's
// count⁴+15 seconds plus its jitter), this node for about two days. Past
// that a replay of a captured request fails the signature's Date check
// (an hour either way), and applying an activity again changes nothing
// that applying it once did not. Seven days keeps a margin over both.
const SeenWindow = 7 * 24 * time.Hour

// pruneSeenEvery is how often the worker forgets ids older than
// SeenWindow.
const pruneSeenEvery = time.Hour

// pruneSeen forgets the activity ids seen before SeenWindow, at most once
// every pruneSeenEvery; the worker's import loop calls it on each pass.
func (f *Federation) pruneSeen(ctx context.Context) {
	now := f.now()
	if next := f.nextPrune.Load(); next != 0 && now.UnixNano() < next {
		return
	}
	f.nextPrune.Store(now.Add(pruneSeenEvery).UnixNano())
	f.pruneActivities(ctx, now)
	n, err := f.store.PruneSeen(ctx, now.Add(-SeenWindow))
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("forgetting old activity ids", slog.Any("error", err))
		}
		return
	}
	if n > 0 {
		f.log.Info("forgot old activity ids", slog.Int("ids", n))
	}
}
