package federation

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/colmena-coop/colmena/directory"
)

// The words of a job Note, per language of the job. The pages translate
// through web/locales; federation cannot use those, so the few labels a
// Note needs are kept here, in the languages the pages speak (English
// and Spanish, worded as web/locales words them). A job in another
// language gets the English labels: its own text is in its language, the
// labels around it are not.

// noteWords are the labels of a Note in one language.
type noteWords struct {
	lang       string
	remote     map[string]string
	employment map[string]string
	// perPeriod words a salary: "USD 2,500–3,500 a month".
	perPeriod map[string]string
	// at joins a job's title and its co-op: "Go developer at gcoop".
	at string
	// applyEmail and applyURL say how to apply; until when.
	applyEmail, applyURL, until string
	months                      [12]string
	// dateFormat places day, month and year.
	dateFormat func(day int, month string, year int) string
	// thousands groups digits.
	thousands string
	regions   display.Namer
}

var englishWords = &noteWords{
	lang:       "en",
	remote:     map[string]string{directory.RemoteFull: "Remote", directory.RemoteHybrid: "Hybrid", directory.RemoteOnsite: "On-site"},
	employment: map[string]string{directory.FullTime: "Full-time", directory.PartTime: "Part-time", directory.Contract: "Contract", directory.Internship: "Internship"},
	perPeriod:  map[string]string{directory.PerHour: "an hour", directory.PerMonth: "a month", directory.PerYear: "a year"},
	at:         "at", applyEmail: "Apply by e-mail:", applyURL: "Apply:", until: "Applications until",
	months:     [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	dateFormat: func(d int, m string, y int) string { return fmt.Sprintf("%d %s %d", d, m, y) },
	thousands:  ",",
	regions:    display.English.Regions(),
}

var spanishWords = &noteWords{
	lang:       "es",
	remote:     map[string]string{directory.RemoteFull: "Remoto", directory.RemoteHybrid: "Híbrido", directory.RemoteOnsite: "Presencial"},
	employment: map[string]string{directory.FullTime: "Jornada completa", directory.PartTime: "Media jornada", directory.Contract: "Contrato", directory.Internship: "Pasantía"},
	perPeriod:  map[string]string{directory.PerHour: "por hora", directory.PerMonth: "por mes", directory.PerYear: "por año"},
	at:         "en", applyEmail: "Postulación por correo:", applyURL: "Postulate:", until: "Postulaciones hasta el",
	months:     [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
	dateFormat: func(d int, m string, y int) string { return fmt.Sprintf("%d %s %d", d, m, y) },
	thousands:  ".",
	regions:    display.Spanish.Regions(),
}

// wordsFor are the labels for a language tag ("es", "es-AR"): English
// for a language without its own.
func wordsFor(tag string) *noteWords {
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if base == "es" {
		return spanishWords
	}
	return englishWords
}

// date formats a day: "31 Dec 2026", "31 dic 2026".
func (w *noteWords) date(t time.Time) string {
	t = t.UTC()
	return w.dateFormat(t.Day(), w.months[t.Month()-1], t.Year())
}

// group writes n with its digits grouped.
func (w *noteWords) group(n int64) string {
	return strings.ReplaceAll(groupDigits(n), ",", w.thousands)
}

// salary words a salary: "USD 2,500–3,500 a month".
func (w *noteWords) salary(s *directory.Salary) string {
	if s == nil {
		return ""
	}
	amount := w.group(s.Min)
	if s.Max != s.Min {
		amount += "–" + w.group(s.Max)
	}
	return s.Currency + " " + amount + " " + w.perPeriod[s.Period]
}

// country names a country code in the language, or gives the code.
func (w *noteWords) country(code string) string {
	if code == "" {
		return ""
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := w.regions.Name(r); n != "" {
		return n
	}
	return code
}

// where says where a job is done: "Remote", "Remote (Latin America and
// the Caribbean, Spain)", "Hybrid · Rosario, Argentina" or "Córdoba,
// Argentina" for an on-site job.
func (w *noteWords) where(j *directory.Job) string {
	label := w.remote[j.Remote]
	if j.Remote == directory.RemoteFull && len(j.Eligible) > 0 {
		var names []string
		for _, code := range j.Eligible {
			if c := directory.EligibleCountry(code); c != "" {
				names = append(names, w.country(c))
			} else if n := directory.RegionName(code); n != "" {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return label
		}
		return label + " (" + strings.Join(names, ", ") + ")"
	}
	place := w.country(j.Country)
	if j.City != "" && place != "" {
		place = j.City + ", " + place
	} else if j.City != "" {
		place = j.City
	}
	switch {
	case place == "":
		return label
	case j.Remote == directory.RemoteOnsite:
		return label + " · " + place
	case j.Remote == directory.RemoteFull:
		return label + " (" + place + ")"
	}
	return label + " · " + place
}
