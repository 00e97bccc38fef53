package web

import (
	"html/template"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/colmena-coop/colmena/directory"
)

// The forms' country, currency and language fields are choices from a
// list rather than codes to type. Each list is sorted once, at start-up,
// by the names in each page language (Unicode collation for that
// language: "Alemania" before "Argentina" in Spanish, "árabe" among the
// a's); a request only marks what is chosen. Without JavaScript they are
// a native <select> and, where a field takes several values, a list of
// checkboxes; web/static/app.js adds a search to both.

// formLanguages are the languages a form offers for a job or a co-op,
// as ISO 639 codes. A stored tag not among them (a region variant such
// as pt-BR) is still offered, chosen, so nothing stored is lost.
var formLanguages = strings.Fields(`af am ar az be bg bn bs ca cs cy da de el en eo es et eu fa fi fil fr ga gl gn gu
ha he hi hr ht hu hy id ig is it ja jv ka kk km kn ko ku ky la lb lo lt lv mi mk ml mn mr ms mt my nb ne nl nn pa pl
ps pt qu ro ru rw si sk sl so sq sr sv sw ta te tg th tk tl tr uk ur uz vi wo xh yo zh zu`)

// choiceLists are one page language's sorted lists.
type choiceLists struct {
	countries, currencies, languages, eligible []option
}

// newChoiceLists sorts the lists for l's language.
func newChoiceLists(l *Locale) *choiceLists {
	col := collate.New(l.tag)
	byName := func(opts []option) []option {
		slices.SortStableFunc(opts, func(a, b option) int { return col.CompareString(a.Label, b.Label) })
		return opts
	}
	cl := &choiceLists{}
	for _, c := range directory.Countries() {
		cl.countries = append(cl.countries, option{Value: c, Label: l.Country(c)})
	}
	byName(cl.countries)
	for _, code := range formLanguages {
		cl.languages = append(cl.languages, option{Value: code, Label: l.Language(code)})
	}
	byName(cl.languages)
	// Where applicants may work from: anywhere, the regions, then each
	// country under its eligibility code (NAM for Namibia).
	cl.eligible = []option{{Value: directory.Anywhere, Label: l.Eligible(directory.Anywhere)}}
	var regions []option
	for _, r := range directory.Regions() {
		regions = append(regions, option{Value: r.Code, Label: l.Eligible(r.Code)})
	}
	cl.eligible = append(cl.eligible, byName(regions)...)
	for _, c := range cl.countries {
		cl.eligible = append(cl.eligible, option{Value: directory.EligibleCode(c.Value), Label: c.Label})
	}
	cl.currencies = currencyOptions(l)
	return cl
}

// currencyOptions lists the currencies in use in some country, sorted by
// code: pay is written with the code, the same in every language. Each
// is labelled with the country its code is named after ("ARS ·
// Argentina", "EUR · European Union") or, for shared currencies such as
// XOF, with the countries that use it.
func currencyOptions(l *Locale) []option {
	users := map[string][]string{}
	for _, c := range directory.Countries() {
		r, err := language.ParseRegion(c)
		if err != nil {
			continue
		}
		if u, ok := currency.FromRegion(r); ok {
			users[u.String()] = append(users[u.String()], c)
		}
	}
	var out []option
	for _, code := range slices.Sorted(func(yield func(string) bool) {
		for k := range users {
			if !yield(k) {
				return
			}
		}
	}) {
		label := code
		if r, err := language.ParseRegion(code[:2]); err == nil && (slices.Contains(users[code], code[:2]) || code == "EUR") {
			label += " · " + l.Country(r.String())
		} else {
			names := make([]string, 0, 3)
			for _, c := range users[code] {
				if len(names) == 3 {
					names = append(names, "…")
					break
				}
				names = append(names, l.Country(c))
			}
			label += " · " + strings.Join(names, ", ")
		}
		out = append(out, option{Value: code, Label: label})
	}
	return out
}

// choose copies list with values chosen; a value the list lacks (one
// typed by hand, or stored before the list) is put first, chosen, so a
// form sent back keeps it.
func choose(list []option, values ...string) []option {
	out := make([]option, 0, len(list)+len(values))
	var extra []option
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !slices.ContainsFunc(list, func(o option) bool { return strings.EqualFold(o.Value, v) }) &&
			!slices.ContainsFunc(extra, func(o option) bool { return o.Value == v }) {
			extra = append(extra, option{Value: v, Label: v, Selected: true})
		}
	}
	out = append(out, extra...)
	for _, o := range list {
		o.Selected = slices.ContainsFunc(values, func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), o.Value) })
		out = append(out, o)
	}
	return out
}

func (l *Locale) lists() *choiceLists {
	if l.choices == nil {
		l.choices = newChoiceLists(l)
	}
	return l.choices
}

// CountryChoices are the countries, value chosen.
func (l *Locale) CountryChoices(value string) []option { return choose(l.lists().countries, value) }

// CurrencyChoices are the currencies, value chosen.
func (l *Locale) CurrencyChoices(value string) []option { return choose(l.lists().currencies, value) }

// LanguageChoices are the languages, those of values (a comma-separated
// list, as the form keeps it) chosen.
func (l *Locale) LanguageChoices(values string) []option {
	return choose(l.lists().languages, splitList(values)...)
}

// EligibleChoices are the places a remote job may be open to, those of
// values chosen.
func (l *Locale) EligibleChoices(values string) []option {
	return choose(l.lists().eligible, splitList(values)...)
}

// checksHTML writes options as a list of checkboxes named name, values
// and labels escaped as html/template escapes them.
func checksHTML(name string, opts []option) template.HTML {
	var b strings.Builder
	n := template.HTMLEscapeString(name)
	for _, o := range opts {
		b.WriteString(`<label class="choice"><input type="checkbox" name="`)
		b.WriteString(n)
		b.WriteString(`" value="`)
		b.WriteString(template.HTMLEscapeString(o.Value))
		b.WriteString(`"`)
		if o.Selected {
			b.WriteString(` checked`)
		}
		b.WriteString(`> `)
		b.WriteString(template.HTMLEscapeString(o.Label))
		b.WriteString(`</label>`)
	}
	return template.HTML(b.String())
}

// formList reads a field that may come several times (checkboxes) or
// once as a comma-separated list, as the form keeps it.
func formList(r *http.Request, name string) string {
	_ = r.PostFormValue(name) // parses the body
	return strings.Join(r.PostForm[name], ", ")
}
