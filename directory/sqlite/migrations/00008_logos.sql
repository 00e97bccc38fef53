-- +goose Up
-- A co-op's logo, shown on its pages and as its fediverse avatar.
CREATE TABLE coop_logos (
    coop_id      INTEGER PRIMARY KEY REFERENCES coops (id) ON DELETE CASCADE,
    content_type TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- +goose Down
DROP TABLE coop_logos;
