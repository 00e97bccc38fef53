package federation

import (
	"context"
	"encoding/json"

	"github.com/colmena-coop/colmena/directory"
)

// Add and Remove: a followed federation's members change.

// onAdd imports a new member of a followed federation, and follows it.
func (f *Federation) onAdd(ctx context.Context, actor *directory.RemoteActor, act *Incoming) error {
	if !f.membersChange(ctx, actor, act) {
		return nil
	}
	return f.addMember(ctx, actor.APID, act.Object.ID)
}

// onRemove ends a membership of a followed federation, and the follow it
// brought.
func (f *Federation) onRemove(ctx context.Context, actor *directory.RemoteActor, act *Incoming) error {
	if !f.membersChange(ctx, actor, act) {
		return nil
	}
	member := act.Object.ID
	if err := f.store.RemoveMember(ctx, actor.APID, member, f.now()); err != nil {
		return err
	}
	if fl, err := f.store.FollowByTarget(ctx, member); err == nil && fl.Via == actor.APID {
		return f.unfollow(ctx, fl.ID)
	}
	return nil
}

// membersChange reports whether an Add or Remove is one this node applies:
// a federation it follows (accepted) changing its own members collection.
func (f *Federation) membersChange(ctx context.Context, actor *directory.RemoteActor, act *Incoming) bool {
	var target string
	var a struct {
		Target json.RawMessage `json:"target"`
	}
	if json.Unmarshal(act.Raw, &a) == nil {
		if r, err := parseRef(a.Target); err == nil {
			target = r.ID
		}
	}
	if target != membersOf(actor.APID) || act.Object.ID == "" {
		return false
	}
	fl, err := f.store.FollowByTarget(ctx, actor.APID)
	return err == nil && fl.State == directory.FollowAccepted
}
