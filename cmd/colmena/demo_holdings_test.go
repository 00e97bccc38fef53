package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/demo"
	"github.com/colmena-coop/colmena/directory"
)

// openDemoNodes opens (seeding on first use) the demo's three nodes in
// dir, in process and without serving, as `colmena demo` does.
func openDemoNodes(t *testing.T, dir string, feds []demo.Federation, ports []string) []*demoNode {
	t.Helper()
	nodes := make([]*demoNode, len(feds))
	for i, f := range feds {
		d, err := openDemoNode(t.Context(), dir, f, ports[i])
		if err != nil {
			t.Fatal(err)
		}
		nodes[i] = d
	}
	return nodes
}

// TestDemoRerunCounts: a demo run on data kept from an earlier one tells
// what the nodes hold now (a job closed since is not counted), not the
// seeding's figures, and waits for those.
func TestDemoRerunCounts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	feds := demo.Federations(0.05)
	ports := []string{freePort(t), freePort(t), freePort(t)}
	nodes := openDemoNodes(t, dir, feds, ports)
	held, err := demoHoldings(t.Context(), nodes)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range feds {
		if held[i] != (holdings{len(f.Coops), f.JobCount()}) {
			t.Errorf("%s after seeding holds %+v, want %d co-ops and %d jobs", f.Name, held[i], len(f.Coops), f.JobCount())
		}
	}
	// Between runs, SoberaniaX closes a job.
	sob := nodes[0].node.svc
	page, err := sob.SearchJobs(t.Context(), directory.JobQuery{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("a job to close: %v %v", page, err)
	}
	if err := sob.DeleteJob(t.Context(), directory.Principal{Admin: true}, page.Items[0].APID); err != nil {
		t.Fatal(err)
	}
	for _, d := range nodes {
		d.close()
	}

	nodes = openDemoNodes(t, dir, feds, ports)
	defer func() {
		for _, d := range nodes {
			d.close()
		}
	}()
	held, err = demoHoldings(t.Context(), nodes)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	printDemo(&out, dir, nodes, held)
	for i, f := range feds {
		jobs := f.JobCount()
		if i == 0 {
			jobs--
		}
		if want := fmt.Sprintf("%d co-ops, %d jobs", len(f.Coops), jobs); !strings.Contains(out.String(), "@"+nodes[i].acct()+"   "+want) {
			t.Errorf("%s: want %q in:\n%s", f.Name, want, out.String())
		}
	}
	// One node alone is ready at once with what it holds.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	out.Reset()
	if err := awaitDemo(ctx, nodes[:1], held[:1], &out, time.Now()); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("every node lists all %d co-ops and %d jobs", len(feds[0].Coops), feds[0].JobCount()-1); !strings.Contains(out.String(), want) {
		t.Errorf("want %q, got %q", want, out.String())
	}
}
