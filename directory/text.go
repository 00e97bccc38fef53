package directory

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Search text is tokenised here, once, for both stores, so that a query
// matches the same jobs on SQLite and on PostgreSQL. A token is a run of
// letters and digits, lower-cased and stripped of accents ("Programación"
// and "programacion" match); a run of + or # after a token is spelled out
// so that "C++" and "C#" are not the same as "C", and a dot that starts a
// word before a letter is spelled out too, so that ".NET" is not "net".
// Scripts written without spaces between words (Chinese, Japanese,
// Thai…) give a token per character, so that a word inside a sentence
// matches as the phrase of its characters.
//
// Tokens are what phrases match, in order. Single words match through
// terms (terms.go): their stems and the skill synonyms of synonyms.go.

// maxTokenLen bounds a token, in bytes; a longer word is cut on a
// character boundary, the same way in documents and in queries.
const maxTokenLen = 64

// unspaced lists the scripts whose words are not separated by spaces.
var unspaced = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao,
	unicode.Khmer, unicode.Myanmar}

// Tokens splits s into search tokens.
func Tokens(s string) []string {
	var out []string
	eachWord(s, func(tok, _ string) { out = append(out, tok) })
	return out
}

// eachWord calls fn with each token of s and the word it came from,
// lower-cased but with its accents, which the stemmers need
// ("programación", not "programacion").
func eachWord(s string, fn func(tok, word string)) {
	s = norm.NFC.String(s)
	var f folder
	var cur strings.Builder
	letters := false // whether cur holds more than accents
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		word := cur.String()
		cur.Reset()
		letters = false
		if tok := f.fold(word); tok != "" {
			fn(Clip(tok, maxTokenLen), word)
		}
	}
	prev := ' '
	for i, r := range s {
		switch {
		case isAccent(r):
			// Accents stay in the word until it is folded whole.
			cur.WriteRune(r)
		case unicode.IsOneOf(unspaced, r):
			flush()
			word := string(unicode.ToLower(r))
			if tok := f.fold(word); tok != "" {
				fn(tok, word)
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(unicode.ToLower(r))
			letters = true
		case r == '+' && letters:
			cur.WriteString("plus")
		case r == '#' && letters:
			cur.WriteString("sharp")
		case r == '.' && !letters && prev != '.' && i+1 < len(s) && isASCIILetter(s[i+1]):
			cur.WriteString("dot")
			letters = true
		default:
			flush()
		}
		prev = r
	}
	flush()
}

func isASCIILetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

// Clip cuts s to at most n bytes without splitting a character.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Storable makes text that arrived unchecked (a header, a remote
// server's answer) fit to store on every engine: bytes that are not UTF-8
// and NUL characters are dropped, and it is cut to at most n bytes
// without splitting a character.
func Storable(s string, n int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
	return Clip(s, n)
}

// folder drops combining marks, except the kana voicing marks: "ジ" is a
// letter of its own, not "シ" with an accent. One folder serves one
// text at a time.
type folder struct{ t transform.Transformer }

func (f *folder) fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	if f.t == nil {
		f.t = transform.Chain(norm.NFD, runes.Remove(runes.Predicate(isAccent)), norm.NFC)
	}
	out, _, err := transform.String(f.t, s)
	if err != nil {
		return s
	}
	return out
}

// foldAccents drops the accents of s.
func foldAccents(s string) string {
	var f folder
	return f.fold(s)
}

func isAccent(r rune) bool { return unicode.Is(unicode.Mn, r) && r != '\u3099' && r != '\u309a' }

// SortKey is the key by which names are ordered: lower-cased, accents
// folded, so that both stores order alike whatever their collation.
func SortKey(name string) string {
	return strings.ToLower(foldAccents(strings.TrimSpace(name)))
}

// Query is a parsed search query in the manner of web search boxes: words
// must all match, "quoted phrases" match in sequence, -word excludes, and
// OR between two terms accepts either. A word written without quotes
// matches through its terms (terms.go): its other forms and, for a skill,
// its other names; a quoted word or phrase matches only as written
// (accents and case aside). Unquoted words that together name a skill
// ("machine learning") are one condition, the skill.
type Query struct {
	Clauses []Clause
}

// Clause is one condition of a query: it holds when any of its phrases
// appears, or any of its terms is among the job's terms; a negated clause
// holds when none does.
type Clause struct {
	Negated bool
	Any     []Phrase
	Terms   []string
}

