package web

import (
	"math"
	"net/http"
	"strconv"

	"github.com/colmena-coop/colmena/directory"
)

// alertPage is every page of e-mail alerts: the request taken, a
// confirmed alert, the unsubscribe question and its answer, a link that
// no longer works.
type alertPage struct {
	pageBase
	// Mode is sent, confirmed, unsubscribe, unsubscribed, gone or error.
	Mode       string
	Search     string
	SearchHref string
	Email      string
	Token      string
	Error      string
}

func (s *Server) alertBase(r *http.Request) (*alertPage, error) {
	b, err := s.newBase(r, "followsearch", "")
	if err != nil {
		return nil, err
	}
	b.Title = b.L.T("alerts.title")
	return &alertPage{pageBase: b}, nil
}

func (p *alertPage) of(a *directory.Alert, ss *directory.SavedSearch) {
	p.Email, p.Search, p.SearchHref = a.Email, ss.Name, "/?"+ss.Query
	if a.SearchName != "" {
		p.Search = a.SearchName
	}
}

// subscribeAlertForm (POST /alerts, from the follow page) starts an
// e-mail alert's double opt-in.
func (s *Server) subscribeAlertForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.alertBase(r)
	if err != nil {
		return err
	}
	query := r.PostFormValue("query")
	p.SearchHref = "/follow?" + query
	ss, err := s.startAlert(r.Context(), r, r.PostFormValue("email"), query, r.PostFormValue("frequency"), p.L.Lang)
	if tm, ok := err.(*errTooManyAlerts); ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(tm.wait.Seconds()))))
		p.Mode, p.Error = "error", p.L.T("alerts.error.limited", "Minutes", int(math.Ceil(tm.wait.Minutes())))
		s.render(w, r, http.StatusTooManyRequests, "alerts", p)
		return nil
	}
	if directory.KindOf(err) == directory.KindInvalid {
		p.Mode, p.Error = "error", p.L.fieldMessage(err)
		s.render(w, r, http.StatusBadRequest, "alerts", p)
		return nil
	}
	if err != nil {
		return err
	}
	p.Mode, p.Search, p.SearchHref = "sent", ss.Name, "/?"+ss.Query
	s.render(w, r, http.StatusOK, "alerts", p)
	return nil
}

// alertGone answers a confirmation or unsubscribe link that no longer
// works: 410 and a page that says so.
func (s *Server) alertGone(w http.ResponseWriter, r *http.Request, p *alertPage, err error) error {
	if directory.KindOf(err) != directory.KindNotFound {
		return err
	}
	p.Mode = "gone"
	s.render(w, r, http.StatusGone, "alerts", p)
	return nil
}

// confirmAlertForm (GET /alerts/confirm?token=), where the mailed link
// leads, asks to confirm: a mail scanner opening the link confirms
// nothing.
func (s *Server) confirmAlertForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.alertBase(r)
	if err != nil {
		return err
	}
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	p.Token = r.URL.Query().Get("token")
	a, ss, err := s.svc.AlertToConfirm(r.Context(), p.Token)
	if err != nil {
		return s.alertGone(w, r, p, err)
	}
	p.Mode = "confirm"
	p.of(a, ss)
	s.render(w, r, http.StatusOK, "alerts", p)
	return nil
}

// confirmAlert (POST /alerts/confirm, the token in the form) confirms an
// alert, once.
func (s *Server) confirmAlert(w http.ResponseWriter, r *http.Request) error {
	p, err := s.alertBase(r)
	if err != nil {
		return err
	}
	a, ss, err := s.svc.ConfirmAlert(r.Context(), r.FormValue("token"))
	if err != nil {
		return s.alertGone(w, r, p, err)
	}
	p.Mode = "confirmed"
	p.of(a, ss)
	s.render(w, r, http.StatusOK, "alerts", p)
	return nil
}

// unsubscribeAlertForm (GET /alerts/unsubscribe?token=) asks before
// unsubscribing: a link opened by a mail scanner changes nothing.
func (s *Server) unsubscribeAlertForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.alertBase(r)
	if err != nil {
		return err
	}
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	p.Token = r.URL.Query().Get("token")
	a, ss, err := s.svc.AlertToUnsubscribe(r.Context(), p.Token)
	if err != nil {
		return s.alertGone(w, r, p, err)
	}
	p.Mode = "unsubscribe"
	if a.State == directory.AlertUnsubscribed {
		p.Mode = "unsubscribed"
	}
	p.of(a, ss)
	s.render(w, r, http.StatusOK, "alerts", p)
	return nil
}

// unsubscribeAlert (POST /alerts/unsubscribe, the token in the form or
// the URL) ends an alert: the page's button, and the one-click POST of
// RFC 8058 that mail programs send from the List-Unsubscribe header.
func (s *Server) unsubscribeAlert(w http.ResponseWriter, r *http.Request) error {
	p, err := s.alertBase(r)
	if err != nil {
		return err
	}
	a, ss, err := s.svc.UnsubscribeAlert(r.Context(), r.FormValue("token"))
	if err != nil {
		return s.alertGone(w, r, p, err)
	}
	p.Mode = "unsubscribed"
	p.of(a, ss)
	s.render(w, r, http.StatusOK, "alerts", p)
	return nil
}
