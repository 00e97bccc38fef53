package federation_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/colmena-coop/colmena/federation"
)

// TestParseRealActors reads actor documents of Mastodon, Misskey, Lemmy,
// PeerTube, Mobilizon, Funkwhale, WordPress and Pleroma into remote actor
// records: inbox, shared inbox, key and type.
func TestParseRealActors(t *testing.T) {
	files, _ := filepath.Glob("testdata/actors/*.json")
	if len(files) < 8 {
		t.Fatalf("only %d fixtures", len(files))
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var head struct {
			ID        string `json:"id"`
			Inbox     string `json:"inbox"`
			Endpoints struct {
				SharedInbox string `json:"sharedInbox"`
			} `json:"endpoints"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		a, err := federation.ParseActor(head.ID, raw)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(file), err)
			continue
		}
		if a.APID != head.ID || a.Inbox != head.Inbox || a.KeyID == "" || a.Type == "" || a.Host == "" {
			t.Errorf("%s: %+v", filepath.Base(file), a)
		}
		if _, err := federation.ParsePublicKey(a.PublicPEM); err != nil {
			t.Errorf("%s: key: %v", filepath.Base(file), err)
		}
		if head.Endpoints.SharedInbox != "" && a.SharedInbox == "" && a.Host == hostOf(head.Endpoints.SharedInbox) {
			t.Errorf("%s: shared inbox dropped", filepath.Base(file))
		}
		// Fetched from another URL, the document is refused.
		if _, err := federation.ParseActor(head.ID+"x", raw); err == nil {
			t.Errorf("%s: accepted under another id", filepath.Base(file))
		}
	}
}

func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Host
}

func TestParseActorRefusals(t *testing.T) {
	const id = "https://m.example/users/a"
	cases := map[string]string{
		"not json":      `{`,
		"no context":    `{"id":"` + id + `","type":"Person","inbox":"https://m.example/inbox"}`,
		"not an actor":  `{"@context":"https://www.w3.org/ns/activitystreams","id":"` + id + `","type":"Note","inbox":"https://m.example/inbox"}`,
		"no inbox":      `{"@context":"https://www.w3.org/ns/activitystreams","id":"` + id + `","type":"Person"}`,
		"foreign owner": `{"@context":"https://www.w3.org/ns/activitystreams","id":"` + id + `","type":"Person","inbox":"https://m.example/i","publicKey":{"id":"k","owner":"https://evil.example/x","publicKeyPem":"x"}}`,
		"bad key":       `{"@context":"https://www.w3.org/ns/activitystreams","id":"` + id + `","type":"Person","inbox":"https://m.example/i","publicKey":{"id":"k","owner":"` + id + `","publicKeyPem":"not pem"}}`,
	}
	for name, doc := range cases {
		if _, err := federation.ParseActor(id, []byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzParseActor feeds remote actor documents, the first remote input the
// inbox parses, to the parser; it must never panic and what it accepts
// must be usable.
func FuzzParseActor(f *testing.F) {
	files, _ := filepath.Glob("testdata/actors/*.json")
	for _, file := range files {
		raw, _ := os.ReadFile(file)
		f.Add(raw)
	}
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/activitystreams"],"id":"https://m.example/u","type":["Person"],"inbox":"https://m.example/i","publicKey":[]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var head struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(doc, &head)
		a, err := federation.ParseActor(head.ID, doc)
		if err != nil {
			return
		}
		if a.APID != head.ID || a.Inbox == "" || a.Type == "" {
			t.Fatalf("accepted an unusable actor: %+v", a)
		}
	})
}
