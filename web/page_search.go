package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/colmena-coop/colmena/directory"
)

// facetOption is one value of a filter, with its count.
type facetOption struct {
	ID      string
	Value   string
	Label   string
	Count   int
	Checked bool
}

// facetGroup is one filter of the search form.
type facetGroup struct {
	Param   string
	Legend  string
	Options []facetOption
	// Open keeps the group unfolded: it is in use or short.
	Open bool
}

// activeFilter is a filter in use, with the address that drops it.
type activeFilter struct {
	Legend, Label, RemoveHref string
}

// choice is one option of a select.
type choice struct {
	Value, Label string
	Selected     bool
}

type searchPage struct {
	pageBase
	Query string
	Sort  string
	// Posted offers how recently the jobs were posted (posted_within).
	Posted    []choice
	Total     int
	Jobs      []jobView
	Groups    []facetGroup
	Active    []activeFilter
	ClearHref string
	NextHref  string
	FirstHref string
	AtomHref  string
	RSSHref   string
	// FollowHref offers the search's fediverse handle (/follow).
	FollowHref string
	// Error is set when the search itself was malformed.
	Error string
	// The pay filter and the currency pay is shown in, as asked; an
	// empty ViewCurrency is the node's, NodeCurrency.
	SalaryMin, SalaryCurrency, SalaryPeriod string
	ViewCurrency, NodeCurrency              string
	// Currencies are those pay can be asked or shown in: the node's,
	// those with a rate, and those of the jobs found.
	Currencies []string
	// Seeker asks where the seeker lives and works from.
	Seeker seekerForm
	// FilterCount is how many filters are set, the words searched for
	// aside: a phone's "Filters (n)" button says it.
	FilterCount int

	// PrevHref and PageText ("Page 2 of 5") page back and say where the
	// reader is; see fillPager.
	PrevHref, PageText string
	// Quick are one-tap filters offered above the results; see
	// quickFilters.
	Quick []quickFilter
}

// quickFilter is a filter one tap adds: a link to the search with it.
type quickFilter struct {
	Label, Href string
}

// quickSkills is how many of the most asked-for skills are offered as
// quick filters.
const quickSkills = 3

// quickFilters offers, above the results, the filters a seeker most often
// adds, each one tap away: remote work, the skills most of the results ask
// for, and jobs open to people in the reader's own country, taken from
// the region of their browser's language (es-AR: Argentina) when they
// have not said where they live. Each is a plain link, so it works
// without script and the results stay first on a phone.
func quickFilters(l *Locale, v url.Values, f *directory.Facets, region string) []quickFilter {
	with := func(param, value string) string {
		out := url.Values{}
		for k, vs := range v {
			if k != "cursor" && k != "prev" {
				out[k] = vs
			}
		}
		out.Add(param, value)
		return "/?" + out.Encode()
	}
	var out []quickFilter
	if f == nil {
		return nil
	}
	if !slices.Contains(v["remote"], directory.RemoteFull) && slices.ContainsFunc(f.Remote, func(fv directory.FacetValue) bool {
		return fv.Value == directory.RemoteFull && fv.Count > 0
	}) {
		out = append(out, quickFilter{Label: l.T("remote." + directory.RemoteFull), Href: with("remote", directory.RemoteFull)})
	}
	skills := slices.Clone(f.Skill)
	slices.SortStableFunc(skills, func(a, b directory.FacetValue) int { return b.Count - a.Count })
	n := 0
	for _, fv := range skills {
		if n == quickSkills || fv.Count == 0 {
			break
		}
		if slices.Contains(v["skill"], fv.Value) {
			continue
		}
		out = append(out, quickFilter{Label: fv.Label, Href: with("skill", fv.Value)})
		n++
	}
	if v.Get("live_in") == "" && region != "" && l.Country(region) != region {
		out = append(out, quickFilter{Label: l.T("search.quick_live_in", "Country", l.Country(region)), Href: with("live_in", region)})
	}
	return out
}

