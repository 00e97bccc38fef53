package federation_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// TestCachedDocumentsSeeEveryWrite: NodeInfo's figures, co-op actors and
// WebFinger answers are cached by the store's data version, so a job or
// co-op written by another replica of the node (its own service and
// caches over the same store) shows at once, on both engines.
func TestCachedDocumentsSeeEveryWrite(t *testing.T) {
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
		finger := n.url() + "/.well-known/webfinger?resource=acct:hornero@" + n.host()
		if st, _, _ := get(t, finger, ""); st != 404 {
			t.Fatalf("webfinger of a co-op not made yet: %d", st)
		}
		if _, err := replica.CreateCoop(t.Context(), n.admin, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 5}); err != nil {
			t.Fatal(err)
		}
		if users, _ = usage(); users != 3 {
			t.Fatalf("after a co-op written by a replica: %d users", users)
		}
		if st, _, body := get(t, finger, ""); st != 200 || !strings.Contains(string(body), n.url()+"/coops/hornero") {
			t.Fatalf("webfinger of a co-op a replica made: %d %s", st, body)
		}
		if a := getAS(t, n.url()+"/coops/hornero"); a["name"] != "Hornero" {
			t.Fatalf("actor: %v", a["name"])
		}
		name := "Hornero Cooperativa"
		if _, err := replica.UpdateCoop(t.Context(), n.admin, "hornero", directory.CoopPatch{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if a := getAS(t, n.url()+"/coops/hornero"); a["name"] != name {
			t.Fatalf("actor after a replica renamed it: %v", a["name"])
		}
		if err := replica.DeleteCoop(t.Context(), n.admin, "hornero"); err != nil {
			t.Fatal(err)
		}
		if st, _, _ := get(t, finger, ""); st != 410 {
			t.Fatalf("webfinger of a co-op a replica deleted: %d", st)
		}
		if st, _, _ := get(t, n.url()+"/coops/hornero", "application/activity+json"); st != 410 {
			t.Fatalf("actor of a co-op a replica deleted: %d", st)
		}
		// The hot routes, found without the router's walk, are counted
		// under their route as the router's are.
		_, _, metrics := get(t, n.url()+"/metrics", "")
		for _, want := range []string{`method="GET",route="/.well-known/webfinger"`, `method="GET",route="/coops/{handle}"`, `method="GET",route="/nodeinfo/{version:2\\.[01]}"`} {
			if !strings.Contains(string(metrics), want) {
				t.Errorf("metrics lack %s:\n%s", want, metrics)
			}
		}
	})
}
