package directory

import (
	"context"
	"log/slog"
	"time"
)

// E-mail alerts: an address follows a saved search by mail, with or
// without an account. Double opt-in: a subscription is pending until the
// link mailed to the address is opened. Then each job the search newly
// finds (the same matcher that has its search actor boost it) waits for
// the subscription's next mail: at once for instant alerts, in a digest a
// day or a week after the last for the others. Every mail carries a
// one-click unsubscribe link; a permanent refusal by the recipient's
// server marks the subscription bounced. Unsubscribed and bounced
// subscriptions get nothing more.

// Alert frequencies.
const (
	AlertInstant = "instant"
	AlertDaily   = "daily"
	AlertWeekly  = "weekly"
)

// Alert states.
const (
	AlertPending      = "pending"
	AlertConfirmed    = "confirmed"
	AlertUnsubscribed = "unsubscribed"
	AlertBounced      = "bounced"
)

// Alert limits.
const (
	// AlertConfirmLifetime is how long a confirmation link works.
	AlertConfirmLifetime = 7 * 24 * time.Hour
	// AlertLease is how long a claimed subscription stays hidden from
	// other senders.
	AlertLease = 5 * time.Minute
	// AlertBatch is how many subscriptions one round of SendAlerts
	// mails at most.
	AlertBatch = 100
	// AlertMaxJobs is how many jobs one digest lists at most; the rest
	// wait for the next.
	AlertMaxJobs = 50
)

// Alert is an e-mail subscription to a saved search.
type Alert struct {
	ID        int64
	Email     string
	SearchID  int64
	Frequency string
	// Language is the one mails are written in.
	Language string
	// SearchName is the search's readable name in Language; empty for
	// the node's (SavedSearch.Name).
	SearchName string
	State      string
	// ConfirmHash is the hash of the pending confirmation link's secret.
	ConfirmHash      []byte
	ConfirmExpiresAt time.Time
	// UnsubscribeToken is in every mail's unsubscribe link.
	UnsubscribeToken string
	CreatedAt        time.Time
	ConfirmedAt      time.Time
	LastSentAt       time.Time
	// NextSendAt is when the next mail may go.
	NextSendAt time.Time
}

// Period is how long after one mail the next may go.
func (a *Alert) Period() time.Duration {
	switch a.Frequency {
	case AlertDaily:
		return 24 * time.Hour
	case AlertWeekly:
		return 7 * 24 * time.Hour
	}
	return 0
}

// AlertJob is a job as an alert mail lists it.
type AlertJob struct {
	Title, Coop, URL string
	// Salary is nil when the job states no pay.
	Salary *Salary
}

// AlertStore keeps e-mail subscriptions and the jobs waiting for them.
// The jobs are queued by SearchStore.AnnounceOnce, in the transaction
// that records a search's first match of a job.
type AlertStore interface {
	// AddAlert stores a pending subscription of a.Email to a.SearchID,
	// filling in its ID. When the address already has one to the search,
	// a confirmed one is left as it is and AddAlert reports false; any
	// other becomes pending again with a's link, frequency and language.
	AddAlert(ctx context.Context, a *Alert) (bool, error)
	// ConfirmAlert confirms the pending subscription whose link's hash is
	// hash and which has not expired at now, using the link up; its first
	// mail may go at once (instant) or a period later (a digest's).
	// KindNotFound otherwise.
	ConfirmAlert(ctx context.Context, hash []byte, now time.Time) (*Alert, error)
	// AlertByConfirm finds the pending subscription whose link's hash is
	// hash and which has not expired at now, leaving the link usable;
	// KindNotFound otherwise.
	AlertByConfirm(ctx context.Context, hash []byte, now time.Time) (*Alert, error)
	// AlertByUnsubscribe finds a subscription by its unsubscribe token.
	AlertByUnsubscribe(ctx context.Context, token string) (*Alert, error)
	// Unsubscribe ends a subscription and forgets its waiting jobs.
	Unsubscribe(ctx context.Context, id int64) error
	// ClaimAlerts takes up to limit confirmed subscriptions due at now
	// that have jobs waiting, and hides them from other claimers until
	// now+lease.
	ClaimAlerts(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Alert, error)
	// AlertJobs lists up to limit jobs waiting for a subscription,
	// oldest first.
	AlertJobs(ctx context.Context, id int64, limit int) ([]string, error)
	// AlertSent records that jobs were mailed at at (zero: never): they
	// stop waiting, and the next mail may go at next.
	AlertSent(ctx context.Context, id int64, jobs []string, at, next time.Time) error
	// SavedSearchByID finds a saved search, collected ones too.
	SavedSearchByID(ctx context.Context, id int64) (*SavedSearch, error)
}

