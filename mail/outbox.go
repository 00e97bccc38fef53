package mail

import (
	"context"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Sender delivers one mail; SMTP is the real one.
type Sender interface {
	Send(ctx context.Context, m *directory.Mail) error
}

// Retry policy: the first retry a minute after a failure, each further
// wait twice the last up to MaxWait, and a mail still failing GiveUpAfter
// its creation is given up (state failed, shown to the admin).
const (
	FirstWait   = time.Minute
	MaxWait     = 6 * time.Hour
	GiveUpAfter = 48 * time.Hour
	// Lease is how long a claimed mail stays hidden from other senders:
	// longer than one attempt can take.
	Lease = 5 * time.Minute
	// Poll is how often the worker looks for due mails when nothing
	// wakes it.
	Poll = 30 * time.Second
	// batch is how many mails one claim takes.
	batch = 10
)

// Config wires an Outbox.
type Config struct {
	Store directory.MailStore
	// Sender delivers; required to send, not to queue.
	Sender Sender
	// Links is the node's public URL, which mail links start with.
	Links directory.Links
	// Node is the federation's name, which mails are signed with.
	Node string
	Log  *slog.Logger
	// Now is the clock; nil for time.Now.
	Now func() time.Time
}

// Outbox writes the service's mails into the store's outbox (it is a
// directory.Mailer) and sends due ones. Each sender claims the mails it
// sends with a lease, so that nodes sharing a database, and the command
// line beside them, never send one mail twice.
type Outbox struct {
	cfg  Config
	wake chan struct{}

	mu     sync.Mutex
	queued []int64
}

var _ directory.Mailer = (*Outbox)(nil)

// New makes an outbox.
func New(cfg Config) *Outbox {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Outbox{cfg: cfg, wake: make(chan struct{}, 1)}
}

func (o *Outbox) now() time.Time { return o.cfg.Now().UTC().Truncate(time.Microsecond) }

// Invitation queues an account's invitation.
func (o *Outbox) Invitation(ctx context.Context, to *directory.User, secret string) error {
	return o.queue(ctx, kindInvitation, to.Language, to.Email,
		mailData{Email: to.Email, Link: o.cfg.Links.Base() + "/password?token=" + url.QueryEscape(secret)})
}

// PasswordReset queues an account's reset link.
func (o *Outbox) PasswordReset(ctx context.Context, to *directory.User, secret string) error {
	return o.queue(ctx, kindReset, to.Language, to.Email,
		mailData{Email: to.Email, Link: o.cfg.Links.Base() + "/password/reset?token=" + url.QueryEscape(secret)})
}

// EmailChanged queues the notice to an account's old address.
func (o *Outbox) EmailChanged(ctx context.Context, u *directory.User, oldEmail string) error {
	return o.queue(ctx, kindEmailChanged, u.Language, oldEmail, mailData{Email: u.Email, Old: oldEmail})
}

func (o *Outbox) queue(ctx context.Context, kind, lang, to string, d mailData) error {
	return o.queueMail(ctx, kind, lang, &directory.Mail{To: to}, d)
}

// queueMail writes a kind of mail into m, in lang, and queues it.
func (o *Outbox) queueMail(ctx context.Context, kind, lang string, m *directory.Mail, d mailData) error {
	d.Node = o.cfg.Node
	w, err := write(kind, lang, d)
	if err != nil {
		return directory.Internal("writing a mail", err)
	}
	now := o.now()
	m.Subject, m.Text, m.HTML, m.NextAttemptAt, m.CreatedAt = w.Subject, w.Text, w.HTML, now, now
	if err := o.cfg.Store.EnqueueMail(ctx, m); err != nil {
		return err
	}
	o.mu.Lock()
	o.queued = append(o.queued, m.ID)
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
	return nil
}

// Run sends due mails until ctx ends: at once when a mail is queued in
// this process, and every Poll for the rest (those queued elsewhere, and
// retries).
func (o *Outbox) Run(ctx context.Context) {
	t := time.NewTicker(Poll)
	defer t.Stop()
	for {
		o.SendDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-o.wake:
		case <-t.C:
		}
	}
}

