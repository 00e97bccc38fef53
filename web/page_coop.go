package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

type coopPage struct {
	pageBase
	Coop *directory.Coop
	// About is the co-op's summary, Markdown rendered as a job
	// description is.
	About     template.HTML
	Handle    string
	Place     string
	Languages []string
	Jobs      []jobView
	// Followers is -1 when unknown (a co-op hosted elsewhere).
	Followers   int
	Federations []fedLink
	FollowPath  string
	AtomHref    string
	RSSHref     string
	// FollowError and Account are set when a remote follow failed.
	FollowError string
	Account     string
	LogoURL     string
	// Follows are the accounts the co-op follows, for local co-ops.
	Follows []fedLink
}

// fedLink is a federation a co-op belongs to, linked where it is read.
type fedLink struct {
	Name, Href string
}

func (s *Server) fedHref(f directory.FederationRef) string {
	if strings.HasPrefix(f.APID, s.svc.Links().Base()+"/") {
		return "/federation"
	}
	return f.APID
}

// loadCoopPage gathers what a co-op's page shows.
func (s *Server) loadCoopPage(r *http.Request) (*coopPage, error) {
	ref, err := pathVar(r, "handle")
	if err != nil {
		return nil, err
	}
	c, err := s.svc.PublicCoop(r.Context(), ref)
	if err != nil {
		return nil, err
	}
	b, err := s.newBase(r, "coops", c.Name)
	if err != nil {
		return nil, err
	}
	l := b.L
	res, err := s.svc.SearchJobs(r.Context(), directory.JobQuery{Coops: []string{c.APID}, Limit: directory.MaxLimit})
	if err != nil {
		return nil, err
	}
	base := coopHref(c.Handle, c.Host, c.Local)
	p := &coopPage{pageBase: b, Coop: c, Handle: "@" + c.Acct(), Place: l.place(c.City, c.Country), Followers: -1,
		FollowPath: base + "/follow", AtomHref: base + "/jobs.atom", RSSHref: base + "/jobs.rss"}
	for i := range res.Items {
		p.Jobs = append(p.Jobs, l.jobView(&res.Items[i]))
	}
	for _, code := range c.Languages {
		p.Languages = append(p.Languages, l.Language(code))
	}
	if c.Local && s.fed != nil {
		follows, err := s.fed.CoopFollows(r.Context(), c)
		if err != nil {
			return nil, err
		}
		for _, fl := range follows {
			if fl.State != directory.FollowAccepted {
				continue
			}
			link := fedLink{Name: fl.Target, Href: fl.Target}
			if known, err := s.svc.CoopByAPID(r.Context(), fl.Target); err == nil {
				link = fedLink{Name: known.Name, Href: coopHref(known.Handle, known.Host, known.Local)}
			}
			p.Follows = append(p.Follows, link)
		}
	}
	// A remote co-op's logo is the copy cached from its actor's icon.
	if logo, err := s.svc.CoopLogo(r.Context(), c); err == nil {
		p.LogoURL = logoURL(c.Handle, c.Host, c.Local, logo.UpdatedAt)
	}
	for _, f := range c.Federations {
		p.Federations = append(p.Federations, fedLink{Name: f.Name, Href: s.fedHref(f)})
	}
	if c.Local {
		if p.Followers, err = s.svc.CountFollowers(r.Context(), c.APID); err != nil {
			return nil, err
		}
	}
	p.About = s.aboutHTML(c.Summary)
	s.describe(&p.pageBase, "profile", c.Name, c.APID, string(p.About))
	p.Alternates = append(p.Alternates,
		link{Type: "application/atom+xml", Href: p.AtomHref, Title: l.T("feed.coop_title", "Coop", c.Name)},
		link{Type: "application/rss+xml", Href: p.RSSHref, Title: l.T("feed.coop_title", "Coop", c.Name)})
	return p, nil
}

func (s *Server) coopPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadCoopPage(r)
	if err != nil {
		return err
	}
	asLink(w, p.Coop.APID)
	s.render(w, r, http.StatusOK, "coop", p)
	return nil
}

// followCoop sends a visitor to their own server's page for following the
// co-op, found by WebFinger from the handle they typed. On a problem the
// co-op's page comes back with the message next to the field.
func (s *Server) followCoop(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadCoopPage(r)
	if err != nil {
		return err
	}
	s.remoteFollow(w, r, p.Coop.Acct(), &p.pageBase, func(account, msg string, status int) {
		p.Account, p.FollowError = account, msg
		s.render(w, r, status, "coop", p)
	})
	return nil
}