// AlertMailer writes the mails of e-mail alerts.
type AlertMailer interface {
	// AlertConfirm mails the link that confirms a subscription.
	AlertConfirm(ctx context.Context, a *Alert, s *SavedSearch, secret string) error
	// AlertJobs mails jobs a subscription's search found: one for an
	// instant alert, a digest for the others.
	AlertJobs(ctx context.Context, a *Alert, s *SavedSearch, jobs []AlertJob) error
}

// CheckAlert checks an alert request's address and frequency and returns
// them clean.
func CheckAlert(email, frequency string) (string, string, error) {
	email, err := normalizeEmail(email)
	if err != nil {
		return "", "", err
	}
	switch frequency {
	case AlertInstant, AlertDaily, AlertWeekly:
	default:
		return "", "", Invalidf("frequency", "must be daily, weekly or instant, not %q", Clip(frequency, 40))
	}
	return email, frequency, nil
}

// alertMailer is the service's mailer when it writes alerts.
func (s *Service) alertMailer() (AlertMailer, error) {
	m, ok := s.mailer.(AlertMailer)
	if !ok {
		return nil, Invalidf("email", "this node does not send mail, so it cannot send alerts")
	}
	return m, nil
}

// SubscribeAlert starts the double opt-in of email to search: a pending
// subscription and a mail, in lang, with the link that confirms it; name
// is the search's name in lang (empty for the node's). It
// answers alike whether or not the address already follows the search, so
// that the answer tells nothing about it.
func (s *Service) SubscribeAlert(ctx context.Context, email, frequency, lang, name string, search *SavedSearch) error {
	email, frequency, err := CheckAlert(email, frequency)
	if err != nil {
		return err
	}
	m, err := s.alertMailer()
	if err != nil {
		return err
	}
	now := s.clock()
	raw, hash := secret()
	unsub, _ := secret()
	a := &Alert{Email: email, SearchID: search.ID, Frequency: frequency, Language: MailLanguage(lang), SearchName: name, State: AlertPending,
		ConfirmHash: hash, ConfirmExpiresAt: now.Add(AlertConfirmLifetime), UnsubscribeToken: unsub, CreatedAt: now, NextSendAt: now}
	fresh, err := s.store.AddAlert(ctx, a)
	if err != nil || !fresh {
		return err
	}
	return m.AlertConfirm(ctx, a, search, raw)
}

// alertLinkGone is the answer to a confirmation or unsubscribe link used
// already, expired or never made.
func alertLinkGone() error {
	return NotFoundf("this link has expired or was used already; subscribe again from the search page if you want these jobs by e-mail")
}

// alertWithSearch completes a lookup of a subscription by one of its
// links with its search: a link that finds none is gone.
func (s *Service) alertWithSearch(ctx context.Context, a *Alert, err error) (*Alert, *SavedSearch, error) {
	if KindOf(err) == KindNotFound {
		return nil, nil, alertLinkGone()
	}
	if err != nil {
		return nil, nil, err
	}
	ss, err := s.store.SavedSearchByID(ctx, a.SearchID)
	if err != nil {
		return nil, nil, err
	}
	return a, ss, nil
}

// AlertToConfirm finds the subscription a confirmation link confirms,
// with its search, leaving the link usable: the link's page asks first,
// so that a mail scanner opening links confirms nothing.
func (s *Service) AlertToConfirm(ctx context.Context, raw string) (*Alert, *SavedSearch, error) {
	a, err := s.store.AlertByConfirm(ctx, hashSecret(raw), s.clock())
	return s.alertWithSearch(ctx, a, err)
}

