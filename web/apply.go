package web

import (
	"net/mail"
	"net/url"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

// applyView is how a job page says to apply: on the co-op's site, by
// e-mail, or both. Either part is empty when the job has none that can be
// a safe link.
type applyView struct {
	// Site is the apply address on the co-op's site: http or https only.
	Site string
	Mail *applyMail
}

// applyMail is a mailto link with the subject filled in.
type applyMail struct {
	Address, Subject, Href string
}

// newApplyView builds the apply box of job j on the node named node.
// Apply data of aggregated jobs comes from other servers, so it is
// checked again here: a URL must be absolute http(s) with a host, an
// address a plain addr-spec with nothing that would add headers to the
// mailto link.
func (l *Locale) newApplyView(j *directory.Job, node string) *applyView {
	a := &applyView{}
	if u, err := url.Parse(strings.TrimSpace(j.ApplyURL)); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil {
		a.Site = u.String()
	}
	if addr := strings.TrimSpace(j.ApplyEmail); addr != "" && len(addr) <= 254 && !strings.ContainsAny(addr, "?&#%/\\\"<> ,;:") {
		if p, err := mail.ParseAddress(addr); err == nil && p.Address == addr && p.Name == "" {
			subject := l.T("job.apply_subject", "Title", j.Title, "Node", node)
			// RFC 6068: a space is %20 in a mailto URI, never "+".
			a.Mail = &applyMail{Address: addr, Subject: subject,
				Href: "mailto:" + addr + "?subject=" + strings.ReplaceAll(url.QueryEscape(subject), "+", "%20")}
		}
	}
	if a.Site == "" && a.Mail == nil {
		return nil
	}
	return a
}
