package directory

import (
	"strings"
	"testing"
)

func TestCountries(t *testing.T) {
	all := Countries()
	if len(all) != 249 {
		t.Fatalf("%d codes, want the 249 of ISO 3166-1", len(all))
	}
	for _, c := range all {
		if !IsCountry(c) {
			t.Fatalf("%s not accepted", c)
		}
	}
	for _, c := range []string{"UK", "EU", "XK", "ZZ", "QO", "A", "ARG", "ar", "RA", "DA", "", "D "} {
		if IsCountry(c) {
			t.Fatalf("%q accepted", c)
		}
	}
}

func TestDomains(t *testing.T) {
	got := DomainSuffixes("A.b.Example:8080")
	if len(got) != 3 || got[0] != "a.b.example" || got[2] != "example" {
		t.Fatalf("suffixes: %v", got)
	}
	for host, want := range map[string]bool{"example.org": true, "x.example.org:8443": true, "X.Example.Org.": true,
		"notexample.org": false, "example.org.evil": false, "org": false, "example.org:8443.evil": false} {
		if InDomain(host, "example.org") != want {
			t.Errorf("InDomain(%q, example.org) = %v", host, !want)
		}
	}
	if !InDomain("www.Bücher.example", "xn--bcher-kva.example") {
		t.Error("an international host is not in its punycode domain")
	}
	for _, bad := range []string{"", "http://x", "x/y", "a..b", ".x", "x:80", "a b", "%", "_", "%.example", "a_b.example",
		"%example.org", "example.%", "-a.example", "a-.example", "xn--zz.example", "127.0.0.1", "10.0.0.1.", "example.123",
		"[::1]", "::1", "a\x00b", strings.Repeat("a", 64) + ".example", strings.Repeat("abc.", 64) + "example"} {
		if d, err := NormalizeDomain("domain", bad); err == nil {
			t.Errorf("%q accepted as %q", bad, d)
		}
	}
	for in, want := range map[string]string{" Spam.Example. ": "spam.example", "Bücher.Example": "xn--bcher-kva.example",
		"ＥＸＡＭＰＬＥ．org": "example.org", "localhost": "localhost", "xn--bcher-kva.example": "xn--bcher-kva.example",
		"a1.example": "a1.example", "123.example": "123.example"} {
		if d, err := NormalizeDomain("domain", in); err != nil || d != want {
			t.Errorf("%q: %q %v, want %q", in, d, err, want)
		}
	}
}
