package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

// personView is one account in the console's people list.
type personView struct {
	ID                      int64
	Email, State, LastLogin string
	Admin                   bool
	Coop                    string
	// Self is the admin looking at the list.
	Self bool
	// Errors are this row's form errors.
	Errors formErrors
}

// peopleGroup is the accounts of one co-op, or the node's admins, or
// those of no co-op.
type peopleGroup struct {
	Heading string
	People  []personView
}

// invitationView is a pending invitation on the dashboard.
type invitationView struct {
	ID      int64
	Email   string
	Invited string
}

// peopleGroups groups the accounts for the console: admins first, then
// each local co-op's members, then those of no co-op.
func peopleGroups(l *Locale, users []directory.User, coops []string, self int64, rowID int64, rowErrs formErrors) []peopleGroup {
	admins := peopleGroup{Heading: l.T("admin.people_admins")}
	byCoop := map[string]*peopleGroup{}
	var order []*peopleGroup
	for _, h := range coops {
		g := &peopleGroup{Heading: l.T("account.role_member", "Coop", h)}
		byCoop[h] = g
		order = append(order, g)
	}
	none := peopleGroup{Heading: l.T("admin.people_none")}
	for _, u := range users {
		pv := personView{ID: u.ID, Email: u.Email, State: u.State(), Admin: u.Admin, Coop: u.CoopHandle, Self: u.ID == self,
			Errors: formErrors{}}
		if !u.LastLoginAt.IsZero() {
			pv.LastLogin = l.Date(u.LastLoginAt)
		}
		if u.ID == rowID {
			pv.Errors = rowErrs
		}
		switch g := byCoop[u.CoopHandle]; {
		case u.Admin:
			admins.People = append(admins.People, pv)
		case u.CoopHandle != "" && g != nil:
			g.People = append(g.People, pv)
		default:
			none.People = append(none.People, pv)
		}
	}
	out := []peopleGroup{admins}
	for _, g := range order {
		if len(g.People) > 0 {
			out = append(out, *g)
		}
	}
	if len(none.People) > 0 {
		out = append(out, none)
	}
	return out
}

// personID is the account a console form acts on.
func personID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(muxVar(r, "id"), 10, 64)
	return id
}

// peopleFailed is adminFailed for one row of the people list.
func (s *Server) peopleFailed(w http.ResponseWriter, r *http.Request, v *viewer, id int64, err error) error {
	return s.formFailed(r, err, func(errs formErrors) {
		s.renderAdmin(w, r, v, http.StatusBadRequest, &adminPage{Errors: formErrors{}, PersonID: id, PersonErrors: errs})
	})
}

// adminSetRole makes an account a node admin or a member of a co-op.
func (s *Server) adminSetRole(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	id := personID(r)
	u, err := s.svc.SetRole(r.Context(), v.User.Principal(), id, r.PostFormValue("role"), strings.TrimSpace(r.PostFormValue("coop")))
	if err != nil {
		return s.peopleFailed(w, r, v, id, err)
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Part: "people", Notice: s.locales.forRequest(r).T("admin.role_changed", "Email", u.Email)})
	return nil
}

// adminDisable disables an account (disabled=1) or enables it again.
func (s *Server) adminDisable(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	id, disable := personID(r), r.PostFormValue("disabled") == "1"
	u, err := s.svc.SetDisabled(r.Context(), v.User.Principal(), id, disable)
	if err != nil {
		return s.peopleFailed(w, r, v, id, err)
	}
	l := s.locales.forRequest(r)
	notice := l.T("admin.enabled", "Email", u.Email)
	if disable {
		notice = l.T("admin.disabled", "Email", u.Email)
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Part: "people", Notice: notice})
	return nil
}

