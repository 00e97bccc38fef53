package federation

import (
	"context"
	"encoding/json"

	"github.com/colmena-coop/colmena/directory"
)

// Announce: a followed federation boosts a member's job.

// onAnnounce fetches and stores the job a followed federation boosts,
// with its co-op as a member of that federation. What cannot be fetched
// or is not a job is ignored.
func (f *Federation) onAnnounce(ctx context.Context, actor *directory.RemoteActor, obj *objectRef) error {
	fl, err := f.store.FollowByTarget(ctx, actor.APID)
	if err != nil || fl.State != directory.FollowAccepted || obj.ID == "" {
		return nil
	}
	raw, err := f.client.GetActivity(ctx, obj.ID)
	if err != nil {
		return nil
	}
	var n remoteNote
	if json.Unmarshal(raw, &n) != nil || n.ID != obj.ID || hostOf(n.AttributedTo) != hostOf(n.ID) {
		return nil
	}
	if _, err := f.ensureCoop(ctx, n.AttributedTo, actor.APID); err != nil {
		return nil
	}
	return f.storeNote(ctx, n.AttributedTo, raw)
}
