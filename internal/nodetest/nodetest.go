// Package nodetest runs real Colmena nodes in-process for tests: each node
// has its own store, serves pages, the API and ActivityPub over HTTP on
// 127.0.0.1, and runs its delivery worker, so that several nodes can
// federate with one another inside one test.
package nodetest

import (
	"context"
	"crypto/rsa"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
	"github.com/colmena-coop/colmena/internal/teststore"
	"github.com/colmena-coop/colmena/mail"
	"github.com/colmena-coop/colmena/web"
)

// DefaultKeys is how many keys a KeyPool holds when its Size is zero.
const DefaultKeys = 4

// KeyPool hands out a few RSA-2048 keys, made on first use and then reused
// in turn: making one per actor would dominate a test's time. Its zero
// value is ready to use. Share one pool between the nodes of a test, or
// between the tests of a package by keeping it in TestMain.
type KeyPool struct {
	// Size is how many distinct keys the pool makes; zero means
	// DefaultKeys.
	Size int

	mu   sync.Mutex
	keys []*rsa.PrivateKey
	next int
}

// Key returns the next key, making it if the pool is not full yet. Its
// signature fits federation.Config.KeyGen.
func (p *KeyPool) Key() (*rsa.PrivateKey, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	size := p.Size
	if size <= 0 {
		size = DefaultKeys
	}
	if len(p.keys) < size {
		k, err := federation.GenerateKey()
		if err != nil {
			return nil, err
		}
		p.keys = append(p.keys, k)
		return k, nil
	}
	k := p.keys[p.next%len(p.keys)]
	p.next++
	return k, nil
}

// Options tune a node. The zero value gives a node on 127.0.0.1 with a key
// pool of its own.
type Options struct {
	// Keys makes the node's actor keys; nil gives the node a pool of its
	// own.
	Keys *KeyPool
	// Hostname is the host name in the node's public URL; it must resolve
	// to 127.0.0.1. Empty means 127.0.0.1.
	Hostname string
	// RefreshAfter is how stale a remote profile may grow before the node
	// fetches it again; zero takes the default.
	RefreshAfter time.Duration
	// Now is the node's clock; nil means time.Now.
	Now func() time.Time
	// Currency is the node's own, pay is shown in by default; empty
	// means web.DefaultCurrency.
	Currency string
	// FollowCheckEvery is how often the node checks its follows; zero
	// takes the default (a day).
	FollowCheckEvery time.Duration
	// SMTPURL, when set, makes the node mail through this server (see
	// internal/smtptest), from nodo@example.org.
	SMTPURL string
}

// Node is a Colmena node behind a real HTTP server on 127.0.0.1, with its
// delivery worker running. Everything stops when the test ends.
type Node struct {
	// URL is the node's public base URL, such as http://127.0.0.1:41234.
	URL string
	// Host is the host (and port) of URL, as it appears in handles.
	Host string
	// Name and Handle are those of the node's own federation.
	Name, Handle string

	Server *httptest.Server
	Svc    *directory.Service
	Store  directory.Store
	Fed    *federation.Federation
	// Admin is the node administrator's principal.
	Admin directory.Principal
	// Mail is the node's mail outbox, running; nil without SMTPURL. With
	// it, the node's e-mail alerts are sent every 100 ms.
	Mail *mail.Outbox

	opts Options
	now  func() time.Time
	keys *KeyPool
	sw   *swapHandler
	own  http.Handler // the node's own handler
	stop func()       // stops the worker
}

// New runs a node whose own federation is called name, with the given
// handle, on a store that open makes. It uses a key pool of its own; see
// NewWith to share one.
func New(t testing.TB, open teststore.Opener, name, handle string) *Node {
	t.Helper()
	return NewWith(t, open, name, handle, Options{})
}

