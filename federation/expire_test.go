package federation_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// TestExpiredJobSendsDelete: once the node's clock passes a job's
// valid_through, its followers get a Delete of it with a Tombstone, once,
// and its id answers 410.
func TestExpiredJobSendsDelete(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		var ahead atomic.Int64 // how far the node's clock runs ahead
		now := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
		n := newNodeTuned(t, open, "EthiX", "ethix", "127.0.0.1", func(c *federation.Config) { c.Now = now })
		coop := n.coop("outlandish")
		masto := newFake(t)
		masto.now = now
		followCoop(t, n, masto, coop.APID)
		eventually(t, "the Accept", func() bool { return len(masto.byType("Accept")) == 1 })
		job, err := n.svc.CreateJob(t.Context(), n.admin, "outlandish", directory.Job{Title: "Elixir developer", Description: "x",
			Remote: directory.RemoteFull, EmploymentType: directory.Contract, ApplyEmail: "jobs@outlandish.example",
			ValidThrough: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Create", func() bool { return len(masto.byType("Create")) == 1 })
		if len(masto.byType("Delete")) != 0 {
			t.Fatalf("Delete before the job expired: %v", masto.byType("Delete"))
		}

		ahead.Store(int64(2 * time.Hour))
		n.fed.Nudge()
		eventually(t, "the Delete", func() bool { return len(masto.byType("Delete")) == 1 })
		del := masto.byType("Delete")[0]
		if obj, _ := del["object"].(map[string]any); obj["id"] != job.APID || obj["type"] != "Tombstone" || del["actor"] != coop.APID {
			t.Fatalf("Delete: %v", del)
		}
		if st, _, _ := get(t, job.APID, "application/activity+json"); st != 410 {
			t.Fatalf("expired note: %d", st)
		}
		if st, _, _ := get(t, job.APID, "text/html"); st != 410 {
			t.Fatalf("expired job's page: %d", st)
		}
		// Later passes send nothing more.
		ahead.Store(int64(3 * time.Hour))
		n.fed.Nudge()
		time.Sleep(300 * time.Millisecond)
		// Delivery is at least once: a Delete sent again after a timeout
		// under load is the same activity; a new one would be a new id.
		ids := map[any]bool{}
		for _, d := range masto.byType("Delete") {
			ids[d["id"]] = true
		}
		if len(ids) != 1 {
			t.Fatalf("%d Deletes: %v", len(ids), masto.byType("Delete"))
		}
	})
}
