package directory

import "testing"

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
	for _, bad := range []string{"", "http://x", "x/y", "a..b", ".x", "x:80", "a b"} {
		if _, err := NormalizeDomain("domain", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if d, err := NormalizeDomain("domain", " Spam.Example. "); err != nil || d != "spam.example" {
		t.Fatalf("%q %v", d, err)
	}
}
