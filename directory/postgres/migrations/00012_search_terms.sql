-- +goose Up
-- Single words match through their terms (stems and skill synonyms, made
-- by the directory package): a job's terms ride in its search vector
-- with weights C (title) and D (the rest), beside its tokens (A and B);
-- a co-op's in search_terms. The terms are written from Go: the store
-- indexes every job and co-op again on opening, because search_index
-- says the terms are of an older version.
ALTER TABLE coops ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';

-- The version of the terms the index holds (directory.IndexVersion);
-- version 1 is the index before terms.
CREATE TABLE search_index (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO search_index (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE search_index;
ALTER TABLE coops DROP COLUMN search_terms;
