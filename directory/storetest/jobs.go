package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

func testJobCRUD(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	c := e.Coop(t, "gcoop", "AR", 40)
	other := e.Coop(t, "fiqus", "AR", 12)
	vt := Start.Add(30 * 24 * time.Hour)
	j, err := e.Svc.CreateJob(e.Context, directory.Principal{CoopID: c.ID}, "gcoop", directory.Job{
		Title: "Desarrollador/a Go", Description: "Buscamos **compañera/o**.", Skills: []string{"Go", "PostgreSQL"},
		Remote: "hybrid", Country: "ar", City: "Rosario", EmploymentType: "full_time",
		Salary:    &directory.Salary{Min: 2500, Max: 3500, Currency: "usd", Period: "month"},
		Languages: []string{"es"}, ApplyURL: "https://gcoop.example/jobs/1", ValidThrough: vt,
	})
	if err != nil {
		t.Fatal(err)
	}
	key, ok := e.Links.JobKey(j.APID)
	if !ok {
		t.Fatalf("job id %q is not a local job URL", j.APID)
	}
	if !j.Local || j.Coop.Handle != "gcoop" || j.Country != "AR" || j.Salary.Currency != "USD" ||
		!j.Published.Equal(Start) || !j.ValidThrough.Equal(vt) {
		t.Fatalf("job: %+v", j)
	}
	eq(t, "skills", j.Skills, []string{"go", "postgresql"})
	eq(t, "federations", len(j.Federations), 1)

	got, err := e.Svc.Job(e.Context, key)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "by key", got.APID, j.APID)
	eq(t, "salary", *got.Salary, directory.Salary{Min: 2500, Max: 3500, Currency: "USD", Period: "month"})

	// Another co-op's token may not touch it.
	title := "Go developer"
	_, err = e.Svc.UpdateJob(e.Context, directory.Principal{CoopID: other.ID}, key, directory.JobPatch{Title: &title})
	mustKind(t, err, directory.KindForbidden)
	_, err = e.Svc.CreateJob(e.Context, directory.Principal{CoopID: other.ID}, "gcoop", directory.Job{})
	mustKind(t, err, directory.KindForbidden)

	e.Clock.Advance(time.Minute)
	up, err := e.Svc.UpdateJob(e.Context, directory.Principal{CoopID: c.ID}, j.APID, directory.JobPatch{Title: &title, SetSalary: true})
	if err != nil {
		t.Fatal(err)
	}
	if up.Title != title || up.Salary != nil || !up.Updated.After(up.Published) || up.City != "Rosario" {
		t.Fatalf("updated: %+v", up)
	}
	res := search(t, e, directory.JobQuery{Text: directory.ParseQuery("developer")})
	eq(t, "reindexed", titles(res.Items), []string{title})
	res = search(t, e, directory.JobQuery{Text: directory.ParseQuery("desarrollador")})
	eq(t, "old title gone", res.Total, 0)

	// Invalid patches change nothing.
	bad := "everywhere"
	_, err = e.Svc.UpdateJob(e.Context, e.Admin, key, directory.JobPatch{Remote: &bad})
	mustKind(t, err, directory.KindInvalid)
	past := Start.Add(-time.Hour)
	_, err = e.Svc.UpdateJob(e.Context, e.Admin, key, directory.JobPatch{ValidThrough: &past})
	mustKind(t, err, directory.KindInvalid)
	got, _ = e.Svc.Job(e.Context, key)
	eq(t, "unchanged", []string{got.Remote, got.Title}, []string{"hybrid", title})

	mustKind(t, e.Svc.DeleteJob(e.Context, directory.Principal{CoopID: other.ID}, key), directory.KindForbidden)
	if err := e.Svc.DeleteJob(e.Context, directory.Principal{CoopID: c.ID}, key); err != nil {
		t.Fatal(err)
	}
	_, err = e.Svc.Job(e.Context, key)
	mustKind(t, err, directory.KindNotFound)
	mustKind(t, e.Svc.DeleteJob(e.Context, e.Admin, key), directory.KindNotFound)
	eq(t, "gone from search", search(t, e, directory.JobQuery{}).Total, 0)

	// Validation names the field.
	_, err = e.Svc.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: "x", Description: "y", Remote: "onsite",
		EmploymentType: "full_time", ApplyEmail: "a@b.example"})
	mustKind(t, err, directory.KindInvalid)
	if de := err.(*directory.Error); de.Field != "country" {
		t.Fatalf("field: %q", de.Field)
	}
	_, err = e.Svc.CreateJob(e.Context, e.Admin, "nobody", directory.Job{})
	mustKind(t, err, directory.KindNotFound)
}

