package federation

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/colmena-coop/colmena/directory"
)

// The readable names of saved searches, in the node's language (its
// federation's first language; English when it has none or another): the
// filters of the search page's chips, worded as a phrase. "Remote Go jobs
// open to Argentina, at least USD 1,500 a month".

// searchWords word a search's name in one language.
type searchWords struct {
	notes *noteWords
	// all names a search with no filter: "All jobs on %s".
	all string
	// jobs is the noun; remote qualifies it (plural in Spanish).
	jobs   string
	remote map[string]string
	// head builds the noun phrase from qualifiers and skills.
	head func(remote, types, seniority, skills string) string
	// The clauses after it.
	matching, in, openTo, inLanguage, from, at, paidIn, postedDays, posted,
	membership, overlap, atLeast string
	or       string
	language display.Namer
}

var englishSearch = &searchWords{
	notes: englishWords, all: "All jobs on ", jobs: "jobs",
	remote: map[string]string{directory.RemoteFull: "remote", directory.RemoteHybrid: "hybrid", directory.RemoteOnsite: "on-site"},
	head: func(remote, types, seniority, skills string) string {
		return capitalize(strings.Join(nonEmpty(remote, types, seniority, skills, "jobs"), " "))
	},
	matching: "matching", in: "in", openTo: "open to", inLanguage: "in", from: "from", at: "at", paidIn: "paid in",
	postedDays: "posted in the last %d days", posted: "posted in the last", membership: "leading to membership",
	overlap: "with %d hours in common with a working day in", atLeast: "at least", or: " or ",
	language: display.English.Languages(),
}

var spanishSearch = &searchWords{
	notes: spanishWords, all: "Todos los empleos de ", jobs: "empleos",
	remote: map[string]string{directory.RemoteFull: "remotos", directory.RemoteHybrid: "híbridos", directory.RemoteOnsite: "presenciales"},
	head: func(remote, types, seniority, skills string) string {
		h := "Empleos"
		if remote != "" {
			h += " " + remote
		}
		if skills != "" {
			h += " de " + skills
		}
		if types != "" {
			h += " (" + types + ")"
		}
		if seniority != "" {
			h += ", nivel " + seniority
		}
		return h
	},
	matching: "que mencionan", in: "en", openTo: "abiertos a", inLanguage: "en", from: "de", at: "en", paidIn: "pagados en",
	postedDays: "publicados en los últimos %d días", posted: "publicados en las últimas", membership: "que llevan a ser socia o socio",
	overlap: "con %d horas en común con una jornada en", atLeast: "desde", or: " o ",
	language: display.Spanish.Languages(),
}

func searchWordsFor(tag string) *searchWords {
	if wordsFor(tag) == spanishWords {
		return spanishSearch
	}
	return englishSearch
}

func nonEmpty(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// searchName names a canonical search in the node's language.
func (f *Federation) searchName(ctx context.Context, canon url.Values) (string, error) {
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return "", err
	}
	lang := ""
	if len(fed.Languages) > 0 {
		lang = fed.Languages[0]
	}
	return searchWordsFor(lang).name(canon, fed.Name), nil
}

// name words a canonical search; node is the node's name, for a search
// with no filter.
func (w *searchWords) name(canon url.Values, node string) string {
	if len(canon) == 0 {
		return w.all + node
	}
	join := func(vs []string, word func(string) string) string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = word(v)
		}
		return strings.Join(out, w.or)
	}
	same := func(v string) string { return v }
	lowerLabel := func(m map[string]string) func(string) string {
		return func(v string) string {
			if l, ok := m[v]; ok {
				return strings.ToLower(l)
			}
			return v
		}
	}
	// Skills are tags, lower-cased; in a name they read as names.
	skill := capitalize
	head := w.head(join(canon["remote"], lowerLabel(w.remote)), join(canon["type"], lowerLabel(w.notes.employment)),
		join(canon["seniority"], same), join(canon["skill"], skill))
	var clauses []string
	add := func(parts ...string) { clauses = append(clauses, strings.Join(nonEmpty(parts...), " ")) }
	if q := canon.Get("q"); q != "" {
		add(w.matching, "“"+q+"”")
	}
	if cs := canon["country"]; len(cs) > 0 {
		add(w.in, join(cs, w.notes.country))
	}
	if l := canon.Get("live_in"); l != "" {
		place := w.notes.country(l)
		if c := canon.Get("city"); c != "" {
			place = c + ", " + place
		}
		add(w.openTo, place)
	}
	if ls := canon["language"]; len(ls) > 0 {
		add(w.inLanguage, join(ls, func(v string) string {
			if t, err := language.Parse(v); err == nil {
				if n := w.language.Name(t); n != "" {
					return n
				}
			}
			return v
		}))
	}
	if fs := canon["federation"]; len(fs) > 0 {
		add(w.from, join(fs, shortActor))
	}
	if cs := canon["coop"]; len(cs) > 0 {
		add(w.at, join(cs, shortActor))
	}
	if cs := canon["currency"]; len(cs) > 0 {
		add(w.paidIn, join(cs, same))
	}
	if p := canon.Get("posted_within"); p != "" {
		if n, err := strconv.Atoi(strings.TrimSuffix(p, "d")); err == nil && strings.HasSuffix(p, "d") {
			add(strings.Replace(w.postedDays, "%d", strconv.Itoa(n), 1))
		} else {
			add(w.posted, p)
		}
	}
	if canon.Get("leads_to_membership") == "true" {
		add(w.membership)
	}
	if tz := canon.Get("tz"); tz != "" && canon.Get("overlap") != "" {
		add(strings.Replace(w.overlap, "%d", canon.Get("overlap"), 1), tz)
	}
	if m := canon.Get("salary_min"); m != "" {
		n, _ := strconv.ParseInt(m, 10, 64)
		period := canon.Get("salary_period")
		if period == "" {
			period = directory.PerMonth
		}
		add(w.atLeast, canon.Get("salary_currency")+" "+w.notes.group(n), w.notes.perPeriod[period])
	}
	if len(clauses) == 0 {
		return head
	}
	return head + " " + clauses[0] + strings.Join(append([]string{""}, clauses[1:]...), ", ")
}

// shortActor names an actor a filter gives by id or handle@host by its
// handle.
func shortActor(v string) string {
	if u, err := url.Parse(v); err == nil && u.Host != "" {
		return u.Path[strings.LastIndex(u.Path, "/")+1:]
	}
	h, _, _ := strings.Cut(v, "@")
	return h
}

// SearchName names a job search's parameters in the language lang (cur
// as FollowSearch takes it), and reports whether the search has any
// filter: one without is "All jobs on" the node.
func (f *Federation) SearchName(ctx context.Context, v url.Values, cur, lang string) (string, bool, error) {
	canon, err := directory.CanonicalSearch(v, cur)
	if err != nil {
		return "", false, err
	}
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return "", false, err
	}
	return searchWordsFor(lang).name(canon, fed.Name), len(canon) > 0, nil
}
