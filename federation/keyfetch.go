package federation

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/time/rate"

	"github.com/colmena-coop/colmena/directory"
)

// Fetching the key a signature names. The inbox does it before the sender
// has proven anything, so whoever can POST could make this node fetch any
// URL; that is bounded here: a key document (or the actor it names) is
// read up to MaxKeyDocument, a key the remote server refused or served
// unreadable is not fetched again for keyFailureTTL, and failed fetches
// are rate limited per registrable domain and in all (keys that verify
// cost nothing). What the remote server answered is logged, never told
// to the sender beyond its status.

// MaxKeyDocument bounds a document fetched to check a signature: the key
// document and the actor owning it. Actors of Mastodon, Misskey, Lemmy,
// PeerTube and Pleroma measure 1 to 4 KB (testdata/actors); Mastodon's
// limit for any document, 1 MB, would let one unsigned POST cost a
// megabyte of download.
const MaxKeyDocument = 64 << 10

const (
	// keyFailureTTL is how long a key that could not be fetched is
	// refused without trying again; Mastodon's circuit breaker on
	// signature fetches cools off for five minutes too.
	keyFailureTTL = 5 * time.Minute
	// keyFailures bounds how many failed keys are remembered.
	keyFailures = 4096
	// keyFetchRate and keyFetchBurst limit failed key fetches per
	// registrable domain: after 20 keys that could not be fetched, one a
	// second. Keys that verify cost nothing, so a node whose many co-ops
	// deliver at once for the first time is not slowed down.
	keyFetchRate  = rate.Limit(1)
	keyFetchBurst = 20
	// keyFetchDomains bounds how many domains' limiters are kept.
	keyFetchDomains = 4096
	// keyFetchAllRate and keyFetchAllBurst limit failed key fetches in
	// all.
	keyFetchAllRate  = rate.Limit(50)
	keyFetchAllBurst = 200
	// keyRefetchAfter is how old a stored key must be before a signature
	// that does not verify with it makes the node fetch it again.
	keyRefetchAfter = time.Minute
)

const (
	// verifiedKeyTTL is how long a key that verified a signature is used
	// without reading its actor from the store again. A key this node
	// fetches anew replaces it at once (forgetActor); one another
	// replica of the node fetched is used here from the store within
	// this time.
	verifiedKeyTTL = time.Minute
	// verifiedKeys bounds how many verified keys are remembered.
	verifiedKeys = 4096
)

// keyFetches remembers failed key fetches and limits new ones, and
// remembers the keys that verified signatures, parsed. The golang-lru
// simplelru caches bound its memory; expiry is checked against the
// node's clock.
type keyFetches struct {
	mu       sync.Mutex
	failed   *simplelru.LRU[string, time.Time] // key document URL -> retry after
	limiters *simplelru.LRU[string, *rate.Limiter]
	all      *rate.Limiter
	verified *simplelru.LRU[string, verifiedKey] // key id -> its actor and parsed key
	parsed   *simplelru.LRU[string, *rsa.PublicKey]
}

// verifiedKey is a key that verified a signature: the actor the store
// held for it then, and the key parsed.
type verifiedKey struct {
	actor *directory.RemoteActor
	key   *rsa.PublicKey
	until time.Time
}

func newKeyFetches() *keyFetches {
	failed, _ := simplelru.NewLRU[string, time.Time](keyFailures, nil)
	limiters, _ := simplelru.NewLRU[string, *rate.Limiter](keyFetchDomains, nil)
	verified, _ := simplelru.NewLRU[string, verifiedKey](verifiedKeys, nil)
	parsed, _ := simplelru.NewLRU[string, *rsa.PublicKey](verifiedKeys, nil)
	return &keyFetches{failed: failed, limiters: limiters, all: rate.NewLimiter(keyFetchAllRate, keyFetchAllBurst),
		verified: verified, parsed: parsed}
}

// parse is ParsePublicKey of a PEM text, parsed once.
func (k *keyFetches) parse(pemText string) (*rsa.PublicKey, error) {
	k.mu.Lock()
	key, ok := k.parsed.Get(pemText)
	k.mu.Unlock()
	if ok {
		return key, nil
	}
	key, err := ParsePublicKey(pemText)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.parsed.Add(pemText, key)
	k.mu.Unlock()
	return key, nil
}

// lookup returns the actor and key keyID verified with less than
// verifiedKeyTTL ago; the actor is a copy, the caller's to change.
func (k *keyFetches) lookup(keyID string, now time.Time) (*directory.RemoteActor, *rsa.PublicKey) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.verified.Get(keyID)
	if !ok {
		return nil, nil
	}
	if now.After(v.until) {
		k.verified.Remove(keyID)
		return nil, nil
	}
	a := *v.actor
	return &a, v.key
}

