package web

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/colmena-coop/colmena/directory"
)

// formField ties an error's field, as the domain names it, to the form
// control that holds it: its element id (the summary links to it) and the
// message id of its label (the summary names the field by it).
type formField struct {
	Key, ID, Label string
}

// formFields are the fields of every form that reports errors, in the
// order the form shows them, by form (page "/" form). A key "" is the form
// as a whole: its ID is where its summary line links to. Read only.
var formFields = map[string][]formField{
	"dashboard/job": {
		{"", "job-form", ""},
		{"title", "job-title", "dashboard.job.title"},
		{"description", "job-description", "job.description"},
		{"skills", "job-skills", "job.skills"},
		{"remote", "job-remote", "job.remote"},
		{"country", "job-country", "filter.country"},
		{"city", "job-city", "dashboard.city"},
		{"employment_type", "job-type", "job.type"},
		{"salary.min", "job-salary-min", "dashboard.salary_min"},
		{"salary.max", "job-salary-max", "dashboard.salary_max"},
		{"salary.currency", "job-salary-currency", "filter.currency"},
		{"salary.period", "job-salary-period", "dashboard.period"},
		{"salary", "job-salary-min", "job.salary"},
		{"eligible", "job-eligible", "dashboard.eligible"},
		{"hours.zone", "job-hours-zone", "dashboard.hours_zone"},
		{"hours.start", "job-hours-start", "dashboard.hours_start"},
		{"hours.end", "job-hours-end", "dashboard.hours_end"},
		{"hours", "job-hours-zone", "dashboard.hours_zone"},
		{"hours_per_week", "job-hours-per-week", "job.hours_per_week"},
		{"seniority", "job-seniority", "job.seniority"},
		{"membership.trial_months", "job-trial-months", "dashboard.trial_months"},
		{"membership.capital_contribution.amount", "job-capital-amount", "dashboard.capital_amount"},
		{"membership.capital_contribution.currency", "job-capital-currency", "dashboard.capital_currency"},
		{"membership.capital_contribution", "job-capital-amount", "dashboard.capital_amount"},
		{"membership", "job-membership", "job.membership"},
		{"pay_policy.kind", "job-pay-policy", "job.pay_policy"},
		{"pay_policy.ratio", "job-pay-ratio", "dashboard.pay_ratio"},
		{"pay_policy", "job-pay-policy", "job.pay_policy"},
		{"decisions", "job-decisions", "job.decisions"},
		{"languages", "job-languages", "job.languages"},
		{"apply_url", "job-apply-url", "dashboard.apply_url"},
		{"apply_email", "job-apply-email", "dashboard.apply_email"},
		{"valid_through", "job-valid-through", "job.valid_through"},
	},
	"dashboard/profile": {
		{"", "profile-form", ""},
		{"name", "p-name", "dashboard.name"},
		{"summary", "p-summary", "dashboard.summary"},
		{"country", "p-country", "filter.country"},
		{"city", "p-city", "dashboard.city"},
		{"workers", "p-workers", "coop.workers"},
		{"founded", "p-founded", "coop.founded"},
		{"governance", "p-governance", "coop.governance"},
		{"website", "p-website", "coop.website"},
		{"email", "p-email", "dashboard.contact_email"},
		{"skills", "p-skills", "coop.skills"},
		{"languages", "p-languages", "coop.languages"},
	},
	"dashboard/logo":   {{"", "logo", ""}, {"logo", "logo", "dashboard.logo_file"}},
	"dashboard/invite": {{"", "invite-email", ""}, {"email", "invite-email", "login.email"}},
	"dashboard/follow": {{"", "follow-target", ""}, {"target", "follow-target", "dashboard.follow_target"}},
	"dashboard/answer": {{"", "answer-", ""}, {"text", "answer-", "dashboard.answer"}},
	"admin/coop": {
		{"", "c-handle", ""},
		{"handle", "c-handle", "admin.handle"},
		{"name", "c-name", "dashboard.name"},
		{"country", "c-country", "filter.country"},
		{"workers", "c-workers", "coop.workers"},
	},
	"admin/invite": {{"", "i-email", ""}, {"email", "i-email", "login.email"}, {"coop", "i-coop", "admin.invite_coop"}},
	"admin/follow": {{"", "f-target", ""}, {"target", "f-target", "admin.follow_target"}},
	"admin/block":  {{"", "b-domain", ""}, {"domain", "b-domain", "admin.block_domain"}},
	"admin/member": {{"", "m-coop", ""}, {"coop", "m-coop", "admin.member_coop"}},
	"admin/settings": {
		{"", "s-name", ""},
		{"name", "s-name", "dashboard.name"},
		{"summary", "s-summary", "admin.settings_summary"},
		{"languages", "s-languages", "coop.languages"},
	},
	"admin/rates": {
		{"", "r-base", ""},
		{"base", "r-base", "admin.rates_base"},
		{"date", "r-date", "admin.rates_date"},
		{"source", "r-source", "admin.rates_source"},
		{"rates", "r-rates", "admin.rates_lines"},
	},
	"account": {
		{"current", "current", "account.current"},
		{"password", "password", "password.new"},
		{"confirm", "confirm", "password.confirm"},
		{"email", "new-email", "account.new_email"},
		{"email_current", "email-current", "account.current"},
		{"label", "token-label", "account.token_label"},
		{"", "token-label", ""},
	},
	"login":    {{"", "email", ""}, {"email", "email", "login.email"}, {"password", "password", "login.password"}},
	"password": {{"", "password", ""}, {"password", "password", "password.new"}, {"confirm", "confirm", "password.confirm"}},
	"reset":    {{"", "password", ""}, {"password", "password", "password.new"}, {"confirm", "confirm", "password.confirm"}},
	"forgot":   {{"", "email", ""}, {"email", "email", "login.email"}},
}

