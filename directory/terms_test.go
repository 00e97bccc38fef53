package directory

import (
	"slices"
	"strings"
	"testing"
)

// matches reports whether the search box query finds a job whose text,
// written in langs, is doc: the whole query is one clause, satisfied by
// a phrase among the tokens or a term among the terms.
func matches(t *testing.T, query string, langs []string, doc string) bool {
	t.Helper()
	q := ParseQuery(query)
	if len(q.Clauses) != 1 {
		t.Fatalf("%q is %d clauses", query, len(q.Clauses))
	}
	ix := Index(langs, doc)
	c := q.Clauses[0]
	for _, term := range c.Terms {
		if slices.Contains(ix.Terms, term) {
			return true
		}
	}
	for _, p := range c.Any {
		for i := 0; i+len(p) <= len(ix.Tokens); i++ {
			if slices.Equal(ix.Tokens[i:i+len(p)], p) {
				return true
			}
		}
	}
	return false
}

var (
	inEnglish    = []string{"en"}
	inSpanish    = []string{"es"}
	inPortuguese = []string{"pt-BR"}
	inUnknown    = []string(nil) // no language named
)

func TestTermsMatch(t *testing.T) {
	for _, tc := range []struct {
		query string
		langs []string
		doc   string
	}{
		{"developers", inEnglish, "Go developer"},
		{"developer", inEnglish, "We hire developers"},
		{"engineers", inUnknown, "Rust engineer"},
		{"desarrolladoras", inSpanish, "Desarrollador Go"},
		{"desarrollador", inSpanish, "Buscamos desarrolladoras"},
		{"desarrolladoras", inUnknown, "Desarrollador backend"},
		{"desenvolvedoras", inPortuguese, "Desenvolvedor Elixir"},
		{"desenvolvedor", inPortuguese, "Pessoa desenvolvedora"},
		{"programacion", inSpanish, "Programación en Go"}, // typed without its accent
		{"programación", inSpanish, "programas"},
		{"cooperativas", inSpanish, "una cooperativa de trabajo"},
		// English words in a Spanish opening are stemmed in English too.
		{"developer", inSpanish, "Buscamos developers"},
		{"golang", inEnglish, "Go developer"},
		{"go", inEnglish, "Golang developer"},
		{"GoLang", inSpanish, "Programación en Go"},
		{"k8s", inEnglish, "Kubernetes operator"},
		{"kubernetes", inEnglish, "k8s clusters"},
		{"js", inEnglish, "Modern JavaScript"},
		{"typescript", inEnglish, "TS and React"},
		{"postgres", inEnglish, "PostgreSQL DBA"},
		{"node.js", inEnglish, "NodeJS services"},
		{"nodejs", inEnglish, "Node.js services"},
		{"react", inEnglish, "React.js frontend"},
		{"c#", inEnglish, "C Sharp and F#"},
		{"csharp", inEnglish, "C# developer"},
		{"cpp", inEnglish, "Embedded C++"},
		{".NET", inEnglish, "dotnet core"},
		{"dotnet", inEnglish, "ASP and .NET"},
		{"ml", inEnglish, "Machine learning engineer"},
		{"machine learning", inEnglish, "ML engineer"},
		{"machine learning", inSpanish, "Aprendizaje automático"},
		{"aws", inEnglish, "Amazon Web Services"},
		{"front-end", inEnglish, "Frontend developer"},
		{"frontend", inSpanish, "Desarrolladora front end"},
		{"ux", inPortuguese, "Experiência do usuário"},
		// Words match themselves, whatever the script.
		{"remote", inEnglish, "Remote"},
		{"remoto", inSpanish, "Remoto"},
		{"elixir", inUnknown, "Elixir"},
		{"2026", inEnglish, "Since 2026"},
		{"ipv6", inEnglish, "IPv6 networks"},
		{"開", inUnknown, "開発者"},
		{"エンジニア", inUnknown, "Goエンジニア募集"},
		{"مطور", inUnknown, "مطور برمجيات"},
		{"разработчик", inUnknown, "Разработчик Go"},
		{"Ärzte", []string{"de"}, "ärzte"},
		// A quoted word is the word as written.
		{`"developer"`, inEnglish, "Go developer"},
		{`"remote from anywhere"`, inEnglish, "Remote from anywhere."},
	} {
		if !matches(t, tc.query, tc.langs, tc.doc) {
			t.Errorf("%q does not find %q (%v): query %+v, terms %v", tc.query, tc.doc, tc.langs, ParseQuery(tc.query),
				Index(tc.langs, tc.doc).Terms)
		}
	}
}

