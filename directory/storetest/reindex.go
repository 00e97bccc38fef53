package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// Aging opens one database again and again and makes it look indexed by
// an older version of the directory's terms, for RunReindex.
type Aging struct {
	// Open opens the store on the one database, as the node does.
	Open func(ctx context.Context) (directory.Store, error)
	// Age makes the database look indexed by the first version (directory.IndexVersion 1): no search terms,
	// skills saved as written (the skill "go" as "golang") and the
	// version recorded as 1.
	Age func(t *testing.T)
	// Reindex runs the store's Reindex.
	Reindex func(ctx context.Context, s directory.Store) (int, error)
	// Exec runs a statement on the database.
	Exec func(t *testing.T, query string)
}

// RunReindex checks that a store indexed by an older version of the
// directory's terms is indexed again when it opens, by several processes
// opening it at once too, and only then, and that a run that stopped
// goes on where it stopped.
func RunReindex(t *testing.T, a Aging) {
	st, err := a.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	links, err := directory.NewLinks("https://soberaniax.example")
	if err != nil {
		t.Fatal(err)
	}
	clock := NewClock(Start)
	e := &Env{Store: st, Svc: directory.NewService(st, links, clock.Now), Clock: clock, Admin: directory.Principal{Admin: true},
		Links: links, Context: t.Context()}
	if e.Fed, err = e.Svc.Init(e.Context, directory.FederationSettings{Name: "SoberaniaX", Handle: "soberaniax"}); err != nil {
		t.Fatal(err)
	}
	seedTerms(t, e)
	if _, err := e.Svc.CreateCoop(e.Context, e.Admin, directory.Coop{Handle: "cooperativa", Name: "Cooperativa de Desarrolladoras",
		Summary: "Desarrollo de software libre con Golang.", Country: "UY", Workers: 9, Languages: []string{"es"},
		Skills: []string{"go"}}); err != nil {
		t.Fatal(err)
	}
	// More jobs than one batch indexes: the last is indexed too.
	rc, err := e.Store.CoopByAPID(e.Context, "https://ethix.example/coops/outlandish")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 510 {
		j := remoteJob(fmt.Sprintf("https://ethix.example/jobs/filler-%d", i), rc.APID, "Filler", Start)
		j.Skills = nil
		if i == 509 {
			j.Title = "Zymurgist"
		}
		if err := e.Store.UpsertRemoteJob(e.Context, j); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := a.Reindex(e.Context, st); err != nil || n != 0 {
		t.Fatalf("a current index indexed again: %d %v", n, err)
	}
	st.Close()
	a.Age(t)

	// Replicas starting together share the work; each opens ready.
	type opened struct {
		s   directory.Store
		err error
	}
	replicas := make(chan opened, 3)
	for range 3 {
		go func() {
			s, err := a.Open(t.Context())
			replicas <- opened{s, err}
		}()
	}
	for range 3 {
		r := <-replicas
		if r.err != nil {
			t.Fatalf("opening an older index: %v", r.err)
		}
		t.Cleanup(func() { r.s.Close() })
		e.Store = r.s
	}
	e.Svc = directory.NewService(e.Store, links, clock.Now)
	for _, tc := range termCases {
		res := search(t, e, directory.JobQuery{Text: directory.ParseQuery(tc.q)})
		if tc.want == nil {
			tc.want = []string{}
		}
		eq(t, "after reindexing, q="+tc.q, sortedTitles(res.Items), tc.want)
	}
	res := search(t, e, directory.JobQuery{Text: directory.ParseQuery("zymurgists")})
	eq(t, "the last batch", titles(res.Items), []string{"Zymurgist"})
	// Skills saved under other names are saved under their skill's.
	res = search(t, e, directory.JobQuery{Skills: []string{"go"}, Facets: true})
	eq(t, "skill go after reindexing", sortedTitles(res.Items), []string{"Desarrollador backend", "Go developer", "Goエンジニア募集"})
	if f := facetMap(res.Facets.Skill); f["go"] != 3 || f["golang"] != 0 {
		t.Fatalf("skill facet after reindexing: %v", f)
	}
	j, err := e.Store.JobByAPID(e.Context, res.Items[0].APID)
	if err != nil || !slices.Contains(j.Skills, "go") || slices.Contains(j.Skills, "golang") {
		t.Fatalf("skills after reindexing: %v %v", j.Skills, err)
	}
	for _, q := range []directory.CoopQuery{{Text: directory.ParseQuery("desarrolladoras golang")}, {Skills: []string{"go"}}} {
		p, err := e.Svc.ListCoops(e.Context, q)
		if err != nil || p.Total != 1 || p.Items[0].Handle != "cooperativa" || !slices.Equal(p.Items[0].Skills, []string{"go"}) {
			t.Fatalf("co-ops %+v after reindexing: %+v %v", q, p, err)
		}
	}
	if n, err := a.Reindex(e.Context, e.Store); err != nil || n != 0 {
		t.Fatalf("indexed again once current: %d %v", n, err)
	}

	// A run that stopped goes on from the last row it wrote: here, all
	// co-ops and every job but the last, which alone is written again.
	last := search(t, e, directory.JobQuery{Text: directory.ParseQuery("zymurgist")}).Items[0]
	a.Age(t)
	a.Exec(t, fmt.Sprintf(`UPDATE search_index SET building = %d, coops_after = -1, jobs_after = %d`, directory.IndexVersion, last.ID-1))
	st, err = a.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e.Svc = directory.NewService(st, links, clock.Now)
	eq(t, "the last job, after the stop", titles(search(t, e, directory.JobQuery{Text: directory.ParseQuery("zymurgists")}).Items),
		[]string{"Zymurgist"})
	eq(t, "a job written before the stop", search(t, e, directory.JobQuery{Text: directory.ParseQuery("developers")}).Total, 0)
}
