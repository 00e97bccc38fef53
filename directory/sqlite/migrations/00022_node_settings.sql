-- +goose Up
-- Facts a running node records for the commands run beside it, such as
-- the public URL it serves under (name 'public_url').
CREATE TABLE node_settings (
    name       TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The ACME client's cache (account key, certificates, pending http-01
-- answers), kept in the database so that replicas share one certificate.
CREATE TABLE tls_cache (
    key        TEXT    PRIMARY KEY,
    data       BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE tls_cache;
DROP TABLE node_settings;
