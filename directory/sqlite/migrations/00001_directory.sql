-- +goose Up
-- Times are Unix microseconds (UTC); lists are JSON arrays of strings.
CREATE TABLE federations (
    id         INTEGER PRIMARY KEY,
    ap_id      TEXT    NOT NULL UNIQUE,
    handle     TEXT    NOT NULL,
    host       TEXT    NOT NULL,
    local      INTEGER NOT NULL DEFAULT 0 CHECK (local IN (0, 1)),
    name       TEXT    NOT NULL,
    summary    TEXT    NOT NULL DEFAULT '',
    url        TEXT    NOT NULL DEFAULT '',
    languages  TEXT    NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX federations_one_local ON federations (local) WHERE local = 1;

CREATE TABLE coops (
    id          INTEGER PRIMARY KEY,
    ap_id       TEXT    NOT NULL UNIQUE,
    handle      TEXT    NOT NULL,
    host        TEXT    NOT NULL,
    local       INTEGER NOT NULL CHECK (local IN (0, 1)),
    name        TEXT    NOT NULL,
    sort_key    TEXT    NOT NULL,
    summary     TEXT    NOT NULL DEFAULT '',
    country     TEXT    NOT NULL DEFAULT '',
    city        TEXT    NOT NULL DEFAULT '',
    founded     INTEGER NOT NULL DEFAULT 0,
    workers     INTEGER NOT NULL DEFAULT 0,
    website     TEXT    NOT NULL DEFAULT '',
    email       TEXT    NOT NULL DEFAULT '',
    languages   TEXT    NOT NULL DEFAULT '[]',
    skills      TEXT    NOT NULL DEFAULT '[]',
    governance  TEXT    NOT NULL DEFAULT '',
    url         TEXT    NOT NULL DEFAULT '',
    search_text TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX coops_local_handle ON coops (handle) WHERE local = 1;
CREATE INDEX coops_sort ON coops (sort_key, id);
CREATE INDEX coops_country ON coops (country);

-- coop_terms holds a co-op's skills ('s') for filtering.
CREATE TABLE coop_terms (
    coop_id INTEGER NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL,
    value   TEXT    NOT NULL,
    PRIMARY KEY (coop_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX coop_terms_value ON coop_terms (kind, value, coop_id);

CREATE TABLE memberships (
    federation_id INTEGER NOT NULL REFERENCES federations (id) ON DELETE CASCADE,
    coop_id       INTEGER NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (federation_id, coop_id)
) WITHOUT ROWID;
CREATE INDEX memberships_coop ON memberships (coop_id, federation_id);

CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    ap_id           TEXT    NOT NULL UNIQUE,
    coop_id         INTEGER NOT NULL REFERENCES coops (id) ON DELETE CASCADE,
    local           INTEGER NOT NULL CHECK (local IN (0, 1)),
    title           TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    skills          TEXT    NOT NULL DEFAULT '[]',
    remote          TEXT    NOT NULL,
    country         TEXT    NOT NULL DEFAULT '',
    city            TEXT    NOT NULL DEFAULT '',
    employment_type TEXT    NOT NULL,
    salary_min      INTEGER,
    salary_max      INTEGER,
    salary_currency TEXT    NOT NULL DEFAULT '',
    salary_period   TEXT    NOT NULL DEFAULT '',
    languages       TEXT    NOT NULL DEFAULT '[]',
    apply_url       TEXT    NOT NULL DEFAULT '',
    apply_email     TEXT    NOT NULL DEFAULT '',
    valid_through   INTEGER,
    published       INTEGER NOT NULL,
    updated         INTEGER NOT NULL
);
-- The rowid is implicitly the last key, so ties order by id; naming id
-- here lets the planner pick a skip-scan by id that is far slower.
CREATE INDEX jobs_published ON jobs (published DESC);
-- Facet counts read these indexes alone, without visiting the rows.
CREATE INDEX jobs_coop ON jobs (coop_id, valid_through);
CREATE INDEX jobs_country ON jobs (country, valid_through);
CREATE INDEX jobs_remote ON jobs (remote, valid_through);
CREATE INDEX jobs_currency ON jobs (salary_currency, valid_through);
CREATE INDEX jobs_valid_through ON jobs (valid_through);

-- job_terms holds a job's skills ('s') and languages ('l') for filters
-- and facets, with the job's valid_through so that counting open jobs by
-- term reads this table's index alone.
CREATE TABLE job_terms (
    job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    valid_through INTEGER,
    PRIMARY KEY (job_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX job_terms_value ON job_terms (kind, value, job_id);
CREATE INDEX job_terms_open ON job_terms (kind, value, valid_through);

-- Full-text index of jobs; rowid = jobs.id. The text is tokenised by the
-- directory package, so the plain unicode61 tokenizer only splits on spaces.
CREATE VIRTUAL TABLE jobs_fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 0');

CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    hash       BLOB    NOT NULL UNIQUE,
    coop_id    INTEGER REFERENCES coops (id) ON DELETE CASCADE,
    label      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE tokens;
DROP TABLE jobs_fts;
DROP TABLE job_terms;
DROP TABLE jobs;
DROP TABLE memberships;
DROP TABLE coop_terms;
DROP TABLE coops;
DROP TABLE federations;
