package federation

import (
	"context"
	"log/slog"

	"github.com/colmena-coop/colmena/directory"
)

// Domain blocks applied to traffic. A blocked domain (the admin's list,
// admin.go) is refused whichever part of an exchange names it: the host
// of a signature's key, of the activity, of its actor, of its object and
// of what that object names; and nothing is fetched from it or delivered
// to it.

// refuseBlockedHosts refuses (403) when any of the URLs is on a blocked
// domain. Empty URLs are skipped.
func (f *Federation) refuseBlockedHosts(ctx context.Context, urls ...string) error {
	checked := make(map[string]bool, len(urls))
	for _, u := range urls {
		h := hostOf(u)
		if h == "" || checked[h] {
			continue
		}
		checked[h] = true
		blocked, err := f.store.Blocked(ctx, h)
		if err != nil {
			return err
		}
		if blocked {
			return directory.Forbiddenf("%s is blocked here", h)
		}
	}
	return nil
}

// activityHosts lists every URL an incoming activity names whose host
// must not be blocked: its id, actor and object, and the actor and
// object of an embedded object.
func activityHosts(act *Incoming, keyID string) []string {
	urls := []string{keyID, act.ID, act.Actor}
	if o := act.Object; o != nil {
		urls = append(urls, o.ID, o.Actor, o.Object)
	}
	return urls
}

// dropBlockedDelivery removes a queued delivery to an inbox on a blocked
// domain instead of sending it, and reports whether it did. Deliveries
// queued before the block, or to an inbox on another host than its
// actor's, end here.
func (f *Federation) dropBlockedDelivery(ctx context.Context, d directory.Delivery) bool {
	err := f.refuseBlockedHosts(ctx, d.Inbox)
	if err == nil {
		return false
	}
	if directory.KindOf(err) != directory.KindForbidden {
		f.log.Error("checking a delivery's domain", slog.Any("error", err))
		return true // the lease runs out and it is tried again
	}
	f.log.Info("dropping a delivery to a blocked domain", slog.String("inbox", d.Inbox), slog.String("activity", d.ActivityID))
	if err := f.store.DeliveryDone(ctx, d.ID); err != nil && ctx.Err() == nil {
		f.log.Error("dropping a delivery", slog.Any("error", err))
	}
	return true
}

// unblockedInboxes keeps the inboxes that are not on a blocked domain.
func (f *Federation) unblockedInboxes(ctx context.Context, inboxes []string) ([]string, error) {
	out := inboxes[:0:0]
	for _, in := range inboxes {
		err := f.refuseBlockedHosts(ctx, in)
		if directory.KindOf(err) == directory.KindForbidden {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}
