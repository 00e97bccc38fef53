package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The console and the dashboard are each split into sections, one URL a
// section, with a navigation that marks the one shown.

// consoleSections are the admin console's sections, in the order of its
// navigation; /admin shows the first.
var consoleSections = []string{"coops", "people", "follows", "followers", "blocks", "deliveries", "searches", "mail", "rates", "settings", "audit"}

// dashboardSections are the dashboard's; /dashboard shows the first.
var dashboardSections = []string{"openings", "profile", "questions", "colleagues", "follows"}

// sectionLink is one entry of a section navigation.
type sectionLink struct {
	Label, Href string
	Current     bool
}

// sectionNav builds a navigation of sections under prefix, the current
// one marked; query is kept on every link (the admin's ?coop=).
func sectionNav(l *Locale, prefix, labelPrefix string, sections []string, current, query string) []sectionLink {
	out := make([]sectionLink, 0, len(sections))
	for _, s := range sections {
		href := prefix + "/" + s
		if query != "" {
			href += "?" + query
		}
		out = append(out, sectionLink{Label: l.T(labelPrefix + s), Href: href, Current: s == current})
	}
	return out
}

// listPageSize is how many rows a console or dashboard list shows a page.
const listPageSize = 25

// listPager is the paging of one list: its page links and, where the list
// can be searched, the search text.
type listPager struct {
	Page, Pages, Total int
	Q                  string
	PrevHref, NextHref string
	Links              []pageLink
	// Action is where the search form goes.
	Action string
}

type pageLink struct {
	N       int
	Href    string
	Current bool
}

// paginate reads ?page= and ?q= for a list of n rows at base and returns
// the bounds of the rows to show. A page past the end shows the last.
func paginate(r *http.Request, base string, n int) (lo, hi int, p *listPager) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	p = &listPager{Total: n, Q: strings.TrimSpace(r.URL.Query().Get("q")), Action: base}
	p.Pages = max(1, (n+listPageSize-1)/listPageSize)
	p.Page = min(max(page, 1), p.Pages)
	href := func(i int) string {
		v := url.Values{}
		if p.Q != "" {
			v.Set("q", p.Q)
		}
		if i > 1 {
			v.Set("page", strconv.Itoa(i))
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	if p.Pages > 1 {
		for i := 1; i <= p.Pages; i++ {
			// Far pages are left out: the first, the last and two either
			// side of this one are enough to move on.
			if i == 1 || i == p.Pages || i >= p.Page-2 && i <= p.Page+2 {
				p.Links = append(p.Links, pageLink{N: i, Href: href(i), Current: i == p.Page})
			}
		}
	}
	if p.Page > 1 {
		p.PrevHref = href(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.NextHref = href(p.Page + 1)
	}
	lo = (p.Page - 1) * listPageSize
	return lo, min(lo+listPageSize, n), p
}

// matches reports whether a search text is found in any of the fields,
// ignoring case; an empty one matches everything.
func matches(q string, fields ...string) bool {
	if q == "" {
		return true
	}
	q = strings.ToLower(q)
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), q) {
			return true
		}
	}
	return false
}
