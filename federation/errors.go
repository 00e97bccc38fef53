package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/httpstatus"
)

// How errors become answers on the ActivityPub side. Below the handlers,
// code says what went wrong with a directory error of the right kind
// (invalid, unauthorized, forbidden, not found, conflict) or, for the few
// refusals the domain has no kind for (gone, too large, not
// ActivityStreams, too many), with a refusal of HTTP's own.
// statusOf alone turns either into a status; fail writes the answer.
//
// The status tells a sender whether to try again: on most 4xx (the
// activity itself is at fault) it gives up, on 5xx (this node failed) it
// retries.

// httpKind is a refusal the directory's kinds do not cover.
type httpKind int

const (
	kindGone      httpKind = iota + 1 // the thing was here and was deleted
	kindTooLarge                      // the body is over MaxDocument
	kindMediaType                     // the body is not ActivityStreams JSON
	kindTooMany                       // too many requests of a kind; try later
)

// statusClientClosed is the status a request whose client went away is
// logged with, as nginx logs it.
const statusClientClosed = 499

// refusal is a request turned away for a reason of HTTP's own.
type refusal struct {
	kind httpKind
	msg  string
}

func (e *refusal) Error() string { return e.msg }

func refuse(kind httpKind, format string, args ...any) error {
	return &refusal{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// statusOf is the status that answers err.
func statusOf(err error) int {
	var r *refusal
	if errors.As(err, &r) {
		switch r.kind {
		case kindGone:
			return http.StatusGone
		case kindTooLarge:
			return http.StatusRequestEntityTooLarge
		case kindMediaType:
			return http.StatusUnsupportedMediaType
		case kindTooMany:
			return http.StatusTooManyRequests
		}
	}
	return httpstatus.Of(directory.KindOf(err))
}

// safeMessage is what the requester may read of err.
func safeMessage(err error) string {
	var r *refusal
	if errors.As(err, &r) {
		return r.msg
	}
	return directory.SafeMessage(err)
}

// fail answers a request with err as {"error": "..."}: the status from
// statusOf, a message safe for the requester, and the detail in the log
// when the fault is this node's.
//
// A request whose client went away (its context canceled) is not this
// node's failure: it gets a debug line and, for the access log, nginx's
// 499 "client closed request"; no one is there to read an answer.
func (f *Federation) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(r.Context().Err(), context.Canceled) {
		f.log.DebugContext(r.Context(), "client closed the request", slog.String("path", r.URL.Path), slog.Any("error", err))
		w.WriteHeader(statusClientClosed)
		return
	}
	status := statusOf(err)
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "60")
	}
	if status >= http.StatusInternalServerError {
		f.log.ErrorContext(r.Context(), "federation request failed", slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	writeJSONError(w, status, safeMessage(err))
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
