package web

import (
	"embed"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

//go:embed locales/*.toml
var localeFS embed.FS

// uiLanguages are the languages the pages are written in; the first is the
// fallback.
var uiLanguages = []language.Tag{language.English, language.Spanish}

// langCookie remembers a visitor's choice of language.
const langCookie = "lang"

// locales holds the message catalogues, loaded once at start-up.
type locales struct {
	bundle  *i18n.Bundle
	matcher language.Matcher
	byCode  map[string]language.Tag
	// countries are the country options of the forms, sorted by name in
	// each page language (by base code), made once: read only after.
	countries map[string][]option
	// choices are the forms' sorted lists per page language (choices.go),
	// made once: read only after.
	choices map[string]*choiceLists
}

func loadLocales() (*locales, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	l := &locales{bundle: b, matcher: language.NewMatcher(uiLanguages), byCode: map[string]language.Tag{},
		countries: map[string][]option{}, choices: map[string]*choiceLists{}}
	for _, t := range uiLanguages {
		base, _ := t.Base()
		name := "locales/" + base.String() + ".toml"
		if _, err := b.LoadMessageFileFS(localeFS, name); err != nil {
			return nil, fmt.Errorf("loading %s: %w", name, err)
		}
		l.byCode[base.String()] = t
	}
	for code, t := range l.byCode {
		l.countries[code] = l.locale(t).sortedCountries()
		l.choices[code] = newChoiceLists(l.locale(t))
	}
	return l, nil
}

// langParam is the query parameter that picks a page's language for one
// request (and, like the language switcher, remembers it): /coops?lang=es.
const langParam = "lang"

// forRequest picks the page language: the address's ?lang, else the
// remembered choice, else the browser's Accept-Language, else English.
func (l *locales) forRequest(r *http.Request) *Locale { return l.locale(l.tagFor(r)) }

// tagFor is the language forRequest picks.
func (l *locales) tagFor(r *http.Request) language.Tag {
	if t, ok := l.queryLang(r); ok {
		return t
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if t, ok := l.byCode[c.Value]; ok {
			return t
		}
	}
	prefs, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := l.matcher.Match(prefs...)
	return uiLanguages[i]
}

// queryLang is the page language the address's ?lang names, if it names
// one of the pages' languages; an unknown code is ignored, as an unknown
// cookie is.
func (l *locales) queryLang(r *http.Request) (language.Tag, bool) {
	if r.URL.RawQuery == "" {
		return language.Tag{}, false
	}
	t, ok := l.byCode[strings.ToLower(r.URL.Query().Get(langParam))]
	return t, ok
}

// withoutLang is the address of r without its ?lang, for the links that
// must not pin the language (the switcher's way back, the canonical URL).
func withoutLang(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return r.URL.RequestURI()
	}
	q := r.URL.Query()
	if _, ok := q[langParam]; !ok {
		return r.URL.RequestURI()
	}
	q.Del(langParam)
	u := *r.URL
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

func (l *locales) locale(t language.Tag) *Locale {
	base, _ := t.Base()
	return &Locale{
		Lang:      base.String(),
		tag:       t,
		loc:       i18n.NewLocalizer(l.bundle, t.String()),
		printer:   message.NewPrinter(t),
		regions:   display.Regions(t),
		langs:     display.Languages(t),
		countries: l.countries[base.String()],
		choices:   l.choices[base.String()],
	}
}

// Locale formats a page's words, numbers and dates in one language.
// Templates call its methods.
type Locale struct {
	// Lang is the BCP 47 code the page is in, for <html lang>.
	Lang    string
	tag     language.Tag
	loc     *i18n.Localizer
	printer *message.Printer
	regions display.Namer
	langs   display.Namer
	// missing records message ids without a translation, for tests.
	missing []string
	// countries is the language's sorted country options (locales);
	// shared, never written.
	countries []option
	// choices is the language's sorted form lists (locales); shared,
	// never written.
	choices *choiceLists
}

func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m
}

// T translates a message; kv are name/value pairs for its placeholders.
func (l *Locale) T(id string, kv ...any) string {
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: pairs(kv)})
	if err != nil {
		l.missing = append(l.missing, id)
		return id
	}
	return s
}

// N translates a message that depends on a count, which it formats as
// .Count; kv are further placeholders.
func (l *Locale) N(id string, count int, kv ...any) string {
	data := pairs(kv)
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = l.Num(count)
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: data})
	if err != nil {
		l.missing = append(l.missing, id)
		return id
	}
	return s
}

// Num formats a whole number the way the language groups digits.
func (l *Locale) Num(n int) string { return l.printer.Sprint(number.Decimal(n)) }

// Dec formats a number with one decimal.
func (l *Locale) Dec(f float64) string {
	return l.printer.Sprint(number.Decimal(f, number.MaxFractionDigits(1), number.MinFractionDigits(1)))
}

// Float formats a number with as many decimals as it has, up to two.
func (l *Locale) Float(f float64) string {
	return l.printer.Sprint(number.Decimal(f, number.MaxFractionDigits(2)))
}

// Date formats a day, such as "27 Nov 2026" or "27 nov 2026".
func (l *Locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	months := strings.Fields(l.T("date.months"))
	m := t.Month().String()[:3]
	if len(months) == 12 {
		m = months[t.Month()-1]
	}
	return l.T("date.format", "Day", t.Day(), "Month", m, "Year", t.Year())
}

// Country names a country code in the page's language.
func (l *Locale) Country(code string) string {
	if code == "" {
		return ""
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := l.regions.Name(r); n != "" {
		return n
	}
	return code
}

// Language names a language code in the page's language.
func (l *Locale) Language(code string) string {
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	if n := l.langs.Name(t); n != "" {
		return n
	}
	return code
}

// Missing lists the message ids asked for without a translation.
func (l *Locale) Missing() []string { return l.missing }
