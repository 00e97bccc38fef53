package federation

import (
	"context"

	lru "github.com/hashicorp/golang-lru/v2"
)

// docCache keeps documents the node renders often and that change only
// with its listings (an actor, a WebFinger answer), keyed by the store's
// data version: any write to federations, co-ops, memberships or jobs,
// by this process or by another replica on the same database, makes a
// new version, so a cached document is never older than the store. One
// query (the version) replaces the several that make the document.
// Only successful renderings are kept; errors are not cached.
type docCache struct {
	f     *Federation
	cache *lru.Cache[string, *doc]
}

// cachedDocs bounds the documents kept.
const cachedDocs = 4096

func newDocCache(f *Federation) *docCache {
	c, _ := lru.New[string, *doc](cachedDocs)
	return &docCache{f: f, cache: c}
}

// get returns the document kind/name as of the store's current version,
// rendering it with render when it is not cached.
func (c *docCache) get(ctx context.Context, kind, name string, render func() (*doc, error)) (*doc, error) {
	v, err := c.f.store.Version(ctx)
	if err != nil {
		return nil, err
	}
	key := v + "\x00" + kind + "\x00" + name
	if d, ok := c.cache.Get(key); ok {
		return d, nil
	}
	d, err := render()
	if err != nil {
		return nil, err
	}
	c.cache.Add(key, d)
	return d, nil
}
