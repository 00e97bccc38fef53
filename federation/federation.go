// Package federation is Colmena's ActivityPub side: the node's actors and
// objects as ActivityStreams, WebFinger and NodeInfo, the signed inbox, and
// the delivery of activities to followers. It reads and writes through the
// directory and imports nothing of the web layer.
//
// Where things are:
//   - Serving: handlers.go (routes, actors, notes, collections),
//     discovery.go (WebFinger, NodeInfo), actors.go and note.go (the node's
//     actors and jobs as ActivityStreams), activitystreams.go (the document
//     structs), ids.go (every IRI the node mints), errors.go (errors to
//     HTTP statuses).
//   - Receiving: inbox.go (checks and dispatch), decode.go, shape.go (the
//     bounds of remote JSON), seen.go (activity ids applied once),
//     signature.go, remote.go (other servers' actors and keys),
//     keyfetch.go (the bounded fetching of signing keys), then one
//     file per activity type: follow.go, undo.go, accept_reject.go, create.go,
//     update.go, delete.go, announce.go, add_remove.go.
//   - Sending: worker.go (the worker's loops and their wakeup), outbox.go
//     (outbox events to activities), delivery.go (the delivery queue:
//     attempts, retries, dead letters), dispatch.go (POSTs started as
//     slots free up), hosts.go (per-host limits and circuit breaker),
//     client.go (signed HTTP out), keys.go.
//   - Aggregating other nodes: nodefollow.go and coopfollow.go (the
//     follows the node and its co-ops send), resolve.go (handles to
//     actors), backfill.go and paging.go (importing what a followed actor
//     has), aggregate.go and ingest.go (remote documents stored as
//     directory rows).
//   - admin.go: domain blocks, members hosted elsewhere, deliveries;
//     blocks.go: domain blocks applied to what comes in and goes out.
//   - followcheck.go: the periodic check that finds the node's follows
//     broken (a peer set up afresh, gone, or no longer counting it).
//   - rates.go: the exchange rates fetched daily from a rates URL;
//     expire.go: local jobs past their valid_through closed with a Delete.
package federation

import (
	"crypto/rsa"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/colmena-coop/colmena/directory"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// Config wires a Federation.
type Config struct {
	Service *directory.Service
	Store   directory.Store
	Logger  *slog.Logger
	Version string
	// AllowPrivateNetwork lets outbound requests reach loopback and
	// private addresses (demo and tests only).
	AllowPrivateNetwork bool
	// Now is the clock; KeyGen makes actor keys. Both have defaults.
	Now    func() time.Time
	KeyGen func() (*rsa.PrivateKey, error)
	// Transport replaces the outbound HTTP transport (tests).
	Transport http.RoundTripper
	// Delivery tunes the worker; zero values take defaults.
	Delivery DeliveryConfig
	// RatesURL, when set, serves a rates document the worker fetches at
	// start and every RatesEvery (DefaultRatesEvery when zero).
	RatesURL   string
	RatesEvery time.Duration
	// FollowCheckEvery is how often each of the node's follows is
	// checked (followcheck.go); DefaultFollowCheckEvery when zero.
	FollowCheckEvery time.Duration
	// Searches bounds the search actors (searches.go).
	Searches SearchConfig
}

// Federation serves and sends ActivityPub for one node.
type Federation struct {
	svc     *directory.Service
	store   directory.Store
	links   directory.Links
	log     *slog.Logger
	version string
	now     func() time.Time
	keyGen  func() (*rsa.PrivateKey, error)
	client  *Client
	deliver DeliveryConfig
	// wake tells the worker's loops there may be work.
	wake  *wakeup
	mdown *markdown
	// allowPrivate also lets WebFinger fall back to plain http (demo and
	// tests on loopback).
	allowPrivate bool
	// backfillRetry holds, per follow id, when a failed backfill may be
	// tried again.
	backfillRetry sync.Map
	// nextPrune is when (Unix nanoseconds) pruneSeen may run again.
	nextPrune atomic.Int64
	// nextExpire is when (Unix nanoseconds) expireJobs may run again.
	nextExpire atomic.Int64
	// keys bounds the fetching of signing keys (keyfetch.go).
	keys *keyFetches
	// docs caches rendered actors and WebFinger answers (doccache.go).
	docs *docCache
	// usageCache holds the last *usage NodeInfo reported (discovery.go).
	usageCache atomic.Value
	// ownKeys holds the local actors' parsed keys (keys.go).
	ownKeys    *lru.Cache[string, *ownKey]
	keyFlight  singleflight.Group
	ratesURL   string
	ratesEvery time.Duration
	// followCheckEvery is how often each follow is checked.
	followCheckEvery time.Duration
	searches         SearchConfig
	// nextCollect is when (Unix nanoseconds) collectSearches may run again.
	nextCollect atomic.Int64
}

func (f *Federation) md() *markdown { return f.mdown }

// New wires a Federation.
func New(cfg Config) *Federation {
	f := &Federation{
		svc: cfg.Service, store: cfg.Store, links: cfg.Service.Links(), log: cfg.Logger, version: cfg.Version,
		now: cfg.Now, keyGen: cfg.KeyGen, deliver: cfg.Delivery.withDefaults(), wake: newWakeup(), mdown: newMarkdown(), allowPrivate: cfg.AllowPrivateNetwork,
		keys: newKeyFetches(), ownKeys: newOwnKeyCache(),
		ratesURL: cfg.RatesURL, ratesEvery: cfg.RatesEvery, followCheckEvery: cfg.FollowCheckEvery,
		searches: cfg.Searches.withDefaults(),
	}
	f.docs = newDocCache(f)
	if f.followCheckEvery <= 0 {
		f.followCheckEvery = DefaultFollowCheckEvery
	}
	if f.ratesEvery <= 0 {
		f.ratesEvery = DefaultRatesEvery
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	if f.now == nil {
		f.now = time.Now
	}
	if f.keyGen == nil {
		f.keyGen = GenerateKey
	}
	f.client = NewClient(ClientConfig{
		AllowPrivateNetwork: cfg.AllowPrivateNetwork, Transport: cfg.Transport,
		UserAgent: "Colmena/" + cfg.Version + " (+" + f.links.Base() + ")", Now: f.now,
		Signer: f.instanceSigner,
	})
	return f
}
