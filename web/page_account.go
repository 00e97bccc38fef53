package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// formErrors are a form's problems by field, shown next to each; "" is
// the form as a whole.
type formErrors map[string]string

// addIn records err in the visitor's language.
func (e formErrors) addIn(l *Locale, err error) {
	var field string
	if de, ok := err.(*directory.Error); ok {
		field = de.Field
	}
	e[field] = l.fieldMessage(err)
}

type loginPage struct {
	pageBase
	Email  string
	Next   string
	Errors formErrors
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	b, err := s.newBase(r, "login", "")
	if err != nil {
		return err
	}
	b.Title = b.L.T("login.title")
	s.render(w, r, http.StatusOK, "login", &loginPage{pageBase: b, Next: r.URL.Query().Get("next"), Errors: formErrors{}})
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	b, err := s.newBase(r, "login", "")
	if err != nil {
		return err
	}
	b.Title = b.L.T("login.title")
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	p := &loginPage{pageBase: b, Email: email, Next: r.PostFormValue("next"), Errors: formErrors{}}
	now := s.now()
	// A browser logged in to this very account is its owner's.
	owner := b.Viewer.LoggedIn() && b.Viewer.User.Email == accountKey(email)
	attempt := s.logins.attempt(addrKey(s.proxies.clientAddr(r)), email, owner, now)
	if wait, limit := s.logins.wait(attempt, now); limit != limitNone {
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		if limit == limitAddr {
			p.Errors[""] = b.L.T("login.error.limited", "Minutes", b.L.Num(int(math.Ceil(wait.Minutes()))))
		} else {
			p.Errors[""] = b.L.T("login.error.wait", "Seconds", secs)
		}
		s.render(w, r, http.StatusTooManyRequests, "login", p)
		return nil
	}
	u, err := s.svc.Login(r.Context(), email, password)
	if err != nil {
		if directory.KindOf(err) == directory.KindForbidden {
			// A disabled account, told only to whoever knows its password.
			p.Errors[""] = b.L.fieldMessage(err)
			s.render(w, r, http.StatusForbidden, "login", p)
			return nil
		}
		if directory.KindOf(err) != directory.KindUnauthorized {
			return err
		}
		s.logins.fail(attempt, now)
		p.Errors[""] = b.L.T("login.error.wrong")
		s.render(w, r, http.StatusUnauthorized, "login", p)
		return nil
	}
	s.logins.succeed(attempt, now)
	s.rememberLanguage(r, u, b.L)
	raw, _, err := s.svc.StartSession(r.Context(), u, r.UserAgent())
	if err != nil {
		return err
	}
	s.setSessionCookie(w, raw, int(directory.SessionLifetime.Seconds()))
	s.log.InfoContext(r.Context(), "login", "user", u.Email)
	http.Redirect(w, r, localNext(p.Next, homeOf(u)), http.StatusSeeOther)
	return nil
}

