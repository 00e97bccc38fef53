package federation_test

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// fakeServer is a Mastodon-like server on 127.0.0.1: one account, "ana",
// that signs what it sends and checks the signatures of what it gets, the
// way Mastodon does.
type fakeServer struct {
	t          testing.TB
	srv        *httptest.Server
	key        *rsa.PrivateKey
	mu         sync.Mutex
	received   []map[string]any
	signedGETs int
	failing    bool // answer 503 to deliveries
	// hang, when set, holds every delivery unanswered until it closes
	// (when the test ends) or the sender gives up.
	hang chan struct{}
	// receivedAt is when each of received arrived; inflight and
	// maxInflight count deliveries being answered.
	receivedAt            []time.Time
	inflight, maxInflight int
	posts                 int // deliveries POSTed, answered or not
	// cavageOnly, when set, makes the server read draft-cavage only, as
	// servers older than Mastodon 4.5 do: a request signed as RFC 9421
	// only is refused with 401. rfc9421 counts the requests (POSTs and
	// GETs) signed as RFC 9421, cavage those signed as draft-cavage.
	cavageOnly bool
	// rfc9421Only, when set, makes the server speak RFC 9421 only, as
	// servers that dropped draft-cavage do: it signs its POSTs and GETs
	// as RFC 9421 and refuses a request signed as draft-cavage only with
	// 401.
	rfc9421Only     bool
	rfc9421, cavage int
	// now is the server's clock, set before the first request.
	now func() time.Time
	// keys are the actors whose signatures verified, by key id.
	keys map[string]*directory.RemoteActor
}

