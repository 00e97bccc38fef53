package web

import (
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	for title, want := range map[string]string{
		"Go developer":                 "go-developer",
		"Diseñador/a UX (São Paulo)":   "disenador-a-ux-sao-paulo",
		"  --C++ & Rust!! ":            "c-rust",
		"مطور برمجيات":                 "job",
		"Softwareentwickler:in (Rust)": "softwareentwickler-in-rust",
		strings.Repeat("abc ", 40):     strings.TrimRight(strings.Repeat("abc-", 15), "-"),
	} {
		if got := slug(title); got != want {
			t.Errorf("slug(%q) = %q, want %q", title, got, want)
		}
	}
}
