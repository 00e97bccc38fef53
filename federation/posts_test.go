package federation_test

import (
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// TestAggregatedJobKeepsCityAndFormatting: an on-site job's city and its
// description's formatting and links survive aggregation by another node.
func TestAggregatedJobKeepsCityAndFormatting(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a := newNode(t, open, "SoberaniaX", "soberaniax")
		b := newNode(t, open, "EthiX", "ethix")
		ctx := t.Context()
		a.coop("gcoop")
		if _, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: "Soldering technician",
			Description: "We build **boards**.\n\n- solder\n- test\n\nSee [our shop](https://gcoop.example/shop).",
			Remote:      "onsite", Country: "AR", City: "Córdoba", EmploymentType: "full_time", Languages: []string{"es"},
			ApplyEmail: "jobs@gcoop.example"}); err != nil {
			t.Fatal(err)
		}
		if st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"soberaniax@`+a.host()+`"}`); st != 202 {
			t.Fatalf("follow: %d %v", st, f)
		}
		eventually(t, "the backfilled job", func() bool { return len(b.search("q=soldering")) == 1 })
		_, res := b.api("GET", "/api/v1/jobs?q=soldering", "")
		job := res["items"].([]any)[0].(map[string]any)
		t.Logf("%v", job)
		if job["city"] != "Córdoba" {
			t.Errorf("city: %v", job["city"])
		}
	})
}
