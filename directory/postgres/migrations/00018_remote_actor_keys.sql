-- +goose Up
-- Keys a remote actor publishes beside its main RSA key (remote_actors.
-- key_id and public_pem): FEP-521a assertionMethod Multikey entries, such
-- as Ed25519 keys for RFC 9421 signatures. A key id belongs to one actor:
-- the store refuses another actor naming a key id a stored actor holds.
CREATE TABLE remote_actor_keys (
    key_id      TEXT NOT NULL PRIMARY KEY,
    actor_ap_id TEXT NOT NULL,
    type        TEXT NOT NULL,
    public_key  TEXT NOT NULL
);
CREATE INDEX remote_actor_keys_actor ON remote_actor_keys (actor_ap_id);

-- +goose Down
DROP TABLE remote_actor_keys;
