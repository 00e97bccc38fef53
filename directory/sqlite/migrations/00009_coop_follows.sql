-- +goose Up
-- Accounts a local co-op follows: other co-ops, on any node, or any
-- fediverse account.
CREATE TABLE coop_follows (
    id         INTEGER PRIMARY KEY,
    coop_id    INTEGER NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    target     TEXT    NOT NULL,
    follow_id  TEXT    NOT NULL UNIQUE,
    state      TEXT    NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (coop_id, target)
);

-- +goose Down
DROP TABLE coop_follows;
