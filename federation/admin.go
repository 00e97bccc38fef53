package federation

import (
	"context"

	"github.com/colmena-coop/colmena/directory"
)

// Deliveries lists queued or dead-lettered deliveries for the admin.
func (f *Federation) Deliveries(ctx context.Context, state string, limit int) ([]directory.Delivery, error) {
	if state != directory.DeliveryPending && state != directory.DeliveryFailed {
		return nil, directory.Invalidf("state", "%q must be pending or failed", state)
	}
	return f.store.Deliveries(ctx, state, limit)
}
