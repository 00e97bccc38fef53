-- +goose Up
-- Saved searches: normalised job searches people follow, each an actor of
-- its own (its key is in actor_keys under ap_id). A collected search keeps
-- its row, gone_at set, so that its handle answers 410.
CREATE TABLE saved_searches (
    id         INTEGER PRIMARY KEY,
    handle     TEXT    NOT NULL UNIQUE,
    ap_id      TEXT    NOT NULL UNIQUE,
    query      TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    used_at    INTEGER NOT NULL,
    gone_at    INTEGER
);

-- The jobs each saved search has announced, so that a job that stops
-- matching and matches again is announced once; announce_key names the
-- Announce's id, which answers a GET.
CREATE TABLE saved_search_announced (
    search_id INTEGER NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    job_ap_id TEXT    NOT NULL,
    announce_key TEXT   NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (search_id, job_ap_id),
    UNIQUE (search_id, announce_key)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE saved_search_announced;
DROP TABLE saved_searches;
