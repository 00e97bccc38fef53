package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
	"github.com/colmena-coop/colmena/internal/certs"
	"github.com/colmena-coop/colmena/mail"
	"github.com/colmena-coop/colmena/web"
)

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// node is a wired node: store, service and HTTP server.
type node struct {
	store directory.Store
	svc   *directory.Service
	web   *web.Server
	fed   *directory.Federation
	ap    *federation.Federation
	// mail sends the outbox; nil without SMTP.
	mail *mail.Outbox
}

func openNode(ctx context.Context, c *config, log *slog.Logger) (*node, error) {
	links, err := directory.NewLinks(c.publicURL)
	if err != nil {
		return nil, usageError{msg: "colmena: --" + directory.SafeMessage(err)}
	}
	store, err := openStore(ctx, c.database)
	if err != nil {
		return nil, err
	}
	svc := directory.NewService(store, links, time.Now)
	svc.SetLogger(log)
	fed, err := svc.Init(ctx, directory.FederationSettings{Name: c.name, Handle: c.handle})
	if err != nil {
		store.Close()
		if directory.KindOf(err) == directory.KindInvalid {
			return nil, usageError{msg: "colmena: --" + directory.SafeMessage(err)}
		}
		return nil, err
	}
	// Admin commands run beside the node print links under this URL.
	if err := svc.RecordPublicURL(ctx); err != nil {
		store.Close()
		return nil, err
	}
	ap := federation.New(federation.Config{Service: svc, Store: store, Logger: log, Version: version,
		AllowPrivateNetwork: c.allowPrivateNetwork, RatesURL: c.ratesURL,
		Searches: federation.SearchConfig{Limit: c.searchLimit, Idle: c.searchIdle}})
	outbox := newOutbox(c.smtp, store, links, fed.Name, log)
	if outbox != nil {
		svc.SetMailer(outbox)
	}
	return &node{store: store, svc: svc, fed: fed, ap: ap, mail: outbox,
		web: web.New(web.Config{Service: svc, Logger: log, Version: version, Federation: ap, TrustedProxies: c.trustedProxies,
			Currency: c.currency, Health: c.health})}, nil
}

// certSource is where HTTPS certificates come from: ACME or files.
type certSource interface {
	TLSConfig() *tls.Config
	Report() certs.Report
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flagSet("serve")
	c, finish := nodeFlags(fs, getenv)
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if err := finish(); err != nil {
		return err
	}
	log := newLogger(c.logFormat, stderr)
	var src certSource
	var files *certs.Files
	if c.tls.certFile != "" {
		var err error
		if files, err = certs.LoadFiles(c.tls.certFile, c.tls.keyFile, log); err != nil {
			return err
		}
		src = files
		if !c.publicURLGiven {
			c.publicURL = filesPublicURL(files, c.listen)
		}
	}
	if c.tls.on() {
		// src is set before the node serves anything.
		c.health = func() map[string]any { return map[string]any{"tls": src.Report()} }
	}
	n, err := openNode(ctx, c, log)
	if err != nil {
		return err
	}
	defer n.store.Close()
	if len(c.tls.domains) > 0 {
		acme, err := newACME(c, n.store, log)
		if err != nil {
			return err
		}
		src = acme
	}
	return serveNode(ctx, c, n, log, stdout, src)
}

// filesPublicURL is the public URL of a node serving a certificate it was
// given: https on the certificate's first name.
func filesPublicURL(f *certs.Files, listen string) string {
	r := f.Report()
	host := "localhost"
	if len(r.Certificates) > 0 && r.Certificates[0].Domain != "" {
		host = r.Certificates[0].Domain
	}
	if _, port, err := net.SplitHostPort(listen); err == nil && port != "443" {
		host = net.JoinHostPort(host, port)
	}
	return "https://" + host
}

func newACME(c *config, store directory.Store, log *slog.Logger) (*certs.ACME, error) {
	cfg := certs.ACMEConfig{Domains: c.tls.domains, DirectoryURL: c.tls.acmeDirectory, Email: c.tls.acmeEmail,
		Cache: store, Logger: log}
	if c.tls.acmeCARoot != "" {
		pemData, err := os.ReadFile(c.tls.acmeCARoot)
		if err != nil {
			return nil, fmt.Errorf("--acme-ca-root: %w", err)
		}
		cfg.Roots = x509.NewCertPool()
		if !cfg.Roots.AppendCertsFromPEM(pemData) {
			return nil, fmt.Errorf("--acme-ca-root %s holds no PEM certificate", c.tls.acmeCARoot)
		}
	}
	a, err := certs.NewACME(cfg)
	if err != nil {
		return nil, usageError{msg: "colmena: --tls-domain: " + err.Error()}
	}
	return a, nil
}

