package federation

import (
	"context"

	"github.com/colmena-coop/colmena/directory"
)

// Update: a job Note edited, or an actor's own profile changed.

// onUpdate applies an edited job Note, a followed federation's new name
// or an aggregated co-op's new profile; other updates are ignored.
func (f *Federation) onUpdate(ctx context.Context, actor *directory.RemoteActor, obj *objectRef) error {
	switch {
	case obj.Type == "Note":
		return f.applyNote(ctx, actor, obj)
	case obj.ID != actor.APID:
		return nil
	case isFederation(actor.Document):
		// A followed federation renamed itself.
		if fl, err := f.store.FollowByTarget(ctx, actor.APID); err == nil && fl.State == directory.FollowAccepted {
			fresh, err := f.FetchActor(ctx, actor.APID)
			if err != nil {
				return err
			}
			_, err = f.storeFederation(ctx, fresh)
			return err
		}
		return nil
	}
	// A profile edit: refresh what we keep of the actor.
	if ok, err := f.aggregated(ctx, actor.APID); err == nil && ok {
		if _, err := f.ensureCoop(ctx, actor.APID, ""); err != nil {
			return err
		}
		f.refreshLogo(ctx, actor.APID)
	}
	return nil
}
