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
		".NET and ASP.NET, e.g. .env": "dotnet and asp net e g dotenv",
		"Wait... net":                 "wait net",
	} {
		if got := strings.Join(Tokens(in), " "); got != want {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
	q := ParseQuery(strings.Repeat("a", maxQueryLen-1) + "開発")
	if len(q.Clauses) != 1 || q.Clauses[0].Terms[0] != "1"+strings.Repeat("a", maxTokenLen) {
		t.Errorf("a query cut inside a character: %+v", q)
	}
}

// FuzzTokens: whatever the text, tokens and terms are short, valid UTF-8
// and free of spaces and quotes, so that every engine stores and matches
// them (PostgreSQL's vectors and queries are written out with tokens and
// terms between single quotes, SQLite's queries between double quotes).
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Go developer", "東京のソフトウェアエンジニアを募集しています", "x" + strings.Repeat("ж", 40),
		"C++ \xff\xfe 🦀", "-\"a b\" OR c", "Desarrolladoras .NET k8s machine learning", "Programação em C#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(tok string, n int) {
			if tok == "" || len(tok) > n || !utf8.ValidString(tok) || strings.ContainsAny(tok, " \x00'\"\\") {
				t.Fatalf("token or term %q of %q", tok, s)
			}
		}
		for _, tok := range Tokens(s) {
			check(tok, maxTokenLen)
		}
		for _, langs := range [][]string{nil, {"es"}} {
			for _, term := range Index(langs, s).Terms {
				check(term, maxTokenLen+1)
			}
		}
		for _, c := range ParseQuery(s).Clauses {
			for _, p := range c.Any {
				for _, tok := range p {
					check(tok, maxTokenLen)
				}
			}
			for _, term := range c.Terms {
				check(term, maxTokenLen+1)
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

// typicalJob is a job opening of usual length, in English and Spanish.
var typicalJob = []string{
	"Senior Go developer (backend, Kubernetes)",
	"go, postgresql, kubernetes",
	"Rosario",
	`Join a co-op where every worker is a member with an equal say. You will work with Go, PostgreSQL and Kubernetes
on long-running projects for organisations we believe in, with flexible hours and equal pay. No ninjas or rockstars:
kind colleagues who share the work of running the business. We are developers, designers and sysadmins building
free software for unions, co-operatives and public institutions since 2009.

Sumate a una cooperativa donde cada persona es socia y tiene voto. Trabajamos con Go y PostgreSQL en proyectos de
largo plazo, con horarios flexibles y retiros equitativos. Buscamos desarrolladoras y desarrolladores con ganas de
aprender y de participar en la gestión de la cooperativa. Programación en equipo, revisiones de código y guardias
rotativas compartidas.`,
}

func BenchmarkTokens(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range typicalJob {
			Tokens(s)
		}
	}
}
