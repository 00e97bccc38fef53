package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// RunReplicas checks that a node which did not make a write finds it at
// its next search: two stores on one database, one writing, the other
// searching, whose answers must equal those of a store opened afresh.
// open opens a store on the one database.
func RunReplicas(t *testing.T, open func(ctx context.Context) (directory.Store, error)) {
	ctx := t.Context()
	opened := func() directory.Store {
		s, err := open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	writer := opened()
	defer writer.Close()
	e := NewEnv(t, func(*testing.T) directory.Store { return writer })
	reader := opened()
	defer reader.Close()

	e.Coop(t, "gcoop", "AR", 10)
	e.Coop(t, "kcoop", "UY", 5)
	first := e.Job(t, "gcoop", JobSpec{Title: "Go developer", Skills: []string{"go"}, Country: "AR", Currency: "ARS"})
	e.Job(t, "kcoop", JobSpec{Title: "Rust engineer", Skills: []string{"rust", "go"}, Remote: directory.RemoteHybrid, Country: "UY"})
	e.Job(t, "kcoop", JobSpec{Title: "Designer", Skills: []string{"figma"}, Languages: []string{"es"}})

	queries := []directory.JobQuery{
		{Facets: true},
		{Facets: true, Skills: []string{"go"}, Countries: []string{"AR", "UY"}},
		{Facets: true, Text: directory.ParseQuery("developer")},
		{Text: directory.ParseQuery("go"), Sort: directory.SortRelevance},
		{Sort: directory.SortSalary, Limit: 1},
	}
	check := func(step string, total int) {
		t.Helper()
		fresh := opened()
		defer fresh.Close()
		for i, q := range queries {
			q.Now = e.Clock.Now()
			q.Limit = max(q.Limit, directory.DefaultLimit)
			if q.Sort == "" {
				q.Sort = directory.SortNewest
			}
			got, err := reader.SearchJobs(ctx, q)
			if err != nil {
				t.Fatalf("%s: search %d: %v", step, i, err)
			}
			want, err := fresh.SearchJobs(ctx, q)
			if err != nil {
				t.Fatalf("%s: search %d: %v", step, i, err)
			}
			if !reflect.DeepEqual(summary(got), summary(want)) {
				t.Fatalf("%s: search %d on the other replica:\n%v\nwant\n%v", step, i, summary(got), summary(want))
			}
			if i == 0 && got.Total != total {
				t.Fatalf("%s: total %d, want %d", step, got.Total, total)
			}
		}
	}
	check("first search", 3)

	e.Job(t, "gcoop", JobSpec{Title: "Elixir developer", Skills: []string{"elixir"}, Country: "AR", Currency: "USD"})
	check("after a job is added", 4)

	country, skills := "UY", []string{"python"}
	if _, err := e.Svc.UpdateJob(ctx, e.Admin, first.APID, directory.JobPatch{Country: &country, Skills: &skills}); err != nil {
		t.Fatal(err)
	}
	check("after a job is changed", 4)

	if err := e.Svc.DeleteJob(ctx, e.Admin, first.APID); err != nil {
		t.Fatal(err)
	}
	check("after a job is deleted", 3)

	if _, err := e.Svc.SetSuspended(ctx, e.Admin, "kcoop", true); err != nil {
		t.Fatal(err)
	}
	check("after a co-op is suspended", 1)
	if _, err := e.Svc.SetSuspended(ctx, e.Admin, "kcoop", false); err != nil {
		t.Fatal(err)
	}
	check("after a co-op is restored", 3)

	if err := e.Svc.DeleteCoop(ctx, e.Admin, "kcoop"); err != nil {
		t.Fatal(err)
	}
	check("after a co-op is deleted", 1)

	// A search whose filters leave few jobs tests the text of those
	// alone; its answer is the one counting facets gives.
	for i := range 30 {
		e.Job(t, "gcoop", JobSpec{Title: fmt.Sprintf("Developer %d", i), Skills: []string{"go"}, Country: "AR"})
	}
	e.Job(t, "gcoop", JobSpec{Title: "Portuguese developer", Skills: []string{"go"}, Country: "PT"})
	e.Job(t, "gcoop", JobSpec{Title: "Portuguese designer", Skills: []string{"go"}, Country: "PT"})
	for _, text := range []string{"developer", "portuguese", "designer -portuguese"} {
		for _, sort := range []string{directory.SortNewest, directory.SortRelevance} {
			q := directory.JobQuery{Text: directory.ParseQuery(text), Countries: []string{"PT"}, Sort: sort,
				Limit: 1, Now: e.Clock.Now()}
			for page := 0; ; page++ {
				plain, err := reader.SearchJobs(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				q.Facets = true
				counted, err := reader.SearchJobs(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				q.Facets = false
				counted.Facets = nil
				if summary(plain) != summary(counted) {
					t.Fatalf("%q by %s, page %d, without facets:\n%s\nwith:\n%s", text, sort, page, summary(plain), summary(counted))
				}
				if text == "developer" && (plain.Total != 1 || len(plain.Items) != 1 || plain.Items[0].Title != "Portuguese developer") {
					t.Fatalf("developers in PT: %s", summary(plain))
				}
				if plain.Next == nil || page > 3 {
					break
				}
				q.After = plain.Next
			}
		}
	}
}

// summary is what a search answers, as text to compare and print.
func summary(r *directory.JobResults) string {
	s := fmt.Sprintf("total %d next %+v\n", r.Total, r.Next)
	for _, j := range r.Items {
		s += fmt.Sprintf("  %d %s %s %v %s\n", j.ID, j.Title, j.Country, j.Skills, j.Coop.Handle)
	}
	if f := r.Facets; f != nil {
		s += fmt.Sprintf("  facets %+v\n", *f)
	}
	return s
}
