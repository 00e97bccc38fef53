package federation_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
	"github.com/colmena-coop/colmena/internal/nodetest"
)

// Hostile remote input: documents and requests built to cost this node
// more than they cost their sender, or to slip past its checks.

// deepObject nests levels objects inside one another, each about fifty
// bytes: 9,990 levels make half a megabyte, under the inbox's 1 MiB.
func deepObject(levels int) string {
	return strings.Repeat(`{"type":"Create","id":"https://m.example/x","object":`, levels) + `"x"` + strings.Repeat(`}`, levels)
}

// deepActivity is a signed-looking Create whose object (or actor) nests
// levels deep.
func deepActivity(id, actor string, levels int, inActor bool) []byte {
	actorJSON, objectJSON := `"`+actor+`"`, deepObject(levels)
	if inActor {
		actorJSON, objectJSON = deepObject(levels), `"https://m.example/notes/1"`
	}
	return []byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"` + id + `","type":"Create","actor":` + actorJSON +
		`,"object":` + objectJSON + `}`)
}

// TestInboxRefusesDeepDocuments: an activity nesting thousands of levels
// is refused with 400 at once, whether the depth is in its object or its
// actor, and nothing is fetched on its behalf.
func TestInboxRefusesDeepDocuments(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	masto := newFake(t)
	ana := masto.actorID("ana")
	for _, inActor := range []bool{false, true} {
		body := deepActivity(masto.srv.URL+"/create/deep", ana, 9990, inActor)
		if len(body) < 400<<10 || len(body) > federation.MaxDocument {
			t.Fatalf("the attack is %d bytes", len(body))
		}
		start := time.Now()
		st, msg := masto.sendRaw(n.srv.URL+"/inbox", body, ana+"#main-key", masto.key, nil)
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("refusing a deep activity took %v", took)
		}
		if st != http.StatusBadRequest || !strings.Contains(msg, "nests deeper than") {
			t.Errorf("deep activity (in actor: %v): %d %s", inActor, st, msg)
		}
	}
}

// TestClientRefusesDeepDocuments: whatever the node fetches (an actor, a
// collection, a WebFinger answer) is refused when it nests too deeply,
// before anything decodes it.
func TestClientRefusesDeepDocuments(t *testing.T) {
	deep := `{"@context":"https://www.w3.org/ns/activitystreams","type":"OrderedCollection","orderedItems":[` + deepObject(40) + `]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/users/deep":
			w.Header().Set("Content-Type", federation.ContentTypeAS)
			id := "http://" + r.Host + r.URL.Path
			_, _ = w.Write([]byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"` + id + `","type":"Person",` +
				`"preferredUsername":"deep","inbox":"` + id + `/inbox","attachment":` + deepObject(40) + `}`))
		case "/.well-known/webfinger":
			w.Header().Set("Content-Type", "application/jrd+json")
			_, _ = w.Write([]byte(`{"subject":"acct:deep@x","links":[` + deepObject(40) + `]}`))
		default:
			w.Header().Set("Content-Type", federation.ContentTypeAS)
			_, _ = w.Write([]byte(deep))
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	c := federation.NewClient(federation.ClientConfig{UserAgent: "test", AllowPrivateNetwork: true})
	for _, path := range []string{"/users/deep", "/outbox"} {
		if _, err := c.GetActivity(ctx, srv.URL+path); err == nil || !strings.Contains(err.Error(), "nests deeper than") {
			t.Errorf("GET %s: %v", path, err)
		}
	}
	if _, err := c.GetJSON(ctx, srv.URL+"/.well-known/webfinger?resource=acct:deep@x", "application/jrd+json"); err == nil {
		t.Error("took a WebFinger answer nesting 40 levels")
	}
	// Through a node: the actor is not stored.
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	if _, err := n.fed.FetchActor(ctx, srv.URL+"/users/deep"); err == nil {
		t.Error("fetched and stored an actor nesting 40 levels")
	}
	if _, err := n.store.RemoteActor(ctx, srv.URL+"/users/deep"); err == nil {
		t.Error("a deep actor was stored")
	}
}

// TestInboxRefusesLongIDs: every id an activity names is at most
// MaxIDLength bytes; a longer one is refused with 400 and not remembered.
func TestInboxRefusesLongIDs(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	masto := newFake(t)
	coop := n.coop("outlandish")
	ana := masto.actorID("ana")
	long := masto.srv.URL + "/" + strings.Repeat("a", federation.MaxIDLength)
	for name, act := range map[string]map[string]any{
		"activity id": {"id": long, "type": "Follow", "actor": ana, "object": coop.APID},
		"actor":       {"id": masto.srv.URL + "/f/2", "type": "Follow", "actor": long, "object": coop.APID},
		"object id":   {"id": masto.srv.URL + "/f/3", "type": "Follow", "actor": ana, "object": long},
		"embedded object": {"id": masto.srv.URL + "/u/4", "type": "Undo", "actor": ana,
			"object": map[string]any{"id": long, "type": "Follow", "actor": ana, "object": coop.APID}},
		"embedded object's actor": {"id": masto.srv.URL + "/u/5", "type": "Undo", "actor": ana,
			"object": map[string]any{"id": masto.srv.URL + "/f/5", "type": "Follow", "actor": long, "object": coop.APID}},
	} {
		act["@context"] = "https://www.w3.org/ns/activitystreams"
		st, msg := masto.send(n.srv.URL+"/inbox", act)
		if st != http.StatusBadRequest || !strings.Contains(msg, "longer than") {
			t.Errorf("%s: %d %s", name, st, msg)
		}
	}
	if fresh, err := n.store.MarkSeen(t.Context(), long, time.Now()); err != nil || !fresh {
		t.Errorf("a refused activity id was remembered: %v %v", fresh, err)
	}
	// A keyId as long is refused before anything is fetched.
	body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/f/6",
		"type": "Follow", "actor": ana, "object": coop.APID})
	if st, msg := masto.sendRaw(n.srv.URL+"/inbox", body, long+"#main-key", masto.key, nil); st != http.StatusBadRequest ||
		!strings.Contains(msg, "longer than") {
		t.Errorf("long keyId: %d %s", st, msg)
	}
	// Nor does the node fetch such a URL.
	if _, err := n.fed.FetchActor(t.Context(), long); err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("fetched a URL over %d bytes: %v", federation.MaxIDLength, err)
	}
}

// TestSeenIDsPruned: the worker forgets activity ids older than
// SeenWindow, and keeps newer ones, on both stores.
func TestSeenIDsPruned(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		var mu sync.Mutex
		now := time.Now()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		n := nodetest.NewWith(t, open, "EthiX", "ethix", nodetest.Options{Keys: testKeys, Now: clock})
		ctx := t.Context()
		old, recent := "https://m.example/activities/old", "https://m.example/activities/recent"
		if _, err := n.Store.MarkSeen(ctx, old, clock()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		now = now.Add(federation.SeenWindow - time.Hour)
		mu.Unlock()
		if _, err := n.Store.MarkSeen(ctx, recent, clock()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		now = now.Add(2 * time.Hour) // old is now past the window, recent is not
		mu.Unlock()
		n.Fed.Nudge()
		eventually(t, "the old id forgotten", func() bool {
			fresh, err := n.Store.MarkSeen(ctx, old, clock())
			return err == nil && fresh
		})
		if fresh, _ := n.Store.MarkSeen(ctx, recent, clock()); fresh {
			t.Error("an activity id inside the window was forgotten")
		}
	})
}

// splitServer is a server reached by two names, 127.0.0.1 and localhost,
// whose actors' ids follow the name they were fetched by: it can put a
// key on one host and its actor on another, or an actor on one host and
// its inbox on the other. It records the host of every POST it gets.
type splitServer struct {
	srv            *httptest.Server
	ipBase, byName string // http://127.0.0.1:PORT and http://localhost:PORT
	key            *rsa.PrivateKey
	mu             sync.Mutex
	posts          []string          // Host of each POST
	keyOf          map[string]string // an actor's key id when not its own #main-key
	ownerOf        map[string]string // the owner /keys/{name} names
}

func newSplitServer(t *testing.T) *splitServer {
	t.Helper()
	key, err := testKeys.Key()
	if err != nil {
		t.Fatal(err)
	}
	s := &splitServer{key: key, keyOf: map[string]string{}, ownerOf: map[string]string{}}
	pub, _ := federation.EncodePublicKey(&key.PublicKey)
	ctx := []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"}
	mux := http.NewServeMux()
	// A bare key, served on 127.0.0.1, with the owner the test set.
	mux.HandleFunc("GET /keys/{name}", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		owner := s.ownerOf[r.PathValue("name")]
		s.mu.Unlock()
		w.Header().Set("Content-Type", federation.ContentTypeAS)
		_ = json.NewEncoder(w).Encode(map[string]any{"@context": ctx, "id": s.ipBase + "/keys/" + r.PathValue("name"), "owner": owner,
			"publicKeyPem": pub})
	})
	mux.HandleFunc("GET /users/{name}", func(w http.ResponseWriter, r *http.Request) {
		id := "http://" + r.Host + "/users/" + r.PathValue("name")
		s.mu.Lock()
		keyID, ok := s.keyOf[r.PathValue("name")]
		s.mu.Unlock()
		if !ok {
			keyID = id + "#main-key"
		}
		w.Header().Set("Content-Type", federation.ContentTypeAS)
		_ = json.NewEncoder(w).Encode(map[string]any{"@context": ctx, "id": id, "type": "Person",
			"preferredUsername": r.PathValue("name"), "inbox": s.byName + "/users/" + r.PathValue("name") + "/inbox",
			"publicKey": map[string]string{"id": keyID, "owner": id, "publicKeyPem": pub}})
	})
	mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.posts = append(s.posts, r.Host)
		s.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	_, port, _ := net.SplitHostPort(s.srv.Listener.Addr().String())
	s.ipBase, s.byName = "http://127.0.0.1:"+port, "http://localhost:"+port
	// eve lives on localhost and signs with a key on 127.0.0.1.
	s.keyOf["eve"], s.ownerOf["eve"] = s.ipBase+"/keys/eve", s.byName+"/users/eve"
	return s
}

func (s *splitServer) postCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.posts)
}

// TestDomainBlockEveryHost: a blocked domain is refused whichever part of
// an activity names it (the actor's host when the key is elsewhere, an
// object's host), and nothing is delivered to an inbox on it, whoever
// the inbox's actor is. localhost is blocked; 127.0.0.1, an address, is
// not a domain and cannot be.
func TestDomainBlockEveryHost(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	coop := n.coop("outlandish")
	s := newSplitServer(t)
	masto := newFake(t) // only sends
	inbox := n.srv.URL + "/inbox"
	send := func(keyID string, act map[string]any) (int, string) {
		act["@context"] = "https://www.w3.org/ns/activitystreams"
		body, _ := json.Marshal(act)
		return masto.sendRaw(inbox, body, keyID, s.key, nil)
	}
	// bob lives on 127.0.0.1, his inbox on localhost. He follows before
	// the block, and gets the Accept.
	bob := s.ipBase + "/users/bob"
	if st, msg := send(bob+"#main-key", map[string]any{"id": bob + "/follows/1", "type": "Follow", "actor": bob, "object": coop.APID}); st != 202 {
		t.Fatalf("follow before the block: %d %s", st, msg)
	}
	eventually(t, "the Accept", func() bool { return s.postCount() == 1 })

	if _, err := n.fed.Block(t.Context(), n.admin, "localhost"); err != nil {
		t.Fatal(err)
	}
	// eve lives on localhost and signs with a key on 127.0.0.1.
	eve := s.byName + "/users/eve"
	if st, msg := send(s.ipBase+"/keys/eve", map[string]any{"id": eve + "/follows/1", "type": "Follow", "actor": eve, "object": coop.APID}); st != 403 ||
		!strings.Contains(msg, "blocked") {
		t.Errorf("an actor of a blocked domain with a key elsewhere: %d %s", st, msg)
	}
	// bob announces an object of the blocked domain.
	if st, msg := send(bob+"#main-key", map[string]any{"id": bob + "/announces/1", "type": "Announce", "actor": bob,
		"object": s.byName + "/notes/1"}); st != 403 {
		t.Errorf("an object on a blocked domain: %d %s", st, msg)
	}
	// bob follows again: his inbox is on the blocked domain.
	if st, msg := send(bob+"#main-key", map[string]any{"id": bob + "/follows/2", "type": "Follow", "actor": bob, "object": coop.APID}); st != 403 {
		t.Errorf("a follow whose inbox is on a blocked domain: %d %s", st, msg)
	}
	if c, _ := n.store.CountFollowers(t.Context(), coop.APID); c != 1 {
		t.Errorf("followers: %d", c)
	}
	// A new job goes to no inbox on the blocked domain, nor does a
	// delivery queued before the block.
	if _, err := n.svc.CreateJob(t.Context(), n.admin, "outlandish", directory.Job{Title: "Go developer", Description: "x",
		Remote: "remote", EmploymentType: "full_time", ApplyEmail: "jobs@outlandish.example"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := n.store.EnqueueDeliveries(t.Context(), []directory.Delivery{{Inbox: s.byName + "/inbox", Signer: coop.APID,
		ActivityID: coop.APID + "/x", Body: []byte(`{}`), NextAttemptAt: now, CreatedAt: now}}); err != nil {
		t.Fatal(err)
	}
	n.fed.Nudge()
	eventually(t, "the queue emptied", func() bool {
		ds, _ := n.store.Deliveries(t.Context(), directory.DeliveryPending, 10)
		return len(ds) == 0
	})
	time.Sleep(200 * time.Millisecond)
	if got := s.postCount(); got != 1 {
		t.Errorf("%d POSTs reached the blocked domain after the block", got-1)
	}
	if ds, _ := n.store.Deliveries(t.Context(), directory.DeliveryFailed, 10); len(ds) != 0 {
		t.Errorf("deliveries to a blocked domain kept as failed: %+v", ds)
	}
}

// TestSignatureNamesThisHost: a request signed for another server (its
// signed host header names that server) is refused here, even when the
// signature itself verifies; so is one that does not sign its host and
// arrives with another server's Host.
func TestSignatureNamesThisHost(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	masto := newFake(t)
	coop := n.coop("outlandish")
	ana := masto.actorID("ana")
	follow := func(id string) []byte {
		b, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/follows/" + id,
			"type": "Follow", "actor": ana, "object": coop.APID})
		return b
	}
	_, port, _ := net.SplitHostPort(n.srv.Listener.Addr().String())
	// Signed for localhost, the same server under another name, then sent
	// here as it was.
	other := "http://localhost:" + port + "/inbox"
	st, msg := masto.sendRaw(other, follow("a"), ana+"#main-key", masto.key, func(r *http.Request) { r.URL.Host = "127.0.0.1:" + port })
	if st != http.StatusUnauthorized || !strings.Contains(msg, "signed for the host") {
		t.Errorf("signed for another host: %d %s", st, msg)
	}
	// Signed without host, and sent with the other name as its Host.
	noHost := func(r *http.Request) {
		r.URL.Host = "127.0.0.1:" + port
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		signAs(t, r, b, ana+"#main-key", masto.key, "rsa-sha256", strings.Fields("(request-target) date digest"), time.Now(), 0, 0)
	}
	if st, msg := masto.sendRaw(other, follow("c"), ana+"#main-key", masto.key, noHost); st != http.StatusUnauthorized || !strings.Contains(msg, "signed for the host") {
		t.Errorf("host unsigned, another Host: %d %s", st, msg)
	}
	// The same sent to this node's own name is taken.
	if st, msg := masto.sendRaw(n.srv.URL+"/inbox", follow("b"), ana+"#main-key", masto.key, nil); st != http.StatusAccepted {
		t.Errorf("signed for this host: %d %s", st, msg)
	}
	// Signed as Mastodon also accepts: without host, and with (created)
	// for Date.
	for i, set := range []struct{ alg, headers string }{
		{"rsa-sha256", "(request-target) date digest"},
		{"hs2019", "(request-target) host (created) digest"},
	} {
		resign := func(r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(b))
			signAs(t, r, b, ana+"#main-key", masto.key, set.alg, strings.Fields(set.headers), time.Now(), time.Now().Unix(), 0)
		}
		if st, msg := masto.sendRaw(n.srv.URL+"/inbox", follow(fmt.Sprint("d", i)), ana+"#main-key", masto.key, resign); st != http.StatusAccepted {
			t.Errorf("signed over %s: %d %s", set.headers, st, msg)
		}
	}
	if c, _ := n.store.CountFollowers(t.Context(), coop.APID); c != 1 {
		t.Errorf("followers: %d", c)
	}
}

// TestKeyFetchBounded: what an unsigned POST can make the node fetch is
// bounded. A key document over MaxKeyDocument is refused; a key that
// could not be fetched is not fetched again at once; fetches from one
// domain are rate limited (429); and the sender learns what failed
// without what the remote server sent.
func TestKeyFetchBounded(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	coop := n.coop("outlandish")
	key, _ := testKeys.Key()
	pub, _ := federation.EncodePublicKey(&key.PublicKey)
	const marker = "REMOTE-SECRET-TEXT"
	var mu sync.Mutex
	gets := map[string]int{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gets[r.URL.Path]++
		mu.Unlock()
		id := "http://" + r.Host + r.URL.Path
		actor := map[string]any{"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id": id, "type": "Person", "preferredUsername": "x", "inbox": id + "/inbox",
			"publicKey": map[string]string{"id": id + "#main-key", "owner": id, "publicKeyPem": pub}}
		switch {
		case r.URL.Path == "/users/big":
			actor["summary"] = strings.Repeat("a", federation.MaxKeyDocument)
		case r.URL.Path == "/users/liar":
			actor["id"] = "https://" + marker + ".example/users/liar"
		case r.URL.Path != "/users/fine":
			http.Error(w, marker, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", federation.ContentTypeAS)
		_ = json.NewEncoder(w).Encode(actor)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	masto := newFake(t) // only sends
	send := func(actor, keyID string) (int, string) {
		body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": actor + "/follows/1",
			"type": "Follow", "actor": actor, "object": coop.APID})
		return masto.sendRaw(n.srv.URL+"/inbox", body, keyID, key, nil)
	}
	fetched := func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		return gets[path]
	}

	big := srv.URL + "/users/big"
	if st, msg := send(big, big+"#main-key"); st != http.StatusUnauthorized || !strings.Contains(msg, "could not be fetched") {
		t.Errorf("a key document over %d bytes: %d %s", federation.MaxKeyDocument, st, msg)
	}
	liar := srv.URL + "/users/liar"
	if st, msg := send(liar, liar+"#main-key"); st != http.StatusUnauthorized || strings.Contains(msg, marker) {
		t.Errorf("a key document with another id: %d %s", st, msg)
	}
	missing := srv.URL + "/users/missing"
	for range 3 {
		st, msg := send(missing, missing+"#main-key")
		if st != http.StatusUnauthorized || strings.Contains(msg, marker) {
			t.Errorf("a missing key: %d %s", st, msg)
		}
	}
	if got := fetched("/users/missing"); got != 1 {
		t.Errorf("a missing key was fetched %d times for three POSTs", got)
	}
	// Thirty keys never seen before, from one domain, at once.
	limited := 0
	for i := range 30 {
		k := srv.URL + "/keys/" + strings.Repeat("k", i+1)
		st, msg := send(srv.URL+"/users/fine", k)
		if st == http.StatusTooManyRequests {
			limited++
		} else if st != http.StatusUnauthorized || strings.Contains(msg, marker) {
			t.Errorf("key %d: %d %s", i, st, msg)
		}
	}
	mu.Lock()
	keyGETs := 0
	for p, c := range gets {
		if strings.HasPrefix(p, "/keys/") {
			keyGETs += c
		}
	}
	mu.Unlock()
	if keyGETs > 20 || limited == 0 {
		t.Errorf("30 new keys from one domain: %d fetched, %d answered 429", keyGETs, limited)
	}
	// A good key of that domain is fetched once the domain has tokens
	// again; here it has none.
	fine := srv.URL + "/users/fine"
	if st, _ := send(fine, fine+"#main-key"); st != http.StatusTooManyRequests {
		t.Errorf("a new key of a domain over its rate: %d", st)
	}
	if c, _ := n.store.CountFollowers(t.Context(), coop.APID); c != 0 {
		t.Errorf("followers: %d", c)
	}
}

// TestKeyBelongsToOneActor: a key id is the key of one actor, the first
// verified with it. An actor cannot take another host's key id by listing
// it, nor another actor's of its own host; a key on another host than its
// actor is the actor's when the key's document names it as owner.
func TestKeyBelongsToOneActor(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	coop := n.coop("outlandish")
	ctx := t.Context()
	s := newSplitServer(t)
	masto := newFake(t)
	for s.key.Equal(masto.key) {
		s.key, _ = testKeys.Key()
	}
	inbox := n.srv.URL + "/inbox"
	follow := func(actor, id string) []byte {
		b, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": actor + "/follows/" + id,
			"type": "Follow", "actor": actor, "object": coop.APID})
		return b
	}

	// eve's key is on 127.0.0.1, eve on localhost; the key names her.
	eve := s.byName + "/users/eve"
	if st, msg := masto.sendRaw(inbox, follow(eve, "1"), s.ipBase+"/keys/eve", s.key, nil); st != http.StatusAccepted {
		t.Errorf("a key on another host naming its actor: %d %s", st, msg)
	}

	// mallory, on localhost, lists ana's key id (on 127.0.0.1) as hers.
	ana := masto.actorID("ana")
	s.mu.Lock()
	s.keyOf["mallory"] = ana + "#main-key"
	s.mu.Unlock()
	mallory := s.byName + "/users/mallory"
	if a, err := n.fed.FetchActor(ctx, mallory); err != nil {
		t.Fatal(err)
	} else if a.KeyID != "" {
		t.Errorf("mallory took the key %s", a.KeyID)
	}
	if st, msg := masto.sendRaw(inbox, follow(mallory, "1"), ana+"#main-key", s.key, nil); st < 400 {
		t.Errorf("mallory signing as ana's key: %d %s", st, msg)
	}
	if st, msg := masto.send(inbox, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": ana + "/follows/1",
		"type": "Follow", "actor": ana, "object": coop.APID}); st != http.StatusAccepted {
		t.Errorf("ana with her own key: %d %s", st, msg)
	}

	// x and y, both on 127.0.0.1, list the same key id; x was verified
	// with it first, then y signs with it and its document names y.
	shared := s.ipBase + "/keys/shared"
	x, y := s.ipBase+"/users/x", s.ipBase+"/users/y"
	s.mu.Lock()
	s.keyOf["x"], s.keyOf["y"], s.ownerOf["shared"] = shared, shared, y
	s.mu.Unlock()
	otherPEM, _ := federation.EncodePublicKey(&masto.key.PublicKey)
	if err := n.store.PutRemoteActor(ctx, &directory.RemoteActor{APID: x, Type: "Person", Username: "x", Host: hostOf(x),
		Inbox: x + "/inbox", KeyID: shared, PublicPEM: otherPEM, FetchedAt: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if st, msg := masto.sendRaw(inbox, follow(y, "1"), shared, s.key, nil); st != http.StatusForbidden ||
		!strings.Contains(msg, "belongs to another actor") {
		t.Errorf("y signing with x's key: %d %s", st, msg)
	}
	if _, err := n.fed.FetchActor(ctx, y); directory.KindOf(err) != directory.KindForbidden {
		t.Errorf("y stored with x's key: %v", err)
	}
	if a, err := n.store.RemoteActorByKeyID(ctx, shared); err != nil || a.APID != x {
		t.Errorf("the shared key's owner: %+v %v", a, err)
	}
	if c, _ := n.store.CountFollowers(ctx, coop.APID); c != 2 {
		t.Errorf("followers: %d, want eve and ana", c)
	}
}
