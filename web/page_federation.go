package web

import (
	"net/http"

	"github.com/colmena-coop/colmena/directory"
)

type federationPage struct {
	pageBase
	Federation  *directory.Federation
	Handle      string
	Figures     *statRow
	Coops       []coopView
	Aggregates  []fedLink
	FollowError string
	Account     string
}

func (s *Server) loadFederationPage(r *http.Request) (*federationPage, error) {
	fed, err := s.svc.LocalFederation(r.Context())
	if err != nil {
		return nil, err
	}
	b, err := s.newBase(r, "federation", fed.Name)
	if err != nil {
		return nil, err
	}
	l := b.L
	page, err := s.svc.ListCoops(r.Context(), directory.CoopQuery{Federations: []string{fed.APID}, Limit: directory.MaxLimit})
	if err != nil {
		return nil, err
	}
	st, err := s.svc.Stats(r.Context())
	if err != nil {
		return nil, err
	}
	p := &federationPage{pageBase: b, Federation: fed, Handle: "@" + fed.Handle + "@" + fed.Host}
	for _, f := range st.Federations {
		if f.Federation.APID == fed.APID {
			row := l.statRow(fed.Name, "", f.Figures)
			p.Figures = &row
		}
	}
	for i := range page.Items {
		c := &page.Items[i]
		p.Coops = append(p.Coops, coopView{Coop: c, Href: coopHref(c.Handle, c.Host, c.Local), Handle: "@" + c.Acct(),
			Place: l.place(c.City, c.Country)})
	}
	follows, err := s.svc.NodeFollows(r.Context())
	if err != nil {
		return nil, err
	}
	for _, f := range follows {
		if f.State != directory.FollowAccepted || f.Via != "" {
			continue
		}
		name := f.Target
		for _, sf := range st.Federations {
			if sf.Federation.APID == f.Target {
				name = sf.Federation.Name
			}
		}
		p.Aggregates = append(p.Aggregates, fedLink{Name: name, Href: f.Target})
	}
	s.describe(&p.pageBase, "profile", fed.Name, fed.APID, fed.Summary)
	return p, nil
}

func (s *Server) federationPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadFederationPage(r)
	if err != nil {
		return err
	}
	asLink(w, p.Federation.APID)
	s.render(w, r, http.StatusOK, "federation", p)
	return nil
}

func (s *Server) followFederation(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadFederationPage(r)
	if err != nil {
		return err
	}
	s.remoteFollow(w, r, p.Federation.Handle+"@"+p.Federation.Host, &p.pageBase, func(account, msg string, status int) {
		p.Account, p.FollowError = account, msg
		s.render(w, r, status, "federation", p)
	})
	return nil
}
