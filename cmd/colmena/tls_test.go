package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/letsencrypt/pebble/v2/ca"
	"github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
	"github.com/miekg/dns"

	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/internal/pgtest"
)

// syncBuffer is a buffer written by a running command and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// inProcess is `colmena serve` run through run, in the test's process.
type inProcess struct {
	cancel         context.CancelFunc
	done           chan int
	stdout, stderr *syncBuffer
}

// runServe starts `colmena serve` in process and waits until it says it
// serves.
func runServe(t *testing.T, env map[string]string, args ...string) *inProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &inProcess{cancel: cancel, done: make(chan int, 1), stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	go func() {
		p.done <- run(ctx, append([]string{"serve"}, args...), p.stdout, p.stderr, func(k string) string { return env[k] })
	}()
	t.Cleanup(func() {
		if p.cancel != nil {
			p.stop(t)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.stdout.String(), "serving on") {
		select {
		case code := <-p.done:
			t.Fatalf("colmena serve exited with %d: %s", code, p.stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("colmena serve did not start within 30 s: %s", p.stderr.String())
		}
	}
	return p
}

func (p *inProcess) stop(t *testing.T) {
	t.Helper()
	p.cancel()
	p.cancel = nil
	select {
	case code := <-p.done:
		if code != 0 {
			t.Errorf("colmena serve exited with %d: %s", code, p.stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Error("colmena serve did not stop within 30 s")
	}
}

// dnsServer answers every A question with 127.0.0.1 and nothing else,
// over TCP as pebble's validation authority asks.
func dnsServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{Listener: ln, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		for _, q := range r.Question {
			if q.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60},
					A: net.IPv4(127, 0, 0, 1)})
			}
		}
		_ = w.WriteMsg(m)
	})}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return ln.Addr().String()
}

// pebbleCA is pebble, Let's Encrypt's test ACME server, in process.
type pebbleCA struct {
	srv *httptest.Server
	// directory is the ACME directory URL; serverRoot the file of the
	// root its own HTTPS is checked against; roots the roots of the
	// certificates it issues.
	directory, serverRoot string
	roots                 *x509.CertPool
	log                   *syncBuffer
}

// startPebble runs pebble on 127.0.0.1; its validation authority resolves
// every name to 127.0.0.1 and checks http-01 on httpPort and tls-alpn-01
// on tlsPort.
func startPebble(t *testing.T, httpPort, tlsPort int) *pebbleCA {
	t.Helper()
	logs := &syncBuffer{}
	logger := log.New(logs, "pebble ", log.Lmicroseconds)
	store := db.NewMemoryStore()
	authority := ca.New(logger, store, "", "ecdsa", 0, 1, map[string]ca.Profile{"default": {Description: "the default profile"}})
	v := va.New(logger, httpPort, tlsPort, false, dnsServer(t), store)
	front := wfe.New(logger, store, v, authority, []string{"pebble.letsencrypt.org"}, false, false, 0, 0)
	srv := httptest.NewTLSServer(front.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("pebble's log:\n%s", logs.String())
		}
	})
	serverRoot := filepath.Join(t.TempDir(), "pebble-server.pem")
	writePEM(t, serverRoot, "CERTIFICATE", srv.Certificate().Raw)
	roots := x509.NewCertPool()
	roots.AddCert(authority.GetRootCert(0).Cert)
	return &pebbleCA{srv: srv, directory: srv.URL + wfe.DirectoryPath, serverRoot: serverRoot, roots: roots, log: logs}
}

func writePEM(t *testing.T, path, typ string, blocks ...[]byte) {
	t.Helper()
	var b bytes.Buffer
	for _, der := range blocks {
		if err := pem.Encode(&b, &pem.Block{Type: typ, Bytes: der}); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func freePortNumber(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// httpsClient checks certificates against roots and sends every request,
// whatever its host, to addr.
func httpsClient(roots *x509.CertPool, addr string) *http.Client {
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}
	return &http.Client{Transport: tr, Timeout: 90 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// health is /healthz's answer.
type health struct {
	Status string `json:"status"`
	TLS    *struct {
		State        string `json:"state"`
		Error        string `json:"error"`
		Certificates []struct {
			Domain   string    `json:"domain"`
			NotAfter time.Time `json:"not_after"`
		} `json:"certificates"`
	} `json:"tls"`
}

// getHealth asks /healthz over HTTPS and returns the answer and the
// certificate served.
func getHealth(t *testing.T, c *http.Client, url string) (health, *x509.Certificate, error) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		return health{}, nil, err
	}
	defer resp.Body.Close()
	var h health
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatalf("GET %s: %d, %v", url, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || resp.TLS == nil {
		t.Fatalf("GET %s: %d %+v", url, resp.StatusCode, h)
	}
	return h, resp.TLS.PeerCertificates[0], nil
}

// eventually polls cond for up to 90 s.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; last: %s", what, last)
}

// TestTLSByACME, on each engine: `colmena serve --tls-domain` gets a certificate from a
// real ACME server (pebble) through the http-01 challenge on its plain
// HTTP listener, serves HTTPS with it, redirects plain HTTP, records
// https://DOMAIN as its public URL for the admin commands, and keeps the
// certificate in the database: a node started again with the CA gone
// serves the same certificate, as a replica sharing the database would.
func TestTLSByACME(t *testing.T) {
	t.Parallel()
	engines := map[string]string{"sqlite": ""}
	if os.Getenv(pgtest.EnvVar) != "" || os.Getenv("CI") == "true" {
		engines["postgres"] = pgtest.URL(t)
	}
	for engine, url := range engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := url
			if db == "" {
				db = "sqlite:" + filepath.Join(t.TempDir(), "colmena.db")
			}
			tlsByACME(t, db)
		})
	}
}

