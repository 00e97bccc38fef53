package federation_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/federation"
)

// TestSignMessage: an RFC 9421 signature made for a POST is Mastodon's
// shape (sig1 over @method, @target-uri and content-digest, created and
// keyid, no alg) and passes the inbound checks; altered, it does not.
func TestSignMessage(t *testing.T) {
	key, err := testKeys.Key()
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"type":"Follow"}`)
	now := time.Unix(1767657600, 0)
	req, _ := http.NewRequest(http.MethodPost, "https://example.coop/users/ana/inbox?x=1", bytes.NewReader(body))
	if err := federation.SignMessage(req, body, "https://node.example/actor#main-key", key, now); err != nil {
		t.Fatal(err)
	}
	if got, want := req.Header.Get("Content-Digest"), "sha-256=:"; !strings.HasPrefix(got, want) || !strings.HasSuffix(got, ":") {
		t.Fatalf("Content-Digest %q", got)
	}
	want := `sig1=("@method" "@target-uri" "content-digest");created=1767657600;keyid="https://node.example/actor#main-key"`
	if got := req.Header.Get("Signature-Input"); got != want {
		t.Fatalf("Signature-Input %q, want %q", got, want)
	}
	if !strings.HasPrefix(req.Header.Get("Signature"), "sig1=:") || req.Host != "example.coop" {
		t.Fatalf("Signature %q, host %q", req.Header.Get("Signature"), req.Host)
	}
	verify := func(r *http.Request, body []byte) error {
		sigs, err := federation.ParseMessageSignatures(r.Header.Values("Signature-Input"), r.Header.Values("Signature"))
		if err != nil {
			return err
		}
		s, err := federation.ChooseMessageSignature(sigs, len(body) > 0)
		if err != nil {
			return err
		}
		if err := federation.CheckMessageSigned(r, s, body, now.Add(time.Minute)); err != nil {
			return err
		}
		target, _ := url.Parse("https://example.coop" + r.URL.RequestURI())
		base, err := federation.MessageSignatureBase(r, target, s)
		if err != nil {
			return err
		}
		return federation.VerifyMessageSignature(s, base, &key.PublicKey)
	}
	if err := verify(req, body); err != nil {
		t.Fatal(err)
	}
	if verify(req, []byte(`{"type":"Undo"}`)) == nil {
		t.Fatal("another body verified")
	}
	req.Method = http.MethodPut
	if verify(req, body) == nil {
		t.Fatal("another method verified")
	}

	// A GET covers no digest.
	get, _ := http.NewRequest(http.MethodGet, "https://example.coop/users/ana", nil)
	if err := federation.SignMessage(get, nil, "https://node.example/actor#main-key", key, now); err != nil {
		t.Fatal(err)
	}
	if get.Header.Get("Content-Digest") != "" || !strings.HasPrefix(get.Header.Get("Signature-Input"), `sig1=("@method" "@target-uri");created=`) {
		t.Fatalf("GET headers: %v", get.Header)
	}
	if err := verify(get, nil); err != nil {
		t.Fatal(err)
	}
}

// seenRequest is what recordingTransport saw of a request.
type seenRequest struct {
	method, host    string
	rfc9421, signed bool
	status          int
}

// recordingTransport records the outbound requests of a node.
type recordingTransport struct {
	mu   sync.Mutex
	seen []seenRequest
	rt   http.RoundTripper
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	if rt.rt == nil {
		rt.rt = http.DefaultTransport.(*http.Transport).Clone()
	}
	next := rt.rt
	rt.mu.Unlock()
	resp, err := next.RoundTrip(r)
	s := seenRequest{method: r.Method, host: r.URL.Host, rfc9421: r.Header.Get("Signature-Input") != "", signed: r.Header.Get("Signature") != ""}
	if err == nil {
		s.status = resp.StatusCode
	}
	rt.mu.Lock()
	rt.seen = append(rt.seen, s)
	rt.mu.Unlock()
	return resp, err
}

func (rt *recordingTransport) requests() []seenRequest {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]seenRequest(nil), rt.seen...)
}

// TestNodesTalkRFC9421: one node follows another over real signed HTTP;
// the other verifies RFC 9421, so every POST and signed GET goes out
// signed as RFC 9421 only and is taken the first time.
func TestNodesTalkRFC9421(t *testing.T) {
	open := engines()["sqlite"]
	a := newNode(t, open, "SoberaniaX", "soberaniax")
	rec := &recordingTransport{}
	b := newNodeTuned(t, open, "EthiX", "ethix", "127.0.0.1", func(c *federation.Config) { c.Transport = rec })
	a.coop("gcoop")
	if st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"soberaniax@`+a.host()+`"}`); st != 202 {
		t.Fatalf("follow: %d %v", st, f)
	}
	eventually(t, "the follow accepted", func() bool { return b.followAccepted(a.url() + "/federation") })
	// The Accept may arrive before the Follow's POST has returned and
	// been recorded.
	eventually(t, "the Follow's POST recorded", func() bool {
		for _, s := range rec.requests() {
			if s.host == a.host() && s.method == http.MethodPost {
				return true
			}
		}
		return false
	})
	posts := 0
	for _, s := range rec.requests() {
		if s.host != a.host() || !s.signed {
			continue
		}
		if !s.rfc9421 {
			t.Errorf("%s to %s signed as draft-cavage: %+v", s.method, s.host, s)
		}
		if s.method == http.MethodPost {
			posts++
			if s.status < 200 || s.status > 299 {
				t.Errorf("a POST was answered %d", s.status)
			}
		}
	}
	if posts == 0 {
		t.Fatal("no signed POST to the followed node")
	}
}

