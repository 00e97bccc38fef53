package federation

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/colmena-coop/colmena/directory"
	lru "github.com/hashicorp/golang-lru/v2"
)

// KeyBits is the size of the RSA keys actors sign with.
const KeyBits = 2048

// GenerateKey makes an RSA-2048 key. Tests may pass a faster source.
func GenerateKey() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, KeyBits) }

func encodeKey(k *rsa.PrivateKey) (privPEM, pubPEM string, err error) {
	priv, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", "", err
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), nil
}

func parsePrivateKey(s string) (*rsa.PrivateKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("no PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		if k1, err1 := x509.ParsePKCS1PrivateKey(b.Bytes); err1 == nil {
			return k1, nil
		}
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("a %T key, not RSA", k)
	}
	return rk, nil
}

// ParsePublicKey reads an RSA public key in PKIX ("PUBLIC KEY") or PKCS#1
// ("RSA PUBLIC KEY") PEM, as servers publish them.
func ParsePublicKey(s string) (*rsa.PublicKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("publicKeyPem holds no PEM block")
	}
	if k, err := x509.ParsePKIXPublicKey(b.Bytes); err == nil {
		if rk, ok := k.(*rsa.PublicKey); ok {
			return rk, nil
		}
		return nil, fmt.Errorf("a %T key, not RSA", k)
	}
	return x509.ParsePKCS1PublicKey(b.Bytes)
}

// ownKey is a local actor's key material, parsed once: parsing an
// RSA-2048 private key (its precomputation) costs more than the rest of
// serving an actor document.
type ownKey struct {
	rsa *rsa.PrivateKey
	rec *directory.Key
	ed  ed25519.PrivateKey // derived from rsa (ownEd25519)
}

// ownKeys caches the local actors' parsed keys. A stored key never
// changes (AddKey keeps the first, and local keys are never deleted), so
// nothing needs invalidating, also across replicas; the bound only caps
// memory on a node with very many co-ops.
const ownKeys = 4096

func newOwnKeyCache() *lru.Cache[string, *ownKey] {
	c, _ := lru.New[string, *ownKey](ownKeys)
	return c
}

// keyPair returns an actor's key, making and storing it the first time.
// Two replicas racing to make one agree on whichever was stored first.
func (f *Federation) keyPair(ctx context.Context, actorID string) (*rsa.PrivateKey, *directory.Key, error) {
	k, err := f.ownKey(ctx, actorID)
	if err != nil {
		return nil, nil, err
	}
	return k.rsa, k.rec, nil
}

// ownKey is keyPair with the derived Ed25519 key, from the cache when it
// can. A key is made once: callers asking for the same actor's key while
// it is being read or made wait for that one (keyFlight) rather than make
// another, and replicas racing to make it agree on whichever the store
// kept first (AddKey inserts only when there is none, then reads back).
func (f *Federation) ownKey(ctx context.Context, actorID string) (*ownKey, error) {
	if k, ok := f.ownKeys.Get(actorID); ok {
		return k, nil
	}
	// The work is shared, so one caller giving up must not fail the
	// others: it runs on a context that is not cancelled with ctx.
	v, err, _ := f.keyFlight.Do(actorID, func() (any, error) {
		return f.loadOrMakeKey(context.WithoutCancel(ctx), actorID)
	})
	if err != nil {
		return nil, err
	}
	return v.(*ownKey), nil
}

// loadOrMakeKey reads an actor's key from the store, making and storing
// it when there is none, and caches it parsed.
func (f *Federation) loadOrMakeKey(ctx context.Context, actorID string) (*ownKey, error) {
	if k, ok := f.ownKeys.Get(actorID); ok {
		return k, nil
	}
	var made *rsa.PrivateKey
	k, err := f.store.Key(ctx, actorID)
	if directory.KindOf(err) == directory.KindNotFound {
		if made, err = f.keyGen(); err != nil {
			return nil, fmt.Errorf("making a key: %w", err)
		}
		priv, pub, err := encodeKey(made)
		if err != nil {
			return nil, err
		}
		k, err = f.store.AddKey(ctx, &directory.Key{ActorAPID: actorID, PrivatePEM: priv, PublicPEM: pub, CreatedAt: f.now()})
		if err != nil {
			return nil, err
		}
		if k.PrivatePEM != priv {
			made = nil // another replica's key was stored first
		}
	} else if err != nil {
		return nil, err
	}
	priv := made
	if priv == nil {
		if priv, err = parsePrivateKey(k.PrivatePEM); err != nil {
			return nil, fmt.Errorf("the stored key of %s: %w", actorID, err)
		}
	}
	ed, err := ownEd25519(priv)
	if err != nil {
		return nil, err
	}
	own := &ownKey{rsa: priv, rec: k, ed: ed}
	f.ownKeys.Add(actorID, own)
	return own, nil
}

// makeKeys makes, at start and in the background, the keys of the local
// actors that have none yet (the instance actor, the federation, its
// co-ops), keyWorkers at a time, so that the first requests for their
// documents or signatures find them made. An actor asked for before its
// turn gets its key made at once (ownKey); a key is never published
// before it is stored. Actors that already have a key cost one read each.
func (f *Federation) makeKeys(ctx context.Context, workers int) {
	ids := make(chan string)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for id := range ids {
				if _, ok := f.ownKeys.Peek(id); ok {
					continue
				}
				if _, err := f.store.Key(ctx, id); err == nil {
					continue
				}
				if _, err := f.ownKey(ctx, id); err != nil && ctx.Err() == nil {
					f.log.Warn("making a key", slog.String("actor", id), slog.Any("error", err))
				}
			}
		})
	}
	defer wg.Wait()
	defer close(ids)
	send := func(id string) bool {
		select {
		case ids <- id:
			return true
		case <-ctx.Done():
			return false
		}
	}
	if !send(f.links.InstanceActor()) {
		return
	}
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		if ctx.Err() == nil && directory.KindOf(err) != directory.KindNotFound {
			f.log.Warn("listing actors for their keys", slog.Any("error", err))
		}
		return
	}
	if !send(fed.APID) {
		return
	}
	q := directory.CoopQuery{Federations: []string{fed.APID}, Suspended: true, Limit: 100}
	for range maxKeyPages {
		page, err := f.store.ListCoops(ctx, q)
		if err != nil {
			if ctx.Err() == nil {
				f.log.Warn("listing actors for their keys", slog.Any("error", err))
			}
			return
		}
		for _, c := range page.Items {
			if hostOf(c.APID) == f.links.Host() && !send(c.APID) {
				return
			}
		}
		if page.Next == nil {
			return
		}
		q.After = page.Next
	}
}

// keyWorkers is how many keys makeKeys makes at once: one, so that the
// requests beside it (which make the keys they need themselves, at once)
// keep the rest of the CPU.
const keyWorkers = 1

// maxKeyPages bounds the pages of co-ops makeKeys reads (100 a page);
// co-ops past them get their keys when first needed.
const maxKeyPages = 1000

// EncodePublicKey renders a public key as PKIX PEM.
func EncodePublicKey(k *rsa.PublicKey) (string, error) {
	pub, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), nil
}

// ParsePrivateKeyPEM reads an RSA private key in PKCS#8 or PKCS#1 PEM.
func ParsePrivateKeyPEM(s string) (*rsa.PrivateKey, error) { return parsePrivateKey(s) }
