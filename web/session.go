package web

import (
	"net/http"
	"strings"

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