// alternatives counts what may satisfy the clause.
func (c Clause) alternatives() int { return len(c.Any) + len(c.Terms) }

// Phrase is a sequence of tokens that must appear in order.
type Phrase []string

// Limits that keep a hostile query cheap.
const (
	maxClauses      = 16
	maxPhraseTokens = 8
	maxQueryLen     = 500
	// maxAlternatives bounds the phrases and terms of one clause.
	maxAlternatives = 64
)

// queryWord is one word or quoted phrase of a search box.
type queryWord struct {
	raw             string
	quoted, negated bool
}

// plain reports whether w is an unquoted word, neither excluded nor OR.
func (w queryWord) plain() bool { return !w.quoted && !w.negated && w.raw != "OR" }

// queryWords splits a search box into words and quoted phrases.
func queryWords(q string) []queryWord {
	var out []queryWord
	rs := []rune(q)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		var w queryWord
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			w.negated = true
			i++
		}
		if rs[i] == '"' {
			w.quoted = true
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			w.raw = string(rs[i+1 : j])
			i = j + 1
		} else {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				j++
			}
			w.raw = string(rs[i:j])
			i = j
		}
		out = append(out, w)
	}
	return out
}

// ParseQuery parses a search box query. It never fails: what cannot be
// searched is dropped.
func ParseQuery(q string) Query {
	words := queryWords(Clip(q, maxQueryLen))
	var query Query
	var t termer
	orPending := false
	for k := 0; k < len(words) && len(query.Clauses) < maxClauses; k++ {
		w := words[k]
		if !w.quoted && !w.negated && w.raw == "OR" {
			orPending = len(query.Clauses) > 0
			continue
		}
		var toks, forms []string
		eachWord(w.raw, func(tok, word string) {
			toks = append(toks, tok)
			forms = append(forms, word)
		})
		if len(toks) == 0 {
			continue
		}
		var alt Clause
		switch syn, n, named := skillOfWords(words[k:], toks); {
		case w.quoted:
			alt.Any = []Phrase{Phrase(toks[:min(len(toks), maxPhraseTokens)])}
		case named:
			alt.Terms = []string{syn.term}
			k += n - 1
		case len(toks) == 1:
			alt.Terms = wordTerms(&t, toks[0], forms[0])
		default:
			alt.Any = []Phrase{Phrase(toks[:min(len(toks), maxPhraseTokens)])}
		}
		last := len(query.Clauses) - 1
		if orPending && !w.negated && last >= 0 && !query.Clauses[last].Negated &&
			query.Clauses[last].alternatives()+alt.alternatives() <= maxAlternatives {
			c := &query.Clauses[last]
			c.Any = append(c.Any, alt.Any...)
			c.Terms = append(c.Terms, alt.Terms...)
		} else {
			alt.Negated = w.negated
			query.Clauses = append(query.Clauses, alt)
		}
		orPending = false
	}
	return query
}

// skillOfWords reports whether the search box words ws, the first of
// which has the tokens toks, start with the name of a skill: several
// plain words together, or one word. n is how many words name it; the
// longest name wins.
func skillOfWords(ws []queryWord, toks []string) (syn synonym, n int, ok bool) {
	if ws[0].quoted {
		return synonym{}, 0, false
	}
	syn, ok = synonyms.lookup(toks...)
	if ok {
		n = 1
	}
	if limit := synonyms.starts[toks[0]]; limit > 0 && ws[0].plain() {
		all := append([]string(nil), toks...)
		for j := 1; j < len(ws) && ws[j].plain() && len(all) < limit; j++ {
			all = append(all, Tokens(ws[j].raw)...)
			if s, found := synonyms.lookup(all...); found {
				syn, n, ok = s, j+1, true
			}
		}
	}
	return syn, n, ok
}

// Empty reports whether the query has no condition.
func (q Query) Empty() bool { return len(q.Clauses) == 0 }

// Positive returns the clauses that must match.
func (q Query) Positive() []Clause {
	var out []Clause
	for _, c := range q.Clauses {
		if !c.Negated {
			out = append(out, c)
		}
	}
	return out
}

// Negative returns the clauses that must not match.
func (q Query) Negative() []Clause {
	var out []Clause
	for _, c := range q.Clauses {
		if c.Negated {
			out = append(out, c)
		}
	}
	return out
}
