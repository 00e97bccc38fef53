package postgres

import (
	"database/sql"
	"slices"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlstore"
	"github.com/colmena-coop/colmena/internal/pgtest"
)

// TestParseVector reads tsvectors as PostgreSQL prints them back into the
// words IndexJob wrote: the index of jobs in memory depends on it.
func TestParseVector(t *testing.T) {
	cases := []struct {
		in   string
		want sqlstore.JobWords
	}{
		{"", sqlstore.JobWords{}},
		{`'go':1A,5B '0go':4C 'rust':7B '1remot':4`, sqlstore.JobWords{TitleTokens: []string{"go"}, BodyTokens: []string{"go", "rust"},
			TitleTerms: []string{"0go"}, BodyTerms: []string{"1remot"}}},
		{`'it''s':2B 'a\\b':3A 'bare'`, sqlstore.JobWords{TitleTokens: []string{`a\b`}, BodyTokens: []string{"it's"}, BodyTerms: []string{"bare"}}},
	}
	var got sqlstore.JobWords // reused, as scanning rows does
	for _, tc := range cases {
		parseVector(tc.in, &got)
		if !sameWords(got, tc.want) {
			t.Errorf("parseVector(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// TestVectorRoundTrip writes a job's vector as IndexJob does, reads it back
// from PostgreSQL as text and checks that every word is found of the kind
// it was written as.
func TestVectorRoundTrip(t *testing.T) {
	db, err := sql.Open("pgx", pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	langs := []string{"es", "en"}
	title := directory.Index(langs, "Desarrolladora Go y C++ senior")
	body := directory.Index(langs, "go postgresql", "Rosario", "Programación de APIs en Go; it's a go shop. Node.js .NET")
	var text string
	if err := db.QueryRowContext(t.Context(), `SELECT $1::tsvector::text`, searchVector(title, body)).Scan(&text); err != nil {
		t.Fatal(err)
	}
	var got sqlstore.JobWords
	parseVector(text, &got)
	has := func(list []string, w string) bool {
		for _, v := range list {
			if v == w {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		what        string
		written, in []string
	}{
		{"title tokens", title.Tokens, got.TitleTokens}, {"body tokens", body.Tokens, got.BodyTokens},
		{"title terms", title.Terms, got.TitleTerms},
	} {
		for _, w := range c.written {
			if !has(c.in, w) {
				t.Errorf("%s: %q written, not read back from %s", c.what, w, text)
			}
		}
	}
	// A term of the rest that is also a title term is written once, as the
	// title's; every other is read back as the rest's.
	for _, w := range body.Terms {
		if !has(got.BodyTerms, w) && !has(got.TitleTerms, w) {
			t.Errorf("body term %q not read back from %s", w, text)
		}
	}
}

// sameWords compares two JobWords, an empty list equal to none.
func sameWords(a, b sqlstore.JobWords) bool {
	return slices.Equal(a.TitleTokens, b.TitleTokens) && slices.Equal(a.BodyTokens, b.BodyTokens) &&
		slices.Equal(a.TitleTerms, b.TitleTerms) && slices.Equal(a.BodyTerms, b.BodyTerms)
}
