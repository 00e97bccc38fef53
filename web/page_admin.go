package web

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// adminPage is the node admin's console.
type adminPage struct {
	pageBase
	Coops      []coopView
	Users      []directory.User
	Follows    []adminFollowView
	Audit      []auditView
	Failed     int
	Deliveries []deliveryView
	Followers  []followerView
	// Part is the section shown, Nav the sections' navigation and Pager
	// the paging of the section's list, if it has one. CoopCount is the
	// number of co-ops in the federation.
	Part      string
	Nav       []sectionLink
	Pager     *listPager
	CoopCount int
	// Block is the block asked for, shown with what it would purge for
	// confirmation.
	Block      *blockView
	Errors     formErrors
	Form       string
	Notice     string
	InviteLink string
	Values     map[string]string
	// The errors of each form, empty for the forms not sent.
	CoopErrors, InviteErrors, FollowErrors, BlockErrors, MemberErrors, SettingsErrors, RatesErrors formErrors
	Blocks                                                                                         []string
	// Rates are the exchange rates in use; nil when none are set.
	Rates *ratesView
	// People are the accounts by co-op; CoopHandles the local co-ops
	// a person can be placed in; PersonErrors the errors of the form of
	// the account PersonID.
	People       []peopleGroup
	CoopHandles  []string
	PersonID     int64
	PersonErrors formErrors
	// PeopleErrors are the errors of a people form whose account is not
	// listed (an unknown one).
	PeopleErrors []string
	// Mail is the mail outbox.
	Mail *mailView
	// Searches are the live search actors and their followers.
	Searches []searchActorView
}

type searchActorView struct {
	Handle, Name, Href string
	Followers          int
}

type deliveryView struct {
	ID                     int64
	Inbox, Activity, Error string
	Attempts               int
	When                   string
}

// adminFollowView is a follow of the node, with the followed actor named.
type adminFollowView struct {
	directory.Follow
	Name, Handle, Href string
}

