-- +goose Up
CREATE TABLE coop_follows (
    id         BIGSERIAL   PRIMARY KEY,
    coop_id    BIGINT      NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    target     TEXT        NOT NULL,
    follow_id  TEXT        NOT NULL UNIQUE,
    state      TEXT        NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (coop_id, target)
);

-- +goose Down
DROP TABLE coop_follows;
