package directory

import (
	"context"
	"time"
)

// SettingPublicURL names the setting where a serving node records the
// public URL it serves under, so that commands run beside it (admin ones)
// print links that work.
const SettingPublicURL = "public_url"

// SettingStore keeps facts a node records about itself, by name, and the
// cache of the ACME client that gets its TLS certificates. Both live in
// the database so that replicas sharing one PostgreSQL share them.
type SettingStore interface {
	// Setting returns a setting's value; KindNotFound when none is set.
	Setting(ctx context.Context, name string) (string, error)
	// PutSetting sets a setting, replacing any value it had.
	PutSetting(ctx context.Context, name, value string, at time.Time) error

	// TLSCacheGet returns the data stored under key; KindNotFound when
	// there is none.
	TLSCacheGet(ctx context.Context, key string) ([]byte, error)
	// TLSCachePut stores data under key, replacing what was there.
	TLSCachePut(ctx context.Context, key string, data []byte, at time.Time) error
	// TLSCacheDelete removes key; removing a missing key is no error.
	TLSCacheDelete(ctx context.Context, key string) error
}

// RecordPublicURL records the public URL the node serves under, for the
// commands run beside it.
func (s *Service) RecordPublicURL(ctx context.Context) error {
	return s.store.PutSetting(ctx, SettingPublicURL, s.links.Base(), s.clock())
}
