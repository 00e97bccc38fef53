package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

// forgotPage asks for an address to mail a reset link to.
type forgotPage struct {
	pageBase
	Email  string
	Errors formErrors
	// Mailing is whether the node sends mail at all.
	Mailing bool
	// Sent is set once a request was taken, whatever came of it.
	Sent bool
}

func (s *Server) forgotBase(r *http.Request) (pageBase, error) {
	b, err := s.newBase(r, "login", "")
	if err != nil {
		return b, err
	}
	b.Title = b.L.T("forgot.title")
	return b, nil
}

// forgotForm is /password/forgot.
func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) error {
	b, err := s.forgotBase(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "forgot", &forgotPage{pageBase: b, Errors: formErrors{}, Mailing: s.svc.Mailing()})
	return nil
}

// forgot takes a reset request. Its answer is the same whether or not an
// account has the address, and whether or not the node sends mail.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request) error {
	b, err := s.forgotBase(r)
	if err != nil {
		return err
	}
	email := r.PostFormValue("email")
	p := &forgotPage{pageBase: b, Email: email, Errors: formErrors{}, Mailing: s.svc.Mailing()}
	if wait := s.forgots.allow(addrKey(s.proxies.clientAddr(r)), email, s.now()); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		p.Errors[""] = b.L.T("forgot.error.limited", "Minutes", int(math.Ceil(wait.Minutes())))
		s.render(w, r, http.StatusTooManyRequests, "forgot", p)
		return nil
	}
	if err := s.svc.RequestPasswordReset(r.Context(), email); err != nil {
		if directory.KindOf(err) != directory.KindInvalid {
			return err
		}
		p.Errors["email"] = b.L.fieldMessage(err)
		s.render(w, r, http.StatusBadRequest, "forgot", p)
		return nil
	}
	p.Sent = true
	s.render(w, r, http.StatusOK, "forgot", p)
	return nil
}

// resetPage sets a new password through a reset link.
type resetPage struct {
	pageBase
	Token string
	// Email names the account the link is for; empty when the link does
	// not work.
	Email  string
	Errors formErrors
}

// resetForm is where a reset link leads: it names the account, or says
// the link no longer works.
func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) error {
	b, err := s.newBase(r, "login", "")
	if err != nil {
		return err
	}
	b.Title = b.L.T("reset.title")
	p := &resetPage{pageBase: b, Token: r.URL.Query().Get("token"), Errors: formErrors{}}
	u, err := s.svc.ResetLinkUser(r.Context(), p.Token)
	if err != nil {
		return s.resetFailed(w, r, p, err)
	}
	p.Email = u.Email
	s.render(w, r, http.StatusOK, "reset", p)
	return nil
}

func (s *Server) resetFailed(w http.ResponseWriter, r *http.Request, p *resetPage, err error) error {
	switch directory.KindOf(err) {
	case directory.KindNotFound, directory.KindForbidden:
		p.Email, p.Token = "", ""
		p.Errors[""] = p.L.T("reset.error.link")
		s.render(w, r, http.StatusGone, "reset", p)
		return nil
	}
	return err
}

// reset sets the new password, ends every other session of the account
// and logs this browser in.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) error {
	b, err := s.newBase(r, "login", "")
	if err != nil {
		return err
	}
	b.Title = b.L.T("reset.title")
	p := &resetPage{pageBase: b, Token: r.PostFormValue("token"), Errors: formErrors{}}
	u, err := s.svc.ResetLinkUser(r.Context(), p.Token)
	if err != nil {
		return s.resetFailed(w, r, p, err)
	}
	p.Email = u.Email
	pw := r.PostFormValue("password")
	if passwordProblems(b.L, pw, r.PostFormValue("confirm"), p.Errors) {
		s.render(w, r, http.StatusBadRequest, "reset", p)
		return nil
	}
	if u, err = s.svc.ResetPassword(r.Context(), p.Token, pw); err != nil {
		if directory.KindOf(err) == directory.KindInvalid {
			p.Errors["password"] = b.L.T("password.error.short", "Min", directory.MinPassword)
			s.render(w, r, http.StatusBadRequest, "reset", p)
			return nil
		}
		return s.resetFailed(w, r, p, err)
	}
	s.rememberLanguage(r, u, b.L)
	raw, _, err := s.svc.StartSession(r.Context(), u, r.UserAgent())
	if err != nil {
		return err
	}
	s.setSessionCookie(w, raw, int(directory.SessionLifetime.Seconds()))
	s.log.InfoContext(r.Context(), "password reset", "user", u.Email)
	s.setSessionFlash(w, raw, "flash.password_set")
	http.Redirect(w, r, homeOf(u), http.StatusSeeOther)
	return nil
}

// rememberLanguage records the language a person reads pages in, for the
// mails they get. Failing to is logged: it changes only a mail's language.
func (s *Server) rememberLanguage(r *http.Request, u *directory.User, l *Locale) {
	lang, _, _ := strings.Cut(l.Lang, "-")
	if err := s.svc.SetLanguage(r.Context(), u, lang); err != nil {
		s.log.WarnContext(r.Context(), "could not record a language", "user", u.Email, "error", err)
	}
}

// changeEmail gives the account a new address, after its password; the
// old address is told.
func (s *Server) changeEmail(w http.ResponseWriter, r *http.Request) error {
	v := s.requireUser(w, r)
	if v == nil {
		return nil
	}
	l := s.locales.forRequest(r)
	err := s.svc.ChangeEmail(r.Context(), v.User, r.PostFormValue("email"), r.PostFormValue("email_current"))
	switch {
	case err == nil:
		s.renderAccount(w, r, http.StatusOK, formErrors{}, l.T("account.email_changed", "Email", v.User.Email))
	case directory.KindOf(err) == directory.KindInvalid || directory.KindOf(err) == directory.KindConflict:
		errs := formErrors{}
		if de, ok := err.(*directory.Error); ok && de.Field == "current_password" {
			errs["email_current"] = l.T("account.error.current")
		} else {
			errs["email"] = l.fieldMessage(err)
		}
		status := http.StatusBadRequest
		if directory.KindOf(err) == directory.KindConflict {
			status = http.StatusConflict
		}
		s.renderAccount(w, r, status, errs, "")
	default:
		s.pageError(w, r, err)
	}
	return nil
}
