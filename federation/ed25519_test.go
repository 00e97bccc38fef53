package federation_test

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/federation"
)

// multikeyActor is a server publishing one account, "fedi", as Fedify
// does: an RSA publicKey and an Ed25519 key as a FEP-521a Multikey in
// assertionMethod. Its inbox takes anything.
type multikeyActor struct {
	srv *httptest.Server
	ed  ed25519.PrivateKey
}

func newMultikeyActor(t *testing.T) *multikeyActor {
	t.Helper()
	rsaKey, err := testKeys.Key()
	if err != nil {
		t.Fatal(err)
	}
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	m := &multikeyActor{ed: ed}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/fedi", func(w http.ResponseWriter, r *http.Request) {
		id := m.id()
		pub, _ := federation.EncodePublicKey(&rsaKey.PublicKey)
		doc := map[string]any{
			"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
				"https://w3id.org/security/multikey/v1"},
			"id": id, "type": "Person", "preferredUsername": "fedi", "inbox": id + "/inbox",
			"publicKey": map[string]string{"id": id + "#main-key", "owner": id, "publicKeyPem": pub},
			"assertionMethod": []any{
				map[string]string{"id": id + "#ed25519-key", "type": "Multikey", "controller": id,
					"publicKeyMultibase": federation.MultikeyOf(ed.Public().(ed25519.PublicKey))},
				// Not the actor's: another controller is not read.
				map[string]string{"id": id + "#stolen", "type": "Multikey", "controller": "https://elsewhere.example/users/x",
					"publicKeyMultibase": federation.MultikeyOf(ed.Public().(ed25519.PublicKey))},
			},
		}
		w.Header().Set("Content-Type", federation.ContentTypeAS)
		_ = json.NewEncoder(w).Encode(doc)
	})
	mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	m.srv = httptest.NewServer(mux)
	t.Cleanup(m.srv.Close)
	return m
}

func (m *multikeyActor) id() string { return m.srv.URL + "/users/fedi" }

// TestEd25519Multikey: an actor publishing an Ed25519 Multikey signs a
// Follow as RFC 9421 with alg ed25519, naming that key; the node fetches
// the actor, reads the key and takes the Follow. Signed with another key,
// or naming a key the actor does not control, the Follow is refused.
func TestEd25519Multikey(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "EthiX", "ethix")
		coop := n.coop("gcoop")
		m := newMultikeyActor(t)
		post := func(followID, keyID string, key crypto.Signer) (int, string) {
			t.Helper()
			body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
				"id": m.srv.URL + "/follows/" + followID, "type": "Follow", "actor": m.id(), "object": coop.APID})
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, coop.APID+"/inbox", bytes.NewReader(body))
			req.Header.Set("Content-Type", federation.ContentTypeAS)
			if err := federation.SignMessage(req, body, keyID, key, time.Now()); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(req.Header.Get("Signature-Input"), `alg="ed25519"`) {
				t.Fatalf("not signed with ed25519: %s", req.Header.Get("Signature-Input"))
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			msg, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(msg)
		}
		_, wrong, _ := ed25519.GenerateKey(rand.Reader)
		// Another key than the published one, before the actor is stored
		// and after.
		if st, msg := post("0", m.id()+"#ed25519-key", wrong); st != http.StatusUnauthorized {
			t.Fatalf("a wrong key: %d %s", st, msg)
		}
		if st, msg := post("1", m.id()+"#ed25519-key", m.ed); st != http.StatusAccepted {
			t.Fatalf("an ed25519 Follow: %d %s", st, msg)
		}
		eventually(t, "the follower", func() bool { return getAS(t, coop.APID+"/followers")["totalItems"] == 1.0 })
		a, err := n.store.RemoteActorByKeyID(t.Context(), m.id()+"#ed25519-key")
		if err != nil || a.APID != m.id() || len(a.Keys) != 1 {
			t.Fatalf("the stored actor: %+v %v", a, err)
		}
		if st, msg := post("2", m.id()+"#ed25519-key", wrong); st != http.StatusUnauthorized || !strings.Contains(msg, "does not verify") {
			t.Fatalf("a wrong key, actor stored: %d %s", st, msg)
		}
		if st, msg := post("3", m.id()+"#stolen", m.ed); st != http.StatusUnauthorized {
			t.Fatalf("a key the actor does not control: %d %s", st, msg)
		}
		// The RSA key is read as before.
		if st, msg := post("4", m.id()+"#main-key", m.ed); st != http.StatusUnauthorized {
			t.Fatalf("ed25519 over the RSA key: %d %s", st, msg)
		}
	})
}

// TestParseMultikey reads the did:key specification's Ed25519 example
// (did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK) and refuses
// what is not an Ed25519 Multikey.
func TestParseMultikey(t *testing.T) {
	const example = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	k, err := federation.ParseMultikey(example)
	if err != nil || len(k) != ed25519.PublicKeySize {
		t.Fatalf("%v %v", k, err)
	}
	if got := federation.MultikeyOf(k); got != example {
		t.Fatalf("written again: %s", got)
	}
	for _, bad := range []string{"", "u7QE", "z", "z0OIl", example[:20], "zQmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",
		"z" + strings.Repeat("2", 200)} {
		if _, err := federation.ParseMultikey(bad); err == nil {
			t.Errorf("%q was read", bad)
		}
	}
}