func remoteJob(apid, coop, title string, updated time.Time) *directory.Job {
	return &directory.Job{APID: apid, Coop: directory.CoopRef{APID: coop}, Title: title, Description: "<p>Remote</p>",
		Skills: []string{"elixir"}, Remote: "remote", EmploymentType: "contract", Languages: []string{"en"},
		ApplyURL: apid, Published: Start, Updated: updated,
		Salary: &directory.Salary{Min: 40000, Max: 50000, Currency: "GBP", Period: "year"}}
}

func testRemoteJob(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	apid := "https://ethix.example/jobs/abc"
	mustKind(t, e.Store.UpsertRemoteJob(e.Context, remoteJob(apid, "https://ethix.example/coops/nobody", "X", Start)), directory.KindNotFound)

	j := remoteJob(apid, rc.APID, "Elixir engineer", Start)
	if err := e.Store.UpsertRemoteJob(e.Context, j); err != nil {
		t.Fatal(err)
	}
	first := j.ID
	j2 := remoteJob(apid, rc.APID, "Elixir engineer", Start)
	if err := e.Store.UpsertRemoteJob(e.Context, j2); err != nil {
		t.Fatal(err)
	}
	eq(t, "same row", j2.ID, first)
	eq(t, "stored once", search(t, e, directory.JobQuery{}).Total, 1)

	newer := remoteJob(apid, rc.APID, "Senior Elixir engineer", Start.Add(time.Hour))
	if err := e.Store.UpsertRemoteJob(e.Context, newer); err != nil {
		t.Fatal(err)
	}
	stale := remoteJob(apid, rc.APID, "Stale title", Start.Add(time.Minute))
	if err := e.Store.UpsertRemoteJob(e.Context, stale); err != nil {
		t.Fatal(err)
	}
	got, err := e.Store.JobByAPID(e.Context, apid)
	if err != nil {
		t.Fatal(err)
	}
	if got.Local || got.Title != "Senior Elixir engineer" || got.Coop.Handle != "outlandish" || got.Coop.Host != "ethix.example" {
		t.Fatalf("remote job: %+v", got)
	}
	byID, err := e.Store.JobByID(e.Context, got.ID)
	if err != nil || byID.APID != apid || byID.Title != got.Title || len(byID.Federations) != len(got.Federations) {
		t.Fatalf("JobByID(%d) = %+v, %v", got.ID, byID, err)
	}
	if _, err := e.Store.JobByID(e.Context, got.ID+1000); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("JobByID of no job: %v", err)
	}
	res := search(t, e, directory.JobQuery{Text: directory.ParseQuery("senior")})
	eq(t, "searchable", res.Total, 1)
	eq(t, "stale not indexed", search(t, e, directory.JobQuery{Text: directory.ParseQuery("stale")}).Total, 0)

	// Remote jobs cannot be edited or deleted through the service.
	_, err = e.Svc.UpdateJob(e.Context, e.Admin, apid, directory.JobPatch{})
	mustKind(t, err, directory.KindForbidden)
	mustKind(t, e.Svc.DeleteJob(e.Context, e.Admin, apid), directory.KindForbidden)

	// A remote row never overwrites a local job.
	e.Coop(t, "gcoop", "AR", 40)
	local := e.Job(t, "gcoop", JobSpec{Title: "Local job"})
	evil := remoteJob(local.APID, rc.APID, "Hijacked", Start.Add(24*time.Hour))
	mustKind(t, e.Store.UpsertRemoteJob(e.Context, evil), directory.KindConflict)
	got, _ = e.Store.JobByAPID(e.Context, local.APID)
	eq(t, "local intact", []any{got.Title, got.Local}, []any{"Local job", true})

	// Store-level delete of a remote job (as a Delete activity does).
	if err := e.Store.DeleteJob(e.Context, first, Start); err != nil {
		t.Fatal(err)
	}
	eq(t, "deleted", search(t, e, directory.JobQuery{Text: directory.ParseQuery("elixir")}).Total, 0)
}