// homeOf is where a user lands after logging in.
func homeOf(u *directory.User) string {
	switch {
	case u.Admin:
		return "/admin"
	case u.CoopID == 0:
		// Someone who left their co-op waits for the admin to place them.
		return "/account"
	}
	return "/dashboard"
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if v := s.viewerOf(r); v.LoggedIn() {
		_ = s.svc.EndSession(r.Context(), v.User.ID, v.Session.ID)
	}
	s.setSessionCookie(w, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

type passwordPage struct {
	pageBase
	Token  string
	Errors formErrors
	// Email names the account the link sets a password for.
	Email string
}

// passwordForm is where a one-time link leads: the person sets a password.
func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	b, err := s.newBase(r, "login", "")
	if err != nil {
		return err
	}
	b.Title = b.L.T("password.title")
	token := r.URL.Query().Get("token")
	// A link of a disabled account leads to a page that says so, with no
	// form; an expired or used one is told when the form is sent.
	u, err := s.svc.LinkUser(r.Context(), token)
	if directory.KindOf(err) == directory.KindForbidden {
		return err
	}
	p := &passwordPage{pageBase: b, Token: token, Errors: formErrors{}}
	if err == nil {
		p.Email = u.Email
	}
	s.render(w, r, http.StatusOK, "password", p)
	return nil
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) error {
	b, err := s.newBase(r, "login", "")
	if err != nil {
		return err
	}
	b.Title = b.L.T("password.title")
	p := &passwordPage{pageBase: b, Token: r.PostFormValue("token"), Errors: formErrors{}}
	if u, err := s.svc.LinkUser(r.Context(), p.Token); err == nil {
		p.Email = u.Email
	}
	pw := r.PostFormValue("password")
	if passwordProblems(b.L, pw, r.PostFormValue("confirm"), p.Errors) {
		s.render(w, r, http.StatusBadRequest, "password", p)
		return nil
	}
	u, err := s.svc.AcceptLink(r.Context(), p.Token, pw)
	if err != nil {
		switch directory.KindOf(err) {
		case directory.KindInvalid:
			p.Errors["password"] = b.L.T("password.error.short", "Min", directory.MinPassword)
			s.render(w, r, http.StatusBadRequest, "password", p)
		case directory.KindNotFound:
			p.Errors[""] = b.L.T("password.error.link")
			s.render(w, r, http.StatusGone, "password", p)
		default:
			s.pageError(w, r, err)
		}
		return nil
	}
	s.rememberLanguage(r, u, b.L)
	raw, _, err := s.svc.StartSession(r.Context(), u, r.UserAgent())
	if err != nil {
		return err
	}
	s.setSessionCookie(w, raw, int(directory.SessionLifetime.Seconds()))
	s.setSessionFlash(w, raw, "flash.password_set")
	http.Redirect(w, r, homeOf(u), http.StatusSeeOther)
	return nil
}

// requireUser returns the logged-in viewer, or sends the browser to log in.
func (s *Server) requireUser(w http.ResponseWriter, r *http.Request) *viewer {
	v := s.viewerOf(r)
	if !v.LoggedIn() {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return nil
	}
	return v
}

type accountPage struct {
	pageBase
	Sessions []sessionView
	Errors   formErrors
	Notice   string
	Tokens   []tokenView
	// NewToken is a token just made, shown this once.
	NewToken string
}

type tokenView struct {
	ID             int64
	Label, Created string
	Coop           string
}

type sessionView struct {
	ID        int64
	UserAgent string
	// Device names the browser and system the User-Agent claims.
	Device  string
	Started string
	Current bool
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	s.renderAccount(w, r, http.StatusOK, formErrors{}, "")
	return nil
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, errs formErrors, notice string) {
	s.renderAccountToken(w, r, status, errs, notice, "")
}

func (s *Server) renderAccountToken(w http.ResponseWriter, r *http.Request, status int, errs formErrors, notice, newToken string) {
	v := s.requireUser(w, r)
	if v == nil {
		return
	}
	b, err := s.newBase(r, "account", "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	b.Title = b.L.T("account.title")
	sessions, err := s.svc.Sessions(r.Context(), v.User.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := &accountPage{pageBase: b, Errors: errs, Notice: notice, NewToken: newToken}
	if v.User.Admin || v.User.CoopID != 0 {
		tokens, err := s.svc.Tokens(r.Context(), v.User.Principal())
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		coops := map[int64]string{}
		if v.User.CoopID != 0 {
			coops[v.User.CoopID] = v.CoopHandle
		}
		for _, t := range tokens {
			tv := tokenView{ID: t.ID, Label: t.Label, Created: b.L.Date(t.CreatedAt)}
			if t.CoopID != 0 {
				if _, ok := coops[t.CoopID]; !ok {
					coops[t.CoopID] = "#" + strconv.FormatInt(t.CoopID, 10)
				}
				tv.Coop = coops[t.CoopID]
			}
			p.Tokens = append(p.Tokens, tv)
		}
	}
	for _, se := range sessions {
		p.Sessions = append(p.Sessions, sessionView{ID: se.ID, UserAgent: se.UserAgent, Device: b.L.sessionDevice(s.agents(), se.UserAgent),
			Started: b.L.Date(se.CreatedAt), Current: se.ID == v.Session.ID})
	}
	s.render(w, r, status, "account", p)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	v := s.requireUser(w, r)
	if v == nil {
		return nil
	}
	l := s.locales.forRequest(r)
	if errs := (formErrors{}); passwordProblems(l, r.PostFormValue("password"), r.PostFormValue("confirm"), errs) {
		if r.PostFormValue("current") == "" {
			errs["current"] = l.T("validation.required")
		}
		s.renderAccount(w, r, http.StatusBadRequest, errs, "")
		return nil
	}
	err := s.svc.ChangePassword(r.Context(), v.User, r.PostFormValue("current"), r.PostFormValue("password"), v.Session.ID)
	switch {
	case err == nil:
		s.renderAccount(w, r, http.StatusOK, formErrors{}, l.T("account.password_changed"))
	case directory.KindOf(err) == directory.KindInvalid:
		errs := formErrors{}
		if de, ok := err.(*directory.Error); ok && de.Field == "current_password" {
			errs["current"] = l.T("account.error.current")
		} else {
			errs["password"] = l.T("password.error.short", "Min", directory.MinPassword)
		}
		s.renderAccount(w, r, http.StatusBadRequest, errs, "")
	default:
		s.pageError(w, r, err)
	}
	return nil
}

func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	v := s.requireUser(w, r)
	if v == nil {
		return nil
	}
	id, _ := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	if err := s.svc.EndSession(r.Context(), v.User.ID, id); err != nil {
		return err
	}
	if id == v.Session.ID {
		s.setSessionCookie(w, "", -1)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.setFlash(w, r, "flash.session_ended")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// issueToken makes an API token from the account page and shows it once.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) error {
	v := s.requireUser(w, r)
	if v == nil {
		return nil
	}
	coop := v.CoopHandle
	if v.User.Admin {
		coop = strings.TrimSpace(r.PostFormValue("coop"))
	}
	raw, err := s.svc.IssueToken(r.Context(), v.User.Principal(), coop, r.PostFormValue("label"))
	if err != nil {
		return s.formFailed(r, err, func(errs formErrors) { s.renderAccount(w, r, http.StatusBadRequest, errs, "") })
	}
	s.renderAccountToken(w, r, http.StatusOK, formErrors{}, "", raw)
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	v := s.requireUser(w, r)
	if v == nil {
		return nil
	}
	id, _ := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	if err := s.svc.RevokeToken(r.Context(), v.User.Principal(), id); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.token_revoked")
	http.Redirect(w, r, "/account#tokens", http.StatusSeeOther)
	return nil
}
