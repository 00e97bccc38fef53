package directory

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTokens(t *testing.T) {
	for in, want := range map[string]string{
		"Programación en C++ y C#":    "programacion en cplusplus y csharp",
		"Goエンジニア募集":                   "go エ ン ジ ニ ア 募 集",
		"サーバー":                        "サ ー バ ー",
		"后端工程师 2026年":                 "后 端 工 程 师 2026 年",
		"مطور برمجيات":                "مطور برمجيات",
		"🚀 Rust 🦀":                    "rust",
		"x" + strings.Repeat("ж", 40): "x" + strings.Repeat("ж", 31),
	} {
		if got := strings.Join(Tokens(in), " "); got != want {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
	q := ParseQuery(strings.Repeat("a", maxQueryLen-1) + "開発")
	if len(q.Clauses) != 1 || q.Clauses[0].Any[0][0] != strings.Repeat("a", maxTokenLen) {
		t.Errorf("a query cut inside a character: %+v", q)
	}
}

// FuzzTokens: whatever the text, tokens are short, valid UTF-8 and free
// of spaces, so that every engine stores and matches them.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Go developer", "東京のソフトウェアエンジニアを募集しています", "x" + strings.Repeat("ж", 40),
		"C++ \xff\xfe 🦀", "-\"a b\" OR c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(tok string) {
			if tok == "" || len(tok) > maxTokenLen || !utf8.ValidString(tok) || strings.ContainsAny(tok, " \x00") {
				t.Fatalf("token %q of %q", tok, s)
			}
		}
		for _, tok := range Tokens(s) {
			check(tok)
		}
		for _, c := range ParseQuery(s).Clauses {
			for _, p := range c.Any {
				for _, tok := range p {
					check(tok)
				}
			}
		}
		if c := Clip(s, 10); len(c) > 10 || utf8.ValidString(s) && !utf8.ValidString(c) {
			t.Fatalf("Clip(%q) = %q", s, c)
		}
		if st := Storable(s, 10); len(st) > 10 || !utf8.ValidString(st) || strings.Contains(st, "\x00") {
			t.Fatalf("Storable(%q) = %q", s, st)
		}
	})
}