func tlsByACME(t *testing.T, db string) {
	httpPort, httpsPort := freePortNumber(t), freePortNumber(t)
	// tls-alpn-01 is checked on a port where nothing listens: it fails,
	// and the certificate comes by http-01 on the redirect listener.
	pebble := startPebble(t, httpPort, freePortNumber(t))
	httpsAddr := net.JoinHostPort("127.0.0.1", itoa(httpsPort))
	httpAddr := net.JoinHostPort("127.0.0.1", itoa(httpPort))
	env := map[string]string{"COLMENA_ACME_CA_ROOT": pebble.serverRoot, "COLMENA_HTTP_LISTEN": httpAddr}
	node := runServe(t, env, "--database", db, "--listen", httpsAddr, "--tls-domain", "colmena.test",
		"--acme-directory", pebble.directory, "--name", "EthiX")
	if !strings.Contains(node.stdout.String(), "public URL https://colmena.test\n") {
		t.Errorf("the public URL is not https://DOMAIN: %q", node.stdout.String())
	}
	client := httpsClient(pebble.roots, httpsAddr)
	var leaf *x509.Certificate
	eventually(t, "HTTPS with a certificate from pebble", func() (bool, string) {
		h, cert, err := getHealth(t, client, "https://colmena.test/healthz")
		if err != nil {
			return false, err.Error()
		}
		leaf = cert
		return h.TLS != nil && h.TLS.State == "ok" && len(h.TLS.Certificates) == 1 && h.TLS.Certificates[0].Domain == "colmena.test",
			node.stderr.String()
	})
	// pebble validated the domain over plain HTTP, on the redirect listener.
	if l := pebble.log.String(); !strings.Contains(l, "Attempting to validate w/ HTTP: http://colmena.test:"+itoa(httpPort)+"/.well-known/acme-challenge/") ||
		!strings.Contains(l, "set VALID by completed challenge") {
		t.Errorf("no http-01 validation in pebble's log:\n%s", l)
	}
	if !slices.Equal(leaf.DNSNames, []string{"colmena.test"}) || !strings.Contains(leaf.Issuer.CommonName, "Pebble") {
		t.Errorf("served certificate: names %v, issuer %q", leaf.DNSNames, leaf.Issuer.CommonName)
	}

	// Plain HTTP: redirected to HTTPS, except the health check.
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct{ method, host, path string }{
		{http.MethodGet, "colmena.test", "/coops?country=AR"}, {http.MethodPost, "colmena.test:80", "/login"},
		{http.MethodGet, "other.example", "/stats"},
	} {
		req, _ := http.NewRequest(tc.method, "http://"+httpAddr+tc.path, nil)
		req.Host = tc.host
		resp, err := plain.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := http.StatusMovedPermanently
		if tc.method != http.MethodGet {
			want = http.StatusPermanentRedirect
		}
		if resp.StatusCode != want || resp.Header.Get("Location") != "https://colmena.test"+tc.path {
			t.Errorf("%s http://%s%s: %d %q", tc.method, tc.host, tc.path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if resp, err := http.Get("http://" + httpAddr + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz over plain HTTP: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	node.stop(t)

	// The admin commands print links under the URL the node served on.
	var out, errb bytes.Buffer
	if code := run(t.Context(), []string{"admin", "user", "create", "--email", "admin@ethix.example", "--admin", "--database", db},
		&out, &errb, func(string) string { return "" }); code != 0 ||
		!strings.Contains(out.String(), "\nhttps://colmena.test/password?token=") {
		t.Fatalf("admin user create: %d %q %q", code, out.String(), errb.String())
	}

	// The certificate lives in the database: with the CA gone, a node
	// started again serves it.
	pebble.srv.Close()
	node = runServe(t, env, "--database", db, "--listen", httpsAddr, "--tls-domain", "colmena.test",
		"--acme-directory", pebble.directory)
	_, again, err := getHealth(t, httpsClient(pebble.roots, httpsAddr), "https://colmena.test/healthz")
	if err != nil {
		t.Fatal(err)
	}
	if !again.Equal(leaf) {
		t.Errorf("another certificate after a restart: serial %v, was %v", again.SerialNumber, leaf.SerialNumber)
	}
	node.stop(t)
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// testCA is a certificate authority made by a test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Colmena test root"},
		NotBefore: time.Now().Add(-365 * 24 * time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// issue makes a certificate for name valid from notBefore to notAfter;
// it returns the certificate's DER and the key's PKCS #8 and SEC 1 DER.
func (ca *testCA) issue(t *testing.T, name string, serial int64, notBefore, notAfter time.Time) (cert, pkcs8, sec1 []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if cert, err = x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key); err != nil {
		t.Fatal(err)
	}
	if pkcs8, err = x509.MarshalPKCS8PrivateKey(key); err != nil {
		t.Fatal(err)
	}
	if sec1, err = x509.MarshalECPrivateKey(key); err != nil {
		t.Fatal(err)
	}
	return cert, pkcs8, sec1
}

// TestACMEFailure: a node whose certificate is due for renewal and whose
// CA does not answer keeps serving the certificate it has, and /healthz
// says renewing fails and why.
func TestACMEFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "colmena.db")
	// A certificate with ten of its seventy days left, in the database's
	// ACME cache as autocert keeps it: the key, then the chain.
	ca := newTestCA(t)
	cert, _, sec1 := ca.issue(t, "colmena.test", 7, time.Now().Add(-60*24*time.Hour), time.Now().Add(10*24*time.Hour))
	var data bytes.Buffer
	_ = pem.Encode(&data, &pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})
	_ = pem.Encode(&data, &pem.Block{Type: "CERTIFICATE", Bytes: cert})
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.TLSCachePut(t.Context(), "colmena.test", data.Bytes(), time.Now()); err != nil {
		t.Fatal(err)
	}
	st.Close()

	httpsAddr := "127.0.0.1:" + freePort(t)
	deadCA := "https://127.0.0.1:" + freePort(t) + "/dir"
	node := runServe(t, nil, "--database", "sqlite:"+path, "--listen", httpsAddr, "--http-listen", "off",
		"--tls-domain", "colmena.test", "--acme-directory", deadCA)
	client := httpsClient(ca.pool, httpsAddr)
	eventually(t, "/healthz to report the failing renewal", func() (bool, string) {
		h, served, err := getHealth(t, client, "https://colmena.test/healthz")
		if err != nil {
			return false, err.Error()
		}
		if served.SerialNumber.Int64() != 7 {
			t.Fatalf("served certificate %v, not the one in the database", served.SerialNumber)
		}
		return h.Status == "ok" && h.TLS != nil && h.TLS.State == "failing" && strings.Contains(h.TLS.Error, "cannot reach the ACME server"),
			node.stderr.String()
	})
	if !strings.Contains(node.stderr.String(), "cannot reach the ACME server") {
		t.Errorf("the failure is not logged: %s", node.stderr.String())
	}
	node.stop(t)
}

// TestTLSFiles: --tls-cert and --tls-key serve a certificate the operator
// has, loaded again when the files change; a broken pair leaves the last
// good one in service and /healthz says why.
func TestTLSFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ca := newTestCA(t)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	write := func(serial int64) {
		t.Helper()
		cert, pkcs8, _ := ca.issue(t, "files.test", serial, time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour))
		writePEM(t, keyFile, "PRIVATE KEY", pkcs8)
		writePEM(t, certFile, "CERTIFICATE", cert)
	}
	write(1)
	port := freePort(t)
	httpAddr := "127.0.0.1:" + freePort(t)
	node := runServe(t, map[string]string{"COLMENA_TLS_CERT": certFile, "COLMENA_TLS_KEY": keyFile},
		"--database", "sqlite:"+filepath.Join(dir, "colmena.db"), "--listen", "127.0.0.1:"+port, "--http-listen", httpAddr)
	if !strings.Contains(node.stdout.String(), "public URL https://files.test:"+port+"\n") {
		t.Errorf("public URL: %q", node.stdout.String())
	}
	client := httpsClient(ca.pool, "127.0.0.1:"+port)
	served := func(want int64, state string) func() (bool, string) {
		return func() (bool, string) {
			// A new connection each time: the files are looked at on
			// new connections.
			client.CloseIdleConnections()
			h, cert, err := getHealth(t, client, "https://files.test/healthz")
			if err != nil {
				return false, err.Error()
			}
			return cert.SerialNumber.Int64() == want && h.TLS != nil && h.TLS.State == state,
				cert.SerialNumber.String() + " " + node.stderr.String()
		}
	}
	eventually(t, "the first certificate", served(1, "ok"))
	write(2)
	eventually(t, "the new certificate", served(2, "ok"))
	if err := os.WriteFile(keyFile, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the broken pair reported", served(2, "failing"))

	req, _ := http.NewRequest(http.MethodGet, "http://"+httpAddr+"/jobs", nil)
	req.Host = "files.test"
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "https://files.test:"+port+"/jobs" {
		t.Errorf("redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// `colmena healthcheck` with the node's variables asks the plain
	// HTTP listener.
	var out, errb bytes.Buffer
	env := map[string]string{"COLMENA_TLS_CERT": certFile, "COLMENA_LISTEN": "127.0.0.1:" + port, "COLMENA_HTTP_LISTEN": httpAddr}
	if code := run(t.Context(), []string{"healthcheck"}, &out, &errb, func(k string) string { return env[k] }); code != 0 || out.String() != "ok\n" {
		t.Errorf("healthcheck: %d %q %q", code, out.String(), errb.String())
	}
	node.stop(t)
}
