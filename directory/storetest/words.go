package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// noPhrase is an alternative no job has: a phrase of two words, which
// sends a search to the engine's full-text index rather than the sets of
// words the index of jobs keeps in memory.
const noPhrase = ` OR "zqxw vbnm"`

// testWordsInMemory checks that the searches the index of jobs answers
// from its sets of words in memory (every phrase a single token) find
// exactly what the engine's full-text index finds: the same jobs, in the
// same order (the title tier included), with the same facets. Each query
// is asked as it is and with noPhrase added to its first clause, which
// changes nothing it matches but makes the engine answer it. Then jobs'
// words change, and both still agree.
func testWordsInMemory(t *testing.T, open Opener) {
	st := open(t)
	t.Cleanup(func() { st.Close() })
	svc := SeedJobs(t, st, 6, 400)
	ctx := t.Context()
	queries := []string{
		"go", "rust", "developer", "senior", "engineer", "cooperative", "cooperativa", "remote", "desarrollador",
		"senior developer", "go rust", "go OR rust", "kubernetes engineer", "developer -remote", "engineer -go -rust",
		"software libre", "c++", "node.js", "ios", "nothingmatchesthis",
	}
	compare := func(when string) {
		t.Helper()
		for _, text := range queries {
			for _, facets := range []bool{false, true} {
				q := directory.JobQuery{Text: directory.ParseQuery(text), Limit: 30, Now: time.Now(), Sort: directory.SortRelevance,
					Facets: facets}
				if facets {
					q.Countries = []string{"AR", "GB"}
				}
				viaEngine := q
				// The alternative joins the first word's clause.
				first, others, _ := strings.Cut(text, " ")
				viaEngine.Text = directory.ParseQuery(first + noPhrase + " " + others)
				got, err := st.SearchJobs(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				want, err := st.SearchJobs(ctx, viaEngine)
				if err != nil {
					t.Fatal(err)
				}
				eq(t, when+": total of "+text, got.Total, want.Total)
				eq(t, when+": order of "+text, jobIDs(got.Items), jobIDs(want.Items))
				if facets {
					eq(t, when+": facets of "+text, got.Facets, want.Facets)
				}
			}
		}
	}
	compare("seeded")
	// Words that come and go: a job's title and description change, one
	// job is deleted; the index reads the changes at its next search.
	admin := directory.Principal{Admin: true}
	res, err := st.SearchJobs(ctx, directory.JobQuery{Limit: 3, Now: time.Now()})
	if err != nil || len(res.Items) < 3 {
		t.Fatalf("jobs to change: %v, %v", res, err)
	}
	title, desc := "Senior zymurgist developer", "Kubernetes and Rust for a cooperative."
	if _, err := svc.UpdateJob(ctx, admin, res.Items[0].APID, directory.JobPatch{Title: &title, Description: &desc}); err != nil {
		t.Fatal(err)
	}
	plain := "Gardener"
	if _, err := svc.UpdateJob(ctx, admin, res.Items[1].APID, directory.JobPatch{Title: &plain, Description: &plain}); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeleteJob(ctx, admin, res.Items[2].APID); err != nil {
		t.Fatal(err)
	}
	queries = append(queries, "zymurgist", "gardener", "zymurgist OR gardener")
	compare("changed")
	got, err := st.SearchJobs(ctx, directory.JobQuery{Text: directory.ParseQuery("zymurgist"), Limit: 5, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "the new word", jobIDs(got.Items), []int64{res.Items[0].ID})
}

func jobIDs(js []directory.Job) []int64 {
	out := make([]int64, len(js))
	for i, j := range js {
		out[i] = j.ID
	}
	return out
}
