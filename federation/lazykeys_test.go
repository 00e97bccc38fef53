package federation_test

import (
	"crypto/rsa"
	"encoding/json"
	"net"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
	"github.com/colmena-coop/colmena/web"
)

// distinctKeys returns n different keys from the test pool.
func distinctKeys(t *testing.T, n int) []*rsa.PrivateKey {
	t.Helper()
	var out []*rsa.PrivateKey
	for range 50 {
		k, err := testKeys.Key()
		if err != nil {
			t.Fatal(err)
		}
		fresh := true
		for _, o := range out {
			fresh = fresh && !o.Equal(k)
		}
		if fresh {
			out = append(out, k)
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("the key pool has fewer than %d keys", n)
	return nil
}

// actorKeyPEM fetches an actor document and returns its publicKeyPem.
func actorKeyPEM(t testing.TB, url string) string {
	t.Helper()
	st, _, body := get(t, url, federation.ContentTypeAS)
	if st != 200 {
		t.Errorf("GET %s: %d %s", url, st, body)
		return ""
	}
	var doc struct {
		PublicKey struct {
			ID, PublicKeyPem string
		}
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Errorf("GET %s: %v", url, err)
	}
	return doc.PublicKey.PublicKeyPem
}

// TestKeyMadeOnceAcrossReplicas: a co-op's key, made when its actor
// document is first asked for, is one key: two replicas over one store
// asked at once, each by several requests, both make one (they are held
// until both have started), the store keeps the first, and every answer
// of both, and of a third replica opened afterwards, publishes that one.
func TestKeyMadeOnceAcrossReplicas(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		st := open(t)
		srvs := []*httptest.Server{httptest.NewUnstartedServer(nil), httptest.NewUnstartedServer(nil), httptest.NewUnstartedServer(nil)}
		_, port, _ := net.SplitHostPort(srvs[0].Listener.Addr().String())
		links, err := directory.NewLinks("http://127.0.0.1:" + port)
		if err != nil {
			t.Fatal(err)
		}
		svc := directory.NewService(st, links, time.Now)
		if _, err := svc.Init(t.Context(), directory.FederationSettings{Name: "SoberaniaX", Handle: "soberaniax"}); err != nil {
			t.Fatal(err)
		}
		coop, err := svc.CreateCoop(t.Context(), directory.Principal{Admin: true}, directory.Coop{Handle: "hornero", Name: "Hornero",
			Country: "AR", Workers: 5})
		if err != nil {
			t.Fatal(err)
		}
		keys := distinctKeys(t, 3)
		var arrived sync.WaitGroup
		arrived.Add(2)
		both := make(chan struct{})
		go func() { arrived.Wait(); close(both) }()
		calls := make([]atomic.Int32, 3)
		for i, srv := range srvs {
			keyGen := func() (*rsa.PrivateKey, error) {
				if calls[i].Add(1) == 1 && i < 2 {
					arrived.Done()
					select { // both replicas make a key at once
					case <-both:
					case <-time.After(10 * time.Second):
					}
				}
				return keys[i], nil
			}
			replica := directory.NewService(st, links, time.Now)
			fed := federation.New(federation.Config{Service: replica, Store: st, AllowPrivateNetwork: true, Version: "test", KeyGen: keyGen})
			srv.Config.Handler = web.New(web.Config{Service: replica, Version: "test", Federation: fed}).Handler()
			srv.Start()
			t.Cleanup(srv.Close)
		}
		path := "/coops/hornero"
		got := make([]string, 8)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() { got[i] = actorKeyPEM(t, srvs[i%2].URL+path) })
		}
		wg.Wait()
		stored, err := st.Key(t.Context(), coop.APID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.PublicPEM != got[0] && stored.PublicPEM != got[1] {
			t.Fatalf("the stored key is not the one served")
		}
		for i, g := range got {
			if g != stored.PublicPEM {
				t.Errorf("answer %d (replica %d) publishes another key than the stored one", i, i%2)
			}
		}
		for i := range 2 {
			if n := calls[i].Load(); n != 1 {
				t.Errorf("replica %d made %d keys for one actor asked for 4 times at once, want 1", i, n)
			}
		}
		// Read again, by both and by a replica that made nothing.
		for i, srv := range srvs {
			if g := actorKeyPEM(t, srv.URL+path); g != stored.PublicPEM {
				t.Errorf("replica %d, read again: another key", i)
			}
		}
		if n := calls[2].Load(); n != 0 {
			t.Errorf("a third replica made %d keys for an actor that has one", n)
		}
		pub, err := federation.ParsePublicKey(stored.PublicPEM)
		if err != nil {
			t.Fatal(err)
		}
		if pub.N.BitLen() != federation.KeyBits {
			t.Errorf("a %d-bit key", pub.N.BitLen())
		}
	})
}

