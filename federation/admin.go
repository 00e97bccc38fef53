package federation

import (
	"context"
	"errors"
	"slices"

	"github.com/colmena-coop/colmena/directory"
)

// Deliveries lists queued or dead-lettered deliveries for the admin.
func (f *Federation) Deliveries(ctx context.Context, state string, limit int) ([]directory.Delivery, error) {
	if state != directory.DeliveryPending && state != directory.DeliveryFailed {
		return nil, directory.Invalidf("state", "%q must be pending or failed", state)
	}
	return f.store.Deliveries(ctx, state, limit)
}

// Block refuses a domain's servers and purges what came from them.
func (f *Federation) Block(ctx context.Context, domain string) (string, error) {
	d, err := directory.NormalizeDomain("domain", domain)
	if err != nil {
		return "", err
	}
	if slices.Contains(directory.DomainSuffixes(f.links.Host()), d) {
		return "", directory.Invalidf("domain", "%s is this node's own domain", d)
	}
	if err := f.store.Block(ctx, d, f.now()); err != nil {
		return "", err
	}
	f.log.InfoContext(ctx, "blocked a domain", "domain", d)
	return d, nil
}

// Unblock lifts a block.
func (f *Federation) Unblock(ctx context.Context, domain string) error {
	d, err := directory.NormalizeDomain("domain", domain)
	if err != nil {
		return err
	}
	return f.store.Unblock(ctx, d)
}

// Blocks lists blocked domains.
func (f *Federation) Blocks(ctx context.Context) ([]string, error) { return f.store.Blocks(ctx) }

// AddMember makes a co-op hosted on another node a member of this node's
// federation: its profile and open jobs are imported, the node follows it,
// and the federation's followers get an Add.
func (f *Federation) AddMember(ctx context.Context, coop string) (*directory.Coop, error) {
	id, err := f.ResolveActor(ctx, coop)
	if err != nil {
		return nil, remapField(err, "coop")
	}
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return nil, err
	}
	if hostOf(id) == f.links.Host() {
		c, err := f.store.CoopByAPID(ctx, id)
		if err != nil {
			return nil, directory.NotFoundf("no co-op %s here", id)
		}
		return c, f.store.AddMember(ctx, fed.APID, id, f.now())
	}
	if err := f.addMember(ctx, fed.APID, id); err != nil {
		if directory.KindOf(err) == directory.KindInternal {
			return nil, directory.Invalidf("coop", "could not import %s: %v", id, err)
		}
		return nil, err
	}
	f.Nudge()
	return f.store.CoopByAPID(ctx, id)
}

// RemoveMember ends a co-op's membership of this node's federation; the
// federation's followers get a Remove.
func (f *Federation) RemoveMember(ctx context.Context, coop string) error {
	id, err := f.ResolveActor(ctx, coop)
	if err != nil {
		return remapField(err, "coop")
	}
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return err
	}
	if err := f.store.RemoveMember(ctx, fed.APID, id, f.now()); err != nil {
		return err
	}
	if fl, err := f.store.FollowByTarget(ctx, id); err == nil && fl.Via == fed.APID {
		if err := f.Unfollow(ctx, fl.ID); err != nil {
			return err
		}
	}
	f.Nudge()
	return nil
}

func remapField(err error, field string) error {
	var de *directory.Error
	if errors.As(err, &de) && de.Field == "target" {
		c := *de
		c.Field = field
		return &c
	}
	return err
}

// RetryDelivery puts a delivery that kept failing back in the queue, to be
// sent at once.
func (f *Federation) RetryDelivery(ctx context.Context, id int64) error {
	if err := f.store.ReviveDelivery(ctx, id, f.now()); err != nil {
		return err
	}
	f.Nudge()
	return nil
}