// NewWith runs a node as New does, tuned by opts.
func NewWith(t testing.TB, open teststore.Opener, name, handle string, opts Options) *Node {
	t.Helper()
	keys := opts.Keys
	if keys == nil {
		keys = &KeyPool{Size: 2}
	}
	hostname := opts.Hostname
	if hostname == "" {
		hostname = "127.0.0.1"
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	srv := httptest.NewUnstartedServer(nil)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		srv.Listener.Close()
		t.Fatal(err)
	}
	links, err := directory.NewLinks("http://" + net.JoinHostPort(hostname, port))
	if err != nil {
		srv.Listener.Close()
		t.Fatal(err)
	}
	n := &Node{URL: links.Base(), Host: links.Host(), Name: name, Handle: handle, Server: srv,
		Admin: directory.Principal{Admin: true}, opts: opts, now: now, keys: keys, sw: &swapHandler{}}
	srv.Config.Handler = n.sw
	if err := n.start(t, open); err != nil {
		srv.Listener.Close()
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(func() { n.stop(); srv.Close() })
	return n
}

// start sets the node up on a new store and runs its worker.
func (n *Node) start(t testing.TB, open teststore.Opener) error {
	st := open(t)
	links, err := directory.NewLinks(n.URL)
	if err != nil {
		return err
	}
	svc := directory.NewService(st, links, n.now)
	svc.SetPasswordCost(4) // bcrypt's minimum: tests log in often
	if _, err := svc.Init(t.Context(), directory.FederationSettings{Name: n.Name, Handle: n.Handle}); err != nil {
		return err
	}
	fed := federation.New(federation.Config{
		Service: svc, Store: st, AllowPrivateNetwork: true, Version: "test", Now: n.now, KeyGen: n.keys.Key,
		Delivery: federation.DeliveryConfig{
			Poll: 50 * time.Millisecond, FirstRetry: 200 * time.Millisecond, MaxRetry: time.Second,
			MaxAttempts: 3, Timeout: 5 * time.Second, RefreshAfter: n.opts.RefreshAfter,
		},
		FollowCheckEvery: n.opts.FollowCheckEvery,
	})
	var outbox *mail.Outbox
	if n.opts.SMTPURL != "" {
		smtp, err := mail.ParseSMTP(n.opts.SMTPURL, "Colmena <nodo@example.org>")
		if err != nil {
			return err
		}
		smtp.Timeout = 5 * time.Second
		outbox = mail.New(mail.Config{Store: st, Sender: smtp, Links: links, Node: n.Name, Now: n.now})
		svc.SetMailer(outbox)
	}
	h := web.New(web.Config{Service: svc, Version: "test", Federation: fed, Currency: n.opts.Currency, Now: n.now}).Handler()
	n.sw.set(h)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { fed.Run(ctx); close(done) }()
	mailDone := make(chan struct{})
	go func() {
		if outbox != nil {
			outbox.Run(ctx)
		}
		close(mailDone)
	}()
	alertsDone := make(chan struct{})
	go func() {
		if outbox != nil {
			svc.RunAlerts(ctx, 100*time.Millisecond)
		}
		close(alertsDone)
	}()
	n.own, n.Svc, n.Store, n.Fed, n.Mail = h, svc, st, fed, outbox
	n.stop = func() { cancel(); <-done; <-mailDone; <-alertsDone }
	return nil
}

// Reset sets the node up afresh at the same address, as a node whose
// database was lost, or a demo node run with --reset: a new, empty store
// and new keys for every actor. What the old node stored and sent is
// gone; other nodes still hold what they learnt of it.
func (n *Node) Reset(t testing.TB, open teststore.Opener) {
	t.Helper()
	n.stop()
	n.keys = &KeyPool{Size: 1}
	if err := n.start(t, open); err != nil {
		t.Fatalf("%s: resetting: %v", n.Name, err)
	}
}

// Serve makes the node's address answer with h instead of the node, as a
// server that is down or gone would; nil gives the address back to the
// node.
func (n *Node) Serve(h http.Handler) {
	if h == nil {
		h = n.own
	}
	n.sw.set(h)
}

// swapHandler serves whichever handler was set last.
type swapHandler struct{ h atomic.Pointer[http.Handler] }

func (s *swapHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}

// Acct is the fediverse address of the node's federation, handle@host,
// which another node may follow.
func (n *Node) Acct() string { return n.Handle + "@" + n.Host }

// FederationActor is the actor id of the node's federation.
func (n *Node) FederationActor() string { return n.Svc.Links().Federation() }

// Coop adds a local co-op as the node's admin.
func (n *Node) Coop(t testing.TB, c directory.Coop) *directory.Coop {
	t.Helper()
	out, err := n.Svc.CreateCoop(t.Context(), n.Admin, c)
	if err != nil {
		t.Fatalf("%s: creating co-op %q: %v", n.Name, c.Handle, err)
	}
	return out
}

// Job publishes a job of the local co-op with the handle coopHandle, as
// the node's admin.
func (n *Node) Job(t testing.TB, coopHandle string, j directory.Job) *directory.Job {
	t.Helper()
	out, err := n.Svc.CreateJob(t.Context(), n.Admin, coopHandle, j)
	if err != nil {
		t.Fatalf("%s: publishing job %q of %s: %v", n.Name, j.Title, coopHandle, err)
	}
	return out
}

// Follow makes the node follow a federation or co-op on another node,
// named handle@host or by its actor URL. The follow starts pending; wait
// for its effects with Eventually.
func (n *Node) Follow(t testing.TB, target string) *directory.Follow {
	t.Helper()
	f, err := n.Fed.Follow(t.Context(), n.Admin, target)
	if err != nil {
		t.Fatalf("%s: following %s: %v", n.Name, target, err)
	}
	return f
}

// Accepted reports whether every follow of the node has been accepted.
func (n *Node) Accepted(t testing.TB) bool {
	t.Helper()
	fs, err := n.Fed.Follows(t.Context(), n.Admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.State != directory.FollowAccepted {
			return false
		}
	}
	return true
}

// Eventually polls cond every 25ms until it holds, and fails the test if
// it still does not after 20s.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	EventuallyWithin(t, 20*time.Second, what, cond)
}

// EventuallyWithin polls cond every 25ms until it holds, and fails the
// test if it still does not after d: for waits whose work grows with the
// data, such as three federations of the demo's size exchanging it all.
func EventuallyWithin(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
