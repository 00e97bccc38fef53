-- +goose Up
-- RSA keys of this node's actors, made the first time an actor needs one.
CREATE TABLE actor_keys (
    ap_id       TEXT    PRIMARY KEY,
    private_pem TEXT    NOT NULL,
    public_pem  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Actors of other servers, as last fetched.
CREATE TABLE remote_actors (
    ap_id        TEXT    PRIMARY KEY,
    type         TEXT    NOT NULL,
    username     TEXT    NOT NULL DEFAULT '',
    host         TEXT    NOT NULL,
    name         TEXT    NOT NULL DEFAULT '',
    inbox        TEXT    NOT NULL,
    shared_inbox TEXT    NOT NULL DEFAULT '',
    key_id       TEXT    NOT NULL DEFAULT '',
    public_pem   TEXT    NOT NULL DEFAULT '',
    document     BLOB,
    etag         TEXT    NOT NULL DEFAULT '',
    fetched_at   INTEGER NOT NULL
);
CREATE INDEX remote_actors_key ON remote_actors (key_id);
CREATE INDEX remote_actors_host ON remote_actors (host);

-- Who follows this node's actors.
CREATE TABLE followers (
    actor_ap_id    TEXT    NOT NULL,
    follower_ap_id TEXT    NOT NULL,
    inbox          TEXT    NOT NULL,
    follow_id      TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (actor_ap_id, follower_ap_id)
) WITHOUT ROWID;
CREATE INDEX followers_follower ON followers (follower_ap_id);

-- Incoming activity ids already applied.
CREATE TABLE inbox_seen (
    activity_id TEXT    PRIMARY KEY,
    received_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The transactional outbox: a local change writes its event in the same
-- transaction; the federation worker turns events into deliveries.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    object_id   TEXT    NOT NULL,
    actor_id    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Signed POSTs waiting to be made, one per inbox.
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    inbox           TEXT    NOT NULL,
    signer          TEXT    NOT NULL,
    activity_id     TEXT    NOT NULL,
    body            BLOB    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);

-- Ids of deleted local objects and actors: they answer 410 Gone.
CREATE TABLE tombstones (
    ap_id      TEXT    PRIMARY KEY,
    type       TEXT    NOT NULL,
    deleted_at INTEGER NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE tombstones;
DROP TABLE deliveries;
DROP TABLE events;
DROP TABLE inbox_seen;
DROP TABLE followers;
DROP TABLE remote_actors;
DROP TABLE actor_keys;
