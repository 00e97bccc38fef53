package federation_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestInboxRefusals sends every kind of bad delivery and checks each gets
// its status and changes nothing.
func TestInboxRefusals(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	masto := newFake(t)
	coop := n.coop("outlandish")
	ana := masto.actorID("ana")
	keyID := ana + "#main-key"
	follow := func(id string) []byte {
		b, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/follows/" + id,
			"type": "Follow", "actor": ana, "object": coop.APID})
		return b
	}
	inbox := n.srv.URL + "/inbox"
	other, _ := testKeys.Key()
	for other.Equal(masto.key) {
		other, _ = testKeys.Key()
	}
	cases := []struct {
		name   string
		body   []byte
		keyID  string
		sign   bool
		tamper func(*http.Request)
		status int
		says   string
	}{
		{"unsigned", follow("a"), keyID, false, nil, 401, "not signed"},
		{"wrong key", follow("b"), keyID, true, func(r *http.Request) {
			// re-sign with a key that is not ana's
			r.Header.Del("Signature")
			r.Header.Del("Digest")
		}, 401, "not signed"},
		{"digest of another body", follow("c"), keyID, true, func(r *http.Request) {
			r.Body = ioNop(follow("c2"))
			r.ContentLength = int64(len(follow("c2")))
		}, 401, "Digest"},
		{"stale date", follow("d"), keyID, true, func(r *http.Request) {
			r.Header.Set("Date", time.Now().Add(-2*time.Hour).UTC().Format(http.TimeFormat))
		}, 401, "Date"},
		{"digest not signed", follow("e"), keyID, true, func(r *http.Request) {
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), ` digest`, ``, 1))
		}, 401, "must cover digest"},
		{"signature tampered", follow("f"), keyID, true, func(r *http.Request) {
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `signature="`, `signature="AAAA`, 1))
		}, 401, "does not verify"},
		{"unknown key", follow("g"), masto.srv.URL + "/users/ghost-404#main-key", true, nil, 401, "could not be fetched"},
		{"wrong content type", follow("h"), keyID, true, func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, 415, "activity+json"},
		{"too large", append(follow("i")[:0:0], bytes.Repeat([]byte(" "), 1<<20+10)...), keyID, true, nil, 413, "1 MiB"},
		{"malformed json", []byte(`{"@context": "https://www.w3.org/ns/activitystreams", "type": "Follow", `), keyID, true, nil, 400, "JSON"},
		{"no context", []byte(`{"id": "x", "type": "Follow", "actor": "` + ana + `"}`), keyID, true, nil, 400, "@context"},
	}
	for _, tc := range cases {
		key := masto.key
		if !tc.sign {
			key = nil
		}
		if tc.name == "wrong key" {
			// Signed with a key that is not the one ana publishes.
			tc.tamper = nil
			key = other
		}
		st, body := masto.sendRaw(inbox, tc.body, tc.keyID, key, tc.tamper)
		if tc.name == "wrong key" {
			tc.says = "does not verify"
		}
		if st != tc.status || !strings.Contains(body, tc.says) {
			t.Errorf("%s: %d %s; want %d saying %q", tc.name, st, body, tc.status, tc.says)
		}
	}

	// Impersonation: ana signs an activity whose actor is someone else.
	imp, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/follows/x",
		"type": "Follow", "actor": masto.actorID("bob"), "object": coop.APID})
	if st, body := masto.sendRaw(inbox, imp, keyID, masto.key, nil); st != 403 || !strings.Contains(body, "not the signer") {
		t.Errorf("impersonation: %d %s", st, body)
	}
	// Objects must live on the actor's host.
	create, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/create/1",
		"type": "Create", "actor": ana, "object": map[string]any{"id": "https://elsewhere.example/notes/1", "type": "Note", "content": "x"}})
	if st, body := masto.sendRaw(inbox, create, keyID, masto.key, nil); st != 403 || !strings.Contains(body, "not on the actor's host") {
		t.Errorf("foreign object: %d %s", st, body)
	}
	foreignID, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": "https://elsewhere.example/follows/1",
		"type": "Follow", "actor": ana, "object": coop.APID})
	if st, _ := masto.sendRaw(inbox, foreignID, keyID, masto.key, nil); st != 403 {
		t.Errorf("foreign activity id: %d", st)
	}
	// A per-actor inbox of nobody.
	if st, _ := masto.sendRaw(n.srv.URL+"/coops/nobody/inbox", follow("z"), keyID, masto.key, nil); st != 404 {
		t.Errorf("inbox of nobody: %d", st)
	}
	// Follow of an actor that is not here.
	notHere, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/follows/nh",
		"type": "Follow", "actor": ana, "object": n.srv.URL + "/coops/nobody"})
	if st, _ := masto.sendRaw(inbox, notHere, keyID, masto.key, nil); st != 404 {
		t.Errorf("follow of nobody: %d", st)
	}

	// Nothing above was stored.
	if c, _ := n.store.CountFollowers(t.Context(), coop.APID); c != 0 {
		t.Fatalf("a refused follow was stored: %d followers", c)
	}

	// Unknown types are accepted and ignored.
	emoji, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/react/1",
		"type": "EmojiReact", "actor": ana, "object": coop.APID, "content": "🐝"})
	if st, body := masto.sendRaw(inbox, emoji, keyID, masto.key, nil); st != 202 {
		t.Errorf("unknown type: %d %s", st, body)
	}
	// A good follow, sent twice, is applied once and accepted once.
	for range 2 {
		if st, body := masto.sendRaw(inbox, follow("ok"), keyID, masto.key, nil); st != 202 {
			t.Fatalf("follow: %d %s", st, body)
		}
	}
	eventually(t, "Accept", func() bool { return len(masto.byType("Accept")) == 1 })
	time.Sleep(200 * time.Millisecond)
	if got := len(masto.byType("Accept")); got != 1 {
		t.Fatalf("%d Accepts for one follow sent twice", got)
	}
	if c, _ := n.store.CountFollowers(t.Context(), coop.APID); c != 1 {
		t.Fatalf("followers: %d", c)
	}
	// The instance actor does not take followers.
	inst, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": masto.srv.URL + "/follows/inst",
		"type": "Follow", "actor": ana, "object": n.srv.URL + "/actor"})
	if st, _ := masto.sendRaw(inbox, inst, keyID, masto.key, nil); st != 202 {
		t.Fatalf("follow of the instance actor: %d", st)
	}
	eventually(t, "Reject", func() bool { return len(masto.byType("Reject")) == 1 })
	// A deleted remote actor loses its follows.
	del, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": ana + "#delete",
		"type": "Delete", "actor": ana, "object": ana})
	if st, _ := masto.sendRaw(inbox, del, keyID, masto.key, nil); st != 202 {
		t.Fatalf("actor delete: %d", st)
	}
	if c, _ := n.store.CountFollowers(t.Context(), coop.APID); c != 0 {
		t.Fatalf("followers after the actor's deletion: %d", c)
	}
}