// followerView is an actor following the federation.
type followerView struct {
	APID, Name, Handle, Href, Since string
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

// formFailed is every form's one policy for an error. One the person can
// fix (bad or clashing input, something named that is not there, or a
// refusal that names a field, such as a blocked domain) is worded in the
// visitor's language and handed to show, which renders the form again
// with 400; formFailed then returns nil. Any other error is returned, for
// the error page.
func (s *Server) formFailed(r *http.Request, err error, show func(errs formErrors)) error {
	var de *directory.Error
	if !errors.As(err, &de) {
		return err
	}
	switch {
	case de.Kind == directory.KindInvalid, de.Kind == directory.KindConflict, de.Kind == directory.KindNotFound:
	case de.Field != "" && de.Kind != directory.KindInternal:
	default:
		return err
	}
	errs := formErrors{}
	errs.addIn(s.locales.forRequest(r), err)
	show(errs)
	return nil
}

// adminFailed is formFailed for the console's forms.
func (s *Server) adminFailed(w http.ResponseWriter, r *http.Request, v *viewer, p *adminPage, err error) error {
	return s.formFailed(r, err, func(errs formErrors) {
		maps.Copy(p.Errors, errs)
		s.renderAdmin(w, r, v, http.StatusBadRequest, p)
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

// adminConsole shows a section of the console; /admin shows the first.
func (s *Server) adminConsole(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	part := muxVar(r, "section")
	if part == "" {
		part = consoleSections[0]
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Part: part})
	return nil
}

// formSections are the sections of the console's forms.
var formSections = map[string]string{"coop": "coops", "member": "coops", "invite": "people", "follow": "follows",
	"block": "blocks", "settings": "settings", "rates": "rates"}

func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, v *viewer, status int, p *adminPage) {
	b, err := s.newBase(r, "admin", "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if p.Part == "" {
		p.Part = cmp.Or(formSections[p.Form], consoleSections[0])
		if p.PersonID != 0 {
			p.Part = "people"
		}
	}
	b.Title = b.L.T("admin.title") + " · " + b.L.T("admin.section."+p.Part)
	p.pageBase = b
	p.Nav = sectionNav(b.L, "/admin", "admin.section.", consoleSections, p.Part, "")
	p.CoopErrors, p.InviteErrors, p.FollowErrors, p.BlockErrors = formErrors{}, formErrors{}, formErrors{}, formErrors{}
	p.MemberErrors, p.SettingsErrors, p.RatesErrors = formErrors{}, formErrors{}, formErrors{}
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
	case "rates":
		p.RatesErrors = p.Errors
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
	if err := s.loadAdminSection(r, v, b, p); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, status, "admin", p)
}

// loadAdminSection reads what the console's section p.Part shows.
func (s *Server) loadAdminSection(r *http.Request, v *viewer, b pageBase, p *adminPage) error {
	ctx := r.Context()
	fed := b.Site
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	base := "/admin/" + p.Part
	switch p.Part {
	case "coops", "people":
		page, err := s.svc.ListCoops(ctx, directory.CoopQuery{Federations: []string{fed.APID}, Limit: directory.MaxLimit, Suspended: true})
		if err != nil {
			return err
		}
		var coops []coopView
		for i := range page.Items {
			c := &page.Items[i]
			if c.Local {
				p.CoopHandles = append(p.CoopHandles, c.Handle)
			}
			if p.Part == "coops" && matches(q, c.Name, c.Handle, c.Host) {
				coops = append(coops, coopView{Coop: c, Href: coopHref(c.Handle, c.Host, c.Local), Handle: "@" + c.Acct(),
					Place: b.L.place(c.City, c.Country)})
			}
		}
		if p.Part == "coops" {
			lo, hi, pg := paginate(r, base, len(coops))
			p.Coops, p.Pager, p.CoopCount = coops[lo:hi], pg, len(page.Items)
			return nil
		}
		users, err := s.svc.Users(ctx, v.User.Principal())
		if err != nil {
			return err
		}
		p.Users = users
		var shown []directory.User
		for _, u := range users {
			if matches(q, u.Email, u.CoopHandle) {
				shown = append(shown, u)
			}
		}
		lo, hi, pg := paginate(r, base, len(shown))
		p.Pager = pg
		p.People = peopleGroups(b.L, shown[lo:hi], p.CoopHandles, v.User.ID, p.PersonID, p.PersonErrors)
		if p.PersonID != 0 && !slices.ContainsFunc(shown[lo:hi], func(u directory.User) bool { return u.ID == p.PersonID }) {
			for _, m := range p.PersonErrors {
				p.PeopleErrors = append(p.PeopleErrors, m)
			}
		}
	case "follows":
		if s.fed == nil {
			return nil
		}
		follows, err := s.fed.Follows(ctx, v.User.Principal())
		if err != nil {
			return err
		}
		for _, fl := range follows {
			row := adminFollowView{Follow: fl}
			row.Name, row.Handle, row.Href = s.actorNames(ctx, fl.Target)
			if matches(q, row.Name, row.Handle, fl.Target) {
				p.Follows = append(p.Follows, row)
			}
		}
		lo, hi, pg := paginate(r, base, len(p.Follows))
		p.Follows, p.Pager = p.Follows[lo:hi], pg
	case "followers":
		if s.fed == nil {
			return nil
		}
		followers, err := s.svc.Followers(ctx, fed.APID, "", followersShown)
		if err != nil {
			return err
		}
		for _, f := range followers {
			row := followerView{APID: f.FollowerAPID, Since: b.L.Date(f.CreatedAt)}
			row.Name, row.Handle, row.Href = s.actorNames(ctx, f.FollowerAPID)
			if matches(q, row.Name, row.Handle, f.FollowerAPID) {
				p.Followers = append(p.Followers, row)
			}
		}
		lo, hi, pg := paginate(r, base, len(p.Followers))
		p.Followers, p.Pager = p.Followers[lo:hi], pg
	case "blocks":
		if s.fed == nil {
			return nil
		}
		blocks, err := s.fed.Blocks(ctx, v.User.Principal())
		if err != nil {
			return err
		}
		p.Blocks = blocks
	case "deliveries":
		if s.fed == nil {
			return nil
		}
		failed, err := s.fed.Deliveries(ctx, v.User.Principal(), directory.DeliveryFailed, directory.MaxLimit)
		if err != nil {
			return err
		}
		p.Failed = len(failed)
		for _, d := range failed {
			if matches(q, d.Inbox, d.ActivityID, d.LastError) {
				p.Deliveries = append(p.Deliveries, deliveryView{ID: d.ID, Inbox: d.Inbox, Activity: d.ActivityID,
					Attempts: d.Attempts, Error: d.LastError, When: b.L.Date(d.UpdatedAt)})
			}
		}
		lo, hi, pg := paginate(r, base, len(p.Deliveries))
		p.Deliveries, p.Pager = p.Deliveries[lo:hi], pg
	case "rates":
		rates, err := s.svc.Rates(ctx)
		if err != nil {
			return err
		}
		if !rates.Empty() {
			p.Rates = &ratesView{Base: rates.Base, Date: b.L.Date(rates.Date), Source: rates.Source, Count: len(rates.PerBase),
				Stale: rates.Stale(s.now())}
		}
		if p.Form != "rates" {
			maps.Copy(p.Values, ratesValues(rates, s.now()))
		}
	case "searches":
		if s.fed == nil {
			return nil
		}
		as, err := s.fed.SearchActors(ctx, v.User.Principal())
		if err != nil {
			return err
		}
		for _, a := range as {
			if matches(q, a.Search.Name, a.Search.Handle) {
				p.Searches = append(p.Searches, searchActorView{Handle: a.Search.Handle, Name: a.Search.Name,
					Href: "/?" + a.Search.Query, Followers: a.Followers})
			}
		}
		lo, hi, pg := paginate(r, base, len(p.Searches))
		p.Searches, p.Pager = p.Searches[lo:hi], pg
	case "audit":
		entries, err := s.svc.AuditLog(ctx, v.User.Principal(), directory.MaxLimit)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if matches(q, e.Actor, e.Action, e.Target, e.Detail) {
				p.Audit = append(p.Audit, auditView{At: b.L.Date(e.At) + " " + e.At.Format("15:04"), Actor: e.Actor, Action: e.Action,
					Target: e.Target, Detail: e.Detail})
			}
		}
		lo, hi, pg := paginate(r, base, len(p.Audit))
		p.Audit, p.Pager = p.Audit[lo:hi], pg
	}
	// The mail section, and the invitation notice in any section, say
	// whether the node sends mail.
	var err error
	p.Mail, err = s.adminMail(ctx, v, b.L, p.Part == "mail")
	return err
}