// readerRegion is the country of the reader's first browser language
// that names one (es-AR: AR), or "".
func readerRegion(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil {
		return ""
	}
	for _, t := range tags {
		if reg, conf := t.Region(); conf == language.Exact && reg.IsCountry() {
			return reg.String()
		}
	}
	return ""
}

// searchParams are the URL parameters the search form sets, in display
// order.
var searchParams = []string{"country", "skill", "remote", "type", "seniority", "language", "currency", "federation"}

// postedWithin are the choices of how recently jobs were posted, as
// posted_within takes them, with the message that names each.
var postedWithin = []struct{ value, message string }{
	{"", "search.posted_any"}, {"24h", "search.posted_24h"}, {"7d", "search.posted_7d"}, {"30d", "search.posted_30d"},
}

// postedChoices offers postedWithin with current selected; a value of
// the address that is none of them (the API's "14d") is offered too.
func postedChoices(l *Locale, current string) []choice {
	var out []choice
	known := false
	for _, p := range postedWithin {
		out = append(out, choice{Value: p.value, Label: l.T(p.message), Selected: p.value == current})
		known = known || p.value == current
	}
	if !known {
		out = append(out, choice{Value: current, Label: l.T("search.posted_other", "Within", current), Selected: true})
	}
	return out
}

// without returns the search URL with one parameter value removed, and
// with paging reset.
func without(v url.Values, param, value string) string {
	out := url.Values{}
	for k, vs := range v {
		if k == "cursor" || k == "prev" {
			continue
		}
		for _, x := range vs {
			if k == param && (value == "" || x == value) {
				continue
			}
			out.Add(k, x)
		}
	}
	if len(out) == 0 {
		return "/"
	}
	return "/?" + out.Encode()
}

// withoutAll returns the search URL without the given parameters.
func withoutAll(v url.Values, params ...string) string {
	out := url.Values{}
	for k, vs := range v {
		if !slices.Contains(params, k) {
			out[k] = vs
		}
	}
	return without(out, "cursor", "")
}

// searchPagesKept bounds the anonymous search pages kept (each tens of
// kilobytes: the seeker's form lists every country and zone).
const searchPagesKept = 32

