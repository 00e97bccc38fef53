package federation

import "context"

// QueueEvents turns every pending outbox event into deliveries, as the
// worker does, for tests that run no worker.
func QueueEvents(ctx context.Context, f *Federation) {
	for range 100 {
		if !f.queueEvents(ctx) {
			return
		}
	}
}
