// Package web is Colmena's HTTP surface: the JSON API, the pages, health and
// metrics. It talks to the directory through directory.Service only.
package web

import (
	"cmp"
	"context"
	"errors"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/medama-io/go-useragent"
	"github.com/microcosm-cc/bluemonday"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
	"github.com/colmena-coop/colmena/web/worldmap"
)

// Config wires a Server.
type Config struct {
	Service *directory.Service
	Logger  *slog.Logger
	// Version is reported by /healthz and the metrics.
	Version string
	// Federation, when set, serves ActivityPub beside the pages.
	Federation *federation.Federation
	// TrustedProxies are the reverse proxies whose X-Forwarded-For or
	// Forwarded header names the client; from anyone else the peer's
	// address counts. None by default.
	TrustedProxies []netip.Prefix
	// Now is the clock of the login limits; nil means time.Now.
	Now func() time.Time
	// Currency is the node's own: pay is shown in it unless a reader
	// asks for another; DefaultCurrency when empty.
	Currency string
	// Health, when set, adds details to /healthz's answer, such as how
	// the TLS certificates stand ("tls").
	Health func() map[string]any
}

// Server serves one node.
type Server struct {
	svc      *directory.Service
	log      *slog.Logger
	version  string
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	router   *mux.Router
	hot      hotRoutes
	tmpl     map[string]*template.Template
	locales  *locales
	assets   *assets
	text     *bluemonday.Policy
	fed      *federation.Federation
	logins   *loginLimiter
	forgots  *forgotLimiter
	proxies  proxies
	now      func() time.Time
	currency string
	world    *worldmap.Map
	health   func() map[string]any
	// searchPages keeps rendered anonymous search pages (page_search.go).
	searchPages *lru.Cache[string, *renderedPage]
	// agents parses User-Agent strings, built on first use.
	agents func() *useragent.Parser
	// alertLimits counts e-mail alert requests as forgots counts reset
	// requests (api_alerts.go).
	alertLimits *forgotLimiter
}

// New builds the server and its routes.
func New(cfg Config) *Server {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{svc: cfg.Service, log: log, version: cfg.Version, registry: prometheus.NewRegistry(), fed: cfg.Federation,
		text: bluemonday.StrictPolicy(), logins: newLoginLimiter(), forgots: newForgotLimiter(), proxies: proxies(slices.Clone(cfg.TrustedProxies)), now: cfg.Now,
		currency: cmp.Or(cfg.Currency, DefaultCurrency), health: cfg.Health}
	if s.now == nil {
		s.now = time.Now
	}
	s.searchPages, _ = lru.New[string, *renderedPage](searchPagesKept)
	s.agents = sync.OnceValue(useragent.NewParser)
	s.alertLimits = newForgotLimiter()
	var err error
	// The templates, catalogues and assets are embedded: failing to load
	// them is a defect of the build, caught by every test.
	if s.tmpl, err = parseTemplates(); err != nil {
		panic(err)
	}
	if s.locales, err = loadLocales(); err != nil {
		panic(err)
	}
	if s.assets, err = loadAssets(); err != nil {
		panic(err)
	}
	if s.world, err = worldmap.Load(); err != nil {
		panic(err)
	}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "colmena_http_requests_total", Help: "HTTP requests by route, method and status code.",
	}, []string{"route", "method", "code"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "colmena_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route", "method"})
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "colmena_build_info", Help: "Always 1; the version label says which build runs.",
		ConstLabels: prometheus.Labels{"version": cfg.Version},
	})
	info.Set(1)
	s.registry.MustRegister(s.requests, s.duration, info,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.router = s.routes()
	s.hot = s.hotRoutes()
	return s
}

// Handler returns the root handler with logging, metrics and recovery.
// Every unsafe request from another site's page is refused (403): the
// forms that change things need a session cookie, which a browser would
// otherwise send along. Requests from servers and scripts, which carry
// neither Origin nor Sec-Fetch-Site, pass.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Accept"), "text/html") || r.Header.Get("Sec-Fetch-Mode") == "navigate" {
			l := s.locales.forRequest(r)
			s.showError(w, r, http.StatusForbidden, l.T("error.crossorigin.heading"), l.T("error.crossorigin.body"))
			return
		}
		writeError(w, http.StatusForbidden, "cross-origin request refused")
	}))
	return cop.Handler(http.HandlerFunc(s.serve))
}

// hotRoutes are the addresses other servers and readers ask for most
// (WebFinger, NodeInfo, a co-op's actor, the search page), found by one
// map lookup instead of the router's walk through every route's regular
// expression in turn. Each is the route the router itself matches for
// that path and GET (checked when the server is built), behind the same
// middleware, so the answer is the same either way.
type hotRoutes struct {
	// exact maps an escaped path to its route's handler.
	exact map[string]http.Handler
	// coop serves /coops/{handle}; nil when a route before it could
	// take such a path.
	coop http.Handler
}