// testClock is a clock the test moves.
type testClock struct{ t atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.t.Store(time.Now().UnixNano())
	return c
}

func (c *testClock) now() time.Time          { return time.Unix(0, c.t.Load()) }
func (c *testClock) advance(d time.Duration) { c.t.Add(int64(d)) }

// TestCavageFallback: a server that reads draft-cavage only refuses the
// RFC 9421 delivery with 401; it is sent again at once as draft-cavage
// and taken, and the host is remembered: the next delivery and fetch go
// straight to draft-cavage, until CavageFor has passed and RFC 9421 is
// tried again. A server that reads RFC 9421 gets RFC 9421 only, and
// answers that say nothing of the signature are not asked again.
func TestCavageFallback(t *testing.T) {
	clock := newTestClock()
	masto := newFake(t)
	masto.now = clock.now
	masto.setCavageOnly(true)
	ana := masto.actorID("ana")
	keyID := ana + "#main-key"
	newClient := func() *federation.Client {
		return federation.NewClient(federation.ClientConfig{UserAgent: "test", AllowPrivateNetwork: true, Now: clock.now,
			Signer: func(context.Context) (string, *rsa.PrivateKey, error) { return keyID, masto.key, nil }})
	}
	c := newClient()
	n := 0
	deliver := func() {
		t.Helper()
		n++
		body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": ana + "/notes/" + string(rune('a'+n)), "type": "Create", "actor": ana})
		if st, err := c.Post(t.Context(), masto.srv.URL+"/inbox", body, keyID, masto.key); err != nil || st != http.StatusAccepted {
			t.Fatalf("delivery %d: %d %v", n, st, err)
		}
	}
	expect := func(what string, rfc9421, cavage int) {
		t.Helper()
		if r, cv := masto.schemes(); r != rfc9421 || cv != cavage {
			t.Fatalf("%s: %d RFC 9421 and %d draft-cavage requests, want %d and %d", what, r, cv, rfc9421, cavage)
		}
	}
	deliver()
	expect("first delivery", 1, 1)
	deliver()
	expect("second delivery", 1, 2)
	if _, err := c.GetActivity(t.Context(), ana); err != nil {
		t.Fatal(err)
	}
	expect("a fetch from the same host", 1, 3)
	clock.advance(federation.CavageFor - time.Minute)
	deliver()
	expect("before CavageFor has passed", 1, 4)
	clock.advance(2 * time.Minute)
	deliver()
	expect("after CavageFor", 2, 5)
	deliver()
	expect("remembered again", 2, 6)
	if len(masto.byType("Create")) != 5 || masto.postCount() != 7 {
		t.Fatalf("%d received, %d POSTs", len(masto.byType("Create")), masto.postCount())
	}

	// A fetch falls back as a delivery does.
	c = newClient()
	if _, err := c.GetActivity(t.Context(), ana); err != nil {
		t.Fatal(err)
	}
	expect("a fetch with a new client", 3, 7)
	deliver()
	expect("a delivery after the fetch", 3, 8)

	// A server that reads RFC 9421 gets it only.
	masto2 := newFake(t)
	c = federation.NewClient(federation.ClientConfig{UserAgent: "test", AllowPrivateNetwork: true,
		Signer: func(context.Context) (string, *rsa.PrivateKey, error) { return keyID, masto.key, nil }})
	if _, err := c.GetActivity(t.Context(), masto2.actorID("bea")); err != nil {
		t.Fatal(err)
	}
	if r, cv := masto2.schemes(); r != 1 || cv != 0 {
		t.Fatalf("a server reading RFC 9421: %d and %d", r, cv)
	}

	// 404, 410, 429 and 500 say nothing of the signature: one request.
	for _, status := range []int{404, 410, 429, 500} {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.WriteHeader(status)
		}))
		st, err := c.Post(t.Context(), srv.URL+"/inbox", []byte(`{}`), keyID, masto.key)
		if err == nil || st != status || hits.Load() != 1 {
			t.Errorf("%d: got %d %v after %d requests", status, st, err, hits.Load())
		}
		srv.Close()
	}
	// A 401 that draft-cavage gets too is not remembered.
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	for range 2 {
		if st, err := c.Post(t.Context(), srv.URL+"/inbox", []byte(`{}`), keyID, masto.key); err == nil || st != 401 {
			t.Fatalf("got %d %v", st, err)
		}
	}
	if hits.Load() != 4 {
		t.Fatalf("%d requests for two deliveries refused both ways, want 4", hits.Load())
	}
}
