package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

// adminPage is the node admin's console.
type adminPage struct {
	pageBase
	Coops      []coopView
	Users      []directory.User
	Follows    []directory.Follow
	Audit      []auditView
	Failed     int
	Deliveries []deliveryView
	Followers  []directory.Follower
	Errors     formErrors
	Form       string
	Notice     string
	InviteLink string
	Values     map[string]string
	// The errors of each form, empty for the forms not sent.
	CoopErrors, InviteErrors, FollowErrors, BlockErrors, MemberErrors, SettingsErrors formErrors
	Blocks                                                                            []string
}

type deliveryView struct {
	ID                     int64
	Inbox, Activity, Error string
	Attempts               int
	When                   string
}

type auditView struct {
	At, Actor, Action, Target, Detail string
}

// requireAdmin returns the logged-in admin, or answers for the others: a
// login for nobody, 403 for members.
func (s *Server) requireAdminUser(w http.ResponseWriter, r *http.Request) *viewer {
	v := s.requireUser(w, r)
	if v == nil {
		return nil
	}
	if !v.User.Admin {
		l := s.locales.forRequest(r)
		s.showError(w, r, http.StatusForbidden, l.T("error.forbidden.heading"), l.T("error.forbidden.body"))
		return nil
	}
	return v
}

// formFailed shows a form's error next to its field when the person can
// fix it (bad or clashing input, something not found), and as an error
// page otherwise.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, err error, show func(status int)) bool {
	if err == nil {
		return false
	}
	switch directory.KindOf(err) {
	case directory.KindInvalid, directory.KindConflict, directory.KindNotFound:
		show(http.StatusBadRequest)
	default:
		s.pageError(w, r, err)
	}
	return true
}

// adminFailed is formFailed for the console's forms.
func (s *Server) adminFailed(w http.ResponseWriter, r *http.Request, v *viewer, p *adminPage, err error) bool {
	return s.formFailed(w, r, err, func(status int) {
		p.Errors.addIn(s.locales.forRequest(r), err)
		s.renderAdmin(w, r, v, status, p)
	})
}

// federating answers for a console form on a node that does not federate.
func (s *Server) federating(w http.ResponseWriter, r *http.Request, v *viewer, p *adminPage) bool {
	if s.fed != nil {
		return true
	}
	p.Errors[""] = "this node does not federate"
	s.renderAdmin(w, r, v, http.StatusNotFound, p)
	return false
}

func (s *Server) adminConsole(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}})
}