// SendDue sends every mail due now and reports how many went out.
func (o *Outbox) SendDue(ctx context.Context) int {
	sent := 0
	for range 100 { // bounded: at most 100 batches a round
		ms, err := o.cfg.Store.ClaimMails(ctx, o.now(), Lease, batch)
		if err != nil {
			if ctx.Err() == nil {
				o.cfg.Log.ErrorContext(ctx, "could not claim mails", slog.Any("error", err))
			}
			return sent
		}
		for i := range ms {
			if o.deliver(ctx, &ms[i]) {
				sent++
			}
		}
		if len(ms) < batch {
			return sent
		}
	}
	return sent
}

// SendQueued tries at once to send the mails this outbox queued, each
// claimed as SendDue claims it: one a running node sends already is left
// to it. It reports how many it sent.
func (o *Outbox) SendQueued(ctx context.Context) int {
	o.mu.Lock()
	ids := o.queued
	o.queued = nil
	o.mu.Unlock()
	sent := 0
	for _, id := range ids {
		m, err := o.cfg.Store.ClaimMail(ctx, id, o.now(), Lease)
		if err != nil {
			if directory.KindOf(err) != directory.KindNotFound {
				o.cfg.Log.ErrorContext(ctx, "could not claim a mail", slog.Int64("mail", id), slog.Any("error", err))
			}
			continue
		}
		if o.deliver(ctx, m) {
			sent++
		}
	}
	return sent
}

// deliver sends one claimed mail and records what came of it.
func (o *Outbox) deliver(ctx context.Context, m *directory.Mail) bool {
	log := o.cfg.Log.With(slog.Int64("mail", m.ID), slog.String("to", m.To), slog.String("subject", m.Subject))
	err := o.cfg.Sender.Send(ctx, m)
	now := o.now()
	if err == nil {
		if err := o.cfg.Store.MailSent(context.WithoutCancel(ctx), m.ID, now); err != nil {
			log.ErrorContext(ctx, "mail sent but not marked sent", slog.Any("error", err))
		}
		log.InfoContext(ctx, "mail sent")
		return true
	}
	attempts := m.Attempts + 1
	if m.AlertID != 0 && permanent(err) {
		// An alert's recipient refused for good: the subscription is
		// bounced, and gets nothing more.
		log.WarnContext(ctx, "alert mail refused for good; the alert is bounced", slog.Int64("alert", m.AlertID), slog.Any("error", err))
		if err := o.cfg.Store.MailBounced(context.WithoutCancel(ctx), m.ID, attempts, err.Error(), now); err != nil {
			log.ErrorContext(ctx, "could not record a bounced mail", slog.Any("error", err))
		}
		return false
	}
	if now.Sub(m.CreatedAt) >= GiveUpAfter {
		log.ErrorContext(ctx, "mail given up", slog.Int("attempts", attempts), slog.Any("error", err))
		if err := o.cfg.Store.MailFailed(context.WithoutCancel(ctx), m.ID, attempts, err.Error(), now); err != nil {
			log.ErrorContext(ctx, "could not record a failed mail", slog.Any("error", err))
		}
		return false
	}
	next := now.Add(Backoff(attempts))
	log.WarnContext(ctx, "mail not sent, will retry", slog.Int("attempts", attempts), slog.Time("next", next), slog.Any("error", err))
	if err := o.cfg.Store.MailRetry(context.WithoutCancel(ctx), m.ID, attempts, next, err.Error()); err != nil {
		log.ErrorContext(ctx, "could not reschedule a mail", slog.Any("error", err))
	}
	return false
}

// Backoff is the wait after a mail's attempts-th failure.
func Backoff(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	if attempts > 20 {
		return MaxWait
	}
	return min(FirstWait<<(attempts-1), MaxWait)
}
