package certs

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/acme/autocert"

	"github.com/colmena-coop/colmena/directory"
)

// TestRecorder: the reason an ACME request failed is what the report
// shows; a bad nonce, which the client retries, is no failure, and a
// success afterwards ends the failure.
func TestRecorder(t *testing.T) {
	answers := map[string]struct {
		code int
		body string
	}{
		"/nonce":   {400, `{"type":"urn:ietf:params:acme:error:badNonce","detail":"stale nonce"}`},
		"/limited": {429, `{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many certificates already issued"}`},
		"/authz": {200, `{"status":"invalid","identifier":{"type":"dns","value":"a.example"},
			"challenges":[{"type":"http-01","status":"invalid","error":{"type":"urn:ietf:params:acme:error:connection","detail":"connection refused"}}]}`},
		"/valid": {200, `{"status":"valid"}`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := answers[r.URL.Path]
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(a.code)
		_, _ = io.WriteString(w, a.body)
	}))
	defer srv.Close()
	// A clock that moves on each reading orders every event.
	tick := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st := newStatus(slog.New(slog.DiscardHandler), func() time.Time { tick = tick.Add(time.Second); return tick })
	c := &http.Client{Transport: &recorder{base: http.DefaultTransport, status: st}}
	get := func(path string) string {
		t.Helper()
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if body := get("/nonce"); !strings.Contains(body, "stale nonce") {
		t.Fatalf("the body was not handed on: %q", body)
	}
	if r := st.report(); r.State != "pending" {
		t.Fatalf("after a bad nonce: %+v", r)
	}
	for path, want := range map[string]string{"/limited": "answered 429: too many certificates", "/authz": "refused: connection refused"} {
		get(path)
		if r := st.report(); r.State != "failing" || !strings.Contains(r.Error, want) || r.Since == nil {
			t.Errorf("after %s: %+v", path, r)
		}
	}
	get("/valid")
	if r := st.report(); r.State != "failing" {
		t.Errorf("a valid answer alone is no certificate: %+v", r)
	}
	st.ok()
	if r := st.report(); r.State != "ok" || r.Error != "" {
		t.Errorf("after a success: %+v", r)
	}
	if _, err := c.Get("http://127.0.0.1:1/dir"); err == nil {
		t.Fatal("port 1 answered")
	}
	if r := st.report(); r.State != "failing" || !strings.Contains(r.Error, "cannot reach the ACME server 127.0.0.1:1") {
		t.Errorf("after an unreachable server: %+v", r)
	}
}

func TestRedirect(t *testing.T) {
	for _, tc := range []struct{ public, method, host, target string }{
		{"https://a.example", "GET", "a.example", "https://a.example/jobs?q=go"},
		{"https://a.example", "GET", "B.example:80", "https://b.example/jobs?q=go"},
		{"https://a.example", "GET", "10.0.0.1", "https://a.example/jobs?q=go"},
		{"https://a.example:8443", "POST", "a.example", "https://a.example:8443/jobs?q=go"},
	} {
		pub, _ := url.Parse(tc.public)
		h := Redirect(pub, []string{"a.example", "b.example"})
		r := httptest.NewRequest(tc.method, "/jobs?q=go", nil)
		r.Host = tc.host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		code := http.StatusMovedPermanently
		if tc.method != "GET" {
			code = http.StatusPermanentRedirect
		}
		if w.Code != code || w.Header().Get("Location") != tc.target {
			t.Errorf("%s %s under %s: %d %q, want %d %q", tc.method, tc.host, tc.public, w.Code, w.Header().Get("Location"), code, tc.target)
		}
	}
}

func TestDomains(t *testing.T) {
	for _, d := range []string{"", "127.0.0.1", "a.example:443", "nodot", "a b.example"} {
		if _, err := NewACME(ACMEConfig{Domains: []string{d}}); err == nil {
			t.Errorf("%q was taken for a domain", d)
		}
	}
	a, err := NewACME(ACMEConfig{Domains: []string{"Colmena.Example", "ñandú.example"}})
	if err != nil {
		t.Fatal(err)
	}
	for host, ok := range map[string]bool{"colmena.example": true, "colmena.example:5002": true, "xn--and-6ma2c.example": true, "other.example": false} {
		if err := a.hostPolicy(t.Context(), host); (err == nil) != ok {
			t.Errorf("host policy for %q: %v", host, err)
		}
	}
}

// memCache is a CacheStore in memory.
type memCache map[string][]byte

func (m memCache) TLSCacheGet(_ context.Context, key string) ([]byte, error) {
	d, ok := m[key]
	if !ok {
		return nil, directory.NotFoundf("no %s", key)
	}
	return d, nil
}

func (m memCache) TLSCachePut(_ context.Context, key string, data []byte, _ time.Time) error {
	m[key] = data
	return nil
}

func (m memCache) TLSCacheDelete(_ context.Context, key string) error {
	delete(m, key)
	return nil
}

// TestCacheSuccess: a certificate read from the cache and not due for
// renewal (another replica renewed it) ends a failure; one due for
// renewal does not; a miss is autocert's ErrCacheMiss.
func TestCacheSuccess(t *testing.T) {
	selfSigned := func(notBefore, notAfter time.Time) []byte {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{"a.example"}, NotBefore: notBefore, NotAfter: notAfter}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	now := time.Now()
	store := memCache{
		"a.example":     selfSigned(now.Add(-80*24*time.Hour), now.Add(10*24*time.Hour)),
		"a.example+rsa": selfSigned(now.Add(-time.Hour), now.Add(90*24*time.Hour)),
	}
	tick := now
	st := newStatus(slog.New(slog.DiscardHandler), func() time.Time { tick = tick.Add(time.Second); return tick })
	c := &cache{store: store, domains: []string{"a.example"}, status: st}
	if _, err := c.Get(t.Context(), "missing"); !errors.Is(err, autocert.ErrCacheMiss) {
		t.Fatalf("a miss: %v", err)
	}
	st.fail("the CA does not answer")
	if _, err := c.Get(t.Context(), "a.example"); err != nil {
		t.Fatal(err)
	}
	if r := st.report(); r.State != "failing" {
		t.Errorf("a certificate due for renewal ended the failure: %+v", r)
	}
	if _, err := c.Get(t.Context(), "a.example+rsa"); err != nil {
		t.Fatal(err)
	}
	if r := st.report(); r.State != "ok" || len(r.Certificates) != 1 || r.Certificates[0].NotAfter.Before(now.Add(80*24*time.Hour)) {
		t.Errorf("a fresh certificate: %+v", r)
	}
}
