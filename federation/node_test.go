package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
	"github.com/colmena-coop/colmena/web"
)

// testKeys are a few RSA-2048 keys made once per test run: making one per
// actor would dominate the tests' time.
var testKeys = &nodetest.KeyPool{Size: 6}

// node is a Colmena node on a real store behind a real HTTP server on
// 127.0.0.1, with its delivery worker running.
type node struct {
	t     testing.TB
	srv   *httptest.Server
	svc   *directory.Service
	store directory.Store
	fed   *federation.Federation
	admin directory.Principal
}

type opener = teststore.Opener

func engines() map[string]opener { return teststore.Engines() }

func eachEngine(t *testing.T, fn func(t *testing.T, open opener)) { teststore.Each(t, fn) }

func newNode(t *testing.T, open opener, name, handle string) *node {
	t.Helper()
	return newNodeAt(t, open, name, handle, "127.0.0.1")
}

// newNodeAt runs a node whose public URL names hostname (which must
// resolve to 127.0.0.1), so that tests can tell nodes apart by domain.
func newNodeAt(t *testing.T, open opener, name, handle, hostname string) *node {
	t.Helper()
	return newNodeWith(t, open, name, handle, hostname, 0)
}

// newNodeWith also sets how stale a remote profile may grow.
func newNodeWith(t testing.TB, open opener, name, handle, hostname string, refreshAfter time.Duration) *node {
	t.Helper()
	return newNodeTuned(t, open, name, handle, hostname, func(c *federation.Config) { c.Delivery.RefreshAfter = refreshAfter })
}

// newNodeTuned runs a node whose federation config tune may change after
// the tests' defaults are set.
func newNodeTuned(t testing.TB, open opener, name, handle, hostname string, tune func(*federation.Config)) *node {
	t.Helper()
	st := open(t)
	srv := httptest.NewUnstartedServer(nil)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	links, err := directory.NewLinks("http://" + hostname + ":" + port)
	if err != nil {
		t.Fatal(err)
	}
	svc := directory.NewService(st, links, time.Now)
	if _, err := svc.Init(t.Context(), directory.FederationSettings{Name: name, Handle: handle}); err != nil {
		t.Fatal(err)
	}
	cfg := federation.Config{Service: svc, Store: st, AllowPrivateNetwork: true, Version: "test",
		KeyGen: testKeys.Key, Delivery: federation.DeliveryConfig{Poll: 50 * time.Millisecond, FirstRetry: 200 * time.Millisecond,
			MaxRetry: time.Second, MaxAttempts: 3, Timeout: 5 * time.Second}}
	tune(&cfg)
	fed := federation.New(cfg)
	srv.Config.Handler = web.New(web.Config{Service: svc, Version: "test", Federation: fed}).Handler()
	srv.Start()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { fed.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; srv.Close() })
	return &node{t: t, srv: srv, svc: svc, store: st, fed: fed, admin: directory.Principal{Admin: true}}
}

func (n *node) host() string { return n.svc.Links().Host() }

// followAccepted reports whether the node's follow of target is accepted;
// other follows (those a federation's members bring) may come and go.
func (n *node) followAccepted(target string) bool {
	_, l := n.api("GET", "/api/v1/admin/follows", "")
	items, _ := l["items"].([]any)
	for _, it := range items {
		if f := it.(map[string]any); f["target"] == target && f["state"] == "accepted" {
			return true
		}
	}
	return false
}

// url is the node's public base URL.
func (n *node) url() string { return n.svc.Links().Base() }

func (n *node) coop(handle string) *directory.Coop {
	n.t.Helper()
	c, err := n.svc.CreateCoop(n.t.Context(), n.admin, directory.Coop{Handle: handle, Name: "Coop " + handle, Country: "AR",
		City: "Rosario", Workers: 26, Website: "https://" + handle + ".example", Skills: []string{"go", "c++"},
		Languages: []string{"es"}, Summary: "Cooperativa de software."})
	if err != nil {
		n.t.Fatal(err)
	}
	return c
}

// get fetches a URL with an Accept header and returns status, content
// type and body.
func get(t testing.TB, url, accept string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func getAS(t testing.TB, url string) map[string]any {
	t.Helper()
	status, ct, body := get(t, url, federation.ContentTypeAS)
	if status != 200 || !strings.HasPrefix(ct, "application/activity+json") {
		t.Fatalf("GET %s: %d %s %s", url, status, ct, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// eventually polls cond every 20ms for up to 15s.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func getWithToken(t *testing.T, u, token string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func ioNop(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

func newRequest(t testing.TB, method, u, body string) (*http.Request, error) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, rd)
	if err == nil && body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, err
}

func httpDo(req *http.Request) (*http.Response, error) { return http.DefaultClient.Do(req) }

// newBenchNode is a node for benchmarks.
func newBenchNode(b *testing.B, open opener) *node {
	b.Helper()
	return newNodeWith(b, open, "Bench", "bench", "127.0.0.1", 0)
}
