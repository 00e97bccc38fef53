package web

import (
	"net/http"
	"net/url"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// followSearchPage offers a search's fediverse handle: the search actor,
// made when first asked for, and the form that follows it from the
// visitor's own server.
type followSearchPage struct {
	pageBase
	Name, Handle         string
	Action, SearchHref   string
	AtomHref, RSSHref    string
	Account, FollowError string
	// Query is the search's canonical query, which the e-mail alert
	// form sends.
	Query string
	// Mailing is whether the node sends mail, and so alerts.
	Mailing bool
}

func (s *Server) loadFollowSearch(r *http.Request, ss *directory.SavedSearch) (*followSearchPage, error) {
	b, err := s.newBase(r, "followsearch", ss.Name)
	if err != nil {
		return nil, err
	}
	// The visitor's language, which may not be the node's.
	name := ss.Name
	if v, err := url.ParseQuery(ss.Query); err == nil {
		if n, _, err := s.fed.SearchName(r.Context(), v, s.currency, b.L.Lang); err == nil {
			name = n
		}
	}
	b.Title = name
	return &followSearchPage{pageBase: b, Name: name, Handle: "@" + ss.Handle + "@" + s.svc.Links().Host(),
		Action: "/searches/" + ss.Handle + "/follow", SearchHref: "/?" + ss.Query,
		AtomHref: "/jobs.atom?" + ss.Query, RSSHref: "/jobs.rss?" + ss.Query,
		Query: ss.Query, Mailing: s.svc.Mailing()}, nil
}

// followSearchForm (GET /follow?<the search's parameters>) gives the search's
// handle, making its actor the first time.
func (s *Server) followSearchForm(w http.ResponseWriter, r *http.Request) error {
	if s.fed == nil {
		return directory.NotFoundf("this node does not federate, so searches cannot be followed")
	}
	ss, err := s.fed.FollowSearch(r.Context(), r.URL.Query(), s.currency)
	if err != nil {
		return err
	}
	p, err := s.loadFollowSearch(r, ss)
	if err != nil {
		return err
	}
	// A page that makes an actor is not for crawlers.
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	s.render(w, r, http.StatusOK, "followsearch", p)
	return nil
}

// remoteFollowSearch (GET /searches/{handle}/follow?account=) sends the
// visitor to their own server to follow the search.
func (s *Server) remoteFollowSearch(w http.ResponseWriter, r *http.Request) error {
	if s.fed == nil {
		return directory.NotFoundf("this node does not federate, so searches cannot be followed")
	}
	ss, err := s.fed.SavedSearch(r.Context(), mux.Vars(r)["handle"])
	if err != nil {
		return err
	}
	p, err := s.loadFollowSearch(r, ss)
	if err != nil {
		return err
	}
	s.remoteFollow(w, r, ss.Handle+"@"+s.svc.Links().Host(), &p.pageBase, func(account, msg string, status int) {
		p.Account, p.FollowError = account, msg
		s.render(w, r, status, "followsearch", p)
	})
	return nil
}