func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, v *viewer, status int, p *adminPage) {
	b, err := s.newBase(r, "admin", "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	b.Title = b.L.T("admin.title")
	p.pageBase = b
	p.CoopErrors, p.InviteErrors, p.FollowErrors, p.BlockErrors = formErrors{}, formErrors{}, formErrors{}, formErrors{}
	p.MemberErrors, p.SettingsErrors = formErrors{}, formErrors{}
	if p.Values == nil || p.Form != "settings" {
		if p.Values == nil {
			p.Values = map[string]string{}
		}
		p.Values["fed_name"], p.Values["fed_summary"] = b.Site.Name, b.Site.Summary
		p.Values["fed_languages"] = strings.Join(b.Site.Languages, ", ")
	} else {
		p.Values["fed_name"], p.Values["fed_summary"], p.Values["fed_languages"] = p.Values["name"], p.Values["summary"], p.Values["languages"]
	}
	switch p.Form {
	case "settings":
		p.SettingsErrors = p.Errors
	case "member":
		p.MemberErrors = p.Errors
	case "block":
		p.BlockErrors = p.Errors
	case "coop":
		p.CoopErrors = p.Errors
	case "invite":
		p.InviteErrors = p.Errors
	case "follow":
		p.FollowErrors = p.Errors
	}
	ctx := r.Context()
	fed := b.Site
	page, err := s.svc.ListCoops(ctx, directory.CoopQuery{Federations: []string{fed.APID}, Limit: directory.MaxLimit, Suspended: true})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	for i := range page.Items {
		c := &page.Items[i]
		p.Coops = append(p.Coops, coopView{Coop: c, Href: coopHref(c.Handle, c.Host, c.Local), Handle: "@" + c.Acct(),
			Place: b.L.place(c.City, c.Country)})
	}
	if p.Users, err = s.svc.Users(ctx, v.User.Principal()); err != nil {
		s.pageError(w, r, err)
		return
	}
	if s.fed != nil {
		if p.Follows, err = s.fed.Follows(ctx, v.User.Principal()); err != nil {
			s.pageError(w, r, err)
			return
		}
		failed, err := s.fed.Deliveries(ctx, v.User.Principal(), directory.DeliveryFailed, 100)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		p.Failed = len(failed)
		for _, d := range failed {
			p.Deliveries = append(p.Deliveries, deliveryView{ID: d.ID, Inbox: d.Inbox, Activity: d.ActivityID,
				Attempts: d.Attempts, Error: d.LastError, When: b.L.Date(d.UpdatedAt)})
		}
		if p.Followers, err = s.svc.Followers(ctx, fed.APID, "", 100); err != nil {
			s.pageError(w, r, err)
			return
		}
		if p.Blocks, err = s.fed.Blocks(ctx, v.User.Principal()); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	entries, err := s.svc.AuditLog(ctx, v.User.Principal(), 50)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	for _, e := range entries {
		p.Audit = append(p.Audit, auditView{At: b.L.Date(e.At) + " " + e.At.Format("15:04"), Actor: e.Actor, Action: e.Action,
			Target: e.Target, Detail: e.Detail})
	}
	if p.Values == nil {
		p.Values = map[string]string{}
	}
	s.render(w, r, status, "admin", p)
}

func (s *Server) adminCreateCoop(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return
	}
	vals := map[string]string{"handle": r.PostFormValue("handle"), "name": r.PostFormValue("name"),
		"country": r.PostFormValue("country"), "workers": r.PostFormValue("workers")}
	c, err := s.svc.CreateCoop(r.Context(), v.User.Principal(), directory.Coop{Handle: strings.TrimSpace(vals["handle"]),
		Name: vals["name"], Country: strings.ToUpper(strings.TrimSpace(vals["country"])), Workers: formInt(vals["workers"])})
	p := &adminPage{Errors: formErrors{}, Form: "coop", Values: vals}
	if s.adminFailed(w, r, v, p, err) {
		return
	}
	p.Values, p.Notice = nil, s.locales.forRequest(r).T("admin.coop_created", "Name", c.Name)
	s.renderAdmin(w, r, v, http.StatusOK, p)
}

func (s *Server) adminInvite(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return
	}
	coop := strings.TrimSpace(r.PostFormValue("coop"))
	vals := map[string]string{"email": r.PostFormValue("email"), "coop": coop}
	p := &adminPage{Errors: formErrors{}, Form: "invite", Values: vals}
	_, raw, err := s.svc.InviteUser(r.Context(), v.User.Principal(), vals["email"], coop == "", coop)
	if s.adminFailed(w, r, v, p, err) {
		return
	}
	p.Values, p.InviteLink = nil, s.svc.Links().Base()+"/password?token="+raw
	s.renderAdmin(w, r, v, http.StatusOK, p)
}

func (s *Server) adminFollow(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return
	}
	target := strings.TrimSpace(r.PostFormValue("target"))
	p := &adminPage{Errors: formErrors{}, Form: "follow", Values: map[string]string{"target": target}}
	if !s.federating(w, r, v, p) {
		return
	}
	if _, err := s.fed.Follow(r.Context(), v.User.Principal(), target); s.adminFailed(w, r, v, p, err) {
		return
	}
	http.Redirect(w, r, "/admin#follows", http.StatusSeeOther)
}

