-- +goose Up
-- Replies to, favourites of and boosts of local jobs by fediverse
-- accounts. A reply is keyed by its Note (object_id), a favourite or
-- boost by its account and job: one each per account.
CREATE TABLE interactions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id       BIGINT  NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('reply', 'like', 'boost')),
    activity_id  TEXT    NOT NULL UNIQUE,
    object_id    TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    actor_name   TEXT    NOT NULL DEFAULT '',
    actor_handle TEXT    NOT NULL DEFAULT '',
    actor_url    TEXT    NOT NULL DEFAULT '',
    content      TEXT    NOT NULL DEFAULT '',
    text         TEXT    NOT NULL DEFAULT '',
    url          TEXT    NOT NULL DEFAULT '',
    public       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX interactions_reply ON interactions (object_id) WHERE kind = 'reply';
CREATE UNIQUE INDEX interactions_once ON interactions (job_id, kind, actor) WHERE kind <> 'reply';
CREATE INDEX interactions_actor ON interactions (actor);

-- A local co-op's answers to replies: Notes of its own, kept as sent.
CREATE TABLE answers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    coop_id        BIGINT  NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    interaction_id BIGINT REFERENCES interactions (id) ON DELETE SET NULL,
    note_id        TEXT    NOT NULL UNIQUE,
    in_reply_to    TEXT    NOT NULL,
    to_actor       TEXT    NOT NULL,
    document       BYTEA   NOT NULL,
    text           TEXT    NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX answers_interaction ON answers (interaction_id);

-- Public posts of accounts local co-ops follow, the newest few of each.
CREATE TABLE followed_posts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object_id    TEXT    NOT NULL UNIQUE,
    actor        TEXT    NOT NULL,
    actor_name   TEXT    NOT NULL DEFAULT '',
    actor_handle TEXT    NOT NULL DEFAULT '',
    content      TEXT    NOT NULL DEFAULT '',
    text         TEXT    NOT NULL DEFAULT '',
    url          TEXT    NOT NULL DEFAULT '',
    published    TIMESTAMPTZ NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX followed_posts_actor ON followed_posts (actor, published DESC);

-- +goose Down
DROP TABLE followed_posts;
DROP TABLE answers;
DROP TABLE interactions;