func newFake(t testing.TB) *fakeServer {
	t.Helper()
	key, err := testKeys.Key()
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeServer{t: t, key: key, now: time.Now}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{name}", f.serveActor)
	mux.HandleFunc("POST /inbox", f.inbox)
	mux.HandleFunc("POST /users/{name}/inbox", f.inbox)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// newHangingFake is a fake server whose inboxes never answer while the
// test runs, as a follower that is down behind a proxy that keeps
// connections open.
func newHangingFake(t testing.TB) *fakeServer {
	t.Helper()
	f := newFake(t)
	f.hang = make(chan struct{})
	t.Cleanup(func() { close(f.hang) }) // before the server closes
	return f
}

func (f *fakeServer) actorID(name string) string { return f.srv.URL + "/users/" + name }

func (f *fakeServer) serveActor(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if strings.HasPrefix(name, "ghost") {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Signature") != "" {
		f.mu.Lock()
		f.signedGETs++
		f.mu.Unlock()
	}
	if f.refusesScheme(w, r) {
		return
	}
	id := f.actorID(name)
	pub, _ := federation.EncodePublicKey(&f.key.PublicKey)
	// Besides people: "instance" is the server's own actor, as Mastodon's
	// (an Application named after its host), "bot" a Service and "org" an
	// Organization that publishes no co-op data, "coop" one that does.
	typ, username := "Person", name
	extra := map[string]any{}
	switch {
	case strings.HasPrefix(name, "coop"):
		typ, extra["sdo:numberOfEmployees"] = "Organization", map[string]any{"sdo:value": 3}
	case name == "instance":
		typ, username = "Application", "127.0.0.1"
	case strings.HasPrefix(name, "bot"):
		typ = "Service"
	case strings.HasPrefix(name, "org"):
		typ = "Organization"
	}
	doc := map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       id, "type": typ, "preferredUsername": username, "name": "Ana",
		"inbox": id + "/inbox", "outbox": id + "/outbox", "followers": id + "/followers",
		"endpoints": map[string]string{"sharedInbox": f.srv.URL + "/inbox"},
		"publicKey": map[string]string{"id": id + "#main-key", "owner": id, "publicKeyPem": pub},
	}
	for k, v := range extra {
		doc[k] = v
	}
	w.Header().Set("Content-Type", "application/activity+json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(doc)
}

// inbox verifies a delivery as Mastodon would: signature over
// (request-target) host date digest, Digest against the body, the key
// fetched from its keyId, and the key's owner as the activity's actor.
func (f *fakeServer) inbox(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.posts++
	f.inflight++
	f.maxInflight = max(f.maxInflight, f.inflight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if f.hang != nil {
		select {
		case <-f.hang:
		case <-r.Context().Done():
		}
		http.Error(w, "too late", http.StatusServiceUnavailable)
		return
	}
	if f.isFailing() {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	if f.refusesScheme(w, r) {
		return
	}
	if err := f.verify(r, body); err != nil {
		f.t.Errorf("fake server: delivery refused: %v", err)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		f.t.Errorf("fake server: delivery is not JSON: %v", err)
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.received = append(f.received, m)
	f.receivedAt = append(f.receivedAt, time.Now())
	f.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (f *fakeServer) isFailing() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failing
}

func (f *fakeServer) setFailing(v bool) {
	f.mu.Lock()
	f.failing = v
	f.mu.Unlock()
}

// refusesScheme counts a signed request by its scheme and refuses, with
// 401, one signed only in a scheme the server does not read.
func (f *fakeServer) refusesScheme(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Header.Get("Signature-Input") != "":
		f.rfc9421++
		if f.cavageOnly {
			http.Error(w, "no draft-cavage signature", http.StatusUnauthorized)
			return true
		}
	case r.Header.Get("Signature") != "":
		f.cavage++
		if f.rfc9421Only {
			http.Error(w, "no RFC 9421 signature", http.StatusUnauthorized)
			return true
		}
	}
	return false
}

func (f *fakeServer) setRFC9421Only(v bool) {
	f.mu.Lock()
	f.rfc9421Only = v
	f.mu.Unlock()
}

// sign signs a request of the fake as its server signs: RFC 9421 when it
// speaks only that, else draft-cavage.
func (f *fakeServer) sign(r *http.Request, body []byte, keyID string, key *rsa.PrivateKey) error {
	f.mu.Lock()
	only := f.rfc9421Only
	f.mu.Unlock()
	now := time.Now()
	if f.now != nil {
		now = f.now()
	}
	if only {
		return federation.SignMessage(r, body, keyID, key, now)
	}
	return federation.SignRequest(r, body, keyID, key, now)
}

// schemes returns how many requests were signed as RFC 9421 and as
// draft-cavage.
func (f *fakeServer) schemes() (rfc9421, cavage int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rfc9421, f.cavage
}

func (f *fakeServer) setCavageOnly(v bool) {
	f.mu.Lock()
	f.cavageOnly = v
	f.mu.Unlock()
}

// verify checks a delivery's signature, as RFC 9421 when it has
// Signature-Input, as draft-cavage otherwise, as Mastodon 4.5 does.
func (f *fakeServer) verify(r *http.Request, body []byte) error {
	if ct := r.Header.Get("Content-Type"); ct != federation.ContentTypeAS {
		return fmt.Errorf("content type %q", ct)
	}
	var keyID string
	var check func(*rsa.PublicKey) error
	if r.Header.Get("Signature-Input") != "" {
		sigs, err := federation.ParseMessageSignatures(r.Header.Values("Signature-Input"), r.Header.Values("Signature"))
		if err != nil {
			return err
		}
		s, err := federation.ChooseMessageSignature(sigs, len(body) > 0)
		if err != nil {
			return err
		}
		if err := federation.CheckMessageSigned(r, s, body, f.now()); err != nil {
			return err
		}
		if want := strings.TrimPrefix(f.srv.URL, "http://"); r.Host != want {
			return fmt.Errorf("signed for %s, not %s", r.Host, want)
		}
		target := &url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
		base, err := federation.MessageSignatureBase(r, target, s)
		if err != nil {
			return err
		}
		keyID = s.KeyID
		check = func(k *rsa.PublicKey) error { return federation.VerifyMessageSignature(s, base, k) }
	} else {
		p, err := federation.ParseSignature(r.Header.Get("Signature"))
		if err != nil {
			return err
		}
		if err := federation.CheckSigned(r, p, body, f.now()); err != nil {
			return err
		}
		keyID = p.KeyID
		check = func(k *rsa.PublicKey) error { return federation.VerifySignature(r, k) }
	}
	keyURL := keyID
	if i := bytes.IndexByte([]byte(keyURL), '#'); i >= 0 {
		keyURL = keyURL[:i]
	}
	// As Mastodon, the key of an actor known already is the one stored:
	// a deleted actor's last activities (its Delete, its jobs' Deletes)
	// still verify though its id answers 410. It is fetched again when
	// it does not verify.
	f.mu.Lock()
	known := f.keys[keyID]
	f.mu.Unlock()
	if known != nil {
		var act struct{ Actor string }
		_ = json.Unmarshal(body, &act)
		if act.Actor == known.APID {
			if pub, err := federation.ParsePublicKey(known.PublicPEM); err == nil && check(pub) == nil {
				return nil
			}
		}
	}
	req, _ := http.NewRequest(http.MethodGet, keyURL, nil)
	req.Header.Set("Accept", federation.ContentTypeAS)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	doc, _ := io.ReadAll(resp.Body)
	actor, err := federation.ParseActor(keyURL, doc)
	if err != nil {
		return err
	}
	if actor.KeyID != keyID {
		return fmt.Errorf("key %s not published by %s", keyID, keyURL)
	}
	var act struct{ Actor string }
	_ = json.Unmarshal(body, &act)
	if act.Actor != actor.APID {
		return fmt.Errorf("actor %s signed with %s's key", act.Actor, actor.APID)
	}
	pub, err := federation.ParsePublicKey(actor.PublicPEM)
	if err != nil {
		return err
	}
	if err := check(pub); err != nil {
		return err
	}
	f.mu.Lock()
	if f.keys == nil {
		f.keys = map[string]*directory.RemoteActor{}
	}
	f.keys[keyID] = actor
	f.mu.Unlock()
	return nil
}

// byType returns the received activities of a type.
func (f *fakeServer) byType(typ string) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, m := range f.received {
		if m["type"] == typ {
			out = append(out, m)
		}
	}
	return out
}

// arrivals returns when each activity of a type arrived, by the id of its
// object (or the object itself, when it is a bare id).
func (f *fakeServer) arrivals(typ string) map[string]time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]time.Time{}
	for i, m := range f.received {
		if m["type"] != typ {
			continue
		}
		switch o := m["object"].(type) {
		case string:
			out[o] = f.receivedAt[i]
		case map[string]any:
			id, _ := o["id"].(string)
			out[id] = f.receivedAt[i]
		}
	}
	return out
}