func serveNode(ctx context.Context, c *config, n *node, log *slog.Logger, stdout io.Writer, src certSource) error {
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", c.listen, err)
	}
	var tl *tlsListeners
	scheme := "http"
	if src != nil {
		scheme = "https"
		tl = &tlsListeners{config: src.TLSConfig()}
		if c.tls.httpListen != "" {
			if tl.http, err = net.Listen("tcp", c.tls.httpListen); err != nil {
				ln.Close()
				return fmt.Errorf("cannot listen on %s (--http-listen): %w", c.tls.httpListen, err)
			}
			pub, _ := url.Parse(n.svc.Links().Base())
			redirect := certs.Redirect(pub, c.tls.domains)
			mux := http.NewServeMux()
			// Health checks from the same host need no certificate.
			mux.Handle("/healthz", n.web.Handler())
			mux.Handle("/", redirect)
			tl.handler = mux
			if a, ok := src.(*certs.ACME); ok {
				tl.handler = a.HTTPHandler(mux)
			}
		}
	}
	fmt.Fprintf(stdout, "Colmena node %q (@%s@%s) serving on %s://%s, public URL %s\n",
		n.fed.Name, n.fed.Handle, n.svc.Links().Host(), scheme, ln.Addr(), n.svc.Links().Base())
	if tl != nil && tl.http != nil {
		fmt.Fprintf(stdout, "Redirecting http://%s to HTTPS\n", tl.http.Addr())
	}
	if a, ok := src.(*certs.ACME); ok {
		// The listeners are open: the CA's checks queue until they serve.
		a.Start()
	}
	return serveTLSOn(ctx, ln, n, log, tl)
}

// tlsListeners are what a node serving HTTPS itself adds: the TLS
// configuration of its main listener and, when set, a plain HTTP
// listener for ACME challenges and redirects.
type tlsListeners struct {
	config  *tls.Config
	http    net.Listener
	handler http.Handler
}

// serveOn serves a node on a listener, with its delivery worker, until ctx
// ends; then it stops both cleanly.
func serveOn(ctx context.Context, ln net.Listener, n *node, log *slog.Logger) error {
	return serveTLSOn(ctx, ln, n, log, nil)
}

func serveTLSOn(ctx context.Context, ln net.Listener, n *node, log *slog.Logger, tl *tlsListeners) error {
	errLog := slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	srv := &http.Server{
		Handler:           n.web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          errLog,
	}
	servers := []*http.Server{srv}
	errc := make(chan error, 2)
	if tl != nil {
		srv.TLSConfig = tl.config
		go func() { errc <- srv.ServeTLS(ln, "", "") }()
		if tl.http != nil {
			plain := &http.Server{Handler: tl.handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
				WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10, ErrorLog: errLog}
			servers = append(servers, plain)
			go func() { errc <- plain.Serve(tl.http) }()
		}
	} else {
		go func() { errc <- srv.Serve(ln) }()
	}
	wctx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() {
		n.ap.Run(wctx)
		close(workerDone)
	}()
	if n.mail != nil {
		mailDone := make(chan struct{})
		go func() {
			n.mail.Run(wctx)
			close(mailDone)
		}()
		defer func() { <-mailDone }()
		alertsDone := make(chan struct{})
		go func() {
			n.svc.RunAlerts(wctx, alertsEvery)
			close(alertsDone)
		}()
		defer func() { <-alertsDone }()
	}
	defer func() {
		stopWorker()
		<-workerDone
	}()
	log.Info("serving", slog.String("listen", ln.Addr().String()), slog.String("public_url", n.svc.Links().Base()),
		slog.String("federation", n.fed.Handle), slog.String("version", version))
	var served error
	select {
	case served = <-errc:
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var errs []error
	for _, s := range servers {
		if err := s.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("shutting down: %w", err))
		}
	}
	if served != nil && !errors.Is(served, http.ErrServerClosed) {
		return served
	}
	return errors.Join(errs...)
}

// alertsEvery is how often a node queues the e-mail alerts due: an
// instant alert goes within it.
const alertsEvery = time.Minute

// newOutbox makes the mail outbox of a node with SMTP settings; nil
// without them.
func newOutbox(s *mail.SMTP, store directory.Store, links directory.Links, name string, log *slog.Logger) *mail.Outbox {
	if s == nil {
		return nil
	}
	return mail.New(mail.Config{Store: store, Sender: s, Links: links, Node: name, Log: log})
}