func (s *Server) adminBlock(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return
	}
	domain := strings.TrimSpace(r.PostFormValue("domain"))
	p := &adminPage{Errors: formErrors{}, Form: "block", Values: map[string]string{"domain": domain}}
	if !s.federating(w, r, v, p) {
		return
	}
	if _, err := s.fed.Block(r.Context(), v.User.Principal(), domain); s.adminFailed(w, r, v, p, err) {
		return
	}
	http.Redirect(w, r, "/admin#blocks", http.StatusSeeOther)
}

func (s *Server) adminUnblock(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil || s.fed == nil {
		return
	}
	domain := r.PostFormValue("domain")
	if err := s.fed.Unblock(r.Context(), v.User.Principal(), domain); err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin#blocks", http.StatusSeeOther)
}

// adminDeleteCoop removes a local co-op for good once its handle is typed
// again as confirmation: its actor answers 410 and followers get a Delete.
func (s *Server) adminDeleteCoop(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return
	}
	handle, err := pathVar(r, "handle")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	l := s.locales.forRequest(r)
	if r.PostFormValue("confirm") != handle {
		p := &adminPage{Errors: formErrors{"": l.T("admin.delete_confirm_error", "Handle", handle)}, Form: "coop"}
		s.renderAdmin(w, r, v, http.StatusBadRequest, p)
		return
	}
	if err := s.svc.DeleteCoop(r.Context(), v.User.Principal(), handle); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Notice: l.T("admin.deleted", "Handle", handle)})
}

// adminSuspend suspends or reinstates a local co-op.
func (s *Server) adminSuspend(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return
	}
	handle, err := pathVar(r, "handle")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	suspend := r.PostFormValue("suspended") == "1"
	c, err := s.svc.SetSuspended(r.Context(), v.User.Principal(), handle, suspend)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	l := s.locales.forRequest(r)
	notice := l.T("admin.reinstated", "Name", c.Name)
	if suspend {
		notice = l.T("admin.suspended", "Name", c.Name)
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Notice: notice})
}

// adminRetry puts failed deliveries back in the queue: one, or all.
func (s *Server) adminRetry(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil || s.fed == nil {
		return
	}
	var ids []int64
	if id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64); err == nil {
		ids = append(ids, id)
	}
	if _, err := s.fed.RetryDeliveries(r.Context(), v.User.Principal(), ids...); err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin#deliveries", http.StatusSeeOther)
}

// adminMember makes a co-op hosted on another node a member of this
// node's federation, or ends its membership.
func (s *Server) adminMember(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return
	}
	coop := strings.TrimSpace(r.PostFormValue("coop"))
	p := &adminPage{Errors: formErrors{}, Form: "member", Values: map[string]string{"coop": coop}}
	if !s.federating(w, r, v, p) {
		return
	}
	var err error
	if r.PostFormValue("remove") != "" {
		err = s.fed.RemoveMember(r.Context(), v.User.Principal(), coop)
	} else {
		_, err = s.fed.AddMember(r.Context(), v.User.Principal(), coop)
	}
	if s.adminFailed(w, r, v, p, err) {
		return
	}
	http.Redirect(w, r, "/admin#coops-heading", http.StatusSeeOther)
}

// adminSettings changes the federation's name, summary and languages.
func (s *Server) adminSettings(w http.ResponseWriter, r *http.Request) {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return
	}
	l := s.locales.forRequest(r)
	vals := map[string]string{"name": r.PostFormValue("name"), "summary": r.PostFormValue("summary"), "languages": r.PostFormValue("languages")}
	p := &adminPage{Errors: formErrors{}, Form: "settings", Values: vals}
	_, err := s.svc.UpdateFederation(r.Context(), v.User.Principal(), strings.TrimSpace(vals["name"]), vals["summary"], splitList(vals["languages"]))
	if s.adminFailed(w, r, v, p, err) {
		return
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Notice: l.T("admin.settings_saved")})
}
