package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
	"golang.org/x/net/idna"
)

// LetsEncrypt is the default ACME directory.
const LetsEncrypt = acme.LetsEncryptURL

// ACMEConfig configures certificates from an ACME CA.
type ACMEConfig struct {
	// Domains are the names certificates are asked for; the first is
	// served to clients that name none.
	Domains []string
	// DirectoryURL is the CA's ACME directory; LetsEncrypt when empty.
	DirectoryURL string
	// Email, when set, is given to the CA for the account, so that it
	// can warn of expiring certificates and problems.
	Email string
	// Roots, when set, are the only roots trusted for the CA's own HTTPS
	// (for a private CA); nil means the system's.
	Roots *x509.CertPool
	// Cache keeps the account key and certificates: in the node's
	// database, so that replicas share them.
	Cache  CacheStore
	Logger *slog.Logger
}

// ACME gets certificates from an ACME CA and renews them before they
// expire (autocert renews a third of the validity, at most 30 days,
// before the end). A failure is logged with its reason and reported; the
// certificate obtained last stays in service until it expires.
type ACME struct {
	m       *autocert.Manager
	domains []string
	status  *status
	log     *slog.Logger
}

// NewACME checks the domains and builds the manager; nothing is asked of
// the CA until Start or the first TLS connection.
func NewACME(cfg ACMEConfig) (*ACME, error) {
	if len(cfg.Domains) == 0 {
		return nil, errors.New("no domain to get a certificate for")
	}
	domains := make([]string, 0, len(cfg.Domains))
	for _, d := range cfg.Domains {
		a, err := idna.Lookup.ToASCII(strings.TrimSpace(d))
		if err != nil || a == "" || strings.Contains(a, ":") || net.ParseIP(a) != nil || !strings.Contains(strings.Trim(a, "."), ".") && a != "localhost" {
			return nil, fmt.Errorf("%q is not a domain name such as colmena.example.org", d)
		}
		domains = append(domains, strings.ToLower(a))
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st := newStatus(log, time.Now)
	base := http.DefaultTransport.(*http.Transport).Clone()
	if cfg.Roots != nil {
		base.TLSClientConfig = &tls.Config{RootCAs: cfg.Roots, MinVersion: tls.VersionTLS12}
	}
	client := &acme.Client{
		DirectoryURL: cfg.DirectoryURL,
		HTTPClient:   &http.Client{Transport: &recorder{base: base, status: st}, Timeout: time.Minute},
		UserAgent:    "colmena",
	}
	if client.DirectoryURL == "" {
		client.DirectoryURL = LetsEncrypt
	}
	a := &ACME{domains: domains, status: st, log: log}
	a.m = &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      &cache{store: cfg.Cache, domains: domains, status: st},
		HostPolicy: a.hostPolicy,
		Client:     client,
		Email:      cfg.Email,
	}
	return a, nil
}

// hostPolicy allows the configured domains only, with or without a port
// (an http-01 check made to another port than 80 names it).
func (a *ACME) hostPolicy(_ context.Context, host string) error {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if slices.Contains(a.domains, strings.ToLower(host)) {
		return nil
	}
	return fmt.Errorf("no certificate is served for %q", host)
}

// GetCertificate is the tls.Config hook. A client naming no host gets
// the first domain's certificate.
func (a *ACME) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	h := *hello
	if h.ServerName == "" {
		h.ServerName = a.domains[0]
	}
	name := strings.ToLower(h.ServerName)
	cert, err := a.m.GetCertificate(&h)
	if err != nil {
		if slices.Contains(a.domains, name) && !isChallenge(&h) {
			a.status.fail(fmt.Sprintf("no certificate for %s: %v", name, err))
		}
		return nil, err
	}
	if cert.Leaf != nil && slices.Contains(a.domains, name) && !isChallenge(&h) {
		a.status.serving(name, cert.Leaf.NotAfter)
	}
	return cert, nil
}

func isChallenge(h *tls.ClientHelloInfo) bool {
	return len(h.SupportedProtos) == 1 && h.SupportedProtos[0] == acme.ALPNProto
}

// TLSConfig is the HTTPS server's configuration; it answers tls-alpn-01
// challenges too.
func (a *ACME) TLSConfig() *tls.Config {
	return &tls.Config{GetCertificate: a.GetCertificate, NextProtos: []string{"h2", "http/1.1", acme.ALPNProto},
		MinVersion: tls.VersionTLS12}
}

// HTTPHandler answers http-01 challenges and hands everything else to
// next.
func (a *ACME) HTTPHandler(next http.Handler) http.Handler { return a.m.HTTPHandler(next) }

// Start gets (or loads from the cache) each domain's certificate in the
// background, so that the first visitor does not wait and renewals are
// scheduled from the start. It returns at once.
func (a *ACME) Start() {
	for _, d := range a.domains {
		go func() {
			// A modern client's hello: the certificate asked for is
			// the ECDSA one browsers get.
			hello := &tls.ClientHelloInfo{
				ServerName:       d,
				CipherSuites:     []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
				SupportedCurves:  []tls.CurveID{tls.CurveP256},
				SignatureSchemes: []tls.SignatureScheme{tls.ECDSAWithP256AndSHA256},
			}
			cert, err := a.GetCertificate(hello)
			if err != nil {
				return
			}
			leaf := cert.Leaf
			// A certificate due for renewal is not a success yet:
			// the renewal autocert starts now decides.
			if leaf != nil && !dueForRenewal(leaf, time.Now()) {
				a.status.ok()
			}
			if leaf != nil {
				a.log.Info("TLS certificate in service", slog.String("domain", d), slog.Time("not_after", leaf.NotAfter))
			}
		}()
	}
}

// Report says how the certificates stand.
func (a *ACME) Report() Report { return a.status.report() }
