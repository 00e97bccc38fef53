package directory

import (
	"slices"
	"strings"
)

// Anywhere is the eligibility of a remote job open to applicants wherever
// they live.
const Anywhere = "anywhere"

// Region is a group of countries a remote job may be open to.
type Region struct {
	Code      string // as written in a job's eligibility
	Name      string // English
	Countries []string
}

// regions maps each region code to its countries' ISO 3166-1 alpha-2
// codes. Continents follow the UN M49 standard (its region 003 for
// North America, which takes in Central America and the Caribbean; Taiwan
// counted in Asia); LATAM is M49's Latin America and the Caribbean (419);
// EU is the 27 members of the European Union; EEA adds Iceland,
// Liechtenstein and Norway. Antarctica (AQ) belongs to no continent here.
func regions() []struct{ code, name, countries string } {
	return []struct{ code, name, countries string }{
		{"EU", "European Union", `AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK`},
		{"EEA", "European Economic Area", `AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK`},
		{"LATAM", "Latin America and the Caribbean", `AG AI AR AW BB BL BO BQ BR BS BV BZ CL CO CR CU CW DM DO EC FK GD GF GP GS GT GY
		HN HT JM KN KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI`},
		{"AF", "Africa", `AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR LS LY MA MG ML MR MU
		MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG YT ZA ZM ZW`},
		{"AS", "Asia", `AE AF AM AZ BD BH BN BT CN CY GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM MN MO MV MY NP
		OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE`},
		{"EUROPE", "Europe", `AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC
		MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA`},
		{"NA", "North America", `AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX NI PA PM PR
		SV SX TC TT US VC VG VI`},
		{"OC", "Oceania", `AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS`},
		{"SA", "South America", `AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE`},
	}
}

// Regions lists the regions a job may be open to, in a fixed order.
func Regions() []Region {
	out := make([]Region, len(regions()))
	for i, r := range regions() {
		out[i] = Region{Code: r.code, Name: r.name, Countries: strings.Fields(r.countries)}
	}
	return out
}

// IsRegion reports whether code (upper case) is a region code.
func IsRegion(code string) bool {
	for _, r := range regions() {
		if r.code == code {
			return true
		}
	}
	return false
}

// RegionName is a region's English name, "" for other codes.
func RegionName(code string) string {
	for _, r := range regions() {
		if r.code == code {
			return r.name
		}
	}
	return ""
}

// RegionCountries lists a region's countries, nil for other codes.
func RegionCountries(code string) []string {
	for _, r := range regions() {
		if r.code == code {
			return strings.Fields(r.countries)
		}
	}
	return nil
}

// countryAlpha3 writes, in an eligibility, the countries whose ISO 3166-1
// alpha-2 code is also the code of a continent: there AF, AS, NA and SA
// name Africa, Asia, North America and South America, and Afghanistan,
// American Samoa, Namibia and Saudi Arabia take their alpha-3 codes.
func countryAlpha3() [][2]string {
	return [][2]string{{"AF", "AFG"}, {"AS", "ASM"}, {"NA", "NAM"}, {"SA", "SAU"}}
}

// EligibleCode is how a country (ISO 3166-1 alpha-2) is written in a
// job's eligibility: its own code, or its alpha-3 code when the alpha-2
// one names a continent there.
func EligibleCode(country string) string {
	for _, p := range countryAlpha3() {
		if p[0] == country {
			return p[1]
		}
	}
	return country
}

// EligibleCountry is the ISO 3166-1 alpha-2 code of a country in a job's
// eligibility, "" when code is a region or anywhere.
func EligibleCountry(code string) string {
	for _, p := range countryAlpha3() {
		if p[1] == code {
			return p[0]
		}
	}
	if IsRegion(code) || !IsCountry(code) {
		return ""
	}
	return code
}

// SeekerCodes lists the eligibility codes that open a remote job to
// someone living in country (ISO 3166-1 alpha-2): the country's own code,
// each region that takes it in, and anywhere. A job open to any of them
// is open to that person.
func SeekerCodes(country string) []string {
	out := []string{EligibleCode(country)}
	for _, r := range regions() {
		if slices.Contains(strings.Fields(r.countries), country) {
			out = append(out, r.code)
		}
	}
	return append(out, Anywhere)
}

// NormalizeEligible checks and canonicalises a remote job's eligibility:
// country codes (see EligibleCode), region codes or "anywhere" alone,
// upper-cased but for anywhere, repeats dropped, in the order given.
func NormalizeEligible(field string, codes []string) ([]string, error) {
	if len(codes) > MaxEligible {
		return nil, Invalid(field, CodeTooMany, len(codes), MaxEligible)
	}
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		c = strings.ToUpper(strings.TrimSpace(c))
		switch {
		case c == strings.ToUpper(Anywhere):
			c = Anywhere
		case IsRegion(c):
		case EligibleCountry(c) != "":
		default:
			return nil, Invalid(field, CodeEligible, Clip(c, 40))
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) > 1 && slices.Contains(out, Anywhere) {
		return nil, Invalid(field, CodeAnywhereAlone)
	}
	return out, nil
}

// MaxEligible bounds the codes of one job's eligibility.
const MaxEligible = 60
