package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

// actorTypes are the types other servers use for actors.
var actorTypes = map[string]bool{"Person": true, "Organization": true, "Application": true, "Service": true, "Group": true}

// stringOrList reads a JSON string or list of strings.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("expected a string or a list of strings")
	}
	*s = many
	return nil
}

type keyDoc struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// keyList reads publicKey as one object or a list of them.
type keyList []keyDoc

func (k *keyList) UnmarshalJSON(b []byte) error {
	var one keyDoc
	if err := json.Unmarshal(b, &one); err == nil {
		*k = []keyDoc{one}
		return nil
	}
	var many []keyDoc
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("publicKey is neither an object nor a list")
	}
	*k = many
	return nil
}

// actorDoc is what the node reads of another server's actor document, or
// of a bare key document.
type actorDoc struct {
	Context           json.RawMessage `json:"@context"`
	ID                string          `json:"id"`
	Type              stringOrList    `json:"type"`
	PreferredUsername string          `json:"preferredUsername"`
	Name              string          `json:"name"`
	Inbox             string          `json:"inbox"`
	SharedInbox       string          `json:"sharedInbox"`
	Endpoints         struct {
		SharedInbox string `json:"sharedInbox"`
	} `json:"endpoints"`
	PublicKey    keyList `json:"publicKey"`
	Owner        string  `json:"owner"`
	PublicKeyPem string  `json:"publicKeyPem"`
	// AssertionMethod lists FEP-521a Multikeys (multikey.go).
	AssertionMethod multikeyList `json:"assertionMethod"`
}

func (d *actorDoc) actorType() string {
	for _, t := range d.Type {
		if actorTypes[t] {
			return t
		}
	}
	return ""
}

func (d *actorDoc) key(keyID string) *keyDoc {
	for i := range d.PublicKey {
		if keyID == "" || d.PublicKey[i].ID == keyID {
			return &d.PublicKey[i]
		}
	}
	return nil
}

func stripFragment(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		return s[:i]
	}
	return s
}

// ParseActor reads an actor document fetched from id into a RemoteActor.
// It enforces what Mastodon does: an actor type, an id equal to the URL
// fetched, an http(s) inbox, and a key owned by the actor itself; the key
// is taken when its id is on the actor's host.
func ParseActor(id string, doc []byte) (*directory.RemoteActor, error) {
	if err := checkDepth(doc, MaxDepth); err != nil {
		return nil, err
	}
	var d actorDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("the actor document is not valid: %w", err)
	}
	if !hasASContext(d.Context) {
		return nil, errors.New("the actor document lacks the ActivityStreams @context")
	}
	if d.ID != id {
		return nil, fmt.Errorf("the document's id %q is not the URL fetched, %q", d.ID, id)
	}
	typ := d.actorType()
	if typ == "" {
		return nil, fmt.Errorf("%s is a %v, not an actor", id, []string(d.Type))
	}
	if _, err := checkURL(d.Inbox); err != nil {
		return nil, fmt.Errorf("the actor has no usable inbox: %w", err)
	}
	a := &directory.RemoteActor{APID: d.ID, Type: typ, Username: d.PreferredUsername, Host: hostOf(d.ID), Name: d.Name,
		Inbox: d.Inbox, Document: doc}
	shared := d.Endpoints.SharedInbox
	if shared == "" {
		shared = d.SharedInbox
	}
	if shared != "" && hostOf(shared) == a.Host {
		a.SharedInbox = shared
	}
	if k := d.key(""); k != nil {
		if err := k.check(d.ID); err != nil {
			return nil, err
		}
	}
	if k := d.ownKey(); k != nil {
		a.KeyID, a.PublicPEM = k.ID, k.PublicKeyPem
	}
	a.Keys = ed25519Keys(d.ID, d.AssertionMethod)
	return a, nil
}

// check reports whether a key listed by the actor id is usable: owned by
// that actor, with a public key that parses.
func (k *keyDoc) check(actorID string) error {
	if k.Owner != "" && k.Owner != actorID {
		return fmt.Errorf("the actor's key is owned by %q, not by the actor", k.Owner)
	}
	if _, err := ParsePublicKey(k.PublicKeyPem); err != nil {
		return fmt.Errorf("the actor's key: %w", err)
	}
	return nil
}

// ownKey is the first usable key the actor's own host serves (Mastodon's
// ACTOR#main-key, GoToSocial's ACTOR/main-key). A key id on another host
// is taken only when fetching it shows this actor as its owner
// (bindForeignKey): an actor cannot claim a key another host serves.
func (d *actorDoc) ownKey() *keyDoc {
	for i := range d.PublicKey {
		if k := &d.PublicKey[i]; hostOf(k.ID) == hostOf(d.ID) && k.check(d.ID) == nil {
			return k
		}
	}
	return nil
}

func hasASContext(raw json.RawMessage) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one == asContext
	}
	var many []json.RawMessage
	if json.Unmarshal(raw, &many) != nil {
		return false
	}
	for _, m := range many {
		if json.Unmarshal(m, &one) == nil && one == asContext {
			return true
		}
	}
	return false
}

