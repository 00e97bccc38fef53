package certs

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/acme/autocert"

	"github.com/colmena-coop/colmena/directory"
)

// CacheStore is where the ACME cache lives: the node's database.
type CacheStore interface {
	TLSCacheGet(ctx context.Context, key string) ([]byte, error)
	TLSCachePut(ctx context.Context, key string, data []byte, at time.Time) error
	TLSCacheDelete(ctx context.Context, key string) error
}

// cache is autocert's Cache on the node's store. A certificate stored for
// one of the domains is a success: the CA issued it.
type cache struct {
	store   CacheStore
	domains []string
	status  *status
}

var _ autocert.Cache = (*cache)(nil)

func (c *cache) Get(ctx context.Context, key string) ([]byte, error) {
	data, err := c.store.TLSCacheGet(ctx, key)
	if directory.KindOf(err) == directory.KindNotFound {
		return nil, autocert.ErrCacheMiss
	}
	if err != nil {
		return nil, err
	}
	// A certificate not yet due for renewal, perhaps renewed by another
	// replica, is a success.
	if d := c.domain(key); d != "" {
		if leaf := firstCertificate(data); leaf != nil && !dueForRenewal(leaf, time.Now()) {
			c.status.serving(d, leaf.NotAfter)
			c.status.ok()
		}
	}
	return data, nil
}

// domain is the domain whose certificate key names, or "".
func (c *cache) domain(key string) string {
	d := strings.TrimSuffix(key, "+rsa")
	if slices.Contains(c.domains, d) {
		return d
	}
	return ""
}

// dueForRenewal follows autocert: a certificate is renewed a third of its
// validity, at most 30 days, before it ends.
func dueForRenewal(leaf *x509.Certificate, now time.Time) bool {
	return leaf.NotAfter.Sub(now) <= min(leaf.NotAfter.Sub(leaf.NotBefore)/3, 30*24*time.Hour)
}

func (c *cache) Put(ctx context.Context, key string, data []byte) error {
	if err := c.store.TLSCachePut(ctx, key, data, time.Now()); err != nil {
		return err
	}
	if d := c.domain(key); d != "" {
		if leaf := firstCertificate(data); leaf != nil {
			c.status.serving(d, leaf.NotAfter)
		}
		c.status.ok()
		c.status.log.Info("TLS certificate obtained", slog.String("domain", d))
	}
	return nil
}

func (c *cache) Delete(ctx context.Context, key string) error {
	return c.store.TLSCacheDelete(ctx, key)
}

// firstCertificate parses the first certificate of autocert's PEM (a
// private key, then the chain).
func firstCertificate(data []byte) *x509.Certificate {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil
		}
		if b.Type == "CERTIFICATE" {
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil
			}
			return c
		}
	}
}
