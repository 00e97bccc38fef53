package federation

import (
	"context"
	"log/slog"
	"time"
)

// expireEvery is how often the worker closes the local jobs whose
// valid_through has passed.
const expireEvery = time.Minute

// expireJobs closes the local jobs past their valid_through, at most once
// every expireEvery; the worker's import loop calls it on each pass. Each
// leaves a tombstone and a job.delete event, so that followers get a
// Delete, as when a co-op closes a job itself. A Delete, not an Update
// saying the job expired: Mastodon and its kin take a deleted Note off
// timelines, while an Update would only edit a post that stays there.
func (f *Federation) expireJobs(ctx context.Context) {
	now := f.now()
	if next := f.nextExpire.Load(); next != 0 && now.UnixNano() < next {
		return
	}
	f.nextExpire.Store(now.Add(expireEvery).UnixNano())
	n, err := f.store.ExpireJobs(ctx, now)
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("closing expired jobs", slog.Any("error", err))
		}
		return
	}
	if n > 0 {
		f.log.Info("closed expired jobs", slog.Int("jobs", n))
		f.wake.Nudge()
	}
}