// searchPageKey names an anonymous search page as the store's data
// version, the minute, the page's language and its address make it: the
// same key always renders the same page, so a kept page is served while
// the key holds. Any write to what the page shows, by this process or
// another sharing the database, makes a new version; what changes with
// time alone (jobs expiring, rates growing stale) moves by the minute, as
// the search cache does. The reader's region is in it because the quick
// filters offer their country. A request with a session cookie gets no key:
// a signed-in page carries the viewer's name and forms.
func (s *Server) searchPageKey(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		return ""
	}
	v, err := s.svc.DataVersion(r.Context())
	if err != nil {
		// The page's own reads report the failure.
		return ""
	}
	return v + "\x00" + strconv.FormatInt(s.now().Unix()/60, 10) + "\x00" + s.locales.tagFor(r).String() + "\x00" + readerRegion(r) +
		"\x00" + r.URL.RequestURI()
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	key := s.searchPageKey(r)
	if key != "" {
		if pg, ok := s.searchPages.Get(key); ok {
			s.writePage(w, r, http.StatusOK, pg)
			return nil
		}
	}
	v := r.URL.Query()
	// A skill by another name ("golang") is its skill ("go") in the
	// page's filters and links, as it is in the search.
	if skills, ok := v["skill"]; ok {
		v["skill"] = directory.CanonicalTags(directory.LowerAll(skills))
	}
	b, err := s.newBase(r, "jobs", "")
	if err != nil {
		return err
	}
	l := b.L
	b.Title = l.T("search.title")
	b.Description = l.T("search.description", "Site", b.Site.Name)
	p := &searchPage{pageBase: b, Query: v.Get("q"), Sort: v.Get("sort"), SalaryMin: v.Get("salary_min"),
		SalaryCurrency: strings.ToUpper(v.Get("salary_currency")), SalaryPeriod: v.Get("salary_period"),
		ViewCurrency: strings.ToUpper(v.Get("view_currency")), NodeCurrency: s.currency,
		Posted: postedChoices(l, v.Get("posted_within"))}
	q, err := jobQuery(v, s.currency)
	var pv payView
	if err == nil {
		pv, err = s.payView(r.Context(), v)
	}
	if err == nil {
		q.Facets = true
		var res *directory.JobResults
		if res, err = s.svc.SearchJobs(r.Context(), q); err == nil {
			s.fillSearch(p, v, res, pv)
			p.Quick = quickFilters(l, v, res.Facets, readerRegion(r))
			s.fillPager(p, v, res.Next, q.Limit)
			s.addLogos(r.Context(), p.Jobs)
			p.Active = append(p.Active, s.coopChips(r.Context(), l, v)...)
			p.FilterCount = len(p.Active)
			if v.Get("q") != "" {
				p.FilterCount--
			}
			if len(p.Active) > 0 {
				p.ClearHref = "/"
			}
		}
	}
	if err != nil {
		p.Seeker = l.seekerForm(v, nil)
		return s.formFailed(r, err, func(errs formErrors) {
			for _, m := range errs {
				p.Error = m
			}
			p.ClearHref = "/"
			s.render(w, r, http.StatusBadRequest, "search", p)
		})
	}
	feedQuery := without(v, "", "")[1:]
	p.AtomHref = "/jobs.atom" + feedQuery
	p.RSSHref = "/jobs.rss" + feedQuery
	if s.fed != nil {
		p.FollowHref = "/follow" + feedQuery
	}
	p.Alternates = append(p.Alternates,
		link{Type: "application/atom+xml", Href: p.AtomHref, Title: l.T("feed.search_title", "Site", b.Site.Name)},
		link{Type: "application/rss+xml", Href: p.RSSHref, Title: l.T("feed.search_title", "Site", b.Site.Name)})
	if pg := s.renderKept(w, r, http.StatusOK, "search", p); pg != nil && key != "" {
		s.searchPages.Add(key, pg)
	}
	return nil
}

