-- +goose Up
-- Single words match through their terms (stems and skill synonyms, made
-- by the directory package), kept in columns of their own beside the
-- tokens that phrases match. The terms are written from Go: the store
-- indexes every job and co-op again on opening, because search_index
-- says the terms are of an older version.
CREATE TABLE jobs_fts_copy AS SELECT rowid AS id, title, body FROM jobs_fts;
DROP TABLE jobs_fts;
CREATE VIRTUAL TABLE jobs_fts USING fts5 (title, body, title_terms, body_terms, tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO jobs_fts (rowid, title, body, title_terms, body_terms) SELECT id, title, body, '', '' FROM jobs_fts_copy;
DROP TABLE jobs_fts_copy;

ALTER TABLE coops ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';

-- The version of the terms the index holds (directory.IndexVersion);
-- version 1 is the index before terms. While the store writes the rows
-- again for a newer version, building names it and coops_after and
-- jobs_after the last row written (coops_after -1 once all co-ops are),
-- so that replicas share the work and a restart goes on from there;
-- once done, version is the newer one and the others are 0 again.
CREATE TABLE search_index (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    version     INTEGER NOT NULL,
    building    INTEGER NOT NULL DEFAULT 0,
    coops_after BIGINT  NOT NULL DEFAULT 0,
    jobs_after  BIGINT  NOT NULL DEFAULT 0
);
INSERT INTO search_index (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE search_index;
ALTER TABLE coops DROP COLUMN search_terms;
CREATE TABLE jobs_fts_copy AS SELECT rowid AS id, title, body FROM jobs_fts;
DROP TABLE jobs_fts;
CREATE VIRTUAL TABLE jobs_fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO jobs_fts (rowid, title, body) SELECT id, title, body FROM jobs_fts_copy;
DROP TABLE jobs_fts_copy;
