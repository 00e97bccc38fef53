package certs

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
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
	return data, err
}

func (c *cache) Put(ctx context.Context, key string, data []byte) error {
	if err := c.store.TLSCachePut(ctx, key, data, time.Now()); err != nil {
		return err
	}
	domain := strings.TrimSuffix(key, "+rsa")
	for _, d := range c.domains {
		if d != domain {
			continue
		}
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
