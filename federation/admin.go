package federation

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

// Deliveries lists queued or dead-lettered deliveries for the admin.
func (f *Federation) Deliveries(ctx context.Context, p directory.Principal, state string, limit int) ([]directory.Delivery, error) {
	if err := p.CheckAdmin(); err != nil {
		return nil, err
	}
	if state != directory.DeliveryPending && state != directory.DeliveryFailed {
		return nil, directory.Invalid("state", directory.CodeDeliveryState, state)
	}
	return f.store.Deliveries(ctx, state, limit)
}

// Block refuses a domain's servers and purges what came from them.
func (f *Federation) Block(ctx context.Context, p directory.Principal, domain string) (string, error) {
	if err := p.CheckAdmin(); err != nil {
		return "", err
	}
	d, err := directory.NormalizeDomain("domain", domain)
	if err != nil {
		return "", err
	}
	if slices.Contains(directory.DomainSuffixes(f.links.Host()), d) {
		return "", directory.Invalid("domain", directory.CodeOwnDomain, d)
	}
	if err := f.store.Block(ctx, d, f.now()); err != nil {
		return "", err
	}
	f.log.InfoContext(ctx, "blocked a domain", "domain", d)
	f.svc.Audit(ctx, p, "domain.block", d, "")
	return d, nil
}

// BlockImpact counts what blocking domain would purge, for the admin to
// confirm; the node's own domain is refused as Block refuses it.
func (f *Federation) BlockImpact(ctx context.Context, p directory.Principal, domain string) (directory.BlockImpact, error) {
	if err := p.CheckAdmin(); err != nil {
		return directory.BlockImpact{}, err
	}
	d, err := directory.NormalizeDomain("domain", domain)
	if err != nil {
		return directory.BlockImpact{}, err
	}
	if slices.Contains(directory.DomainSuffixes(f.links.Host()), d) {
		return directory.BlockImpact{}, directory.Invalid("domain", directory.CodeOwnDomain, d)
	}
	return f.store.BlockImpact(ctx, d)
}

// Unblock lifts a block. A block kept from an older version may be no
// domain name at all (a pattern such as "%"): what does not normalise is
// lifted as written, if it is blocked as such, and is otherwise refused
// as no domain name.
func (f *Federation) Unblock(ctx context.Context, p directory.Principal, domain string) error {
	if err := p.CheckAdmin(); err != nil {
		return err
	}
	d, nerr := directory.NormalizeDomain("domain", domain)
	if nerr != nil {
		d = strings.TrimSpace(domain)
	}
	if err := f.store.Unblock(ctx, d); err != nil {
		if nerr != nil && directory.KindOf(err) == directory.KindNotFound {
			return nerr
		}
		return err
	}
	f.svc.Audit(ctx, p, "domain.unblock", d, "")
	return nil
}

// Blocks lists blocked domains, for the admin.
func (f *Federation) Blocks(ctx context.Context, p directory.Principal) ([]string, error) {
	if err := p.CheckAdmin(); err != nil {
		return nil, err
	}
	return f.store.Blocks(ctx)
}

// AddMember makes a co-op hosted on another node a member of this node's
// federation: its profile and open jobs are imported, the node follows it,
// and the federation's followers get an Add.
func (f *Federation) AddMember(ctx context.Context, p directory.Principal, coop string) (*directory.Coop, error) {
	if err := p.CheckAdmin(); err != nil {
		return nil, err
	}
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
		if err := f.store.AddMember(ctx, fed.APID, id, f.now()); err != nil {
			return nil, err
		}
		f.svc.Audit(ctx, p, "member.add", id, "")
		return c, nil
	}
	if err := f.addMember(ctx, fed.APID, id); err != nil {
		// A block is the answer; anything else that stopped the import
		// (the co-op's server failing, or serving another's job) means the
		// co-op cannot be imported now.
		if k := directory.KindOf(err); k == directory.KindInternal || k == directory.KindForbidden && !errors.Is(err, errBlocked) {
			return nil, directory.Invalid("coop", directory.CodeImportFailed, id, err)
		}
		return nil, err
	}
	f.Nudge()
	f.svc.Audit(ctx, p, "member.add", id, "")
	return f.store.CoopByAPID(ctx, id)
}

// RemoveMember ends a co-op's membership of this node's federation; the
// federation's followers get a Remove.
func (f *Federation) RemoveMember(ctx context.Context, p directory.Principal, coop string) error {
	if err := p.CheckAdmin(); err != nil {
		return err
	}
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
		if err := f.unfollow(ctx, fl.ID); err != nil {
			return err
		}
	}
	f.Nudge()
	f.svc.Audit(ctx, p, "member.remove", id, "")
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

// RetryDeliveries puts deliveries that kept failing back in the queue, to
// be sent at once: those ids, or every failed one when ids is empty. It
// returns how many went back; ids no longer failed are skipped.
func (f *Federation) RetryDeliveries(ctx context.Context, p directory.Principal, ids ...int64) (int, error) {
	if err := p.CheckAdmin(); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		failed, err := f.store.Deliveries(ctx, directory.DeliveryFailed, 1000)
		if err != nil {
			return 0, err
		}
		for _, d := range failed {
			ids = append(ids, d.ID)
		}
	}
	n := 0
	for _, id := range ids {
		err := f.store.ReviveDelivery(ctx, id, f.now())
		if directory.KindOf(err) == directory.KindNotFound {
			continue
		}
		if err != nil {
			return n, err
		}
		n++
	}
	if n > 0 {
		f.Nudge()
		f.svc.Audit(ctx, p, "deliveries.retry", strconv.Itoa(n), "")
	}
	return n, nil
}
