package web

import (
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/colmena-coop/colmena/directory"
)

// jobHref is where a job is read on this node: its own page for a local
// job, this node's copy of an aggregated one, at a readable address: its
// number here and its title, /jobs/42-go-developer (see readableJob).
func jobHref(j *directory.Job) string {
	if j.Local {
		if u, err := url.Parse(j.APID); err == nil {
			return u.Path
		}
	}
	if j.ID > 0 {
		return "/jobs/" + strconv.FormatInt(j.ID, 10) + "-" + slug(j.Title)
	}
	return "/jobs/" + url.PathEscape(j.APID)
}

// maxSlug bounds the words of a title an address carries.
const maxSlug = 60

// slug is a title as an address shows it: lower-case ASCII letters and
// digits joined by hyphens, accents dropped ("Diseñador/a UX" is
// "disenador-a-ux"); "job" when nothing of it is left (a title in a
// script without Latin letters).
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(title) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		if b.Len() > maxSlug {
			break
		}
	}
	s := b.String()
	if len(s) > maxSlug {
		// Whole words only.
		s = s[:maxSlug+1]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		} else {
			s = s[:maxSlug]
		}
	}
	if s == "" {
		return "job"
	}
	return s
}

// readableJob parses the key of an aggregated job's readable address,
// "42-go-developer", into its number. Local keys never hold a hyphen.
func readableJob(key string) (int64, bool) {
	num, _, ok := strings.Cut(key, "-")
	if !ok || num == "" || len(num) > 18 {
		return 0, false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	return id, err == nil && id > 0
}

// coopHref is where a co-op is read on this node.
func coopHref(handle, host string, local bool) string {
	if local {
		return "/coops/" + url.PathEscape(handle)
	}
	return "/coops/" + url.PathEscape(handle+"@"+host)
}

// jobView is a job as a listing or a job page shows it, in the visitor's
// language.
type jobView struct {
	Job      *directory.Job
	Href     string
	CoopHref string
	Where    string
	Remote   string
	Type     string
	Salary   string
	// Pay is the salary converted into the reader's currency, "about
	// USD 1,900 a month", with PayRates, "rates of 28 Nov 2026", and
	// PayStale when those rates are over a week old; empty without a
	// rate.
	Pay, PayRates string
	PayStale      bool
	Federations   []string
	Posted        time.Time
	// PostedText is the publication day in the visitor's language.
	PostedText string
	// Hours is the window of hours the job needs, if it states one.
	Hours string
	// LogoURL is the co-op's logo as this node serves it, if it has one.
	LogoURL string
}

func (l *Locale) jobView(j *directory.Job) jobView {
	v := jobView{Job: j, Href: jobHref(j), CoopHref: coopHref(j.Coop.Handle, j.Coop.Host, j.Local),
		Where: l.where(j), Remote: l.T("remote." + j.Remote), Type: l.T("type." + j.EmploymentType),
		Salary: l.salary(j.Salary), Posted: j.Published, PostedText: l.T("job.posted_on", "Date", l.Date(j.Published))}
	for _, f := range j.Federations {
		v.Federations = append(v.Federations, f.Name)
	}
	return v
}

// place joins a city and a country name.
func (l *Locale) place(city, country string) string {
	parts := []string{}
	if city != "" {
		parts = append(parts, city)
	}
	if country != "" {
		parts = append(parts, l.Country(country))
	}
	return strings.Join(parts, ", ")
}

// where says where the work is done and who may apply.
func (l *Locale) where(j *directory.Job) string {
	switch j.Remote {
	case directory.RemoteFull:
		switch {
		case len(j.Eligible) > 0 && !slices.Equal(j.Eligible, []string{directory.Anywhere}):
			return l.T("where.remote_from", "Country", l.eligibleText(j.Eligible))
		case len(j.Eligible) == 0 && j.Country != "":
			return l.T("where.remote_from", "Country", l.Country(j.Country))
		}
		return l.T("where.remote_anywhere")
	case directory.RemoteHybrid:
		return l.T("where.hybrid", "Place", l.place(j.City, j.Country))
	default:
		return l.place(j.City, j.Country)
	}
}

// salary formats a salary range with its currency and period.
func (l *Locale) salary(s *directory.Salary) string {
	if s == nil {
		return ""
	}
	amount := l.Num(int(s.Min))
	if s.Max > s.Min {
		amount = l.T("salary.range", "Min", l.Num(int(s.Min)), "Max", l.Num(int(s.Max)))
	}
	return l.T("salary.per_"+s.Period, "Currency", s.Currency, "Amount", amount)
}

// withPay adds the job's salary converted for the reader, unless there is
// no rate for it, or it is already a monthly figure in the reader's
// currency.
func (l *Locale) withPay(v jobView, pv payView) jobView {
	s := v.Job.Salary
	if s == nil || (s.Currency == pv.currency && s.Period == directory.PerMonth) {
		return v
	}
	p, ok := pv.pay(v.Job)
	if !ok {
		return v
	}
	amount := l.Num(int(roughly(p.MonthMax)))
	if lo := roughly(p.MonthMin); lo < roughly(p.MonthMax) {
		amount = l.T("salary.range", "Min", l.Num(int(lo)), "Max", amount)
	}
	v.Pay = l.T("pay.about", "Salary", l.T("salary.per_month", "Currency", p.Currency, "Amount", amount))
	v.PayRates = l.T("pay.rates_of", "Date", l.Date(p.RatesDate))
	v.PayStale = p.Stale
	return v
}

// roughly rounds a converted amount to three significant figures: it is
// an estimate, and more digits would claim a precision rates lack.
func roughly(n int64) int64 {
	unit := int64(1)
	for n/unit >= 1000 {
		unit *= 10
	}
	return (n + unit/2) / unit * unit
}

// summary reduces HTML or text to at most n characters of plain
// text, cut at a word, for meta descriptions and feeds.
func (s *Server) summary(src string, n int) string {
	text := html.UnescapeString(s.text.Sanitize(src))
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)[:n]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