// adminPersonLink makes a new invitation or password reset link and shows
// it once, for the admin to pass on.
func (s *Server) adminPersonLink(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	id := personID(r)
	u, raw, err := s.svc.PasswordLink(r.Context(), v.User.Principal(), id)
	if err != nil {
		return s.peopleFailed(w, r, v, id, err)
	}
	l := s.locales.forRequest(r)
	notice := l.T("admin.reset_ready", "Email", u.Email)
	if u.State() == directory.StateInvited {
		notice = l.T("admin.reinvite_ready", "Email", u.Email)
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Part: "people", Notice: notice,
		InviteLink: s.svc.Links().Base() + "/password?token=" + raw})
	return nil
}

// adminRevokeInvitation withdraws a pending invitation.
func (s *Server) adminRevokeInvitation(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	id := personID(r)
	u, err := s.svc.RevokeInvitation(r.Context(), v.User.Principal(), id)
	if err != nil {
		return s.peopleFailed(w, r, v, id, err)
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Part: "people", Notice: s.locales.forRequest(r).T("admin.invitation_revoked", "Email", u.Email)})
	return nil
}

// adminDeletePerson deletes an account once its e-mail is typed again as
// confirmation.
func (s *Server) adminDeletePerson(w http.ResponseWriter, r *http.Request) error {
	v := s.requireAdminUser(w, r)
	if v == nil {
		return nil
	}
	id := personID(r)
	l := s.locales.forRequest(r)
	u, err := s.svc.FindUserByID(r.Context(), v.User.Principal(), id)
	if err != nil {
		return s.peopleFailed(w, r, v, id, err)
	}
	if !strings.EqualFold(strings.TrimSpace(r.PostFormValue("confirm")), u.Email) {
		s.renderAdmin(w, r, v, http.StatusBadRequest, &adminPage{Errors: formErrors{}, PersonID: id,
			PersonErrors: formErrors{"confirm": l.T("admin.person_delete_confirm_error", "Email", u.Email)}})
		return nil
	}
	if err := s.svc.DeleteUser(r.Context(), v.User.Principal(), id); err != nil {
		return s.peopleFailed(w, r, v, id, err)
	}
	s.renderAdmin(w, r, v, http.StatusOK, &adminPage{Errors: formErrors{}, Part: "people", Notice: l.T("admin.person_deleted", "Email", u.Email)})
	return nil
}

// revokeColleagueInvitation withdraws one of the co-op's pending
// invitations from the dashboard.
func (s *Server) revokeColleagueInvitation(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	id := personID(r)
	invited, err := s.svc.PendingInvitations(r.Context(), v.User.Principal(), c.Handle)
	if err != nil {
		return err
	}
	found := false
	for _, u := range invited {
		found = found || u.ID == id
	}
	if !found {
		return directory.NotFoundf("no pending invitation %d to this co-op", id)
	}
	u, err := s.svc.RevokeInvitation(r.Context(), v.User.Principal(), id)
	if err != nil {
		return s.dashboardFailed(w, r, v, c, &dashboardPage{Errors: formErrors{}, Form: "invite"}, err)
	}
	s.renderDashboard(w, r, v, c, http.StatusOK, &dashboardPage{Errors: formErrors{},
		Notice: s.locales.forRequest(r).T("admin.invitation_revoked", "Email", u.Email)})
	return nil
}

// leaveCoop takes the signed-in member out of their co-op; the account
// stays, on the account page.
func (s *Server) leaveCoop(w http.ResponseWriter, r *http.Request) error {
	v := s.requireUser(w, r)
	if v == nil {
		return nil
	}
	l := s.locales.forRequest(r)
	handle := v.CoopHandle
	if _, err := s.svc.LeaveCoop(r.Context(), v.User.Principal()); err != nil {
		if v.User.Admin || v.CoopHandle == "" {
			return err
		}
		c, cerr := s.svc.Coop(r.Context(), handle)
		if cerr != nil {
			return err
		}
		return s.dashboardFailed(w, r, v, c, &dashboardPage{Errors: formErrors{}, Form: "leave"}, err)
	}
	s.renderAccount(w, r, http.StatusOK, formErrors{}, l.T("dashboard.left", "Coop", handle))
	return nil
}
