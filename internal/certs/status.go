// Package certs gives a node its TLS certificates: from an ACME CA (Let's
// Encrypt by default) through golang.org/x/crypto/acme/autocert, with the
// ACME cache in the node's database, or from files the operator keeps. It
// reports how they stand for /healthz.
package certs

import (
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Report is how a node's certificates stand, as /healthz shows it.
type Report struct {
	// State is "ok", "pending" (no certificate yet, or a renewal under
	// way) or "failing" (the last attempt to get or load one failed; the
	// node serves the last good certificate it has, if any).
	State string `json:"state"`
	// Error says why the last attempt failed, when State is "failing".
	Error string `json:"error,omitempty"`
	// Since is when the failure began.
	Since *time.Time `json:"since,omitempty"`
	// Certificates are the ones being served.
	Certificates []Certificate `json:"certificates"`
}

// Certificate is one certificate being served.
type Certificate struct {
	Domain   string    `json:"domain"`
	NotAfter time.Time `json:"not_after"`
}

// status records successes and failures; the latest of the two decides
// the state.
type status struct {
	mu     sync.Mutex
	log    *slog.Logger
	now    func() time.Time
	okAt   time.Time
	errAt  time.Time
	since  time.Time
	err    string
	served map[string]time.Time
	// loggedAt is when a failure was last logged.
	loggedAt time.Time
}

func newStatus(log *slog.Logger, now func() time.Time) *status {
	return &status{log: log, now: now, served: map[string]time.Time{}}
}

// fail records a failure and logs it.
func (s *status) fail(reason string) {
	s.mu.Lock()
	now := s.now()
	if !s.errAt.After(s.okAt) || s.since.IsZero() {
		s.since = now
	}
	// The same reason again within a minute (a handshake after another
	// while the CA fails) is not logged again.
	quiet := reason == s.err && now.Sub(s.loggedAt) < time.Minute
	if !quiet {
		s.loggedAt = now
	}
	s.errAt, s.err = now, reason
	s.mu.Unlock()
	if !quiet {
		s.log.Error("TLS certificate: the last attempt failed; serving the last good certificate, if any", slog.String("error", reason))
	}
}

// ok records a success.
func (s *status) ok() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.okAt = s.now()
	s.since = time.Time{}
}

// serving records the certificate served for a domain.
func (s *status) serving(domain string, notAfter time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.served[domain] = notAfter
}

func (s *status) report() Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := Report{State: "pending", Certificates: []Certificate{}}
	switch {
	case !s.errAt.IsZero() && !s.errAt.Before(s.okAt):
		since := s.since
		r.State, r.Error, r.Since = "failing", s.err, &since
	case !s.okAt.IsZero():
		r.State = "ok"
	}
	for d, na := range s.served {
		r.Certificates = append(r.Certificates, Certificate{Domain: d, NotAfter: na})
	}
	slices.SortFunc(r.Certificates, func(a, b Certificate) int {
		if a.Domain < b.Domain {
			return -1
		}
		if a.Domain > b.Domain {
			return 1
		}
		return 0
	})
	return r
}
