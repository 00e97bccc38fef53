-- +goose Up
CREATE TABLE job_drafts (
    id         BIGSERIAL   PRIMARY KEY,
    coop_id    BIGINT      NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    title      TEXT        NOT NULL DEFAULT '',
    fields     JSONB       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX job_drafts_coop ON job_drafts (coop_id, id);

-- +goose Down
DROP TABLE job_drafts;
