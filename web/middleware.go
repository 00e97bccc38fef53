package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"
)

// statusRecorder remembers what a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request and counts it in the metrics, by route
// template so that ids do not explode the label space.
func (s *Server) observe(next http.Handler) http.Handler { return s.observeRoute("", next) }

// observeRoute is observe for a handler whose route template is known
// (route), or found from the router when route is empty.
func (s *Server) observeRoute(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		// A failure after the client went away is the client's doing.
		if rec.status >= 500 && clientGone(r) {
			rec.status = statusClientClosed
		}
		route := route
		if route == "" {
			route = "unmatched"
			if cr := mux.CurrentRoute(r); cr != nil {
				if t, err := cr.GetPathTemplate(); err == nil {
					route = t
				}
			}
		}
		elapsed := time.Since(start)
		s.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
		s.duration.WithLabelValues(route, r.Method).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", route),
			slog.Int("status", rec.status), slog.Int("bytes", rec.bytes),
			slog.Duration("duration", elapsed), slog.String("remote", r.RemoteAddr)}
		if len(s.proxies) > 0 {
			// Behind a proxy the peer is the proxy: name the client too.
			attrs = append(attrs, slog.String("client", s.proxies.clientAddr(r).String()))
		}
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// recoverer turns a panic into a 500 and a log line instead of a dropped
// connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic serving request", slog.String("path", r.URL.Path), slog.String("panic", fmt.Sprint(v)))
				writeError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders protects every response. The pages run no inline
// script and load nothing from elsewhere; a form may lead to another
// server only through the remote-follow redirect, which goes over https
// unless the node itself runs on plain http (a local test or demo).
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	formAction := "'self' https:"
	if strings.HasPrefix(s.svc.Links().Base(), "http:") {
		formAction += " http:"
	}
	csp := "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; " +
		"base-uri 'none'; frame-ancestors 'none'; form-action " + formAction
	// The values are made once and shared by every response: a header's
	// values are replaced or appended to, never written in place.
	nosniff, referrer, deny, policy := []string{"nosniff"}, []string{"strict-origin-when-cross-origin"}, []string{"DENY"}, []string{csp}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = referrer
		h["X-Frame-Options"] = deny
		h["Content-Security-Policy"] = policy
		next.ServeHTTP(w, r)
	})
}