// postCount is how many deliveries were POSTed, answered or not.
func (f *fakeServer) postCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts
}

// deliveries reports how many deliveries are being answered now, and the
// most there have been at once.
func (f *fakeServer) deliveries() (now, most int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.inflight, f.maxInflight
}

// webfinger resolves acct:user@host on a node the way Mastodon does and
// returns the self link.
func (f *fakeServer) webfinger(host, user string, encode bool) string {
	f.t.Helper()
	resource := "acct:" + user + "@" + host
	if encode {
		resource = url.QueryEscape(resource)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+host+"/.well-known/webfinger?resource="+resource, nil)
	req.Header.Set("Accept", "application/jrd+json, application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var jrd federation.JRD
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&jrd) != nil {
		f.t.Fatalf("webfinger %s: %d", resource, resp.StatusCode)
	}
	if jrd.Subject != "acct:"+user+"@"+host {
		f.t.Fatalf("webfinger subject %q", jrd.Subject)
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && l.Type == federation.ContentTypeAS {
			return l.Href
		}
	}
	f.t.Fatalf("webfinger %s: no self link", resource)
	return ""
}

// fetch GETs a document signed as ana, as Mastodon signs every fetch.
func (f *fakeServer) fetch(u string) (int, map[string]any) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", `application/activity+json, application/ld+json`)
	if err := f.sign(req, nil, f.actorID("ana")+"#main-key", f.key); err != nil {
		f.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

// send POSTs a signed activity from ana to an inbox.
func (f *fakeServer) send(inbox string, activity map[string]any) (int, string) {
	f.t.Helper()
	body, _ := json.Marshal(activity)
	return f.sendRaw(inbox, body, f.actorID("ana")+"#main-key", f.key, nil)
}

// sendRaw POSTs body signed with key under keyID; tamper may change the
// request after signing.
func (f *fakeServer) sendRaw(inbox string, body []byte, keyID string, key *rsa.PrivateKey, tamper func(*http.Request)) (int, string) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	req.Header.Set("Content-Type", federation.ContentTypeAS)
	if key != nil {
		if err := f.sign(req, body, keyID, key); err != nil {
			f.t.Fatal(err)
		}
	}
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
