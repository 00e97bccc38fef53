package federation

import (
	"context"
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