// testRemoteJobOwner: a remote job keeps the co-op it was first stored
// for. A row naming another co-op, newer or not, is refused and changes
// nothing, whether it comes as an edit or as the job sent again.
func testRemoteJobOwner(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	owner := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	other := remoteCoop("https://ethix.example/coops/taker", "taker", "ethix.example")
	for _, c := range []*directory.Coop{owner, other} {
		if err := e.Store.UpsertRemoteCoop(e.Context, c); err != nil {
			t.Fatal(err)
		}
	}
	apid := "https://ethix.example/jobs/owned"
	if err := e.Store.UpsertRemoteJob(e.Context, remoteJob(apid, owner.APID, "Elixir engineer", Start)); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{Start.Add(time.Hour), Start, Start.Add(-time.Hour)} {
		taken := remoteJob(apid, other.APID, "Taken over", at)
		taken.ApplyURL = "https://ethix.example/phish"
		mustKind(t, e.Store.UpsertRemoteJob(e.Context, taken), directory.KindForbidden)
	}
	got, err := e.Store.JobByAPID(e.Context, apid)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "after the takeover attempts", []any{got.Coop.APID, got.Title, got.ApplyURL, got.Updated.Equal(Start)},
		[]any{owner.APID, "Elixir engineer", apid, true})
	eq(t, "not indexed", search(t, e, directory.JobQuery{Text: directory.ParseQuery("taken")}).Total, 0)
	eq(t, "the taker lists nothing", search(t, e, directory.JobQuery{Coops: []string{other.APID}}).Total, 0)
	// The owner still edits it.
	if err := e.Store.UpsertRemoteJob(e.Context, remoteJob(apid, owner.APID, "Senior Elixir engineer", Start.Add(2*time.Hour))); err != nil {
		t.Fatal(err)
	}
	got, _ = e.Store.JobByAPID(e.Context, apid)
	eq(t, "the owner's edit", []any{got.Coop.APID, got.Title}, []any{owner.APID, "Senior Elixir engineer"})
}

// seedSearch makes a small, varied set of jobs.
func seedSearch(t *testing.T, e *Env) {
	e.Coop(t, "gcoop", "AR", 40)
	e.Coop(t, "fiqus", "AR", 12)
	e.Job(t, "gcoop", JobSpec{Title: "Desarrolladora Go", Description: "Programación de APIs en Go y PostgreSQL.",
		Skills: []string{"go", "postgresql"}, Languages: []string{"es"}, Remote: "remote", Country: "AR", Currency: "USD"})
	e.Job(t, "gcoop", JobSpec{Title: "C++ engineer", Description: "Embedded systems in C++.",
		Skills: []string{"c++"}, Languages: []string{"en"}, Remote: "onsite", Country: "AR", Currency: "ARS", EmploymentType: directory.Contract})
	e.Job(t, "fiqus", JobSpec{Title: "Elixir developer", Description: "Phoenix and LiveView. Remote from anywhere.",
		Skills: []string{"elixir"}, Languages: []string{"en", "es"}, Remote: "remote", Currency: "USD"})
	e.Job(t, "fiqus", JobSpec{Title: "C developer", Description: "Low level work in C for routers.",
		Skills: []string{"c"}, Languages: []string{"es"}, Remote: "hybrid", Country: "UY", Currency: "UYU", EmploymentType: directory.PartTime})
	e.Job(t, "fiqus", JobSpec{Title: "Go and Rust engineer", Description: "Backend services; node.js a plus.",
		Skills: []string{"go", "rust"}, Languages: []string{"en"}, Remote: "hybrid", Country: "AR"})
}

