package mail

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/colmena-coop/colmena/directory"
)

var _ directory.AlertMailer = (*Outbox)(nil)

// AlertConfirm queues the mail whose link confirms an e-mail alert.
func (o *Outbox) AlertConfirm(ctx context.Context, a *directory.Alert, s *directory.SavedSearch, secret string) error {
	lang := langOf(a.Language)
	return o.queueMail(ctx, kindAlertConfirm, lang, &directory.Mail{To: a.Email}, mailData{Email: a.Email, Search: searchName(a, s),
		Frequency: frequencies[lang][a.Frequency], Link: o.cfg.Links.Base() + "/alerts/confirm?token=" + url.QueryEscape(secret)})
}

// AlertJobs queues an alert's mail of jobs: one job for an instant
// alert, a digest otherwise. Each carries the alert's unsubscribe link,
// in its text and in a List-Unsubscribe header (RFC 8058 one-click).
func (o *Outbox) AlertJobs(ctx context.Context, a *directory.Alert, s *directory.SavedSearch, jobs []directory.AlertJob) error {
	if len(jobs) == 0 {
		return nil
	}
	lang := langOf(a.Language)
	unsub := o.cfg.Links.Base() + "/alerts/unsubscribe?token=" + url.QueryEscape(a.UnsubscribeToken)
	d := mailData{Email: a.Email, Search: searchName(a, s), Title: jobs[0].Title, Count: len(jobs), Unsubscribe: unsub,
		Link: o.cfg.Links.Base() + "/?" + s.Query}
	for _, j := range jobs {
		d.Jobs = append(d.Jobs, mailJob{Title: j.Title, Coop: j.Coop, URL: j.URL, Pay: payText(lang, j.Salary)})
	}
	kind := kindAlertDigest
	if a.Frequency == directory.AlertInstant {
		kind = kindAlertJob
	}
	return o.queueMail(ctx, kind, lang, &directory.Mail{To: a.Email, AlertID: a.ID, ListUnsubscribe: unsub}, d)
}

// searchName is the search's name in the subscriber's language, or the
// node's.
func searchName(a *directory.Alert, s *directory.SavedSearch) string {
	if a.SearchName != "" {
		return a.SearchName
	}
	return s.Name
}

func langOf(l string) string {
	if _, ok := texts[l]; ok {
		return l
	}
	return "en"
}

// payText is a salary as a mail states it: "USD 1,500–2,000 a month".
func payText(lang string, s *directory.Salary) string {
	if s == nil || s.Currency == "" {
		return ""
	}
	sep := ","
	if lang == "es" {
		sep = "."
	}
	amount := group(s.Min, sep)
	if s.Max > s.Min {
		amount += "\u2013" + group(s.Max, sep)
	}
	out := s.Currency + " " + amount
	if p := periods[lang][s.Period]; p != "" {
		out += " " + p
	}
	return out
}

// group writes n with a separator between thousands.
func group(n int64, sep string) string {
	d := strconv.FormatInt(n, 10)
	if n < 0 || len(d) <= 3 {
		return d
	}
	var b strings.Builder
	for i, r := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// permanent reports whether a send failed with a permanent (5xx) SMTP
// answer, which trying again will not change.
func permanent(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	code := se.ErrorCode()
	return code >= 500 && code < 600
}