func TestTermsKeepApart(t *testing.T) {
	for _, tc := range []struct {
		query string
		langs []string
		doc   string
	}{
		// Stems of one language are not mistaken for another's: Spanish
		// makes both "data" and "date" "dat", but an English opening is
		// not stemmed in Spanish.
		{"data", inEnglish, "Start date in May"},
		{"redes", inEnglish, "Red team"},
		{"notas", inEnglish, "Not a contract"},
		// A quoted word is only the word as written.
		{`"developers"`, inEnglish, "Go developer"},
		{`"golang"`, inEnglish, "Go developer"},
		// Different skills stay apart.
		{"c", inEnglish, "C++ and C#"},
		{"java", inEnglish, "JavaScript"},
		{"net", inEnglish, ".NET"},
		{"rust", inEnglish, "Trust"},
	} {
		if matches(t, tc.query, tc.langs, tc.doc) {
			t.Errorf("%q finds %q (%v): query %+v, terms %v", tc.query, tc.doc, tc.langs, ParseQuery(tc.query),
				Index(tc.langs, tc.doc).Terms)
		}
	}
}

func TestParseQuery(t *testing.T) {
	for in, want := range map[string]string{
		"developers":                     "[{false [] [1develop 2developers 3developers]}]",
		"golang":                         "[{false [] [0go]}]",
		"-golang":                        "[{true [] [0go]}]",
		`"golang developer"`:             "[{false [[golang developer]] []}]",
		"machine learning":               "[{false [] [0machinelearning]}]",
		"python OR machine learning ops": "[{false [] [1python 2python 3python 0machinelearning]} {false [] [1op 2ops 3ops]}]",
		"machine -learning":              "[{false [] [1machin 2machin 3machin]} {true [] [1learn 2learning 3learning]}]",
		"google cloud platform":          "[{false [] [0gcp]}]",
		"エンジニア":                          "[{false [[エ ン ジ ニ ア]] []}]",
		"e-mail":                         "[{false [[e mail]] []}]",
		"OR":                             "[]",
	} {
		if got := clauses(ParseQuery(in)); got != want {
			t.Errorf("ParseQuery(%q) = %s, want %s", in, got, want)
		}
	}
}

// clauses writes q's clauses as [{negated [phrases] [terms]} ...].
func clauses(q Query) string {
	var b strings.Builder
	b.WriteString("[")
	for i, c := range q.Clauses {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString("{")
		if c.Negated {
			b.WriteString("true [")
		} else {
			b.WriteString("false [")
		}
		for j, p := range c.Any {
			if j > 0 {
				b.WriteString(" ")
			}
			b.WriteString("[" + strings.Join(p, " ") + "]")
		}
		b.WriteString("] [" + strings.Join(c.Terms, " ") + "]}")
	}
	b.WriteString("]")
	return b.String()
}

func TestIndexLanguages(t *testing.T) {
	for _, tc := range []struct {
		langs []string
		want  stemSet
	}{
		{nil, allStemmers},
		{[]string{"en"}, 1},
		{[]string{"es-AR"}, 1 | 2},
		{[]string{"pt-BR", "en-GB"}, 1 | 4},
		{[]string{"fr"}, 1},
	} {
		if got := stemmersFor(tc.langs); got != tc.want {
			t.Errorf("stemmersFor(%v) = %b, want %b", tc.langs, got, tc.want)
		}
	}
}

// TestSynonymTable: every skill's tag is a valid tag and its own name, no
// name belongs to two skills, and every term is one search token.
func TestSynonymTable(t *testing.T) {
	owner := map[string]string{}
	for _, names := range skillSynonyms {
		tag := names[0]
		if got, err := NormalizeTags("skills", []string{tag}); err != nil || got[0] != tag {
			t.Errorf("the tag %q does not save as itself: %v %v", tag, got, err)
		}
		for _, name := range names {
			key := strings.Join(Tokens(name), " ")
			if key == "" {
				t.Errorf("%q has no tokens", name)
			}
			if o, ok := owner[key]; ok && o != tag {
				t.Errorf("%q names both %q and %q", name, o, tag)
			}
			owner[key] = tag
			if got := CanonicalTag(name); got != tag {
				t.Errorf("CanonicalTag(%q) = %q, want %q", name, got, tag)
			}
		}
		syn, _ := synonyms.lookup(Tokens(tag)...)
		if toks := Tokens(syn.term[1:]); len(toks) != 1 || toks[0] != syn.term[1:] {
			t.Errorf("the term %q of %q is not one token", syn.term, tag)
		}
	}
	got := CanonicalTags([]string{"Golang", "go", " k8s", "Node.js", "nodejs", "rust", "C Sharp"})
	if want := []string{"go", "kubernetes", "node.js", "rust", "c#"}; !slices.Equal(got, want) {
		t.Errorf("CanonicalTags = %v, want %v", got, want)
	}
	// Skills are saved under their canonical names.
	got, err := NormalizeTags("skills", []string{"Golang", ".NET", "go", "K8s", "c sharp", "Machine Learning", "elixir"})
	if want := []string{"go", "dotnet", "kubernetes", "c#", "machine-learning", "elixir"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("NormalizeTags = %v %v, want %v", got, err, want)
	}
	for _, bad := range []string{"-go", ".go", "go!"} {
		if _, err := NormalizeTags("skills", []string{bad}); err == nil {
			t.Errorf("NormalizeTags took %q", bad)
		}
	}
}

func BenchmarkIndex(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Index(inSpanish, typicalJob[0])
		Index(inSpanish, typicalJob[1:]...)
	}
}