// remember records that keyID, held by a, verified a signature.
func (k *keyFetches) remember(keyID string, a *directory.RemoteActor, now time.Time) {
	key, err := k.parse(a.PublicPEM)
	if err != nil {
		return
	}
	cp := *a
	k.mu.Lock()
	defer k.mu.Unlock()
	k.verified.Add(keyID, verifiedKey{actor: &cp, key: key, until: now.Add(verifiedKeyTTL)})
}

// forget drops what keyID verified with.
func (k *keyFetches) forget(keyID string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.verified.Remove(keyID)
}

// forgetActor drops every key remembered for the actor apid, when this
// node stores the actor again: a key fetched anew, or no longer the
// actor's, is read from the store from then on.
func (k *keyFetches) forgetActor(apid string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, id := range k.verified.Keys() {
		if v, ok := k.verified.Peek(id); ok && v.actor.APID == apid {
			k.verified.Remove(id)
		}
	}
}

// failedRecently reports whether fetching docURL failed less than
// keyFailureTTL ago.
func (k *keyFetches) failedRecently(docURL string, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	until, ok := k.failed.Get(docURL)
	if ok && now.After(until) {
		k.failed.Remove(docURL)
		return false
	}
	return ok
}

func (k *keyFetches) fail(docURL string, now time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.failed.Add(docURL, now.Add(keyFailureTTL))
}

// allow reports whether domain, and the node in all, have a failure
// left to spend on a key fetch.
func (k *keyFetches) allow(domain string, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	lim, ok := k.limiters.Get(domain)
	return (!ok || lim.TokensAt(now) >= 1) && k.all.TokensAt(now) >= 1
}

// charge spends a failure of domain's and the node's.
func (k *keyFetches) charge(domain string, now time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	lim, ok := k.limiters.Get(domain)
	if !ok {
		lim = rate.NewLimiter(keyFetchRate, keyFetchBurst)
		k.limiters.Add(domain, lim)
	}
	lim.AllowN(now, 1)
	k.all.AllowN(now, 1)
}

// registrableDomain is the domain a host's owner registered
// (mastodon.example for a.b.mastodon.example), or the host itself when it
// is an address or has none: subdomains cost an attacker nothing.
func registrableDomain(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if net.ParseIP(host) != nil {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// fetchKey finds the actor owning keyID by fetching the key id, within
// the bounds above. Its errors are safe to show the sender: a refusal of
// this node's own (blocked, rate limited, failed a moment ago) or that the
// key could not be fetched, with the remote status at most.
func (f *Federation) fetchKey(ctx context.Context, keyID string) (*directory.RemoteActor, error) {
	docURL := stripFragment(keyID)
	if err := f.refuseBlockedHosts(ctx, docURL); err != nil {
		return nil, err
	}
	now := f.now()
	if f.keys.failedRecently(docURL, now) {
		return nil, directory.Unauthorizedf("the signing key %s could not be fetched a moment ago; try again later", keyID)
	}
	domain := registrableDomain(hostOf(docURL))
	if !f.keys.allow(domain, now) {
		return nil, refuse(kindTooMany, "too many signing keys fetched from %s; try again later", domain)
	}
	a, err := f.fetchKeyOwner(ctx, keyID, docURL)
	if err == nil {
		return a, nil
	}
	var de *directory.Error
	if errors.As(err, &de) && de.Kind != directory.KindInvalid {
		return nil, err // this node's refusal or its store's failure
	}
	if !transient(err) {
		f.keys.fail(docURL, now)
	}
	f.keys.charge(domain, now)
	f.log.InfoContext(ctx, "fetching a signing key failed", slog.String("key", keyID), slog.Any("error", err))
	return nil, directory.Unauthorizedf("the signing key %s could not be fetched%s", keyID, remoteStatus(err))
}

// transient reports a failure that says nothing of the key: no answer,
// or a server that cannot answer now. It is not remembered, so the next
// delivery tries again; the rate limit still counts it.
func transient(err error) bool {
	var fe *FetchError
	if !errors.As(err, &fe) {
		return false
	}
	return fe.Status == 0 || fe.Status >= 500 || fe.Status == http.StatusTooManyRequests || fe.Status == http.StatusRequestTimeout
}

// remoteStatus is what a sender may learn of a failed fetch: the status
// the remote server answered, if it answered.
func remoteStatus(err error) string {
	var fe *FetchError
	if errors.As(err, &fe) && fe.Status != 0 {
		return fmt.Sprintf(" (its server answered %d)", fe.Status)
	}
	return ""
}
