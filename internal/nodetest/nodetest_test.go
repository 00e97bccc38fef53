package nodetest_test

import (
	"net/http"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestFollow: one node follows another's federation by handle and comes
// to list its co-op and job.
func TestFollow(t *testing.T) {
	keys := &nodetest.KeyPool{Size: 2}
	a := nodetest.NewWith(t, teststore.SQLite, "SoberaniaX", "soberaniax", nodetest.Options{Keys: keys})
	b := nodetest.NewWith(t, teststore.SQLite, "EthiX", "ethix", nodetest.Options{Keys: keys})
	if a.Host == b.Host || a.Acct() != "soberaniax@"+a.Host || b.FederationActor() != b.URL+"/federation" {
		t.Fatalf("a: %s %s; b: %s %s", a.Host, a.Acct(), b.Host, b.FederationActor())
	}
	b.Coop(t, directory.Coop{Handle: "ironbridge", Name: "Ironbridge Works", Country: "GB", Workers: 12})
	j := b.Job(t, "ironbridge", directory.Job{Title: "Rust engineer", Description: "Platform work.", Remote: directory.RemoteFull,
		EmploymentType: directory.FullTime, ApplyEmail: "jobs@ironbridge.example"})
	if !j.Local || j.Coop.Handle != "ironbridge" {
		t.Fatalf("job: %+v", j)
	}

	resp, err := http.Get(b.URL + "/coops/ironbridge")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("co-op page: %d", resp.StatusCode)
	}

	if f := a.Follow(t, b.Acct()); f.Target != b.FederationActor() {
		t.Fatalf("follow target %s, want %s", f.Target, b.FederationActor())
	}
	nodetest.Eventually(t, "the follow accepted", func() bool { return a.Accepted(t) })
	nodetest.Eventually(t, "the followed job", func() bool {
		res, err := a.Svc.SearchJobs(t.Context(), directory.JobQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total == 1 && res.Items[0].APID == j.APID
	})
}

func TestKeyPool(t *testing.T) {
	p := &nodetest.KeyPool{Size: 2}
	k1, _ := p.Key()
	k2, _ := p.Key()
	k3, _ := p.Key()
	k4, _ := p.Key()
	if k1 == nil || k1 == k2 || k3 != k1 || k4 != k2 {
		t.Fatal("the pool does not make two keys and hand them out in turn")
	}
}
