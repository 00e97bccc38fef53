package federation_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// TestNodeInfoSeesEveryWrite: NodeInfo's figures are cached by the
// store's data version, so a job or co-op written by another replica of
// the node (its own service and caches over the same store) shows at
// once, on both engines.
func TestNodeInfoSeesEveryWrite(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "SoberaniaX", "soberaniax")
		n.coop("gcoop")
		replica := directory.NewService(n.store, n.svc.Links(), time.Now)
		usage := func() (users, posts int) {
			t.Helper()
			st, _, body := get(t, n.url()+"/nodeinfo/2.1", "application/json")
			if st != 200 {
				t.Fatalf("nodeinfo: %d %s", st, body)
			}
			var doc struct {
				Usage struct {
					Users      struct{ Total int }
					LocalPosts int
				}
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			return doc.Usage.Users.Total, doc.Usage.LocalPosts
		}
		users, posts := usage()
		if users != 2 || posts != 0 {
			t.Fatalf("before: %d users, %d posts", users, posts)
		}
		if _, err := replica.CreateJob(t.Context(), n.admin, "gcoop", directory.Job{Title: "Go developer", Description: "x",
			Remote: directory.RemoteFull, EmploymentType: directory.FullTime, ApplyEmail: "jobs@gcoop.example"}); err != nil {
			t.Fatal(err)
		}
		if _, posts = usage(); posts != 1 {
			t.Fatalf("after a job written by a replica: %d posts", posts)
		}
		if _, err := replica.CreateCoop(t.Context(), n.admin, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 5}); err != nil {
			t.Fatal(err)
		}
		if users, _ = usage(); users != 3 {
			t.Fatalf("after a co-op written by a replica: %d users", users)
		}
	})
}