// followersShown bounds the followers the console lists.
const followersShown = 1000

// actorNames names a remote actor for the console: its name, its
// @user@host handle and a link to it, from what the store knows (a co-op
// or a remote actor); the host alone when nothing is known.
func (s *Server) actorNames(ctx context.Context, apid string) (name, handle, href string) {
	if c, err := s.svc.CoopByAPID(ctx, apid); err == nil {
		return c.Name, "@" + c.Acct(), coopHref(c.Handle, c.Host, c.Local)
	}
	if s.fed != nil {
		if name, handle, profile, ok := s.fed.Account(ctx, apid); ok {
			return name, handle, profile
		}
	}
	return directory.HostOf(apid), "", apid
}

func (s *Server) adminCreateCoop(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	vals := map[string]string{"handle": r.PostFormValue("handle"), "name": r.PostFormValue("name"),
		"country": r.PostFormValue("country"), "workers": r.PostFormValue("workers")}
	nc := directory.Coop{Handle: strings.TrimSpace(vals["handle"]),
		Name: vals["name"], Country: strings.ToUpper(strings.TrimSpace(vals["country"])), Workers: formInt(vals["workers"])}
	p := &adminPage{Errors: formErrors{}, Form: "coop", Values: vals}
	c, err := s.svc.CreateCoop(r.Context(), v.User.Principal(), nc)
	if err != nil {
		if directory.KindOf(err) == directory.KindInvalid {
			s.coopProblems(r, &nc, p.Errors)
		}
		return s.adminFailed(w, r, v, p, err)
	}
	p.Values, p.Notice = nil, s.locales.forRequest(r).T("admin.coop_created", "Name", c.Name)
	s.renderAdmin(w, r, v, http.StatusOK, p)
	return nil
}

