package federation_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// TestJobCreateAppliedOnce: Creates of jobs arriving at once, each sent
// several times concurrently as a retry racing its original would be,
// are each stored once and all answered 202; a Create the node cannot
// store is refused without spoiling those stored with it, and its retry
// is applied once it can be.
func TestJobCreateAppliedOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "EthiX", "ethix")
		masto := newFake(t)
		ana := masto.actorID("ana")
		if err := n.store.UpsertRemoteCoop(t.Context(), &directory.Coop{APID: ana, Handle: "ana", Host: hostOf(ana), Name: "Ana",
			Country: "GB", Workers: 3, URL: ana, CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		create := func(i int, title string) map[string]any {
			id := fmt.Sprintf("%s/jobs/once-%d", masto.srv.URL, i)
			now := time.Now().UTC().Format(time.RFC3339)
			return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id + "/activity", "type": "Create",
				"actor": ana, "object": map[string]any{"id": id, "type": "Note", "attributedTo": ana, "published": now,
					"content": "<p>job</p>", "jobPosting": &federation.JobPosting{Type: "sdo:JobPosting", Title: title,
						DatePosted: now, EmploymentType: "FULL_TIME", URL: id, Remote: "remote", ApplyEmail: "jobs@example.org"}}}
		}
		var wg sync.WaitGroup
		for i := range 10 {
			for range 3 {
				wg.Go(func() {
					title := fmt.Sprintf("Job %d", i)
					want := http.StatusAccepted
					if i == 4 {
						title, want = "", http.StatusBadRequest // a job without a title is refused
					}
					if st, msg := masto.send(n.srv.URL+"/inbox", create(i, title)); st != want {
						t.Errorf("Create %d: %d %s", i, st, msg)
					}
				})
			}
		}
		wg.Wait()
		res, err := n.svc.SearchJobs(t.Context(), directory.JobQuery{Limit: 20})
		if err != nil || res.Total != 9 {
			t.Fatalf("stored %v (%v), want the 9 good jobs once each", res, err)
		}
		// The refused Create was not recorded as seen: fixed, it is applied.
		if st, msg := masto.send(n.srv.URL+"/inbox", create(4, "Job 4")); st != http.StatusAccepted {
			t.Fatalf("the retry: %d %s", st, msg)
		}
		if j, err := n.store.JobByAPID(t.Context(), fmt.Sprintf("%s/jobs/once-4", masto.srv.URL)); err != nil || j.Title != "Job 4" {
			t.Errorf("the retried job: %+v %v", j, err)
		}
	})
}
