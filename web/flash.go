package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"
)

// flashCookie carries the message of a change that redirected: the page
// after the redirect shows it once and clears it.
const flashCookie = "colmena_flash"

// flashMaxAge is how long a flash waits for its page: a redirect follows
// at once.
const flashMaxAge = 60

// maxFlashArg bounds each argument of a flash, in characters, so that the
// cookie stays small whatever was typed.
const maxFlashArg = 120

// flash is a message id of the catalogues ("flash.…") and its arguments,
// worded in the viewer's language when shown.
type flash struct {
	ID   string            `json:"id"`
	Args map[string]string `json:"args,omitempty"`
}

// setFlash makes the next page show the message id, with kv as its
// name/value arguments. The cookie is bound to the browser's session: it
// is signed with a key made from the session's secret, so it cannot be
// forged nor carried to another session. Without a session there is no
// flash.
func (s *Server) setFlash(w http.ResponseWriter, r *http.Request, id string, kv ...string) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return
	}
	s.setSessionFlash(w, c.Value, id, kv...)
}

// setSessionFlash is setFlash for the session whose secret is given: one
// the response itself starts.
func (s *Server) setSessionFlash(w http.ResponseWriter, session, id string, kv ...string) {
	f := flash{ID: id}
	for i := 0; i+1 < len(kv); i += 2 {
		if f.Args == nil {
			f.Args = map[string]string{}
		}
		f.Args[kv[i]] = clipRunes(kv[i+1], maxFlashArg)
	}
	body, err := json.Marshal(f)
	if err != nil {
		return
	}
	payload := base64.RawURLEncoding.EncodeToString(body)
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: payload + "." + flashMAC(session, payload), Path: "/",
		MaxAge: flashMaxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(s.svc.Links().Base(), "https:")})
}

// takeFlash answers the flash a GET request carries, worded in l's
// language, and clears it: it is shown once, by the page a redirect leads
// to (a form's answer to a POST leaves it be). A flash that is not signed
// for the request's session, or names no flash message, is dropped.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request, l *Locale) string {
	if r.Method != http.MethodGet {
		return ""
	}
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(s.svc.Links().Base(), "https:")})
	sess, err := r.Cookie(sessionCookie)
	if err != nil || sess.Value == "" {
		return ""
	}
	payload, mac, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(flashMAC(sess.Value, payload))) {
		return ""
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return ""
	}
	var f flash
	if json.Unmarshal(body, &f) != nil || !strings.HasPrefix(f.ID, "flash.") {
		return ""
	}
	kv := make([]any, 0, 2*len(f.Args))
	for k, v := range f.Args {
		kv = append(kv, k, v)
	}
	return l.T(f.ID, kv...)
}

// flashMAC signs a flash for one session: the key is a hash of the
// session's secret, which only that browser and this node know.
func flashMAC(session, payload string) string {
	key := sha256.Sum256([]byte("colmena flash\x00" + session))
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// clipRunes cuts s to at most n characters, with an ellipsis when cut.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