func (s *Server) adminInvite(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	coop := strings.TrimSpace(r.PostFormValue("coop"))
	vals := map[string]string{"email": r.PostFormValue("email"), "coop": coop}
	p := &adminPage{Errors: formErrors{}, Form: "invite", Values: vals}
	_, raw, err := s.svc.InviteUser(r.Context(), v.User.Principal(), vals["email"], coop == "", coop)
	if err != nil {
		return s.adminFailed(w, r, v, p, err)
	}
	p.Values, p.InviteLink = nil, s.svc.Links().Base()+"/password?token="+raw
	s.renderAdmin(w, r, v, http.StatusOK, p)
	return nil
}

func (s *Server) adminFollow(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	target := strings.TrimSpace(r.PostFormValue("target"))
	p := &adminPage{Errors: formErrors{}, Form: "follow", Values: map[string]string{"target": target}}
	if !s.federating(w, r, v, p) {
		return nil
	}
	if _, err := s.fed.Follow(r.Context(), v.User.Principal(), target); err != nil {
		return s.adminFailed(w, r, v, p, err)
	}
	s.setFlash(w, r, "flash.followed", "Target", target)
	http.Redirect(w, r, "/admin/follows", http.StatusSeeOther)
	return nil
}

// adminRenewFollow sends a new Follow for a follow the check found broken
// (or any other), in one click from the console.
func (s *Server) adminRenewFollow(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	p := &adminPage{Errors: formErrors{}, Form: "follow"}
	if !s.federating(w, r, v, p) {
		return nil
	}
	id, err := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	if err != nil {
		return directory.NotFoundf("no follow has the id %q", mux.Vars(r)["id"])
	}
	if _, err := s.fed.RenewFollow(r.Context(), v.User.Principal(), id); err != nil {
		return s.adminFailed(w, r, v, p, err)
	}
	s.setFlash(w, r, "flash.follow_renewed")
	http.Redirect(w, r, "/admin/follows", http.StatusSeeOther)
	return nil
}

// blockView is a block asked for, with what it would purge, for the
// admin to confirm.
type blockView struct {
	directory.BlockImpact
}

// adminBlock blocks a domain in two steps: the first shows what the block
// would purge and asks to confirm; the second (confirm=1) blocks.
func (s *Server) adminBlock(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	domain := strings.TrimSpace(r.PostFormValue("domain"))
	p := &adminPage{Errors: formErrors{}, Form: "block", Values: map[string]string{"domain": domain}}
	if !s.federating(w, r, v, p) {
		return nil
	}
	if r.PostFormValue("confirm") != "1" {
		impact, err := s.fed.BlockImpact(r.Context(), v.User.Principal(), domain)
		if err != nil {
			return s.adminFailed(w, r, v, p, err)
		}
		p.Block = &blockView{BlockImpact: impact}
		s.renderAdmin(w, r, v, http.StatusOK, p)
		return nil
	}
	d, err := s.fed.Block(r.Context(), v.User.Principal(), domain)
	if err != nil {
		return s.adminFailed(w, r, v, p, err)
	}
	s.setFlash(w, r, "flash.blocked", "Domain", d)
	http.Redirect(w, r, "/admin/blocks", http.StatusSeeOther)
	return nil
}

// adminUnfollow ends one of the node's follows: the followed actor gets an
// Undo, and what came only through it is forgotten.
func (s *Server) adminUnfollow(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	p := &adminPage{Errors: formErrors{}, Form: "follow"}
	if !s.federating(w, r, v, p) {
		return nil
	}
	id, err := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	if err != nil {
		return directory.NotFoundf("no follow has the id %q", mux.Vars(r)["id"])
	}
	if err := s.fed.Unfollow(r.Context(), v.User.Principal(), id); err != nil {
		return s.adminFailed(w, r, v, p, err)
	}
	s.setFlash(w, r, "flash.unfollowed")
	http.Redirect(w, r, "/admin/follows", http.StatusSeeOther)
	return nil
}

func (s *Server) adminUnblock(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil || s.fed == nil {
		return nil
	}
	domain := r.PostFormValue("domain")
	if err := s.fed.Unblock(r.Context(), v.User.Principal(), domain); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.unblocked", "Domain", domain)
	http.Redirect(w, r, "/admin/blocks", http.StatusSeeOther)
	return nil
}

