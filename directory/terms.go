package directory

import (
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	englishstem "github.com/blevesearch/snowballstem/english"
	portuguesestem "github.com/blevesearch/snowballstem/portuguese"
	spanishstem "github.com/blevesearch/snowballstem/spanish"
)

// A word written without quotes matches through its terms: a job matches
// it when they share a term. A word's terms are its stems in English,
// Spanish and Portuguese ("developers" and "developer" share the English
// stem "develop", "desarrolladoras" and "desarrollador" the Spanish
// "desarroll"), or, for a skill of the synonym table, that skill's one
// term ("golang" and "go" are both the term of Go). A word that no
// stemmer applies to (digits, scripts other than Latin) is its own term,
// so every word matches itself.
//
// The stemmers are the Snowball project's own algorithms, as generated
// for Go in github.com/blevesearch/snowballstem: one library for all
// three languages (kljensen/snowball has no Portuguese), with nothing to
// maintain by hand.
//
// Which stemmers: a query's language is unknown, so a query word gets the
// stems of all three. A job's words get the stems of the languages the
// job is written in (Job.Languages), and English always, since Spanish
// and Portuguese openings in tech are full of English words; a job that
// names no language gets all three. Each stem is tagged with its
// language, so that two words match only when one language's stemmer
// makes them one word. Stemming every job in every language, or leaving
// the stems untagged, would merge words across languages that have
// nothing in common: "data" would find every "start date" (the Spanish
// stemmer makes both "dat"), and "redes" every English "red".
// What is lost is matching across languages ("remoto" does not find an
// English job's "remote"): stemming cannot translate.
//
// Terms live apart from tokens (a store keeps them in columns or weights
// of their own), and each starts with a character saying what it is:
// tagWord for a word that is its own term or a skill's term, a stemmer's
// tag for a stem. No term can be mistaken for another of a different
// kind.

// IndexVersion names the tokens and terms this package makes. It goes up
// with every change to what Tokens, Index or the synonym table make of a
// text, or to how skills are saved: stores record the version their
// index holds and index everything again when it differs (sqlstore's
// Reindex). Version 1 had no terms and saved skills as written.
const IndexVersion = 2

// tagWord starts the term of a word that is its own term and the term
// of a skill; a stem starts with its stemmer's tag.
const tagWord = '0'

// stemmer is one language's stemming algorithm and the tag of its stems.
type stemmer struct {
	lang string // base language subtag
	tag  byte
	stem func(*snowballstem.Env) bool
}

// stemmers are the languages search stems, English first.
var stemmers = [...]stemmer{{"en", '1', englishstem.Stem}, {"es", '2', spanishstem.Stem}, {"pt", '3', portuguesestem.Stem}}

// stemSet is a set of stemmers, by their index.
type stemSet uint8

const allStemmers stemSet = 1<<len(stemmers) - 1

// stemmersFor returns the stemmers of text in the given languages (BCP 47
// tags): English and those of the languages listed, or all for none.
func stemmersFor(langs []string) stemSet {
	if len(langs) == 0 {
		return allStemmers
	}
	set := stemSet(1) // English
	for _, l := range langs {
		base, _, _ := strings.Cut(strings.ToLower(l), "-")
		for i, s := range stemmers {
			if s.lang == base {
				set |= 1 << i
			}
		}
	}
	return set
}

func termOf(tag byte, word string) string { return string(tag) + word }

// maxStemmedLen bounds, in bytes, the word a stemmer sees: a token's
// maxTokenLen with room for accents.
const maxStemmedLen = 2 * maxTokenLen

// termer computes the terms of words; one termer serves one text at a
// time, reusing its stemming state.
type termer struct {
	env  *snowballstem.Env
	fold folder
}

// add appends to out the terms of one word: tok is its token, word the
// word with its accents (see eachWord).
func (t *termer) add(out []string, set stemSet, tok, word string) []string {
	if syn, ok := synonyms.names[tok]; ok {
		return append(out, syn.term)
	}
	if !stemmable(tok) {
		return append(out, termOf(tagWord, tok))
	}
	if t.env == nil {
		t.env = snowballstem.NewEnv("")
	}
	word = Clip(word, maxStemmedLen)
	start := len(out)
	for i, s := range stemmers {
		if set&(1<<i) == 0 {
			continue
		}
		out = t.stem(out, start, s, word)
		if word != tok {
			// Typed without its accents, the word must still match:
			// "programacion" as "programación".
			out = t.stem(out, start, s, tok)
		}
	}
	return out
}

// stem appends the stem of word by s, unless out[start:] has it.
func (t *termer) stem(out []string, start int, s stemmer, word string) []string {
	t.env.SetCurrent(word)
	s.stem(t.env)
	st := t.env.Current()
	if st == "" {
		st = word
	}
	term := termOf(s.tag, Clip(t.fold.fold(st), maxTokenLen))
	for _, have := range out[start:] {
		if have == term {
			return out
		}
	}
	return append(out, term)
}

// stemmable reports whether tok is a word of the Latin script, which the
// stemmers know; words with digits are names ("k8s", "ipv6") and stay
// whole.
func stemmable(tok string) bool {
	for _, r := range tok {
		if !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// Indexed is what a store indexes of a text: its tokens, for phrases,
// and its terms, for words (in no particular order; a word's terms come
// once however often it appears, and a skill's term may repeat).
type Indexed struct {
	Tokens []string
	Terms  []string
}

// Index tokenises parts of a text written in langs (BCP 47 tags; none
// when unknown) for a store to index. A skill's name of several words
// ("machine learning") adds the skill's term where the words appear in
// sequence within one part.
func Index(langs []string, parts ...string) Indexed {
	var ix Indexed
	set := stemmersFor(langs)
	var t termer
	seen := map[string]bool{} // words whose terms are in
	for _, p := range parts {
		first := len(ix.Tokens)
		eachWord(p, func(tok, word string) {
			ix.Tokens = append(ix.Tokens, tok)
			if !seen[word] {
				seen[word] = true
				ix.Terms = t.add(ix.Terms, set, tok, word)
			}
		})
		ix.Terms = appendPhraseSynonyms(ix.Terms, ix.Tokens[first:])
	}
	return ix
}

// appendPhraseSynonyms appends the terms of the skills named by several
// tokens in sequence in toks.
func appendPhraseSynonyms(out, toks []string) []string {
	for i, tok := range toks {
		for n := min(synonyms.starts[tok], len(toks)-i); n >= 2; n-- {
			if syn, ok := synonyms.lookup(toks[i : i+n]...); ok {
				out = append(out, syn.term)
				break
			}
		}
	}
	return out
}

// wordTerms returns the terms a query word matches: its stems in every
// language, or its skill's term.
func wordTerms(t *termer, tok, word string) []string {
	return t.add(nil, allStemmers, tok, word)
}
