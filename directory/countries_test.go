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