// hotPaths are the fixed paths served through hotRoutes, when routed.
var hotPaths = []string{"/", "/.well-known/webfinger", "/.well-known/nodeinfo", "/nodeinfo/2.0", "/nodeinfo/2.1"}

// coopActorRoute is the route of a co-op's actor and page.
const coopActorRoute = "/coops/{handle}"

// hotRoutes finds the router's routes for hotPaths and wraps each in the
// middleware the router applies, labelled with its path template.
func (s *Server) hotRoutes() hotRoutes {
	hot := hotRoutes{exact: map[string]http.Handler{}}
	wrap := func(rt *mux.Route) http.Handler {
		tpl, _ := rt.GetPathTemplate()
		return s.recoverer(s.observeRoute(tpl, s.securityHeaders(s.readableInput(rt.GetHandler()))))
	}
	routed := func(path string) *mux.Route {
		var m mux.RouteMatch
		get := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path}}
		head := &http.Request{Method: http.MethodHead, URL: &url.URL{Path: path}}
		if !s.router.Match(get, &m) || m.Route == nil || m.MatchErr != nil {
			return nil
		}
		rt := m.Route
		m = mux.RouteMatch{}
		if !s.router.Match(head, &m) || m.Route != rt || m.MatchErr != nil {
			return nil
		}
		return rt
	}
	for _, p := range hotPaths {
		if rt := routed(p); rt != nil {
			hot.exact[p] = wrap(rt)
		}
	}
	// /coops/{handle} is taken by the first route whose template can
	// match /coops/NAME: the actor's, unless a route before it has two
	// segments, the first "coops" or a variable.
	_ = s.router.Walk(func(rt *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := rt.GetPathTemplate()
		if err != nil {
			return nil
		}
		if tpl == coopActorRoute {
			if routed("/coops/x") == rt {
				hot.coop = wrap(rt)
			}
			return errStopWalk
		}
		seg := strings.Split(strings.TrimPrefix(tpl, "/"), "/")
		if len(seg) == 2 && (seg[0] == "coops" || strings.HasPrefix(seg[0], "{")) {
			return errStopWalk
		}
		return nil
	})
	return hot
}

var errStopWalk = errors.New("stop")

// serve sends a hot route to its handler and everything else through
// the router.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		// The router matches the escaped path (UseEncodedPath).
		p := r.URL.EscapedPath()
		if h, ok := s.hot.exact[p]; ok {
			h.ServeHTTP(w, r)
			return
		}
		if s.hot.coop != nil && strings.HasPrefix(p, "/coops/") {
			if handle := p[len("/coops/"):]; handle != "" && handle != "." && handle != ".." && !strings.Contains(handle, "/") {
				s.hot.coop.ServeHTTP(w, mux.SetURLVars(r, map[string]string{"handle": handle}))
				return
			}
		}
	}
	s.router.ServeHTTP(w, r)
}

func (s *Server) routes() *mux.Router {
	r := mux.NewRouter()
	// Job ids may arrive URL-escaped in a path segment.
	r.UseEncodedPath()
	r.Use(s.recoverer, s.observe, s.securityHeaders, s.readableInput)

	r.HandleFunc("/healthz", s.healthz).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})).Methods(http.MethodGet)
	s.pageRoutes(r)

	// Not a PathPrefix subrouter: gorilla/mux 1.8.1 answers 404 instead of
	// 405 for a wrong method on a subrouter's route.
	s.apiRoutes(r)
	if s.fed != nil {
		s.fed.Mount(r, federation.Pages{
			Federation: s.page(s.federationPage),
			Coop:       s.page(s.coopPage),
			Job:        s.page(s.jobPage),
		})
	}
	r.NotFoundHandler = s.observe(http.HandlerFunc(s.notFound))
	r.MethodNotAllowedHandler = s.observe(http.HandlerFunc(s.methodNotAllowed))
	return r
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		s.log.ErrorContext(ctx, "health check failed", slog.Any("error", err))
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "the database does not answer"})
		return
	}
	body := map[string]any{}
	if s.health != nil {
		maps.Copy(body, s.health())
	}
	body["status"], body["version"] = "ok", s.version
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if wantsPage(r) {
		s.pageError(w, r, directory.NotFoundf("nothing is at %s", r.URL.Path))
		return
	}
	writeError(w, http.StatusNotFound, "nothing is at "+r.URL.Path)
}

// wantsPage reports whether a request for an unknown address comes from a
// person's browser, who should get a page rather than JSON.
func wantsPage(r *http.Request) bool {
	return !strings.HasPrefix(r.URL.Path, apiPrefix) && (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		strings.Contains(r.Header.Get("Accept"), "text/html")
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path)
}
