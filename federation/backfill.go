package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Backfill: once a follow is accepted, the node imports what the followed
// actor already has by paging its collections (paging.go). The worker
// runs one backfill at a time and retries those that fail.

// backfillOnce imports the oldest accepted follow not yet backfilled. It
// runs in the worker's import loop; a follow whose backfill fails waits a
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

// dropFormerMembers ends the memberships, and the follows they brought,
// of co-ops hosted elsewhere that a followed federation no longer lists,
// as a Remove would: a node set up afresh lists only what it has now.
func (f *Federation) dropFormerMembers(ctx context.Context, fedID string, members []string) error {
	all, err := f.store.Follows(ctx)
	if err != nil {
		return err
	}
	for _, fl := range all {
		if fl.Via != fedID || slices.Contains(members, fl.Target) {
			continue
		}
		if err := f.store.RemoveMember(ctx, fedID, fl.Target, f.now()); err != nil {
			return err
		}
		if err := f.unfollow(ctx, fl.ID); err != nil && directory.KindOf(err) != directory.KindNotFound {
			return err
		}
		f.log.InfoContext(ctx, "dropped a former member", slog.String("federation", fedID), slog.String("coop", fl.Target))
	}
	return nil
}

// MaxBackfillPages bounds how many collection pages one backfill reads.
const MaxBackfillPages = 200

// Backfill imports a followed federation (its members and their open
// jobs) or co-op (its open jobs) by paging their collections. Any other
// actor (a server's instance actor) has nothing to import.
func (f *Federation) Backfill(ctx context.Context, actorID string) error {
	a, err := f.FetchActor(ctx, actorID)
	if err != nil {
		return err
	}
	if isFederationActor(a) {
		fed, err := f.storeFederation(ctx, a)
		if err != nil {
			return err
		}
		var members []string
		complete, err := f.pageCollectionAll(ctx, membersOf(fed.APID), func(item json.RawMessage) error {
			var id string
			if json.Unmarshal(item, &id) == nil {
				members = append(members, id)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if complete {
			if err := f.dropFormerMembers(ctx, fed.APID, members); err != nil {
				return err
			}
		}
		// A member that cannot be imported now (its server is down) fails
		// the backfill after the others are in, so that it is retried
		// rather than recorded as done.
		var failed []error
		for _, m := range members {
			if err := f.checkMember(fed.APID, m); err != nil {
				f.log.WarnContext(ctx, "ignoring a member", slog.String("coop", m), slog.Any("error", err))
				continue
			}
			err := f.addMember(ctx, fed.APID, m)
			if directory.KindOf(err) == directory.KindInvalid {
				// Not a co-op (a Person, say): refused for good.
				f.log.WarnContext(ctx, "ignoring a member", slog.String("coop", m), slog.Any("error", err))
				continue
			}
			if err != nil {
				f.log.Warn("importing a member", slog.String("coop", m), slog.Any("error", err))
				failed = append(failed, fmt.Errorf("member %s: %w", m, err))
			}
		}
		return errors.Join(failed...)
	}
	if !isCoopActor(a) {
		return nil // a server's instance actor: nothing to aggregate
	}
	// The actor was just fetched: it is stored as it is, not fetched again.
	if hostOf(actorID) == f.links.Host() {
		_, err = f.ensureCoop(ctx, actorID, "")
	} else if err = f.checkNotBlocked(ctx, actorID); err == nil {
		_, err = f.storeCoopActor(ctx, a, "")
	}
	if err != nil {
		return err
	}
	return f.importOutbox(ctx, actorID)
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
		err := f.storeNote(ctx, coopID, act.Object)
		if k := directory.KindOf(err); k == directory.KindInvalid || k == directory.KindForbidden && !errors.Is(err, errBlocked) {
			// One bad job does not stop the import of the others.
			f.log.InfoContext(ctx, "skipping a job", slog.String("coop", coopID), slog.Any("error", err))
			return nil
		}
		return err
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