// TestActorServedWhileKeysAreMade: while the node is still making its
// actors' keys in the background, a co-op's actor document is not served
// before the co-op's key exists; then it carries that key, each actor's key
// is made once, and a follower's server verifies the co-op's signed Accept
// with the key the document gave.
func TestActorServedWhileKeysAreMade(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		var mu sync.Mutex
		made := 0
		started := make(chan struct{}, 100)
		release := make(chan struct{})
		keyGen := func() (*rsa.PrivateKey, error) {
			started <- struct{}{}
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
			mu.Lock()
			made++
			mu.Unlock()
			return testKeys.Key()
		}
		n := newNodeTuned(t, open, "SoberaniaX", "soberaniax", "127.0.0.1", func(c *federation.Config) { c.KeyGen = keyGen })
		// The background has started on the instance actor's key, and is held.
		select {
		case <-started:
		case <-time.After(10 * time.Second):
			t.Fatal("no key is made in the background")
		}
		coop := n.coop("hornero")
		doc := make(chan string, 1)
		go func() { doc <- actorKeyPEM(t, coop.APID) }()
		// The document waits for a key being made: by the request or by the
		// background, whichever came first.
		select {
		case <-started:
		case <-time.After(10 * time.Second):
			t.Fatal("the actor document did not wait for a key being made")
		}
		select {
		case <-doc:
			t.Fatal("the actor document was served before its key was made")
		default:
		}
		close(release)
		var pem string
		select {
		case pem = <-doc:
		case <-time.After(15 * time.Second):
			t.Fatal("no actor document")
		}
		stored, err := n.store.Key(t.Context(), coop.APID)
		if err != nil {
			t.Fatal(err)
		}
		if pem == "" || pem != stored.PublicPEM {
			t.Fatalf("the document's key is not the co-op's stored key")
		}
		// The background goes on with the federation's key; each actor's
		// key is made once.
		fed, _ := n.store.LocalFederation(t.Context())
		eventually(t, "the background's keys", func() bool {
			_, err1 := n.store.Key(t.Context(), fed.APID)
			_, err2 := n.store.Key(t.Context(), n.svc.Links().InstanceActor())
			return err1 == nil && err2 == nil
		})
		mu.Lock()
		if made != 3 {
			t.Errorf("%d keys made for 3 actors", made)
		}
		mu.Unlock()
		masto := newFake(t)
		if st, body := masto.send(n.srv.URL+"/inbox", map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": masto.srv.URL + "/follows/1", "type": "Follow", "actor": masto.actorID("ana"), "object": coop.APID}); st != 202 {
			t.Fatalf("follow: %d %s", st, body)
		}
		// The fake verifies the Accept's signature with the key the
		// co-op's document publishes, and refuses it otherwise.
		eventually(t, "the co-op's signed Accept", func() bool { return len(masto.byType("Accept")) == 1 })
		if got := actorKeyPEM(t, coop.APID); got != pem {
			t.Errorf("the document's key changed")
		}
	})
}