func (s *Server) fillSearch(p *searchPage, v url.Values, res *directory.JobResults, pv payView) {
	l := p.L
	p.Total = res.Total
	p.Seeker = l.seekerForm(v, res.Facets)
	now := time.Now()
	for i := range res.Items {
		jv := l.withPay(l.jobView(&res.Items[i]), pv)
		jv.Hours = l.window(res.Items[i].Hours, p.Seeker.Zone, now)
		// The job page shows pay in the currency chosen here, and the
		// hours in the seeker's zone too.
		q := url.Values{}
		if p.ViewCurrency != "" {
			q.Set("view_currency", pv.currency)
		}
		if p.Seeker.Zone != nil {
			q.Set("tz", p.Seeker.Zone.String())
		}
		if len(q) > 0 {
			jv.Href += "?" + q.Encode()
		}
		p.Jobs = append(p.Jobs, jv)
	}
	p.Currencies = payCurrencies(s.currency, pv.rates, res.Facets)
	if res.Next != nil {
		next := url.Values{}
		for k, vs := range v {
			next[k] = vs
		}
		next.Set("cursor", res.Next.Encode())
		p.NextHref = "/?" + next.Encode()
	}
	if v.Get("cursor") != "" {
		p.FirstHref = without(v, "cursor", "")
	}
	f := res.Facets
	values := map[string][]directory.FacetValue{"country": f.Country, "skill": f.Skill, "remote": f.Remote,
		"type": f.Type, "language": f.Language, "currency": f.Currency, "federation": f.Federation, "seniority": f.Seniority}
	label := func(param string, fv directory.FacetValue) string {
		switch param {
		case "country":
			return l.Country(fv.Value)
		case "remote":
			return l.T("remote." + fv.Value)
		case "type":
			return l.T("type." + fv.Value)
		case "seniority":
			return l.T("seniority." + fv.Value)
		case "language":
			return l.Language(fv.Value)
		default:
			return fv.Label
		}
	}
	for _, param := range searchParams {
		chosen := v[param]
		g := facetGroup{Param: param, Legend: l.T("filter." + param)}
		seen := map[string]bool{}
		for i, fv := range values[param] {
			checked := slices.Contains(chosen, fv.Value)
			seen[fv.Value] = true
			g.Options = append(g.Options, facetOption{ID: param + "-" + strconv.Itoa(i), Value: fv.Value,
				Label: label(param, fv), Count: fv.Count, Checked: checked})
		}
		// A chosen value that matches nothing still shows, so it can be
		// unchecked.
		for _, c := range chosen {
			if !seen[c] {
				seen[c] = true
				g.Options = append(g.Options, facetOption{ID: param + "-" + strconv.Itoa(len(g.Options)), Value: c,
					Label: label(param, directory.FacetValue{Value: c, Label: c}), Checked: true})
			}
		}
		// Chosen values first, so they show without scrolling.
		slices.SortStableFunc(g.Options, func(a, b facetOption) int {
			switch {
			case a.Checked == b.Checked:
				return 0
			case a.Checked:
				return -1
			default:
				return 1
			}
		})
		for _, o := range g.Options {
			if o.Checked {
				p.Active = append(p.Active, activeFilter{Legend: g.Legend, Label: o.Label, RemoveHref: without(v, param, o.Value)})
				g.Open = true
			}
		}
		if len(g.Options) <= 6 {
			g.Open = true
		}
		if len(g.Options) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	if q := v.Get("salary_min"); q != "" {
		if n, err := strconv.ParseInt(q, 10, 64); err == nil {
			period := cmp.Or(v.Get("salary_period"), directory.PerMonth)
			cur := cmp.Or(strings.ToUpper(v.Get("salary_currency")), pv.currency)
			p.Active = append(p.Active, activeFilter{Legend: l.T("filter.pay"),
				Label: l.T("salary.per_"+period, "Currency", cur, "Amount", l.Num(int(n))), RemoveHref: without(v, "salary_min", "")})
		}
	}
	var seeker []activeFilter
	if c := v.Get("live_in"); c != "" {
		label := l.Country(strings.ToUpper(c))
		if city := v.Get("city"); city != "" {
			label = l.place(city, strings.ToUpper(c))
		}
		seeker = append(seeker, activeFilter{Legend: l.T("search.live_in"), Label: label, RemoveHref: withoutAll(v, "live_in", "city")})
	}
	if o := v.Get("overlap"); o != "" {
		n, _ := strconv.Atoi(o)
		seeker = append(seeker, activeFilter{Legend: l.T("search.overlap"), Label: l.N("search.overlap_hours", n), RemoveHref: without(v, "overlap", "")})
	}
	if v.Get("leads_to_membership") != "" {
		seeker = append(seeker, activeFilter{Legend: l.T("search.membership_legend"), Label: l.T("search.leads_to_membership"),
			RemoveHref: without(v, "leads_to_membership", "")})
	}
	p.Active = append(seeker, p.Active...)
	for _, c := range p.Posted {
		if c.Selected && c.Value != "" {
			p.Active = append(p.Active, activeFilter{Legend: l.T("search.posted"), Label: c.Label, RemoveHref: without(v, "posted_within", "")})
		}
	}
	if v.Get("q") != "" {
		p.Active = append([]activeFilter{{Legend: l.T("search.query_label"), Label: v.Get("q"), RemoveHref: without(v, "q", "")}}, p.Active...)
	}
	if len(p.Active) > 0 {
		p.ClearHref = "/"
	}
}

// payCurrencies lists the currencies pay can be asked or shown in: the
// node's, those the rates convert, and those of the jobs found.
func payCurrencies(node string, r *directory.Rates, f *directory.Facets) []string {
	out := []string{node}
	out = append(out, r.Currencies()...)
	if f != nil {
		for _, v := range f.Currency {
			out = append(out, v.Value)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
