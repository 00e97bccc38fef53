-- +goose Up
CREATE TABLE federations (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ap_id      TEXT        NOT NULL UNIQUE,
    handle     TEXT        NOT NULL,
    host       TEXT        NOT NULL,
    local      BOOLEAN     NOT NULL DEFAULT false,
    name       TEXT        NOT NULL,
    summary    TEXT        NOT NULL DEFAULT '',
    url        TEXT        NOT NULL DEFAULT '',
    languages  TEXT[]      NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX federations_one_local ON federations (local) WHERE local;

CREATE TABLE coops (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ap_id       TEXT        NOT NULL UNIQUE,
    handle      TEXT        NOT NULL,
    host        TEXT        NOT NULL,
    local       BOOLEAN     NOT NULL,
    name        TEXT        NOT NULL,
    sort_key    TEXT        NOT NULL COLLATE "C",
    summary     TEXT        NOT NULL DEFAULT '',
    country     TEXT        NOT NULL DEFAULT '',
    city        TEXT        NOT NULL DEFAULT '',
    founded     INTEGER     NOT NULL DEFAULT 0,
    workers     INTEGER     NOT NULL DEFAULT 0,
    website     TEXT        NOT NULL DEFAULT '',
    email       TEXT        NOT NULL DEFAULT '',
    languages   TEXT[]      NOT NULL DEFAULT '{}',
    skills      TEXT[]      NOT NULL DEFAULT '{}',
    governance  TEXT        NOT NULL DEFAULT '',
    url         TEXT        NOT NULL DEFAULT '',
    search_text TEXT        NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX coops_local_handle ON coops (handle) WHERE local;
CREATE INDEX coops_sort ON coops (sort_key, id);
CREATE INDEX coops_country ON coops (country);
CREATE INDEX coops_skills ON coops USING gin (skills);

CREATE TABLE memberships (
    federation_id BIGINT      NOT NULL REFERENCES federations (id) ON DELETE CASCADE,
    coop_id       BIGINT      NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (federation_id, coop_id)
);
CREATE INDEX memberships_coop ON memberships (coop_id, federation_id);

CREATE TABLE jobs (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ap_id           TEXT        NOT NULL UNIQUE,
    coop_id         BIGINT      NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    local           BOOLEAN     NOT NULL,
    title           TEXT        NOT NULL,
    description     TEXT        NOT NULL DEFAULT '',
    skills          TEXT[]      NOT NULL DEFAULT '{}',
    remote          TEXT        NOT NULL,
    country         TEXT        NOT NULL DEFAULT '',
    city            TEXT        NOT NULL DEFAULT '',
    employment_type TEXT        NOT NULL,
    salary_min      BIGINT,
    salary_max      BIGINT,
    salary_currency TEXT        NOT NULL DEFAULT '',
    salary_period   TEXT        NOT NULL DEFAULT '',
    languages       TEXT[]      NOT NULL DEFAULT '{}',
    apply_url       TEXT        NOT NULL DEFAULT '',
    apply_email     TEXT        NOT NULL DEFAULT '',
    valid_through   TIMESTAMPTZ,
    published       TIMESTAMPTZ NOT NULL,
    updated         TIMESTAMPTZ NOT NULL,
    -- Title tokens weigh A, the rest B; tokens come from the directory
    -- package, so the 'simple' configuration only splits on spaces.
    search          TSVECTOR    NOT NULL
);
CREATE INDEX jobs_published ON jobs (published DESC, id DESC);
CREATE INDEX jobs_coop ON jobs (coop_id);
CREATE INDEX jobs_country ON jobs (country, published);
CREATE INDEX jobs_currency ON jobs (salary_currency, published);
CREATE INDEX jobs_valid_through ON jobs (valid_through);
CREATE INDEX jobs_skills ON jobs USING gin (skills);
-- No index on languages: a handful of values cover most jobs, and the
-- planner would AND such an index with the full-text one for nothing.
CREATE INDEX jobs_search ON jobs USING gin (search);

CREATE TABLE tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash       BYTEA       NOT NULL UNIQUE,
    coop_id    BIGINT REFERENCES coops (id) ON DELETE CASCADE,
    label      TEXT        NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE tokens;
DROP TABLE jobs;
DROP TABLE memberships;
DROP TABLE coops;
DROP TABLE federations;