// ConfirmAlert confirms a subscription through its mailed link, which
// works once, and returns it with its search.
func (s *Service) ConfirmAlert(ctx context.Context, raw string) (*Alert, *SavedSearch, error) {
	a, err := s.store.ConfirmAlert(ctx, hashSecret(raw), s.clock())
	return s.alertWithSearch(ctx, a, err)
}

// AlertToUnsubscribe finds the subscription an unsubscribe link ends,
// with its search.
func (s *Service) AlertToUnsubscribe(ctx context.Context, token string) (*Alert, *SavedSearch, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, alertLinkGone()
	}
	a, err := s.store.AlertByUnsubscribe(ctx, token)
	return s.alertWithSearch(ctx, a, err)
}

// UnsubscribeAlert ends the subscription of an unsubscribe link; ending
// one already ended is no error.
func (s *Service) UnsubscribeAlert(ctx context.Context, token string) (*Alert, *SavedSearch, error) {
	a, ss, err := s.AlertToUnsubscribe(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	if err := s.store.Unsubscribe(ctx, a.ID); err != nil {
		return nil, nil, err
	}
	a.State = AlertUnsubscribed
	return a, ss, nil
}

// SendAlerts queues the alert mails due now: one per job for instant
// alerts, a digest for daily and weekly ones, at most AlertBatch
// subscriptions a round. Several nodes sharing a database each claim
// theirs. It reports how many mails it queued.
func (s *Service) SendAlerts(ctx context.Context) (int, error) {
	m, err := s.alertMailer()
	if err != nil {
		return 0, nil
	}
	now := s.clock()
	as, err := s.store.ClaimAlerts(ctx, now, AlertLease, AlertBatch)
	if err != nil {
		return 0, err
	}
	sent := 0
	for i := range as {
		a := &as[i]
		n, err := s.sendAlert(ctx, m, a, now)
		sent += n
		if err != nil {
			s.log.ErrorContext(ctx, "could not queue an alert mail", slog.Int64("alert", a.ID), slog.Any("error", err))
			if n == 0 {
				// Nothing went: the next round tries again, not the
				// claim's lease later.
				if err := s.store.AlertSent(ctx, a.ID, nil, a.LastSentAt, now); err != nil && ctx.Err() == nil {
					s.log.ErrorContext(ctx, "could not release an alert", slog.Int64("alert", a.ID), slog.Any("error", err))
				}
			}
		}
	}
	return sent, nil
}

func (s *Service) sendAlert(ctx context.Context, m AlertMailer, a *Alert, now time.Time) (int, error) {
	ss, err := s.store.SavedSearchByID(ctx, a.SearchID)
	if err != nil {
		return 0, err
	}
	ids, err := s.store.AlertJobs(ctx, a.ID, AlertMaxJobs)
	if err != nil {
		return 0, err
	}
	var jobs []AlertJob
	for _, id := range ids {
		j, err := s.store.JobByAPID(ctx, id)
		if KindOf(err) == KindNotFound {
			continue // closed since
		}
		if err != nil {
			return 0, err
		}
		if !j.Open(now) {
			continue
		}
		coop := j.Coop.Name
		if coop == "" {
			coop = j.Coop.Handle
		}
		jobs = append(jobs, AlertJob{Title: j.Title, Coop: coop, URL: j.APID, Salary: j.Salary})
	}
	sent := 0
	if a.Frequency == AlertInstant {
		for _, j := range jobs {
			if err := m.AlertJobs(ctx, a, ss, []AlertJob{j}); err != nil {
				return sent, err
			}
			sent++
		}
	} else if len(jobs) > 0 {
		if err := m.AlertJobs(ctx, a, ss, jobs); err != nil {
			return 0, err
		}
		sent++
	}
	next := now.Add(a.Period())
	if sent == 0 {
		next = now // nothing went (the jobs closed): no period starts
	}
	return sent, s.store.AlertSent(ctx, a.ID, ids, now, next)
}

// RunAlerts calls SendAlerts every interval until ctx ends.
func (s *Service) RunAlerts(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.SendAlerts(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "sending alerts", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
