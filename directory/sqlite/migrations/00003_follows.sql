-- +goose Up
-- What this node's instance actor follows on other nodes, for the admin.
CREATE TABLE follows (
    id          INTEGER PRIMARY KEY,
    target      TEXT    NOT NULL UNIQUE,
    follow_id   TEXT    NOT NULL UNIQUE,
    state       TEXT    NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    via         TEXT    NOT NULL DEFAULT '',
    -- When the followed actor's existing co-ops and jobs were imported;
    -- NULL until then, so that a restart finishes an interrupted import.
    backfilled_at INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Domains whose servers this node refuses, and whose data it purged.
CREATE TABLE blocks (
    domain     TEXT    PRIMARY KEY,
    created_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE blocks;
DROP TABLE follows;
