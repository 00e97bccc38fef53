package web

import (
	"html"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/colmena-coop/colmena/directory"
)

// jobHref is where a job is read on this node: its own page for a local
// job, this node's copy of an aggregated one.
func jobHref(j *directory.Job) string {
	if j.Local {
		if u, err := url.Parse(j.APID); err == nil {
			return u.Path
		}
	}
	return "/jobs/" + url.PathEscape(j.APID)
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
	Job         *directory.Job
	Href        string
	CoopHref    string
	Where       string
	Remote      string
	Type        string
	Salary      string
	Federations []string
	Posted      time.Time
	// PostedText is the publication day in the visitor's language.
	PostedText string
	// Hours is the window of hours the job needs, if it states one.
	Hours string
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
