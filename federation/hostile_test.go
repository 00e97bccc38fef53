package federation_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

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