func testSearchText(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	seedSearch(t, e)
	cases := []struct {
		q    string
		want []string
	}{
		{"go", []string{"Desarrolladora Go", "Go and Rust engineer"}},
		{"GO postgresql", []string{"Desarrolladora Go"}},
		{"programacion", []string{"Desarrolladora Go"}}, // accents folded
		{"programación", []string{"Desarrolladora Go"}},
		{"c++", []string{"C++ engineer"}},
		{"c", []string{"C developer"}},
		{"elixir OR rust", []string{"Elixir developer", "Go and Rust engineer"}},
		{"go -rust", []string{"Desarrolladora Go"}},
		{`"remote from anywhere"`, []string{"Elixir developer"}},
		{`"anywhere from remote"`, nil},
		{"node.js", []string{"Go and Rust engineer"}},
		{"-go", []string{"C developer", "C++ engineer", "Elixir developer"}},
		{"kubernetes", nil},
		{`"" - OR ( ) * : ^ "`, []string{"C developer", "C++ engineer", "Desarrolladora Go", "Elixir developer", "Go and Rust engineer"}},
	}
	for _, tc := range cases {
		res := search(t, e, directory.JobQuery{Text: directory.ParseQuery(tc.q)})
		if tc.want == nil {
			tc.want = []string{}
		}
		eq(t, "q="+tc.q, sortedTitles(res.Items), tc.want)
		eq(t, "total q="+tc.q, res.Total, len(tc.want))
	}
}

func testSearchFilters(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	seedSearch(t, e)
	afterSeed := e.Clock.Now()
	cases := []struct {
		name string
		q    directory.JobQuery
		want []string
	}{
		{"country", directory.JobQuery{Countries: []string{"UY"}}, []string{"C developer"}},
		{"countries OR", directory.JobQuery{Countries: []string{"UY", "AR"}},
			[]string{"C developer", "C++ engineer", "Desarrolladora Go", "Go and Rust engineer"}},
		{"skill", directory.JobQuery{Skills: []string{"go"}}, []string{"Desarrolladora Go", "Go and Rust engineer"}},
		{"skills OR", directory.JobQuery{Skills: []string{"elixir", "c"}}, []string{"C developer", "Elixir developer"}},
		{"remote", directory.JobQuery{Remote: []string{"remote"}}, []string{"Desarrolladora Go", "Elixir developer"}},
		{"language", directory.JobQuery{Languages: []string{"es"}}, []string{"C developer", "Desarrolladora Go", "Elixir developer"}},
		{"currency", directory.JobQuery{Currencies: []string{"USD"}}, []string{"Desarrolladora Go", "Elixir developer"}},
		{"employment type", directory.JobQuery{EmploymentTypes: []string{directory.Contract, directory.PartTime}}, []string{"C developer", "C++ engineer"}},
		{"coop", directory.JobQuery{Coops: []string{"fiqus"}}, []string{"C developer", "Elixir developer", "Go and Rust engineer"}},
		{"coop by id", directory.JobQuery{Coops: []string{"https://soberaniax.example/coops/gcoop"}}, []string{"C++ engineer", "Desarrolladora Go"}},
		{"coop by acct", directory.JobQuery{Coops: []string{"gcoop@soberaniax.example"}}, []string{"C++ engineer", "Desarrolladora Go"}},
		{"AND across filters", directory.JobQuery{Skills: []string{"go"}, Remote: []string{"hybrid"}, Languages: []string{"en"}},
			[]string{"Go and Rust engineer"}},
		{"text and filters", directory.JobQuery{Text: directory.ParseQuery("developer"), Countries: []string{"UY"}}, []string{"C developer"}},
		{"posted within", directory.JobQuery{PostedSince: afterSeed.Add(-500 * time.Millisecond)}, []string{"Go and Rust engineer"}},
		{"nothing", directory.JobQuery{Countries: []string{"GB"}}, []string{}},
	}
	for _, tc := range cases {
		res := search(t, e, tc.q)
		eq(t, tc.name, sortedTitles(res.Items), tc.want)
		eq(t, tc.name+" total", res.Total, len(tc.want))
	}
	// Newest first by default, with co-op and federations filled in.
	res := search(t, e, directory.JobQuery{})
	eq(t, "newest first", titles(res.Items), []string{"Go and Rust engineer", "C developer", "Elixir developer", "C++ engineer", "Desarrolladora Go"})
	j := res.Items[0]
	if j.Coop.Handle != "fiqus" || j.Coop.Name != "Coop fiqus" || j.Coop.APID == "" || len(j.Federations) != 1 {
		t.Fatalf("job listing: %+v", j)
	}
}

