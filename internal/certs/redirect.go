package certs

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Redirect sends plain HTTP requests to HTTPS: to the same host when it
// is one of domains, else to the public URL's host, on the public URL's
// port. GET and HEAD get 301; other methods 308, which keeps the method
// and body.
func Redirect(public *url.URL, domains []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.ToLower(host)
		if !slices.Contains(domains, host) {
			host = public.Hostname()
		}
		if p := public.Port(); p != "" && p != "443" {
			host = net.JoinHostPort(host, p)
		}
		code := http.StatusMovedPermanently
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			code = http.StatusPermanentRedirect
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), code)
	})
}
