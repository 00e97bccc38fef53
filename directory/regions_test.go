package directory

import (
	"slices"
	"testing"
)

func TestRegions(t *testing.T) {
	continents := map[string]bool{"AF": true, "AS": true, "EUROPE": true, "NA": true, "OC": true, "SA": true}
	in := map[string][]string{}
	for _, r := range Regions() {
		for _, c := range r.Countries {
			if !IsCountry(c) {
				t.Errorf("%s lists %s, not a country", r.Code, c)
			}
			if continents[r.Code] {
				in[c] = append(in[c], r.Code)
			}
		}
		if slices.Compact(slices.Sorted(slices.Values(r.Countries))) == nil || len(slices.Compact(slices.Sorted(slices.Values(r.Countries)))) != len(r.Countries) {
			t.Errorf("%s lists a country twice", r.Code)
		}
	}
	for _, c := range Countries() {
		if n := len(in[c]); n != 1 && c != "AQ" {
			t.Errorf("%s is in %d continents: %v", c, n, in[c])
		}
	}
	sizes := map[string]int{"EU": 27, "EEA": 30}
	for code, n := range sizes {
		if got := len(RegionCountries(code)); got != n {
			t.Errorf("%s has %d countries, want %d", code, got, n)
		}
	}
	for _, c := range RegionCountries("EU") {
		if !slices.Contains(RegionCountries("EEA"), c) || !slices.Contains(RegionCountries("EUROPE"), c) && c != "CY" {
			t.Errorf("EU member %s missing from EEA or Europe", c)
		}
	}
	for _, c := range RegionCountries("LATAM") {
		if !slices.Contains(RegionCountries("NA"), c) && !slices.Contains(RegionCountries("SA"), c) {
			t.Errorf("LATAM's %s is in neither North nor South America", c)
		}
	}
}

func TestSeekerCodes(t *testing.T) {
	for country, want := range map[string][]string{
		"AR": {"AR", "LATAM", "SA", Anywhere},
		"ES": {"ES", "EU", "EEA", "EUROPE", Anywhere},
		"NO": {"NO", "EEA", "EUROPE", Anywhere},
		"NA": {"NAM", "AF", Anywhere},
		"US": {"US", "NA", Anywhere},
		"AQ": {"AQ", Anywhere},
	} {
		if got := SeekerCodes(country); !slices.Equal(got, want) {
			t.Errorf("SeekerCodes(%s) = %v, want %v", country, got, want)
		}
	}
}

func TestNormalizeEligible(t *testing.T) {
	got, err := NormalizeEligible("eligible", []string{" ar", "latam", "AR", "nam", "na"})
	if err != nil || !slices.Equal(got, []string{"AR", "LATAM", "NAM", "NA"}) {
		t.Fatalf("got %v, %v", got, err)
	}
	if got, err := NormalizeEligible("eligible", []string{"Anywhere"}); err != nil || !slices.Equal(got, []string{Anywhere}) {
		t.Fatalf("anywhere: %v, %v", got, err)
	}
	for _, bad := range [][]string{{"UK"}, {"XX"}, {"LATAM", "anywhere"}, {""}, {"AFG", "MARS"}} {
		if _, err := NormalizeEligible("eligible", bad); KindOf(err) != KindInvalid {
			t.Errorf("%v: got %v", bad, err)
		}
	}
	if EligibleCountry("NAM") != "NA" || EligibleCountry("NA") != "" || EligibleCountry("AR") != "AR" || EligibleCountry(Anywhere) != "" {
		t.Fatal("EligibleCountry")
	}
}