// adminRemoveSearch removes a search actor: its handle answers 410 after.
func (s *Server) adminRemoveSearch(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil || s.fed == nil {
		return nil
	}
	if err := s.fed.RemoveSearchActor(r.Context(), v.User.Principal(), r.PostFormValue("handle")); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.search_removed")
	http.Redirect(w, r, "/admin/searches", http.StatusSeeOther)
	return nil
}

// adminDeleteCoop removes a local co-op for good once its handle is typed
// again as confirmation: its actor answers 410 and followers get a Delete.
func (s *Server) adminDeleteCoop(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	handle, err := pathVar(r, "handle")
	if err != nil {
		return err
	}
	l := s.locales.forRequest(r)
	if r.PostFormValue("confirm") != handle {
		p := &adminPage{Errors: formErrors{"": l.T("admin.delete_confirm_error", "Handle", handle)}, Form: "coop", Part: "coops"}
		s.renderAdmin(w, r, v, http.StatusBadRequest, p)
		return nil
	}
	if err := s.svc.DeleteCoop(r.Context(), v.User.Principal(), handle); err != nil {
		return err
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Part: "coops", Notice: l.T("admin.deleted", "Handle", handle)})
	return nil
}

// adminSuspend suspends or reinstates a local co-op.
func (s *Server) adminSuspend(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	handle, err := pathVar(r, "handle")
	if err != nil {
		return err
	}
	suspend := r.PostFormValue("suspended") == "1"
	c, err := s.svc.SetSuspended(r.Context(), v.User.Principal(), handle, suspend)
	if err != nil {
		return err
	}
	l := s.locales.forRequest(r)
	notice := l.T("admin.reinstated", "Name", c.Name)
	if suspend {
		notice = l.T("admin.suspended", "Name", c.Name)
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Part: "coops", Notice: notice})
	return nil
}

// adminRetry puts failed deliveries back in the queue: one, or all.
func (s *Server) adminRetry(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil || s.fed == nil {
		return nil
	}
	var ids []int64
	if id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64); err == nil {
		ids = append(ids, id)
	}
	if _, err := s.fed.RetryDeliveries(r.Context(), v.User.Principal(), ids...); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.deliveries_retried")
	http.Redirect(w, r, "/admin/deliveries", http.StatusSeeOther)
	return nil
}

// adminMember makes a co-op hosted on another node a member of this
// node's federation, or ends its membership.
func (s *Server) adminMember(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	coop := strings.TrimSpace(r.PostFormValue("coop"))
	p := &adminPage{Errors: formErrors{}, Form: "member", Values: map[string]string{"coop": coop}}
	if !s.federating(w, r, v, p) {
		return nil
	}
	var err error
	if r.PostFormValue("remove") != "" {
		err = s.fed.RemoveMember(r.Context(), v.User.Principal(), coop)
	} else {
		_, err = s.fed.AddMember(r.Context(), v.User.Principal(), coop)
	}
	if err != nil {
		return s.adminFailed(w, r, v, p, err)
	}
	if r.PostFormValue("remove") != "" {
		s.setFlash(w, r, "flash.member_removed", "Coop", coop)
	} else {
		s.setFlash(w, r, "flash.member_added", "Coop", coop)
	}
	http.Redirect(w, r, "/admin/coops", http.StatusSeeOther)
	return nil
}

// adminSettings changes the federation's name, summary and languages.
func (s *Server) adminSettings(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	l := s.locales.forRequest(r)
	vals := map[string]string{"name": r.PostFormValue("name"), "summary": r.PostFormValue("summary"), "languages": formList(r, "languages")}
	p := &adminPage{Errors: formErrors{}, Form: "settings", Values: vals}
	_, err := s.svc.UpdateFederation(r.Context(), v.User.Principal(), strings.TrimSpace(vals["name"]), vals["summary"], splitList(vals["languages"]))
	if err != nil {
		return s.adminFailed(w, r, v, p, err)
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Part: "settings", Notice: l.T("admin.settings_saved")})
	return nil
}