// FetchActor gets an actor with a signed GET and caches it; an actor on
// a blocked domain is refused (KindForbidden) without a request.
// A cached actor is fetched conditionally: an unchanged one (304) keeps
// its stored document.
func (f *Federation) FetchActor(ctx context.Context, id string) (*directory.RemoteActor, error) {
	return f.fetchActor(ctx, id, MaxDocument)
}

// fetchActor is FetchActor reading at most limit bytes.
func (f *Federation) fetchActor(ctx context.Context, id string, limit int) (*directory.RemoteActor, error) {
	if err := f.refuseBlockedHosts(ctx, id); err != nil {
		return nil, err
	}
	cached, _ := f.store.RemoteActor(ctx, id)
	etag := ""
	if cached != nil {
		etag = cached.ETag
	}
	doc, newETag, notModified, err := f.client.getActivity(ctx, id, etag, limit)
	if err != nil {
		return nil, err
	}
	if notModified {
		cached.FetchedAt = f.now()
		return cached, f.putRemoteActor(ctx, cached)
	}
	a, err := ParseActor(id, doc)
	if err != nil {
		return nil, err
	}
	a.ETag = newETag
	a.FetchedAt = f.now()
	if err := f.putRemoteActor(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// actorForKey finds the actor owning keyID: from the store unless
// refresh is set, else by fetching the key id (fetchKey bounds that).
func (f *Federation) actorForKey(ctx context.Context, keyID string, refresh bool) (*directory.RemoteActor, error) {
	if !refresh {
		a, err := f.store.RemoteActorByKeyID(ctx, keyID)
		if err == nil {
			return a, nil
		}
		if directory.KindOf(err) != directory.KindNotFound {
			return nil, err
		}
	}
	return f.fetchKey(ctx, keyID)
}

// fetchKeyOwner fetches the key document at docURL and the actor owning
// the key, each up to MaxKeyDocument. Mastodon's key ids are the actor
// with #main-key; GoToSocial's are a /main-key path serving a stub whose
// owner must then be fetched.
func (f *Federation) fetchKeyOwner(ctx context.Context, keyID, docURL string) (*directory.RemoteActor, error) {
	raw, _, _, err := f.client.getActivity(ctx, docURL, "", MaxKeyDocument)
	if err != nil {
		return nil, err
	}
	var d actorDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("the key document is not valid JSON: %w", err)
	}
	owner := d.Owner
	if k := d.key(keyID); k != nil && k.Owner != "" {
		owner = k.Owner
	}
	if owner == "" {
		owner = d.ID
	}
	// A key belongs to one actor, the first verified with it.
	if held, err := f.store.RemoteActorByKeyID(ctx, keyID); err == nil && held.APID != owner {
		f.log.WarnContext(ctx, "a key document names another owner than the stored one", slog.String("key", keyID),
			slog.String("stored", held.APID), slog.String("named", owner))
		return nil, directory.Forbiddenf("the key %s belongs to another actor", keyID)
	} else if err != nil && directory.KindOf(err) != directory.KindNotFound {
		return nil, err
	}
	var a *directory.RemoteActor
	if owner == docURL && d.Inbox != "" {
		if a, err = ParseActor(docURL, raw); err != nil {
			return nil, err
		}
		a.FetchedAt = f.now()
		if err := f.putRemoteActor(ctx, a); err != nil {
			return nil, err
		}
	} else if a, err = f.fetchActor(ctx, owner, MaxKeyDocument); err != nil {
		return nil, err
	}
	if a.KeyID != keyID && a.Key(keyID) == nil && hostOf(keyID) != a.Host {
		if err := f.bindForeignKey(ctx, a, keyID, &d); err != nil {
			return nil, err
		}
	}
	if a.KeyID != keyID && a.Key(keyID) == nil {
		return nil, fmt.Errorf("the actor %s does not publish the key %s", a.APID, keyID)
	}
	return a, nil
}

// bindForeignKey makes a key served by another host than its actor's the
// actor's key, as Mastodon does: the key document (keyDoc, fetched from
// the key id) names the actor as owner, and the actor lists the key id.
func (f *Federation) bindForeignKey(ctx context.Context, a *directory.RemoteActor, keyID string, keyDoc *actorDoc) error {
	var actor actorDoc
	if err := json.Unmarshal(a.Document, &actor); err != nil || actor.key(keyID) == nil {
		return fmt.Errorf("the actor %s does not list the key %s", a.APID, keyID)
	}
	pem, owner := keyDoc.PublicKeyPem, keyDoc.Owner
	if k := keyDoc.key(keyID); k != nil {
		pem, owner = k.PublicKeyPem, k.Owner
	}
	if owner != a.APID {
		return fmt.Errorf("the key %s is not owned by %s", keyID, a.APID)
	}
	if _, err := ParsePublicKey(pem); err != nil {
		return fmt.Errorf("the key %s: %w", keyID, err)
	}
	a.KeyID, a.PublicPEM = keyID, pem
	return f.putRemoteActor(ctx, a)
}

// putRemoteActor stores a fetched actor and forgets the keys that
// verified with what was stored before.
func (f *Federation) putRemoteActor(ctx context.Context, a *directory.RemoteActor) error {
	err := f.store.PutRemoteActor(ctx, a)
	f.keys.forgetActor(a.APID)
	return err
}