// remoteFollow redirects to the follow page of the account in the query
// for uri, or calls fail with a message in the visitor's language.
func (s *Server) remoteFollow(w http.ResponseWriter, r *http.Request, uri string, b *pageBase, fail func(account, msg string, status int)) {
	account := strings.TrimSpace(r.URL.Query().Get("account"))
	l := b.L
	if account == "" {
		fail(account, l.T("follow.error.empty"), http.StatusBadRequest)
		return
	}
	user, host, ok := strings.Cut(strings.TrimPrefix(account, "@"), "@")
	if !ok || user == "" || host == "" || strings.ContainsAny(host, "/?#@ ") {
		fail(account, l.T("follow.error.format"), http.StatusBadRequest)
		return
	}
	if s.fed == nil {
		fail(account, l.T("follow.error.unavailable"), http.StatusServiceUnavailable)
		return
	}
	target, err := s.fed.SubscribeURL(r.Context(), account, uri)
	if err != nil {
		s.log.InfoContext(r.Context(), "remote follow failed", "account", account, "error", err)
		msg := l.T("follow.error.lookup", "Host", host)
		if strings.Contains(directory.SafeMessage(err), "does not offer remote follows") {
			msg = l.T("follow.error.unsupported", "Host", host)
		}
		fail(account, msg, http.StatusUnprocessableEntity)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

type coopsPage struct {
	pageBase
	Query       string
	Total       int
	Coops       []coopView
	Map         worldMap
	Countries   []option
	Federations []option
	Sizes       []option
	Skill       string
	NextHref    string
	FirstHref   string
	Filtered    bool
}

// option is one choice of a <select>.
type option struct {
	Value, Label string
	Selected     bool
}

// coopView is a co-op as the directory lists it.
type coopView struct {
	Coop        *directory.Coop
	Href        string
	Handle      string
	Place       string
	Federations []string
	// About is the summary rendered, for the profile's preview only.
	About template.HTML
}

// coopSizes are the size filters of the directory: worker-members from,
// to (0 for no bound).
var coopSizes = []struct {
	Value    string
	Min, Max int
}{{"1-9", 1, 9}, {"10-49", 10, 49}, {"50-", 50, 0}}

func (s *Server) coopsPage(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	b, err := s.newBase(r, "coops", "")
	if err != nil {
		return err
	}
	l := b.L
	b.Title = l.T("coops.title")
	b.Description = l.T("coops.description", "Site", b.Site.Name)
	q := directory.CoopQuery{Text: directory.ParseQuery(v.Get("q")), Countries: directory.UpperAll(v["country"]), Skills: directory.LowerAll(v["skill"]),
		Federations: directory.TrimmedAll(v["federation"]), Limit: 30}
	p := &coopsPage{pageBase: b, Query: v.Get("q"), Skill: v.Get("skill")}
	for _, sz := range coopSizes {
		sel := v.Get("size") == sz.Value
		if sel {
			q.MinWorkers, q.MaxWorkers = sz.Min, sz.Max
		}
		label := l.T("coops.size_from", "Min", l.Num(sz.Min))
		if sz.Max > 0 {
			label = l.T("coops.size_range", "Min", l.Num(sz.Min), "Max", l.Num(sz.Max))
		}
		p.Sizes = append(p.Sizes, option{Value: sz.Value, Label: label, Selected: sel})
	}
	if q.After, err = directory.DecodeCursor(v.Get("cursor")); err != nil {
		return err
	}
	page, err := s.svc.ListCoops(r.Context(), q)
	if err != nil {
		return err
	}
	st, err := s.svc.Stats(r.Context())
	if err != nil {
		return err
	}
	p.Map = newWorldMap(l, s.world, "coops-map", l.T("map.coops_title"), l.T("map.coops_desc"), "/stats#by-country", mapCoops,
		st.Countries, func(code string) string { return "/coops?country=" + code })
	// The countries with co-ops, by name in the page's language.
	present := map[string]bool{}
	for _, c := range st.Countries {
		present[c.Country] = true
	}
	for _, o := range l.lists().countries {
		if present[o.Value] {
			p.Countries = append(p.Countries, option{Value: o.Value, Label: o.Label, Selected: v.Get("country") == o.Value})
		}
	}
	for _, f := range st.Federations {
		sel := v.Get("federation") == f.Federation.APID || v.Get("federation") == f.Federation.Handle
		p.Federations = append(p.Federations, option{Value: f.Federation.APID, Label: f.Federation.Name, Selected: sel})
	}
	p.Total = page.Total
	for i := range page.Items {
		c := &page.Items[i]
		cv := coopView{Coop: c, Href: coopHref(c.Handle, c.Host, c.Local), Handle: "@" + c.Acct(), Place: l.place(c.City, c.Country)}
		for _, f := range c.Federations {
			cv.Federations = append(cv.Federations, f.Name)
		}
		p.Coops = append(p.Coops, cv)
	}
	for k, vs := range v {
		if k != "cursor" && len(vs) > 0 && vs[0] != "" {
			p.Filtered = true
		}
	}
	if page.Next != nil {
		next := url.Values{}
		for k, vs := range v {
			next[k] = vs
		}
		next.Set("cursor", page.Next.Encode())
		p.NextHref = "/coops?" + next.Encode()
	}
	if v.Get("cursor") != "" {
		p.FirstHref = "/coops" + strings.TrimPrefix(without(v, "cursor", ""), "/")
	}
	s.render(w, r, http.StatusOK, "coops", p)
	return nil
}
