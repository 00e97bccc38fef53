package certs

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// fileCheckEvery is how often, at most, the files are looked at again
// for a change: on a new connection, never in between.
const fileCheckEvery = time.Second

// Files serves a certificate and key that the operator keeps in two PEM
// files, loaded again when either file changes. A pair that does not load
// leaves the previous one in service and is reported.
type Files struct {
	certPath, keyPath string
	status            *status

	mu        sync.Mutex
	cert      *tls.Certificate
	stamp     string
	failed    string
	checkedAt time.Time
}

// LoadFiles reads the certificate (with its chain) and key; it fails
// when they do not load now.
func LoadFiles(certPath, keyPath string, log *slog.Logger) (*Files, error) {
	f := &Files{certPath: certPath, keyPath: keyPath, status: newStatus(log, time.Now)}
	stamp, err := f.stampNow()
	if err != nil {
		return nil, fmt.Errorf("TLS certificate: %w", err)
	}
	cert, err := f.load()
	if err != nil {
		return nil, err
	}
	f.checkedAt = time.Now()
	f.use(cert, stamp)
	return f, nil
}

func (f *Files) stampNow() (string, error) {
	var stamp string
	for _, p := range []string{f.certPath, f.keyPath} {
		info, err := os.Stat(p)
		if err != nil {
			return "", err
		}
		stamp += fmt.Sprintf("%d/%d;", info.ModTime().UnixNano(), info.Size())
	}
	return stamp, nil
}

func (f *Files) load() (*tls.Certificate, error) {
	cert, err := tls.LoadX509KeyPair(f.certPath, f.keyPath)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate %s with key %s: %w", f.certPath, f.keyPath, err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("TLS certificate %s: %w", f.certPath, err)
	}
	cert.Leaf = leaf
	return &cert, nil
}

// use puts a loaded pair in service.
func (f *Files) use(cert *tls.Certificate, stamp string) {
	f.cert, f.stamp, f.failed = cert, stamp, ""
	name := cert.Leaf.Subject.CommonName
	if len(cert.Leaf.DNSNames) > 0 {
		name = cert.Leaf.DNSNames[0]
	}
	f.status.mu.Lock()
	clear(f.status.served)
	f.status.mu.Unlock()
	f.status.serving(name, cert.Leaf.NotAfter)
	f.status.ok()
}

// GetCertificate is the tls.Config hook: the current pair, loaded again
// first if a file changed.
func (f *Files) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if time.Since(f.checkedAt) < fileCheckEvery {
		return f.cert, nil
	}
	f.checkedAt = time.Now()
	stamp, err := f.stampNow()
	if err != nil {
		stamp = "unreadable: " + err.Error()
	}
	// A pair that failed is tried again once a file changes, as when
	// the second of the two files is written.
	if stamp == f.stamp || stamp == f.failed {
		return f.cert, nil
	}
	cert, err := f.load()
	if err != nil {
		f.failed = stamp
		f.status.fail(err.Error())
		return f.cert, nil
	}
	f.use(cert, stamp)
	f.status.log.Info("TLS certificate loaded again", slog.String("cert", f.certPath), slog.Time("not_after", cert.Leaf.NotAfter))
	return f.cert, nil
}

// TLSConfig is the server's TLS configuration.
func (f *Files) TLSConfig() *tls.Config {
	return &tls.Config{GetCertificate: f.GetCertificate, NextProtos: []string{"h2", "http/1.1"}, MinVersion: tls.VersionTLS12}
}

// Report says how the certificate stands.
func (f *Files) Report() Report { return f.status.report() }