func facetMap(vs []directory.FacetValue) map[string]int {
	m := map[string]int{}
	for _, v := range vs {
		m[v.Value] = v.Count
	}
	return m
}

func testFacets(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	seedSearch(t, e)
	res := search(t, e, directory.JobQuery{Facets: true})
	f := res.Facets
	eq(t, "country", facetMap(f.Country), map[string]int{"AR": 3, "UY": 1})
	eq(t, "remote", facetMap(f.Remote), map[string]int{"remote": 2, "hybrid": 2, "onsite": 1})
	eq(t, "skill", facetMap(f.Skill), map[string]int{"go": 2, "postgresql": 1, "c++": 1, "elixir": 1, "c": 1, "rust": 1})
	eq(t, "language", facetMap(f.Language), map[string]int{"es": 3, "en": 3})
	eq(t, "federation", facetMap(f.Federation), map[string]int{e.Fed.APID: 5})
	eq(t, "federation label", f.Federation[0].Label, "SoberaniaX")
	eq(t, "most frequent first", f.Country[0].Value, "AR")
	eq(t, "type", facetMap(f.Type), map[string]int{directory.FullTime: 3, directory.Contract: 1, directory.PartTime: 1})
	eq(t, "currency, only stated salaries", facetMap(f.Currency), map[string]int{"USD": 2, "ARS": 1, "UYU": 1})

	// A facet is counted without its own filter but with the others.
	res = search(t, e, directory.JobQuery{Facets: true, Countries: []string{"AR"}, Skills: []string{"go"}})
	eq(t, "results", sortedTitles(res.Items), []string{"Desarrolladora Go", "Go and Rust engineer"})
	eq(t, "country facet ignores country filter", facetMap(res.Facets.Country), map[string]int{"AR": 2})
	eq(t, "skill facet ignores skill filter", facetMap(res.Facets.Skill), map[string]int{"go": 2, "postgresql": 1, "c++": 1, "rust": 1})
	eq(t, "remote facet has both filters", facetMap(res.Facets.Remote), map[string]int{"remote": 1, "hybrid": 1})
	eq(t, "currency facet has both filters", facetMap(res.Facets.Currency), map[string]int{"USD": 1})

	// The new facets widen and narrow like the others.
	res = search(t, e, directory.JobQuery{Facets: true, Currencies: []string{"USD"}, EmploymentTypes: []string{directory.FullTime}})
	eq(t, "currency+type results", sortedTitles(res.Items), []string{"Desarrolladora Go", "Elixir developer"})
	eq(t, "currency facet ignores currency filter", facetMap(res.Facets.Currency), map[string]int{"USD": 2})
	eq(t, "type facet ignores type filter", facetMap(res.Facets.Type), map[string]int{directory.FullTime: 2})
	eq(t, "country facet has both", facetMap(res.Facets.Country), map[string]int{"AR": 1})

	res = search(t, e, directory.JobQuery{Facets: true, Text: directory.ParseQuery("engineer")})
	eq(t, "facets follow text", facetMap(res.Facets.Skill), map[string]int{"c++": 1, "go": 1, "rust": 1})
	if search(t, e, directory.JobQuery{}).Facets != nil {
		t.Fatal("facets computed when not asked for")
	}
}

