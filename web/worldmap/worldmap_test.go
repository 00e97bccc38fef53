package worldmap

import "testing"

// TestLoad: the embedded map parses, is small, and has the countries a
// directory is likely to show, each mapped from its numeric code.
func TestLoad(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 2000 || m.Height < 800 || m.Height > 1000 {
		t.Errorf("size %d×%d", m.Width, m.Height)
	}
	if len(data) > 150_000 {
		t.Errorf("embedded map is %d bytes", len(data))
	}
	for _, c := range []string{"AR", "GB", "US", "DE", "KE", "NZ", "UY", "SG", "LU", "BE"} {
		if !m.Has(c) {
			t.Errorf("no shape for %s", c)
		}
	}
	if m.Has("AQ") || m.Has("") || m.Has("XK") {
		t.Error("Antarctica, or land without a code, is keyed")
	}
	if len(m.Countries) < 200 {
		t.Errorf("%d countries", len(m.Countries))
	}
}
