// Package mail writes the node's mails (invitations, password resets,
// notices) in their recipient's language, keeps them in the store's
// persisted outbox and sends them over SMTP, retrying with backoff.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/colmena-coop/colmena/directory"
)

// SMTP is where and how mail is sent, parsed from a URL:
//
//	smtp://user:pass@host:587   STARTTLS (port 587 by default)
//	smtps://user:pass@host:465  TLS from the first byte (port 465 by default)
//
// STARTTLS is required, except to a loopback host (127.0.0.0/8, ::1,
// localhost), where it is used when the server offers it and plain SMTP
// is accepted otherwise: a relay on the same machine, or a test server.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	// Implicit is TLS from the first byte (smtps).
	Implicit bool
	// From is the sender's address.
	From string
	// Timeout bounds one connection's dial and each command.
	Timeout time.Duration
}

// ParseSMTP reads an SMTP URL and the sender's address.
func ParseSMTP(raw, from string) (*SMTP, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("smtp-url: %q is not a URL like smtp://user:pass@host:587", raw)
	}
	c := &SMTP{Host: u.Hostname(), Timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		c.Port = 587
	case "smtps":
		c.Port, c.Implicit = 465, true
	default:
		return nil, fmt.Errorf("smtp-url: the scheme must be smtp (STARTTLS) or smtps (TLS), not %q", u.Scheme)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("smtp-url: %q is not a port", p)
		}
		c.Port = n
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, fmt.Errorf("smtp-url: %q has a path or query; write only smtp://user:pass@host:port", raw)
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if from == "" {
		return nil, errors.New("mail-from: the sender's address is needed with --smtp-url")
	}
	m := gomail.NewMsg()
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("mail-from: %q is not an e-mail address", from)
	}
	c.From = from
	return c, nil
}

// loopback reports whether host is this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send delivers one mail: plain text, with the HTML as its alternative.
func (c *SMTP) Send(ctx context.Context, m *directory.Mail) error {
	msg := gomail.NewMsg()
	if err := msg.From(c.From); err != nil {
		return fmt.Errorf("sender %q: %w", c.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	if m.ListUnsubscribe != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.ListUnsubscribe+">")
		msg.SetGenHeader(gomail.Header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click")
	}
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)

	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(c.Timeout)}
	local := loopback(c.Host)
	switch {
	case c.Implicit:
		opts = append(opts, gomail.WithSSL())
	case local:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if c.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if local && !c.Implicit {
			// go-mail refuses PLAIN without TLS unless told: a loopback
			// connection never leaves the machine.
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return err
	}
	return client.DialAndSendWithContext(ctx, msg)
}