func testExpiry(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	e.Job(t, "gcoop", JobSpec{Title: "Short", ValidFor: time.Hour})
	e.Job(t, "gcoop", JobSpec{Title: "Long", ValidFor: 48 * time.Hour})
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	openEnded := remoteJob("https://ethix.example/jobs/1", rc.APID, "Open ended", Start)
	if err := e.Store.UpsertRemoteJob(e.Context, openEnded); err != nil {
		t.Fatal(err)
	}
	eq(t, "all open", sortedTitles(search(t, e, directory.JobQuery{}).Items), []string{"Long", "Open ended", "Short"})
	e.Clock.Advance(2 * time.Hour)
	res := search(t, e, directory.JobQuery{Facets: true})
	eq(t, "short expired", sortedTitles(res.Items), []string{"Long", "Open ended"})
	eq(t, "facets skip expired", facetMap(res.Facets.Remote), map[string]int{"remote": 2})
	st, err := e.Svc.Stats(e.Context)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "stats count open jobs", st.Totals.Jobs, 2)
	// An expired job is still readable by id.
	if _, err := e.Store.JobByAPID(e.Context, search(t, e, directory.JobQuery{}).Items[0].APID); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(72 * time.Hour)
	eq(t, "long expired", sortedTitles(search(t, e, directory.JobQuery{}).Items), []string{"Open ended"})
}

func testRelevance(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	e.Job(t, "gcoop", JobSpec{Title: "Rust developer", Description: "Systems work."})
	e.Job(t, "gcoop", JobSpec{Title: "Backend engineer", Description: "Rust and Go services."})
	e.Job(t, "gcoop", JobSpec{Title: "Rust engineer", Description: "Embedded Rust."})
	e.Job(t, "gcoop", JobSpec{Title: "Frontend developer", Description: "Some Rust tooling."})
	res := search(t, e, directory.JobQuery{Text: directory.ParseQuery("rust")})
	eq(t, "title matches first, newest first within", titles(res.Items),
		[]string{"Rust engineer", "Rust developer", "Frontend developer", "Backend engineer"})
	res = search(t, e, directory.JobQuery{Text: directory.ParseQuery("rust"), Sort: directory.SortNewest})
	eq(t, "newest", titles(res.Items), []string{"Frontend developer", "Rust engineer", "Backend engineer", "Rust developer"})
	// Paging one at a time gives the same order.
	var paged []string
	q := directory.JobQuery{Text: directory.ParseQuery("rust"), Limit: 1}
	for range 10 {
		r := search(t, e, q)
		paged = append(paged, titles(r.Items)...)
		if r.Next == nil {
			break
		}
		q.After = r.Next
	}
	eq(t, "paged relevance", paged, []string{"Rust engineer", "Rust developer", "Frontend developer", "Backend engineer"})
	_, err := e.Svc.SearchJobs(e.Context, directory.JobQuery{Sort: "pay"})
	mustKind(t, err, directory.KindInvalid)
}

func testPagination(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	for i := range 25 {
		e.Job(t, "gcoop", JobSpec{Title: fmt.Sprintf("Job %02d", i)})
	}
	// Jobs published in the same microsecond still page by id.
	for i := range 3 {
		e.Clock.Advance(0)
		if _, err := e.Svc.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: fmt.Sprintf("Same %d", i),
			Description: "d", Remote: "remote", EmploymentType: "contract", ApplyEmail: "a@b.example"}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	q := directory.JobQuery{Limit: 4}
	pages := 0
	for ; pages < 20; pages++ {
		res := search(t, e, q)
		eq(t, "total", res.Total, 28)
		for _, j := range res.Items {
			if seen[j.Title] {
				t.Fatalf("%s seen twice", j.Title)
			}
			seen[j.Title] = true
		}
		if res.Next == nil {
			break
		}
		q.After = res.Next
	}
	eq(t, "all seen", len(seen), 28)
	eq(t, "pages", pages+1, 7)
	_, err := directory.DecodeCursor("not-a-cursor!")
	mustKind(t, err, directory.KindInvalid)
	c, err := directory.DecodeCursor(q.After.Encode())
	if err != nil || *c != *q.After {
		t.Fatalf("cursor round trip: %+v %v", c, err)
	}
}

