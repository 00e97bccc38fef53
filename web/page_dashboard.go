package web

import (
	"cmp"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// dashboardPage is a co-op's own page for its members: its profile, its
// openings, and colleagues to invite.
type dashboardPage struct {
	pageBase
	Coop    *directory.Coop
	Jobs    []jobView
	Profile map[string]string
	Job     map[string]string
	Errors  formErrors
	// Form names the form the errors belong to.
	Form   string
	Notice string
	// InviteLink is shown once after an invitation.
	InviteLink string
	// The errors of each form, empty for the forms not sent.
	ProfileErrors, JobErrors, InviteErrors formErrors
	// EditKey is the id of the opening the job form edits; empty for a
	// new one.
	EditKey string
	// LogoURL shows the current logo; empty when there is none.
	LogoURL    string
	LogoErrors formErrors
	// Following is what the co-op follows; Feed what followed co-ops
	// known here publish.
	Following    []followView
	Feed         []jobView
	FollowErrors formErrors
	// Preview is the profile as the public page would show it, before it
	// is saved.
	Preview *coopView
	// Drafts are the co-op's unpublished openings; DraftID the one the
	// job form continues.
	Drafts  []draftView
	DraftID int64
	// Questions are the replies to the co-op's openings; AnswerFor the
	// one whose answer form the errors (AnswerErrors) and AnswerText
	// belong to. Posts are what the accounts the co-op follows posted.
	Questions    []questionView
	AnswerFor    int64
	AnswerText   string
	AnswerErrors formErrors
	Posts        []postView
	// Invitations are the co-op's pending invitations. CanLeave is
	// whether the viewer is a member who may leave the co-op;
	// LeaveErrors says why they could not.
	Invitations []invitationView
	CanLeave    bool
	LeaveErrors formErrors

	// SearchFollowers counts, by job id, the people following searches
	// that find it.
	SearchFollowers map[string]int
	// Part is the section shown and Nav the sections' navigation.
	Part string
	Nav  []sectionLink
	// Closed are the co-op's closed openings, which can be opened again;
	// Closing is the opening whose closing asks to be confirmed.
	Closed  []draftView
	Closing *jobView
	// Typed is what was typed in the small forms (follow, invite) sent
	// with a mistake.
	Typed map[string]string
}

type draftView struct {
	ID           int64
	Title, Saved string
}

// dashboardFailed is formFailed for the dashboard's forms.
func (s *Server) dashboardFailed(w http.ResponseWriter, r *http.Request, v *viewer, c *directory.Coop, p *dashboardPage, err error) error {
	return s.formFailed(r, err, func(errs formErrors) {
		maps.Copy(p.Errors, errs)
		s.renderDashboard(w, r, v, c, http.StatusBadRequest, p)
	})
}

// followView is one account a co-op follows.
type followView struct {
	ID           int64
	Target, Href string
	Name         string
	// Handle is the account's @user@host, when known.
	Handle string
	State  string
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// dashboardCoop is the co-op a dashboard request is about: the member's
// own, or for the admin the one named in ?coop=.
func (s *Server) dashboardCoop(w http.ResponseWriter, r *http.Request) (*viewer, *directory.Coop) {
	v := s.requireUser(w, r)
	if v == nil {
		return nil, nil
	}
	handle := v.CoopHandle
	if v.User.Admin {
		if h := r.FormValue("coop"); h != "" {
			handle = h
		}
	}
	if handle == "" {
		http.Redirect(w, r, homeOf(v.User), http.StatusSeeOther)
		return nil, nil
	}
	c, err := s.svc.Coop(r.Context(), handle)
	if err != nil {
		s.pageError(w, r, err)
		return nil, nil
	}
	return v, c
}

// dashboard shows a section of the dashboard; /dashboard the first.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	s.renderDashboard(w, r, v, c, http.StatusOK, &dashboardPage{Errors: formErrors{}, Part: cmp.Or(muxVar(r, "section"), dashboardSections[0])})
	return nil
}

// dashboardFormSections are the sections of the dashboard's forms.
var dashboardFormSections = map[string]string{"profile": "profile", "logo": "profile", "job": "openings", "invite": "colleagues",
	"leave": "colleagues", "follow": "follows", "answer": "questions"}

// dashboardSection is the URL of a section of the co-op's dashboard, for
// the viewer.
func dashboardSection(v *viewer, c *directory.Coop, part string) string {
	if q := dashboardQuery(v, c); q != "" {
		return "/dashboard/" + part + "?" + q
	}
	return "/dashboard/" + part
}

// dashboardQuery names the co-op in the dashboard's links when the
// viewer is the admin looking at a co-op not their own.
func dashboardQuery(v *viewer, c *directory.Coop) string {
	if v.User.Admin && v.CoopHandle != c.Handle {
		return "coop=" + url.QueryEscape(c.Handle)
	}
	return ""
}

func (s *Server) renderDashboard(w http.ResponseWriter, r *http.Request, v *viewer, c *directory.Coop, status int, p *dashboardPage) {
	b, err := s.newBase(r, "dashboard", c.Name)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if p.Part == "" {
		p.Part = cmp.Or(dashboardFormSections[p.Form], dashboardSections[0])
		if p.DraftID != 0 || p.EditKey != "" {
			p.Part = "openings"
		}
	}
	b.Title = c.Name + " · " + b.L.T("dashboard.section."+p.Part)
	p.pageBase, p.Coop = b, c
	p.Nav = sectionNav(b.L, "/dashboard", "dashboard.section.", dashboardSections, p.Part, dashboardQuery(v, c))
	p.ProfileErrors, p.JobErrors, p.InviteErrors, p.LogoErrors = formErrors{}, formErrors{}, formErrors{}, formErrors{}
	if p.Form == "logo" {
		p.LogoErrors = p.Errors
	}
	if l, err := s.svc.CoopLogo(r.Context(), c); err == nil {
		p.LogoURL = directory.LogoPath(c.Handle, l.UpdatedAt)
	}
	if p.Part == "openings" {
		drafts, err := s.svc.Drafts(r.Context(), v.User.Principal(), c.Handle)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		for _, d := range drafts {
			p.Drafts = append(p.Drafts, draftView{ID: d.ID, Title: d.Title, Saved: b.L.Date(d.UpdatedAt)})
		}
		closed, err := s.svc.ClosedJobs(r.Context(), v.User.Principal(), c.Handle)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		for _, d := range closed {
			p.Closed = append(p.Closed, draftView{ID: d.ID, Title: d.Title, Saved: b.L.Date(d.UpdatedAt)})
		}
	}
	if p.DraftID != 0 {
		p.Form = "job"
		p.JobErrors = p.Errors
	}
	p.FollowErrors = formErrors{}
	if p.Form == "follow" {
		p.FollowErrors = p.Errors
	}
	if s.fed != nil && p.Part == "follows" {
		follows, err := s.fed.CoopFollows(r.Context(), c)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		var accepted []string
		for _, fl := range follows {
			fv := followView{ID: fl.ID, Target: fl.Target, Href: fl.Target, Name: fl.Target, State: fl.State}
			if known, err := s.svc.CoopByAPID(r.Context(), fl.Target); err == nil {
				fv.Name, fv.Href = known.Name, coopHref(known.Handle, known.Host, known.Local)
				fv.Handle = "@" + known.Handle + "@" + known.Host
			} else if name, handle, profile, ok := s.fed.Account(r.Context(), fl.Target); ok {
				fv.Name, fv.Handle, fv.Href = name, handle, profile
			}
			if fl.State == directory.FollowAccepted {
				accepted = append(accepted, fl.Target)
			}
			p.Following = append(p.Following, fv)
		}
		if len(accepted) > 0 {
			feed, err := s.svc.SearchJobs(r.Context(), directory.JobQuery{Coops: accepted, Limit: 20})
			if err != nil {
				s.pageError(w, r, err)
				return
			}
			for i := range feed.Items {
				p.Feed = append(p.Feed, b.L.jobView(&feed.Items[i]))
			}
		}
	}
	p.AnswerErrors = formErrors{}
	if p.Form == "answer" {
		p.AnswerErrors = p.Errors
	}
	if s.fed != nil && (p.Part == "questions" || p.Part == "follows") {
		if err := s.loadConversation(r, v, c, p); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	if p.EditKey != "" {
		p.Form = "job"
		p.JobErrors = p.Errors
	}
	p.LeaveErrors = formErrors{}
	p.CanLeave = !v.User.Admin && v.User.CoopID == c.ID
	invited, err := s.svc.PendingInvitations(r.Context(), v.User.Principal(), c.Handle)
	if err != nil && directory.KindOf(err) != directory.KindNotFound {
		s.pageError(w, r, err)
		return
	}
	for _, u := range invited {
		p.Invitations = append(p.Invitations, invitationView{ID: u.ID, Email: u.Email, Invited: b.L.Date(u.CreatedAt)})
	}
	switch p.Form {
	case "leave":
		p.LeaveErrors = p.Errors
	case "profile":
		p.ProfileErrors = p.Errors
	case "job":
		p.JobErrors = p.Errors
	case "invite":
		p.InviteErrors = p.Errors
	}
	if p.Part == "openings" {
		res, err := s.svc.SearchJobs(r.Context(), directory.JobQuery{Coops: []string{c.APID}, Limit: directory.MaxLimit})
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		for i := range res.Items {
			p.Jobs = append(p.Jobs, b.L.jobView(&res.Items[i]))
		}
		if s.fed != nil {
			if p.SearchFollowers, err = s.fed.SearchFollowersOf(r.Context(), res.Items); err != nil {
				s.pageError(w, r, err)
				return
			}
		}
	}
	if p.Profile == nil {
		p.Profile = map[string]string{"name": c.Name, "summary": c.Summary, "country": c.Country, "city": c.City,
			"workers": strconv.Itoa(c.Workers), "website": c.Website, "email": c.Email,
			"skills": strings.Join(c.Skills, ", "), "languages": strings.Join(c.Languages, ", "), "governance": c.Governance}
		if c.Founded != 0 {
			p.Profile["founded"] = strconv.Itoa(c.Founded)
		}
	}
	if p.Job == nil {
		p.Job = map[string]string{"remote": directory.RemoteFull, "employment_type": directory.FullTime, "country": c.Country,
			"salary_period": directory.PerMonth, "languages": strings.Join(c.Languages, ", "), "apply_email": c.Email}
	}
	s.render(w, r, status, "dashboard", p)
}

func formInt(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	f := map[string]string{}
	for _, k := range []string{"name", "summary", "country", "city", "workers", "website", "email", "skills", "languages", "founded", "governance"} {
		f[k] = r.PostFormValue(k)
	}
	f["languages"] = formList(r, "languages")
	workers, founded := formInt(f["workers"]), formInt(f["founded"])
	skills, langs := splitList(f["skills"]), splitList(f["languages"])
	draft := *c
	draft.Name, draft.Summary, draft.Country, draft.City = f["name"], f["summary"], strings.ToUpper(f["country"]), f["city"]
	draft.Workers, draft.Website, draft.Email, draft.Skills, draft.Languages = workers, f["website"], f["email"], skills, langs
	draft.Founded, draft.Governance = founded, f["governance"]
	if r.PostFormValue("preview") != "" {
		p := &dashboardPage{Errors: formErrors{}, Form: "profile", Profile: f}
		status := http.StatusOK
		if s.coopProblems(r, &draft, p.Errors) {
			status = http.StatusBadRequest
		} else {
			l := s.locales.forRequest(r)
			p.Preview = &coopView{Coop: &draft, Handle: "@" + draft.Acct(), Place: l.place(draft.City, draft.Country), About: s.aboutHTML(draft.Summary)}
		}
		s.renderDashboard(w, r, v, c, status, p)
		return nil
	}
	patch := directory.CoopPatch{Name: ptr(f["name"]), Summary: ptr(f["summary"]), Country: ptr(strings.ToUpper(f["country"])),
		City: ptr(f["city"]), Workers: &workers, Website: ptr(f["website"]), Email: ptr(f["email"]), Skills: &skills, Languages: &langs,
		Founded: &founded, Governance: ptr(f["governance"])}
	updated, err := s.svc.UpdateCoop(r.Context(), v.User.Principal(), c.Handle, patch)
	p := &dashboardPage{Errors: formErrors{}, Form: "profile"}
	if err != nil {
		if directory.KindOf(err) == directory.KindInvalid {
			s.coopProblems(r, &draft, p.Errors)
		}
		p.Profile = f
		return s.dashboardFailed(w, r, v, c, p, err)
	}
	p.Notice = s.locales.forRequest(r).T("dashboard.profile_saved")
	s.renderDashboard(w, r, v, updated, http.StatusOK, p)
	return nil
}

func ptr(s string) *string { return &s }

// jobFields are the job form's fields.
var jobFields = []string{"title", "description", "skills", "remote", "country", "city", "employment_type", "salary_min",
	"salary_max", "salary_currency", "salary_period", "languages", "apply_url", "apply_email", "valid_through",
	"eligible", "hours_zone", "hours_start", "hours_end", "hours_per_week", "seniority", "decisions",
	"membership", "trial_months", "capital_amount", "capital_currency", "pay_policy", "pay_ratio"}

// jobFromForm reads the job form; a bad date is reported by field.
func (s *Server) jobFromForm(r *http.Request) (directory.Job, map[string]string, formErrors) {
	f := map[string]string{}
	for _, k := range jobFields {
		f[k] = r.PostFormValue(k)
	}
	f["languages"], f["eligible"] = formList(r, "languages"), formList(r, "eligible")
	j, errs := s.jobFromValues(r, f)
	return j, f, errs
}

// jobFromValues reads the job form's fields f, as sent or as kept.
func (s *Server) jobFromValues(r *http.Request, f map[string]string) (directory.Job, formErrors) {
	j := directory.Job{Title: f["title"], Description: f["description"], Skills: splitList(f["skills"]), Remote: f["remote"],
		Country: strings.ToUpper(strings.TrimSpace(f["country"])), City: f["city"], EmploymentType: f["employment_type"],
		Languages: splitList(f["languages"]), ApplyURL: strings.TrimSpace(f["apply_url"]), ApplyEmail: strings.TrimSpace(f["apply_email"])}
	if min := formInt(f["salary_min"]); min > 0 || strings.TrimSpace(f["salary_currency"]) != "" {
		j.Salary = &directory.Salary{Min: int64(min), Max: int64(formInt(f["salary_max"])),
			Currency: strings.ToUpper(strings.TrimSpace(f["salary_currency"])), Period: f["salary_period"]}
		if j.Salary.Max == 0 {
			j.Salary.Max = j.Salary.Min
		}
	}
	errs := formErrors{}
	if err := factsFromForm(f, &j); err != nil {
		errs.addIn(s.locales.forRequest(r), err)
	}
	if d := strings.TrimSpace(f["valid_through"]); d != "" {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			errs["valid_through"] = s.locales.forRequest(r).T("dashboard.error.date")
		} else {
			j.ValidThrough = t.Add(24*time.Hour - time.Second)
		}
	}
	return j, errs
}

// jobForm fills the job form from a stored job, to edit or duplicate it.
func jobForm(j *directory.Job) map[string]string {
	f := map[string]string{"title": j.Title, "description": j.Description, "skills": strings.Join(j.Skills, ", "),
		"remote": j.Remote, "country": j.Country, "city": j.City, "employment_type": j.EmploymentType,
		"languages": strings.Join(j.Languages, ", "), "apply_url": j.ApplyURL, "apply_email": j.ApplyEmail,
		"salary_period": directory.PerMonth}
	if sal := j.Salary; sal != nil {
		f["salary_min"], f["salary_max"] = strconv.FormatInt(sal.Min, 10), strconv.FormatInt(sal.Max, 10)
		f["salary_currency"], f["salary_period"] = sal.Currency, sal.Period
	}
	if !j.ValidThrough.IsZero() {
		f["valid_through"] = j.ValidThrough.Format("2006-01-02")
	}
	factsForm(j, f)
	return f
}

func (s *Server) publishJob(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	return s.publishOrDraft(w, r, v, c, 0)
}

// publishOrDraft publishes the job form, or with the draft button saves it
// as draft id (0 for a new draft). A published draft is deleted.
func (s *Server) publishOrDraft(w http.ResponseWriter, r *http.Request, v *viewer, c *directory.Coop, draftID int64) error {
	j, f, errs := s.jobFromForm(r)
	if r.PostFormValue("draft") != "" {
		if _, err := s.svc.SaveDraft(r.Context(), v.User.Principal(), c.Handle, draftID, f); err != nil {
			return s.dashboardFailed(w, r, v, c, &dashboardPage{Errors: formErrors{}, Form: "job", Job: f, DraftID: draftID}, err)
		}
		s.setFlash(w, r, "flash.draft_saved")
		http.Redirect(w, r, dashboardSection(v, c, "openings")+"#drafts", http.StatusSeeOther)
		return nil
	}
	p := &dashboardPage{Errors: errs, Form: "job", Job: f, DraftID: draftID}
	if len(errs) > 0 {
		s.jobProblems(r, j, errs)
		s.renderDashboard(w, r, v, c, http.StatusBadRequest, p)
		return nil
	}
	if _, err := s.svc.CreateJob(r.Context(), v.User.Principal(), c.Handle, j); err != nil {
		s.moreJobProblems(r, j, p.Errors, err)
		return s.dashboardFailed(w, r, v, c, p, err)
	}
	if draftID != 0 {
		if err := s.svc.DeleteDraft(r.Context(), v.User.Principal(), c.Handle, draftID); err != nil && directory.KindOf(err) != directory.KindNotFound {
			return err
		}
	}
	s.setFlash(w, r, "flash.job_published", "Title", j.Title)
	http.Redirect(w, r, dashboardSection(v, c, "openings")+"#jobs", http.StatusSeeOther)
	return nil
}

// draftForm continues a draft in the job form.
func (s *Server) draftForm(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	id, _ := strconv.ParseInt(muxVar(r, "id"), 10, 64)
	d, err := s.svc.Draft(r.Context(), v.User.Principal(), c.Handle, id)
	if err != nil {
		return err
	}
	s.renderDashboard(w, r, v, c, http.StatusOK, &dashboardPage{Errors: formErrors{}, Job: d.Fields, DraftID: d.ID})
	return nil
}

// saveDraftForm saves a draft again, or publishes it.
func (s *Server) saveDraftForm(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	id, _ := strconv.ParseInt(muxVar(r, "id"), 10, 64)
	if _, err := s.svc.Draft(r.Context(), v.User.Principal(), c.Handle, id); err != nil {
		return err
	}
	return s.publishOrDraft(w, r, v, c, id)
}

func (s *Server) deleteDraftForm(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	id, _ := strconv.ParseInt(muxVar(r, "id"), 10, 64)
	if err := s.svc.DeleteDraft(r.Context(), v.User.Principal(), c.Handle, id); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.draft_deleted")
	http.Redirect(w, r, dashboardSection(v, c, "openings")+"#drafts", http.StatusSeeOther)
	return nil
}

// editJobForm shows the job form filled with an opening, to change it or,
// with ?copy=1, to publish a copy.
func (s *Server) editJobForm(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	key, err := pathVar(r, "key")
	if err != nil {
		return err
	}
	j, err := s.svc.Job(r.Context(), key)
	if err != nil {
		return err
	}
	if j.Coop.ID != c.ID || !j.Local {
		return directory.Forbiddenf("this opening is not your co-op's")
	}
	p := &dashboardPage{Errors: formErrors{}, Job: jobForm(j)}
	if r.URL.Query().Get("copy") == "" {
		p.EditKey = j.APID
	}
	s.renderDashboard(w, r, v, c, http.StatusOK, p)
	return nil
}

// saveJob saves an edited opening; followers get an Update.
func (s *Server) saveJob(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	key, err := pathVar(r, "key")
	if err != nil {
		return err
	}
	j, f, errs := s.jobFromForm(r)
	p := &dashboardPage{Errors: errs, Form: "job", Job: f, EditKey: key}
	if len(errs) > 0 {
		s.jobProblems(r, j, errs)
		s.renderDashboard(w, r, v, c, http.StatusBadRequest, p)
		return nil
	}
	patch := directory.JobPatch{Title: &j.Title, Description: &j.Description, Remote: &j.Remote, Country: &j.Country,
		City: &j.City, EmploymentType: &j.EmploymentType, Skills: &j.Skills, Languages: &j.Languages,
		SetSalary: true, Salary: j.Salary, ApplyURL: &j.ApplyURL, ApplyEmail: &j.ApplyEmail,
		Eligible: &j.Eligible, SetHours: true, Hours: j.Hours, HoursPerWeek: &j.HoursPerWeek, Seniority: &j.Seniority,
		Decisions: &j.Decisions, SetMembership: true, Membership: j.Membership, SetPayPolicy: true, PayPolicy: j.PayPolicy}
	if !j.ValidThrough.IsZero() {
		patch.ValidThrough = &j.ValidThrough
	}
	_, err = s.svc.UpdateJob(r.Context(), v.User.Principal(), key, patch)
	if err != nil {
		s.moreJobProblems(r, j, p.Errors, err)
		return s.dashboardFailed(w, r, v, c, p, err)
	}
	s.setFlash(w, r, "flash.job_saved", "Title", j.Title)
	http.Redirect(w, r, dashboardSection(v, c, "openings")+"#jobs", http.StatusSeeOther)
	return nil
}

// closingJob is the co-op's local job a close or reopen form names.
func (s *Server) closingJob(r *http.Request, c *directory.Coop) (*directory.Job, error) {
	key, err := pathVar(r, "key")
	if err != nil {
		return nil, err
	}
	j, err := s.svc.Job(r.Context(), key)
	if err != nil {
		return nil, err
	}
	if j.Coop.ID != c.ID || !j.Local {
		return nil, directory.Forbiddenf("this opening is not your co-op's")
	}
	return j, nil
}

// closeJob takes an opening down in two steps: without confirm=1 it asks
// to confirm (no script needed); with it, the opening leaves search
// everywhere (a Delete goes to followers), its page says it is closed,
// and the dashboard keeps it under "Closed", to open again.
func (s *Server) closeJob(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	j, err := s.closingJob(r, c)
	if err != nil {
		return err
	}
	if r.Method != http.MethodPost || r.PostFormValue("confirm") != "1" {
		l := s.locales.forRequest(r)
		jv := l.jobView(j)
		s.renderDashboard(w, r, v, c, http.StatusOK, &dashboardPage{Errors: formErrors{}, Part: "openings", Closing: &jv})
		return nil
	}
	if _, err := s.svc.CloseJob(r.Context(), v.User.Principal(), j.APID, jobForm(j)); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.job_closed")
	http.Redirect(w, r, dashboardSection(v, c, "openings")+"#closed", http.StatusSeeOther)
	return nil
}

// reopenJob publishes a closed opening again, as a new job with a new id:
// the old id answers 410 and the fediverse has deleted its Note, so
// followers get a Create. A closed opening that no longer passes the
// checks (its closing date past, say) opens in the job form to be fixed.
func (s *Server) reopenJob(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	id, _ := strconv.ParseInt(muxVar(r, "id"), 10, 64)
	d, err := s.svc.Draft(r.Context(), v.User.Principal(), c.Handle, id)
	if err != nil {
		return err
	}
	if d.ClosedFrom == "" {
		return directory.NotFoundf("no closed opening %d", id)
	}
	f := map[string]string{}
	for _, k := range jobFields {
		f[k] = d.Fields[k]
	}
	j, errs := s.jobFromValues(r, f)
	p := &dashboardPage{Errors: errs, Form: "job", Job: f, DraftID: d.ID}
	if len(errs) > 0 {
		s.renderDashboard(w, r, v, c, http.StatusBadRequest, p)
		return nil
	}
	if _, err := s.svc.CreateJob(r.Context(), v.User.Principal(), c.Handle, j); err != nil {
		return s.dashboardFailed(w, r, v, c, p, err)
	}
	if err := s.svc.DeleteDraft(r.Context(), v.User.Principal(), c.Handle, d.ID); err != nil && directory.KindOf(err) != directory.KindNotFound {
		return err
	}
	s.setFlash(w, r, "flash.job_reopened", "Title", j.Title)
	http.Redirect(w, r, dashboardSection(v, c, "openings")+"#jobs", http.StatusSeeOther)
	return nil
}

func (s *Server) inviteColleague(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	p := &dashboardPage{Errors: formErrors{}, Form: "invite", Typed: map[string]string{"email": r.PostFormValue("email")}}
	raw, err := s.svc.InviteColleague(r.Context(), v.User.Principal(), r.PostFormValue("email"), c.Handle)
	if err != nil {
		return s.dashboardFailed(w, r, v, c, p, err)
	}
	p.InviteLink, p.Typed = s.svc.Links().Base()+"/password?token="+raw, nil
	s.renderDashboard(w, r, v, c, http.StatusOK, p)
	return nil
}

// followFromCoop makes the co-op follow an account by handle.
func (s *Server) followFromCoop(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	target := strings.TrimSpace(r.PostFormValue("target"))
	p := &dashboardPage{Errors: formErrors{}, Form: "follow", Typed: map[string]string{"target": target}}
	if s.fed == nil {
		return directory.NotFoundf("this node does not federate")
	}
	if _, err := s.fed.CoopFollow(r.Context(), v.User.Principal(), c.Handle, target); err != nil {
		return s.dashboardFailed(w, r, v, c, p, err)
	}
	s.setFlash(w, r, "flash.coop_followed", "Target", target)
	http.Redirect(w, r, dashboardSection(v, c, "follows"), http.StatusSeeOther)
	return nil
}

// unfollowFromCoop ends one of the co-op's follows.
func (s *Server) unfollowFromCoop(w http.ResponseWriter, r *http.Request) error {
	v, c := s.dashboardCoop(w, r)
	if c == nil {
		return nil
	}
	id, _ := strconv.ParseInt(muxVar(r, "id"), 10, 64)
	if s.fed == nil {
		return directory.NotFoundf("this node does not federate")
	}
	if err := s.fed.CoopUnfollow(r.Context(), v.User.Principal(), c.Handle, id); err != nil {
		return err
	}
	s.setFlash(w, r, "flash.coop_unfollowed")
	http.Redirect(w, r, dashboardSection(v, c, "follows"), http.StatusSeeOther)
	return nil
}
