package sqlstore

import (
	"context"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

var _ directory.SettingStore = (*Store)(nil)

// Setting returns a node setting.
func (s *Store) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM node_settings WHERE name = ?`, name).Scan(&v)
	if err != nil {
		return "", s.translate("setting "+name, err)
	}
	return v, nil
}

// PutSetting sets a node setting.
func (s *Store) PutSetting(ctx context.Context, name, value string, at time.Time) error {
	return s.exec(ctx, "storing the setting "+name, `INSERT INTO node_settings (name, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, name, value, s.d.Time(at))
}

// TLSCacheGet reads an entry of the ACME client's cache.
func (s *Store) TLSCacheGet(ctx context.Context, key string) ([]byte, error) {
	var data []byte
	if err := s.r.QueryRowContext(ctx, `SELECT data FROM tls_cache WHERE key = ?`, key).Scan(&data); err != nil {
		return nil, s.translate("TLS cache entry", err)
	}
	return data, nil
}

// TLSCachePut writes an entry of the ACME client's cache.
func (s *Store) TLSCachePut(ctx context.Context, key string, data []byte, at time.Time) error {
	return s.exec(ctx, "storing a TLS cache entry", `INSERT INTO tls_cache (key, data, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`, key, data, s.d.Time(at))
}

// TLSCacheDelete removes an entry of the ACME client's cache.
func (s *Store) TLSCacheDelete(ctx context.Context, key string) error {
	return s.exec(ctx, "removing a TLS cache entry", `DELETE FROM tls_cache WHERE key = ?`, key)
}
