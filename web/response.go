package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/httpstatus"
)

// writeJSON sends v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

type errorBody struct {
	Error string `json:"error"`
	// Field and Code name a validation failure for clients that word
	// it themselves (directory.Codes lists the codes).
	Field string         `json:"field,omitempty"`
	Code  directory.Code `json:"code,omitempty"`
}

// writeError sends {"error": "..."} with status.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

// statusOf maps a domain error kind to an HTTP status.
func statusOf(k directory.Kind) int { return httpstatus.Of(k) }

// api adapts a JSON API handler: the error it returns, if any, is
// answered by fail.
func (s *Server) api(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// statusClientClosed is the status logged for a request whose
// client went away before it was answered, as nginx logs it. Nothing is
// sent: no one is there to read it.
const statusClientClosed = 499

// clientGone reports whether r's client went away: its context is
// canceled. The server cancels it when the connection closes; whatever
// failed then (the store, a write) failed because of that.
func clientGone(r *http.Request) bool {
	return errors.Is(r.Context().Err(), context.Canceled)
}

// abandoned answers a request whose client went away: a debug line, and
// statusClientClosed for the access log.
func (s *Server) abandoned(w http.ResponseWriter, r *http.Request, err error) {
	s.log.DebugContext(r.Context(), "client closed the request", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
	w.WriteHeader(statusClientClosed)
}

// fail is the one place an error becomes a response: the status from its
// kind, a message safe for the requester, and the detail in the log. A
// request whose client went away is not this node's failure.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(r) {
		s.abandoned(w, r, err)
		return
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, "the request body is larger than 1 MiB")
		return
	}
	var he *httpError
	if errors.As(err, &he) {
		writeError(w, he.status, he.msg)
		return
	}
	kind := directory.KindOf(err)
	status := statusOf(kind)
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="colmena"`)
	}
	body := errorBody{Error: directory.SafeMessage(err)}
	var de *directory.Error
	if errors.As(err, &de) && status < 500 {
		body.Field, body.Code = de.Field, de.Code
	}
	writeJSON(w, status, body)
}

// httpError is an error with its own status, for protocol-level refusals
// (wrong content type, malformed JSON).
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }
