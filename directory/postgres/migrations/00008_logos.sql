-- +goose Up
CREATE TABLE coop_logos (
    coop_id      BIGINT      PRIMARY KEY REFERENCES coops (id) ON DELETE CASCADE,
    content_type TEXT        NOT NULL,
    data         BYTEA       NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE coop_logos;
