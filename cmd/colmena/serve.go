package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
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
	ap := federation.New(federation.Config{Service: svc, Store: store, Logger: log, Version: version,
		AllowPrivateNetwork: c.allowPrivateNetwork, RatesURL: c.ratesURL,
		Searches: federation.SearchConfig{Limit: c.searchLimit, Idle: c.searchIdle}})
	return &node{store: store, svc: svc, fed: fed, ap: ap,
		web: web.New(web.Config{Service: svc, Logger: log, Version: version, Federation: ap, TrustedProxies: c.trustedProxies,
			Currency: c.currency})}, nil
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
	n, err := openNode(ctx, c, log)
	if err != nil {
		return err
	}
	defer n.store.Close()
	return serveNode(ctx, c, n, log, stdout)
}

func serveNode(ctx context.Context, c *config, n *node, log *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", c.listen, err)
	}
	fmt.Fprintf(stdout, "Colmena node %q (@%s@%s) serving on http://%s, public URL %s\n",
		n.fed.Name, n.fed.Handle, n.svc.Links().Host(), ln.Addr(), n.svc.Links().Base())
	return serveOn(ctx, ln, n, log)
}

// serveOn serves a node on a listener, with its delivery worker, until ctx
// ends; then it stops both cleanly.
func serveOn(ctx context.Context, ln net.Listener, n *node, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           n.web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	wctx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() {
		n.ap.Run(wctx)
		close(workerDone)
	}()
	defer func() {
		stopWorker()
		<-workerDone
	}()
	log.Info("serving", slog.String("listen", ln.Addr().String()), slog.String("public_url", n.svc.Links().Base()),
		slog.String("federation", n.fed.Handle), slog.String("version", version))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}
