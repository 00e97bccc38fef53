package storetest

import (
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// seedTerms makes jobs in English, Spanish and Portuguese, local and
// aggregated, whose words come in other forms than a seeker types.
func seedTerms(t *testing.T, e *Env) {
	t.Helper()
	e.Coop(t, "gcoop", "AR", 40)
	en, es, pt := []string{"en"}, []string{"es"}, []string{"pt-BR"}
	e.Job(t, "gcoop", JobSpec{Title: "Go developer", Description: "Backend services in Golang, deployed to k8s.",
		Skills: []string{"Golang", "k8s"}, Languages: en})
	e.Job(t, "gcoop", JobSpec{Title: "Desarrollador backend", Description: "Programación de APIs en Go y PostgreSQL. Trabajo remoto.",
		Skills: []string{"go", "postgresql"}, Languages: es})
	e.Job(t, "gcoop", JobSpec{Title: "Desenvolvedor Elixir", Description: "Trabalho remoto com Phoenix e Postgres.",
		Skills: []string{"elixir"}, Languages: pt})
	e.Job(t, "gcoop", JobSpec{Title: "Data engineer", Description: "Start date: May. Pipelines in Python; machine learning a plus.",
		Skills: []string{"python"}, Languages: en})
	e.Job(t, "gcoop", JobSpec{Title: "Frontend developers", Description: "React and TypeScript for a Node.js back end.",
		Skills: []string{"typescript"}, Languages: en})
	e.Job(t, "gcoop", JobSpec{Title: "Goエンジニア募集", Description: "東京のソフトウェア開発。",
		Skills: []string{"go"}, Languages: []string{"ja"}})
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	remote := remoteJob("https://ethix.example/jobs/1", rc.APID, "Desarrolladora de software", Start)
	remote.Description = "Cooperativa de desarrolladoras. JS y .NET."
	remote.Languages, remote.Skills = es, []string{"dotnet"}
	if err := e.Store.UpsertRemoteJob(e.Context, remote); err != nil {
		t.Fatal(err)
	}
}

// termCases are searches and the jobs each finds, the same on every
// engine.
var termCases = []struct {
	q    string
	want []string
}{
	// Other forms of a word, in each language.
	{"developers", []string{"Frontend developers", "Go developer"}},
	{"developer", []string{"Frontend developers", "Go developer"}},
	{"desarrolladoras", []string{"Desarrollador backend", "Desarrolladora de software"}},
	{"desarrollador", []string{"Desarrollador backend", "Desarrolladora de software"}},
	{"desenvolvedoras", []string{"Desenvolvedor Elixir"}},
	{"programacion", []string{"Desarrollador backend"}},
	{"programa", []string{"Desarrollador backend"}},
	{"cooperativas", []string{"Desarrolladora de software"}},
	{"remota", []string{"Desarrollador backend", "Desenvolvedor Elixir"}},
	{"engineers", []string{"Data engineer"}},
	{"deploy", []string{"Go developer"}},
	// Skills by their other names.
	{"golang", []string{"Desarrollador backend", "Go developer", "Goエンジニア募集"}},
	{"go", []string{"Desarrollador backend", "Go developer", "Goエンジニア募集"}},
	{"k8s", []string{"Go developer"}},
	{"kubernetes", []string{"Go developer"}},
	{"postgres", []string{"Desarrollador backend", "Desenvolvedor Elixir"}},
	{"javascript", []string{"Desarrolladora de software", "Frontend developers"}},
	{"ts", []string{"Frontend developers"}},
	{"nodejs", []string{"Frontend developers"}},
	{"node", []string{"Frontend developers"}},
	{"dotnet", []string{"Desarrolladora de software"}},
	{"ml", []string{"Data engineer"}},
	{"machine learning", []string{"Data engineer"}},
	{"backend", []string{"Desarrollador backend", "Frontend developers", "Go developer"}},
	{"front-end", []string{"Frontend developers"}},
	// Words of one language are not taken for another's.
	{"data", []string{"Data engineer"}},
	{"dates", []string{"Data engineer"}},
	{"net", nil},
	{"java", nil},
	// Quotes keep a word or phrase as written.
	{`"developers"`, []string{"Frontend developers"}},
	{`"golang"`, []string{"Go developer"}},
	{`"trabajo remoto"`, []string{"Desarrollador backend"}},
	{`"remoto trabajo"`, nil},
	// A phrase does not run from the title into the rest.
	{`"developer go"`, nil},
	// Exclusions and alternatives use the forms too.
	{"developers -golang", []string{"Frontend developers"}},
	{"desarrolladoras -cooperativas", []string{"Desarrollador backend"}},
	{"elixir OR k8s", []string{"Desenvolvedor Elixir", "Go developer"}},
	{"python OR machine learning", []string{"Data engineer"}},
	// Scripts without spaces keep their character tokens.
	{"エンジニア", []string{"Goエンジニア募集"}},
	{"開発", []string{"Goエンジニア募集"}},
	{"開", []string{"Goエンジニア募集"}},
}

// testSearchTerms: a word finds its other forms and a skill its other
// names, in job search, relevance tiers, facets and co-op search, alike
// on every engine.
func testSearchTerms(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	seedTerms(t, e)
	for _, tc := range termCases {
		res := search(t, e, directory.JobQuery{Text: directory.ParseQuery(tc.q), Facets: true})
		if tc.want == nil {
			tc.want = []string{}
		}
		eq(t, "q="+tc.q, sortedTitles(res.Items), tc.want)
		eq(t, "total q="+tc.q, res.Total, len(tc.want))
	}
	// Relevance: a title with the word in another form ranks first.
	res := search(t, e, directory.JobQuery{Text: directory.ParseQuery("developers golang")})
	eq(t, "relevance", titles(res.Items), []string{"Go developer"})
	res = search(t, e, directory.JobQuery{Text: directory.ParseQuery("golang"), Sort: directory.SortRelevance})
	eq(t, "relevance tiers", titles(res.Items), []string{"Goエンジニア募集", "Go developer", "Desarrollador backend"})
	res = search(t, e, directory.JobQuery{Text: directory.ParseQuery("desarrolladoras"), Sort: directory.SortRelevance, Limit: 1})
	eq(t, "first page by relevance", titles(res.Items), []string{"Desarrollador backend"})
	res = search(t, e, directory.JobQuery{Text: directory.ParseQuery("desarrolladoras"), Sort: directory.SortRelevance, Limit: 1, After: res.Next})
	eq(t, "second page by relevance", titles(res.Items), []string{"Desarrolladora de software"})
	// Facets count the jobs the forms find.
	res = search(t, e, directory.JobQuery{Text: directory.ParseQuery("desarrolladoras"), Facets: true})
	eq(t, "facets", facetMap(res.Facets.Language), map[string]int{"es": 2})

	// Skills are saved under one name, and a filter takes any.
	j, err := e.Store.JobByAPID(e.Context, search(t, e, directory.JobQuery{Text: directory.ParseQuery(`"go developer"`)}).Items[0].APID)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "skills saved", j.Skills, []string{"go", "kubernetes"})
	res = search(t, e, directory.JobQuery{Skills: []string{"golang"}, Facets: true})
	eq(t, "skill golang", sortedTitles(res.Items), []string{"Desarrollador backend", "Go developer", "Goエンジニア募集"})
	eq(t, "skill facet", facetMap(res.Facets.Skill), map[string]int{"go": 3, "kubernetes": 1, "postgresql": 1, "elixir": 1,
		"python": 1, "typescript": 1, "dotnet": 1})
	res = search(t, e, directory.JobQuery{Skills: []string{"K8s", ".NET"}})
	eq(t, "skills k8s or .net", sortedTitles(res.Items), []string{"Desarrolladora de software", "Go developer"})
	res = search(t, e, directory.JobQuery{Skills: []string{"golang"}, Text: directory.ParseQuery("developers")})
	eq(t, "skill and words", sortedTitles(res.Items), []string{"Go developer"})

	// Co-ops are found the same way.
	c, err := e.Svc.CreateCoop(e.Context, e.Admin, directory.Coop{Handle: "cooperativa", Name: "Cooperativa de Desarrolladoras",
		Summary: "Desarrollo de software libre con Golang.", Country: "UY", Workers: 9, Languages: []string{"es"},
		Skills: []string{"Golang", "K8S", "Node.js", "nodejs"}})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "co-op skills saved", c.Skills, []string{"go", "kubernetes", "node.js"})
	for _, skill := range []string{"go", "golang", "nodejs"} {
		p, err := e.Svc.ListCoops(e.Context, directory.CoopQuery{Skills: []string{skill}})
		if err != nil || p.Total != 1 || p.Items[0].Handle != "cooperativa" {
			t.Fatalf("co-ops of the skill %s: %+v %v", skill, p, err)
		}
	}
	for _, tc := range []struct {
		q    string
		want int
	}{{"desarrollador", 1}, {"golang", 1}, {"go", 1}, {`"golang"`, 1}, {"kubernetes", 1}, {"cooperativas", 1}, {"desarrollador -golang", 0}} {
		p, err := e.Svc.ListCoops(e.Context, directory.CoopQuery{Text: directory.ParseQuery(tc.q)})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "co-ops q="+tc.q, p.Total, tc.want)
	}
}
