package web

import (
	"bytes"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/feeds"
	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// feedSize is how many jobs a feed carries, newest first.
const feedSize = 50

// jobFeed turns a page of jobs into a feed in the visitor's language.
func (s *Server) jobFeed(l *Locale, title, self, page string, jobs []directory.Job) *feeds.Feed {
	base := s.svc.Links().Base()
	f := &feeds.Feed{Title: title, Link: &feeds.Link{Href: base + page}, Id: base + self,
		Description: title}
	for i := range jobs {
		j := &jobs[i]
		v := l.jobView(j)
		parts := []string{j.Coop.Name, v.Where, v.Type}
		if v.Salary != "" {
			parts = append(parts, v.Salary)
		}
		var summary string
		if j.Description != "" && s.fed != nil {
			summary = s.summary(s.fed.DescriptionHTML(j.Description), 500)
		}
		f.Add(&feeds.Item{Title: j.Title + " · " + j.Coop.Name, Link: &feeds.Link{Href: base + v.Href}, Id: j.APID,
			Author: &feeds.Author{Name: j.Coop.Name}, Description: itemHTML(parts, summary), Created: j.Published, Updated: j.Updated})
		if j.Updated.After(f.Updated) {
			f.Updated = j.Updated
		}
	}
	if f.Updated.IsZero() {
		f.Updated = time.Unix(0, 0).UTC()
	}
	return f
}

// itemHTML is a feed item's HTML text (Atom's summary of type html,
// RSS's description): the facts joined in one paragraph, the summary of
// the description in another. Every piece is text, escaped here for HTML;
// the XML encoder escapes the HTML in turn. Names, places and
// descriptions of aggregated jobs come from other servers.
func itemHTML(facts []string, summary string) string {
	var b strings.Builder
	b.WriteString("<p>")
	for i, f := range facts {
		if i > 0 {
			b.WriteString(" · ")
		}
		b.WriteString(html.EscapeString(f))
	}
	b.WriteString("</p>")
	if summary != "" {
		b.WriteString("<p>" + html.EscapeString(summary) + "</p>")
	}
	return b.String()
}

// writeFeed sends f as Atom or RSS, by the route's format. Titles are
// text in both; RSS readers take a channel's description as HTML, so it
// is escaped for RSS (Atom's subtitle is text).
func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, f *feeds.Feed) {
	var buf bytes.Buffer
	var err error
	ct := "application/atom+xml; charset=utf-8"
	if mux.Vars(r)["format"] == "rss" {
		ct = "application/rss+xml; charset=utf-8"
		rss := (&feeds.Rss{Feed: f}).RssFeed()
		rss.Description = html.EscapeString(rss.Description)
		err = feeds.WriteXML(rss, &buf)
	} else {
		err = f.WriteAtom(&buf)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "max-age=300, public")
	w.Header().Add("Vary", "Accept-Language, Cookie")
	_, _ = w.Write(buf.Bytes())
}

// searchFeed is the feed of any job search: the search page's parameters
// give the jobs, newest first.
func (s *Server) searchFeed(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q, err := jobQuery(v, s.currency)
	if err != nil {
		return err
	}
	q.Sort, q.Limit, q.After = directory.SortNewest, feedSize, nil
	res, err := s.svc.SearchJobs(r.Context(), q)
	if err != nil {
		return err
	}
	site, err := s.svc.LocalFederation(r.Context())
	if err != nil {
		return err
	}
	l := s.locales.forRequest(r)
	title := l.T("feed.search_title", "Site", site.Name)
	if text := strings.TrimSpace(v.Get("q")); text != "" {
		title = l.T("feed.search_title_query", "Site", site.Name, "Query", text)
	}
	// A feed of a filtered search carries its readable name, as its
	// search actor does.
	if s.fed != nil {
		if name, filtered, err := s.fed.SearchName(r.Context(), v, s.currency, l.Lang); err == nil && filtered {
			title = name
		}
	}
	page := without(v, "", "")
	s.writeFeed(w, r, s.jobFeed(l, title, r.URL.RequestURI(), page, res.Items))
	return nil
}

// coopFeed is the feed of one co-op's open jobs.
func (s *Server) coopFeed(w http.ResponseWriter, r *http.Request) error {
	ref, err := pathVar(r, "handle")
	if err != nil {
		return err
	}
	c, err := s.svc.PublicCoop(r.Context(), ref)
	if err != nil {
		return err
	}
	res, err := s.svc.SearchJobs(r.Context(), directory.JobQuery{Coops: []string{c.APID}, Limit: feedSize})
	if err != nil {
		return err
	}
	l := s.locales.forRequest(r)
	s.writeFeed(w, r, s.jobFeed(l, l.T("feed.coop_title", "Coop", c.Name), r.URL.Path,
		coopHref(c.Handle, c.Host, c.Local), res.Items))
	return nil
}
