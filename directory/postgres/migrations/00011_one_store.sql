-- +goose Up
-- The store's SQL is shared with SQLite, so PostgreSQL orders text the way
-- SQLite does, byte by byte, whatever the database's locale: the columns
-- that lists are sorted or paged by collate as "C".
ALTER TABLE federations ALTER COLUMN name TYPE TEXT COLLATE "C";
ALTER TABLE coops ALTER COLUMN country TYPE TEXT COLLATE "C";
ALTER TABLE followers ALTER COLUMN follower_ap_id TYPE TEXT COLLATE "C",
    ALTER COLUMN inbox TYPE TEXT COLLATE "C";
ALTER TABLE blocks ALTER COLUMN domain TYPE TEXT COLLATE "C";
ALTER TABLE users ALTER COLUMN email TYPE TEXT COLLATE "C";

-- A job row is written first and its search vector set after it.
ALTER TABLE jobs ALTER COLUMN search SET DEFAULT ''::tsvector;

-- Co-op skills are filtered through coop_terms, as on SQLite.
CREATE TABLE coop_terms (
    coop_id BIGINT NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    kind    TEXT   NOT NULL,
    value   TEXT   NOT NULL,
    PRIMARY KEY (coop_id, kind, value)
);
CREATE INDEX coop_terms_value ON coop_terms (kind, value, coop_id);
INSERT INTO coop_terms (coop_id, kind, value)
    SELECT DISTINCT c.id, 's', s.value FROM coops c CROSS JOIN LATERAL unnest(c.skills) AS s (value);
DROP INDEX coops_skills;

-- +goose Down
CREATE INDEX coops_skills ON coops USING gin (skills);
DROP TABLE coop_terms;
ALTER TABLE jobs ALTER COLUMN search DROP DEFAULT;
