package web

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// sessionCookie carries a logged-in browser's session secret.
const sessionCookie = "colmena_session"

// viewer is who is looking at a page: nobody, or a logged-in user.
type viewer struct {
	Session *directory.Session
	User    *directory.User
	// CoopHandle is the member's co-op, if any.
	CoopHandle string
}

// LoggedIn reports whether someone is logged in.
func (v *viewer) LoggedIn() bool { return v != nil && v.User != nil }

// viewerOf reads the session cookie. A missing, expired or forged cookie
// is nobody.
func (s *Server) viewerOf(r *http.Request) *viewer {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return &viewer{}
	}
	sess, u, err := s.svc.SessionUser(r.Context(), c.Value)
	if err != nil {
		return &viewer{}
	}
	return &viewer{Session: sess, User: u, CoopHandle: u.CoopHandle}
}

func (s *Server) setSessionCookie(w http.ResponseWriter, raw string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: raw, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(s.svc.Links().Base(), "https:")})
}

// loginLimiter refuses logins after repeated failures from one address or
// for one e-mail, for a while: guessing passwords gets slow.
type loginLimiter struct {
	mu       sync.Mutex
	failures map[string][]time.Time
	max      int
	window   time.Duration
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{failures: map[string][]time.Time{}, max: 5, window: 15 * time.Minute}
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// keys are what a login attempt counts against.
func loginKeys(r *http.Request, email string) []string {
	return []string{"ip:" + clientIP(r), "email:" + strings.ToLower(strings.TrimSpace(email))}
}

// blocked reports how long until a login may be tried again, 0 if now.
func (l *loginLimiter) blocked(keys []string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		recent := l.recent(k, now)
		if len(recent) >= l.max {
			wait = max(wait, recent[0].Add(l.window).Sub(now))
		}
	}
	return wait
}

func (l *loginLimiter) recent(k string, now time.Time) []time.Time {
	ts := l.failures[k]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.failures, k)
	} else {
		l.failures[k] = ts
	}
	return ts
}

func (l *loginLimiter) fail(keys []string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// Bound the memory an attacker can make us use.
	if len(l.failures) > 100_000 {
		for k := range l.failures {
			l.recent(k, now)
		}
	}
	for _, k := range keys {
		l.failures[k] = append(l.recent(k, now), now)
	}
}

func (l *loginLimiter) succeed(keys []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, keys[1])
}
