package directory

import "strings"

// skillSynonyms is the reviewed table of the names people write for one
// skill. The first name of each entry is the skill's tag: co-ops' and
// jobs' skills are saved under it (NormalizeTags), skill filters look it
// up, and in search text every name of the entry is one search term, so
// that "golang" finds "Go" and "k8s" finds "Kubernetes". Names are
// compared as their tokens: "Node.js", "node-js" and "node js" are one
// name, and a name of several words matches those words in sequence.
//
// A name goes in only when, in a job opening, it means that skill and
// nothing else. Left out on purpose: "node" (a network's or a
// federation's node; "node" still finds "Node.js", whose words are
// indexed as well), "py" (Paraguay), "rb", "tf" (Terraform or
// TensorFlow), "es" (a language code, and a Spanish word), "angularjs"
// (the older framework, not Angular), "software libre" (free software is
// not open source), "ia" (a Portuguese verb).
var skillSynonyms = [...][]string{
	{"go", "golang"},
	{"javascript", "js", "ecmascript"},
	{"typescript", "ts"},
	{"node.js", "nodejs"},
	{"react", "reactjs", "react.js"},
	{"vue", "vuejs", "vue.js"},
	{"next.js", "nextjs"},
	{"kubernetes", "k8s"},
	{"postgresql", "postgres", "pgsql"},
	{"mongodb", "mongo"},
	{"sql-server", "mssql", "microsoft sql server"},
	{"elasticsearch", "elastic search"},
	{"rails", "ruby on rails"},
	{"rust", "rustlang"},
	{"c#", "csharp", "c sharp"},
	{"c++", "cpp", "cplusplus"},
	{"f#", "fsharp"},
	{"dotnet", ".net", "dot net"},
	{"objective-c", "objc", "obj-c"},
	{"html", "html5"},
	{"css", "css3"},
	{"aws", "amazon web services"},
	{"gcp", "google cloud", "google cloud platform"},
	{"ci-cd", "cicd"},
	{"devops", "dev ops"},
	{"sre", "site reliability"},
	{"frontend", "front end"},
	{"backend", "back end"},
	{"fullstack", "full stack"},
	{"machine-learning", "ml", "aprendizaje automático", "aprendizado de máquina"},
	{"ai", "artificial intelligence", "inteligencia artificial"},
	{"nlp", "natural language processing"},
	{"scikit-learn", "sklearn"},
	{"ux", "user experience", "experiencia de usuario", "experiência do usuário"},
	{"ui", "user interface", "interfaz de usuario", "interface do usuário"},
	{"qa", "quality assurance"},
	{"open-source", "opensource", "código abierto", "código aberto"},
}

// synonym is what one name of skillSynonyms stands for.
type synonym struct {
	tag  string // the skill's tag
	term string // its search term
}

// synonymTable is skillSynonyms for looking up: names maps each name, as
// its tokens joined by spaces, to its skill, and spelled each name as the
// table spells it; starts maps the first token of each name of several
// tokens to the most tokens such a name has.
type synonymTable struct {
	names   map[string]synonym
	spelled map[string]synonym
	starts  map[string]int
}

// synonyms is built once from skillSynonyms and only read.
var synonyms = buildSynonyms()

func buildSynonyms() synonymTable {
	st := synonymTable{names: map[string]synonym{}, spelled: map[string]synonym{}, starts: map[string]int{}}
	for _, names := range skillSynonyms {
		syn := synonym{tag: names[0], term: termOf(tagWord, strings.Join(Tokens(names[0]), ""))}
		for _, name := range names {
			toks := Tokens(name)
			key := strings.Join(toks, " ")
			if _, ok := st.names[key]; !ok {
				st.names[key] = syn
			}
			st.spelled[name] = syn
			if len(toks) > 1 {
				st.starts[toks[0]] = max(st.starts[toks[0]], len(toks))
			}
		}
	}
	return st
}

// lookup returns the skill that toks name, if any.
func (st synonymTable) lookup(toks ...string) (synonym, bool) {
	syn, ok := st.names[strings.Join(toks, " ")]
	return syn, ok
}

// CanonicalTag returns the tag a skill is saved under: the first name of
// its entry in the synonym table, or the tag itself. tag is lower-case.
func CanonicalTag(tag string) string {
	if syn, ok := synonyms.spelled[tag]; ok {
		return syn.tag
	}
	if syn, ok := synonyms.lookup(Tokens(tag)...); ok {
		return syn.tag
	}
	return tag
}

// CanonicalTags returns tags under their canonical names, without
// repeats, in their order.
func CanonicalTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		t = CanonicalTag(strings.ToLower(strings.TrimSpace(t)))
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
