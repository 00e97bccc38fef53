package federation_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// TestRotatedKeyReplacesVerifiedOne: the inbox remembers a key that
// verified, but a key fetched again replaces it at once: after ana's
// server rotates her key, her new key verifies and the old one, which
// verified a moment before, no longer does.
func TestRotatedKeyReplacesVerifiedOne(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "EthiX", "ethix")
		coop := n.coop("outlandish")
		masto := newFake(t)
		ana := masto.actorID("ana")
		old := masto.key
		oldPEM, _ := federation.EncodePublicKey(&old.PublicKey)
		// Stored long ago, so that a signature it fails to verify makes
		// the node fetch the key again.
		if err := n.store.PutRemoteActor(t.Context(), &directory.RemoteActor{APID: ana, Type: "Person", Username: "ana",
			Host: hostOf(ana), Inbox: ana + "/inbox", KeyID: ana + "#main-key", PublicPEM: oldPEM,
			FetchedAt: time.Now().Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		inbox := n.srv.URL + "/inbox"
		follow := func(id string) []byte {
			b, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": ana + "/follows/" + id,
				"type": "Follow", "actor": ana, "object": coop.APID})
			return b
		}
		for i, id := range []string{"1", "2"} {
			if st, msg := masto.sendRaw(inbox, follow(id), ana+"#main-key", old, nil); st != http.StatusAccepted {
				t.Fatalf("old key, follow %d: %d %s", i+1, st, msg)
			}
		}
		rotated, _ := testKeys.Key()
		for rotated.Equal(old) {
			rotated, _ = testKeys.Key()
		}
		masto.mu.Lock()
		masto.key = rotated
		masto.mu.Unlock()
		if st, msg := masto.sendRaw(inbox, follow("3"), ana+"#main-key", rotated, nil); st != http.StatusAccepted {
			t.Errorf("the rotated key: %d %s", st, msg)
		}
		if st, msg := masto.sendRaw(inbox, follow("4"), ana+"#main-key", old, nil); st != http.StatusUnauthorized {
			t.Errorf("the old key after the rotation: %d %s", st, msg)
		}
		if a, err := n.store.RemoteActorByKeyID(t.Context(), ana+"#main-key"); err != nil || a.PublicPEM == oldPEM {
			t.Errorf("the stored key was not replaced: %v", err)
		}
	})
}
