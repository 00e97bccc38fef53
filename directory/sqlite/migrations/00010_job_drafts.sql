-- +goose Up
-- Openings a co-op prepares before publishing: saved forms, neither
-- listed nor federated.
CREATE TABLE job_drafts (
    id         INTEGER PRIMARY KEY,
    coop_id    INTEGER NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    title      TEXT    NOT NULL DEFAULT '',
    fields     TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX job_drafts_coop ON job_drafts (coop_id, id);

-- +goose Down
DROP TABLE job_drafts;
