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
// so that "C++" and "C#" are not the same as "C". Scripts written
// without spaces between words (Chinese, Japanese, Thai…) give a token per
// character, so that a word inside a sentence matches as the phrase of its
// characters.

// maxTokenLen bounds a token, in bytes; a longer word is cut on a
// character boundary, the same way in documents and in queries.
const maxTokenLen = 64

// unspaced lists the scripts whose words are not separated by spaces.
var unspaced = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao,
	unicode.Khmer, unicode.Myanmar}

// Tokens splits s into search tokens.
func Tokens(s string) []string {
	s = foldAccents(s)
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, Clip(cur.String(), maxTokenLen))
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsOneOf(unspaced, r):
			flush()
			out = append(out, string(unicode.ToLower(r)))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(unicode.ToLower(r))
		case r == '+' && cur.Len() > 0:
			cur.WriteString("plus")
		case r == '#' && cur.Len() > 0:
			cur.WriteString("sharp")
		default:
			flush()
		}
	}
	flush()
	return out
}

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

// foldAccents drops combining marks, except the kana voicing marks: "ジ"
// is a letter of its own, not "シ" with an accent.
func foldAccents(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.Predicate(isAccent)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

func isAccent(r rune) bool { return unicode.Is(unicode.Mn, r) && r != '\u3099' && r != '\u309a' }

// SearchDoc is the token text a store indexes for the given parts.
func SearchDoc(parts ...string) string {
	var all []string
	for _, p := range parts {
		all = append(all, Tokens(p)...)
	}
	return strings.Join(all, " ")
}

// SortKey is the key by which names are ordered: lower-cased, accents
// folded, so that both stores order alike whatever their collation.
func SortKey(name string) string {
	return strings.ToLower(foldAccents(strings.TrimSpace(name)))
}

// Query is a parsed search query in the manner of web search boxes: words
// must all match, "quoted phrases" match in sequence, -word excludes, and
// OR between two terms accepts either.
type Query struct {
	Clauses []Clause
}

// Clause is one condition of a query: any of its phrases matching satisfies
// it; a negated clause is satisfied when none match.
type Clause struct {
	Negated bool
	Any     []Phrase
}

// Phrase is a sequence of tokens that must appear in order.
type Phrase []string

// Limits that keep a hostile query cheap.
const (
	maxClauses      = 16
	maxPhraseTokens = 8
	maxQueryLen     = 500
)

// ParseQuery parses a search box query. It never fails: what cannot be
// searched is dropped.
func ParseQuery(q string) Query {
	q = Clip(q, maxQueryLen)
	var query Query
	orPending := false
	rs := []rune(q)
	for i := 0; i < len(rs) && len(query.Clauses) < maxClauses; {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		neg := false
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			neg = true
			i++
		}
		var raw string
		quoted := false
		if rs[i] == '"' {
			quoted = true
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			raw = string(rs[i+1 : j])
			i = j + 1
		} else {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				j++
			}
			raw = string(rs[i:j])
			i = j
		}
		if !quoted && !neg && raw == "OR" {
			orPending = len(query.Clauses) > 0
			continue
		}
		toks := Tokens(raw)
		if len(toks) == 0 {
			continue
		}
		if len(toks) > maxPhraseTokens {
			toks = toks[:maxPhraseTokens]
		}
		p := Phrase(toks)
		last := len(query.Clauses) - 1
		if orPending && !neg && last >= 0 && !query.Clauses[last].Negated && len(query.Clauses[last].Any) < maxClauses {
			query.Clauses[last].Any = append(query.Clauses[last].Any, p)
		} else {
			query.Clauses = append(query.Clauses, Clause{Negated: neg, Any: []Phrase{p}})
		}
		orPending = false
	}
	return query
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