func testPaginationConcurrent(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	before := map[string]bool{}
	for i := range 40 {
		j := e.Job(t, "gcoop", JobSpec{Title: fmt.Sprintf("Before %02d", i), Skills: []string{"go"}})
		before[j.APID] = true
	}
	// While one reader pages, writers add local jobs (newer) and remote
	// jobs whose publication dates fall anywhere in the range.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var werr error
	var mu sync.Mutex
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := e.Svc.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: fmt.Sprintf("During %d", i),
				Description: "d", Skills: []string{"go"}, Remote: "remote", EmploymentType: "contract", ApplyEmail: "a@b.example"}); err != nil {
				mu.Lock()
				werr = err
				mu.Unlock()
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			select {
			case <-stop:
				return
			default:
			}
			pub := Start.Add(time.Duration(i%40) * time.Second)
			j := remoteJob(fmt.Sprintf("https://ethix.example/jobs/%d", i), rc.APID, fmt.Sprintf("Remote %d", i), pub)
			j.Published = pub
			j.Skills = []string{"go"}
			if err := e.Store.UpsertRemoteJob(e.Context, j); err != nil {
				mu.Lock()
				werr = err
				mu.Unlock()
				return
			}
		}
	}()
	seen := map[string]bool{}
	q := directory.JobQuery{Limit: 3, Skills: []string{"go"}}
	for range 1000 {
		res := search(t, e, q)
		for _, j := range res.Items {
			if seen[j.APID] {
				close(stop)
				wg.Wait()
				t.Fatalf("%s (%s) returned twice", j.Title, j.APID)
			}
			seen[j.APID] = true
		}
		if res.Next == nil {
			break
		}
		q.After = res.Next
	}
	close(stop)
	wg.Wait()
	if werr != nil {
		t.Fatal(werr)
	}
	for id := range before {
		if !seen[id] {
			t.Fatalf("%s, there before paging began, was skipped", id)
		}
	}
}