// errorItem is one line of a form's error summary: the message, the label
// of the field it is about, and a link to that field.
type errorItem struct {
	Href, Label, Message string
	// Text is the line as shown: the label and the message.
	Text string
}

// errorSummary is the box at the top of a page whose form was sent with
// mistakes: every mistake, each linking to its field.
type errorSummary struct {
	Items []errorItem
}

// formErrorsOf is a page that may show a form's errors: the form, as the
// key of formFields, a suffix of its fields' ids (the answer form repeats
// per question), and the errors by field.
type formErrorsOf interface {
	formErrorsOf() (form, idSuffix string, errs formErrors)
}

// summarize lists errs in the order of form's fields, each named by its
// label and linked to its control; fields the form does not list come
// last, unlinked unless the form has a place for the form as a whole.
func (l *Locale) summarize(form, idSuffix string, errs formErrors) *errorSummary {
	if len(errs) == 0 {
		return nil
	}
	fields := formFields[form]
	done := map[string]bool{}
	var out errorSummary
	add := func(f formField, msg string) {
		it := errorItem{Message: msg}
		if f.ID != "" {
			it.Href = "#" + f.ID + idSuffix
		}
		if f.Label != "" {
			it.Label = l.T(f.Label)
			it.Text = l.T("form.error_item", "Label", it.Label, "Message", msg)
		} else {
			it.Text = msg
		}
		out.Items = append(out.Items, it)
	}
	for _, f := range fields {
		if msg, ok := errs[f.Key]; ok && msg != "" && !done[f.Key] {
			done[f.Key] = true
			add(f, msg)
		}
	}
	whole := formField{}
	for _, f := range fields {
		if f.Key == "" {
			whole = f
		}
	}
	for _, k := range slices.Sorted(maps.Keys(errs)) {
		if done[k] || errs[k] == "" {
			continue
		}
		add(formField{Key: k, ID: whole.ID}, errs[k])
	}
	if len(out.Items) == 0 {
		return nil
	}
	return &out
}

// addAll records every problem in errs, each in the visitor's language;
// a field keeps its first problem.
func (e formErrors) addAll(l *Locale, errs []error) {
	for _, err := range errs {
		var field string
		var de *directory.Error
		if errors.As(err, &de) {
			field = de.Field
		}
		if _, ok := e[field]; !ok {
			e[field] = l.fieldMessage(err)
		}
	}
}

// sentence makes an uncoded domain message read as a sentence: a capital
// first letter and a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// The pages with forms say which form their errors belong to.

func (p *loginPage) formErrorsOf() (string, string, formErrors)    { return "login", "", p.Errors }
func (p *passwordPage) formErrorsOf() (string, string, formErrors) { return "password", "", p.Errors }
func (p *resetPage) formErrorsOf() (string, string, formErrors)    { return "reset", "", p.Errors }
func (p *forgotPage) formErrorsOf() (string, string, formErrors)   { return "forgot", "", p.Errors }
func (p *accountPage) formErrorsOf() (string, string, formErrors)  { return "account", "", p.Errors }

func (p *dashboardPage) formErrorsOf() (string, string, formErrors) {
	if p.Form == "answer" {
		return "dashboard/answer", strconv.FormatInt(p.AnswerFor, 10), p.Errors
	}
	return "dashboard/" + p.Form, "", p.Errors
}

func (p *adminPage) formErrorsOf() (string, string, formErrors) {
	errs := p.Errors
	if len(errs) == 0 && len(p.PersonErrors) > 0 {
		errs = p.PersonErrors
	}
	return "admin/" + p.Form, "", errs
}

// passwordProblems adds to errs every problem of a new password and its
// confirmation, in l's language; it reports whether there are any.
func passwordProblems(l *Locale, pw, confirm string, errs formErrors) bool {
	if directory.CheckPassword(pw) != nil {
		errs["password"] = l.T("password.error.short", "Min", directory.MinPassword)
	}
	if pw != confirm {
		errs["confirm"] = l.T("password.error.mismatch")
	}
	return len(errs) > 0
}

// jobProblems adds to errs every problem of the job a form describes,
// beside those the form found itself, so that one send shows them all.
func (s *Server) jobProblems(r *http.Request, j directory.Job, errs formErrors) {
	errs.addAll(s.locales.forRequest(r), directory.JobProblems(&j))
}

// moreJobProblems adds to errs every other problem of the job when the
// service refused it as invalid (it names the first only); a refusal of
// another kind stands alone.
func (s *Server) moreJobProblems(r *http.Request, j directory.Job, errs formErrors, err error) {
	if directory.KindOf(err) == directory.KindInvalid {
		s.jobProblems(r, j, errs)
	}
}

// coopProblems adds to errs every problem of a co-op profile a form
// describes, and normalises c's valid fields; it reports whether there
// are any.
func (s *Server) coopProblems(r *http.Request, c *directory.Coop, errs formErrors) bool {
	errs.addAll(s.locales.forRequest(r), directory.CoopProblems(c, s.now()))
	return len(errs) > 0
}
