package web

import (
	"context"

	"github.com/colmena-coop/colmena/directory"
)

// mailView is the console's view of the mail outbox.
type mailView struct {
	// Enabled is whether the node sends mail; without it, links are
	// passed on by hand.
	Enabled         bool
	Pending, Failed []mailRow
}

type mailRow struct {
	To, Subject, Error string
	Attempts           int
	// When is the next attempt for a pending mail, when it was given up
	// for a failed one.
	When string
}

// adminMail reads the outbox's pending and failed mails for the console;
// whether the node sends mail only, unless full.
func (s *Server) adminMail(ctx context.Context, v *viewer, l *Locale, full bool) (*mailView, error) {
	m := &mailView{Enabled: s.svc.Mailing()}
	if !m.Enabled || !full {
		return m, nil
	}
	pending, err := s.svc.MailOutbox(ctx, v.User.Principal(), directory.MailPending)
	if err != nil {
		return nil, err
	}
	for _, x := range pending {
		m.Pending = append(m.Pending, mailRow{To: x.To, Subject: x.Subject, Error: x.LastError, Attempts: x.Attempts,
			When: l.Date(x.NextAttemptAt) + " " + x.NextAttemptAt.Format("15:04 MST")})
	}
	failed, err := s.svc.MailOutbox(ctx, v.User.Principal(), directory.MailFailed)
	if err != nil {
		return nil, err
	}
	for _, x := range failed {
		m.Failed = append(m.Failed, mailRow{To: x.To, Subject: x.Subject, Error: x.LastError, Attempts: x.Attempts,
			When: l.Date(x.DoneAt) + " " + x.DoneAt.Format("15:04 MST")})
	}
	return m, nil
}