func testStats(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	e.Coop(t, "fiqus", "AR", 12)
	e.Coop(t, "leeds", "GB", 5)
	e.Job(t, "gcoop", JobSpec{Title: "a"})
	e.Job(t, "gcoop", JobSpec{Title: "b"})
	e.Job(t, "leeds", JobSpec{Title: "c"})
	astra := &directory.Federation{APID: "https://astrateq.example/federation", Handle: "astrateq", Host: "astrateq.example",
		Name: "Astrateq", CreatedAt: Start, UpdatedAt: Start}
	if err := e.Store.UpsertRemoteFederation(e.Context, astra); err != nil {
		t.Fatal(err)
	}
	rc := remoteCoop("https://astrateq.example/coops/kenya", "kenya", "astrateq.example")
	rc.Country, rc.Workers = "KE", 8
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{rc.APID, "https://soberaniax.example/coops/gcoop"} {
		if err := e.Store.AddMember(e.Context, astra.APID, c, Start); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Store.UpsertRemoteJob(e.Context, remoteJob("https://astrateq.example/jobs/1", rc.APID, "d", Start)); err != nil {
		t.Fatal(err)
	}
	st, err := e.Svc.Stats(e.Context)
	if err != nil {
		t.Fatal(err)
	}
	var feds []string
	for _, f := range st.Federations {
		feds = append(feds, fmt.Sprintf("%s:%d/%d/%d/%.1f", f.Federation.Name, f.Coops, f.Workers, f.Jobs, f.AvgWorkers()))
	}
	eq(t, "federations", feds, []string{"SoberaniaX:3/57/3/19.0", "Astrateq:2/48/3/24.0"})
	var perCountry []string
	for _, f := range st.Federations {
		for _, c := range f.Countries {
			perCountry = append(perCountry, fmt.Sprintf("%s %s:%d/%d/%d", f.Federation.Name, c.Country, c.Coops, c.Workers, c.Jobs))
		}
	}
	eq(t, "federations by country", perCountry, []string{"SoberaniaX AR:2/52/2", "SoberaniaX GB:1/5/1", "Astrateq AR:1/40/2", "Astrateq KE:1/8/1"})
	var cs []string
	for _, c := range st.Countries {
		cs = append(cs, fmt.Sprintf("%s:%d/%d/%d", c.Country, c.Coops, c.Workers, c.Jobs))
	}
	eq(t, "countries", cs, []string{"AR:2/52/2", "GB:1/5/1", "KE:1/8/1"})
	eq(t, "totals", []int{st.Totals.Coops, st.Totals.Workers, st.Totals.Jobs, st.Totals.Countries}, []int{4, 65, 4, 3})
}

func testConcurrentWriters(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	const writers, each = 8, 25
	for w := range writers {
		e.Coop(t, fmt.Sprintf("coop%d", w), "AR", 3)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			handle := fmt.Sprintf("coop%d", w)
			for i := range each {
				j := directory.Job{Title: fmt.Sprintf("%s job %d", handle, i), Description: "d", Skills: []string{"go"},
					Remote: "remote", EmploymentType: "contract", ApplyEmail: "a@b.example"}
				if _, err := e.Svc.CreateJob(e.Context, e.Admin, handle, j); err != nil {
					errs <- err
					return
				}
				w := i
				if _, err := e.Svc.UpdateCoop(e.Context, e.Admin, handle, directory.CoopPatch{Workers: &w}); err != nil && directory.KindOf(err) != directory.KindInvalid {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	res := search(t, e, directory.JobQuery{Limit: directory.MaxLimit, Facets: true})
	eq(t, "every job stored", res.Total, writers*each)
	eq(t, "indexed", facetMap(res.Facets.Skill)["go"], writers*each)
}

func testExpireJobs(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	c := e.Coop(t, "gcoop", "AR", 40)
	short := e.Job(t, "gcoop", JobSpec{Title: "Short", ValidFor: time.Hour})
	long := e.Job(t, "gcoop", JobSpec{Title: "Long", ValidFor: 48 * time.Hour})
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	rj := remoteJob("https://ethix.example/jobs/1", rc.APID, "Remote", Start)
	rj.ValidThrough = Start.Add(time.Minute)
	if err := e.Store.UpsertRemoteJob(e.Context, rj); err != nil {
		t.Fatal(err)
	}
	n, err := e.Store.ExpireJobs(e.Context, e.Clock.Now())
	eq(t, "nothing due yet", n, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(2 * time.Hour)
	n, err = e.Store.ExpireJobs(e.Context, e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "expired", n, 1)
	_, err = e.Store.JobByAPID(e.Context, short.APID)
	mustKind(t, err, directory.KindNotFound)
	if ts, err := e.Store.Tombstone(e.Context, short.APID); err != nil || ts.Type != "Note" {
		t.Fatalf("tombstone: %+v %v", ts, err)
	}
	evs, err := e.Store.PendingEvents(e.Context, 100)
	if err != nil {
		t.Fatal(err)
	}
	last := evs[len(evs)-1]
	if last.Kind != directory.EventJobDelete || last.ObjectID != short.APID || last.ActorID != c.APID {
		t.Fatalf("last event: %+v", last)
	}
	n, err = e.Store.ExpireJobs(e.Context, e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "expired once", n, 0)
	evs2, _ := e.Store.PendingEvents(e.Context, 100)
	eq(t, "no more events", len(evs2), len(evs))
	// The remote job, though past its date, is its node's to close.
	if _, err := e.Store.JobByAPID(e.Context, rj.APID); err != nil {
		t.Fatalf("remote job: %v", err)
	}
	_, err = e.Store.Tombstone(e.Context, rj.APID)
	mustKind(t, err, directory.KindNotFound)
	if _, err := e.Store.JobByAPID(e.Context, long.APID); err != nil {
		t.Fatalf("open job: %v", err)
	}
}

// testRemoteJobTombstone: a remote job deleted here leaves a tombstone, so
// that its page says it closed.
func testRemoteJobTombstone(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	rj := remoteJob("https://ethix.example/jobs/1", rc.APID, "Remote", Start)
	if err := e.Store.UpsertRemoteJob(e.Context, rj); err != nil {
		t.Fatal(err)
	}
	j, err := e.Store.JobByAPID(e.Context, rj.APID)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.DeleteJob(e.Context, j.ID, Start); err != nil {
		t.Fatal(err)
	}
	if ts, err := e.Store.Tombstone(e.Context, rj.APID); err != nil || ts.Type != "Note" {
		t.Fatalf("tombstone: %+v %v", ts, err)
	}
	evs, _ := e.Store.PendingEvents(e.Context, 100)
	for _, ev := range evs {
		if ev.ObjectID == rj.APID {
			t.Fatalf("event for a remote job: %+v", ev)
		}
	}
}
