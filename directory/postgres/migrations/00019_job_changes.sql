-- +goose Up
-- job_changes numbers each job's last change with the data version of the
-- transaction that made it, so that a node's index of jobs in memory reads
-- again only the jobs changed since the version it holds, deleted ones
-- among them. The trigger takes data_version's row first: writers then
-- number their changes in the order they commit, and once a reader sees
-- version v, every change numbered up to v is visible to it.
CREATE TABLE job_changes (
    job_id bigint PRIMARY KEY,
    seq    bigint NOT NULL
);
CREATE INDEX job_changes_seq ON job_changes (seq);

-- One statement's rows at once: a statement that changes many jobs (a
-- purge, new exchange rates) takes the lock and writes its changes once.
-- +goose StatementBegin
CREATE FUNCTION note_job_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    SELECT n INTO v FROM data_version WHERE id = 1 FOR UPDATE;
    IF TG_OP = 'DELETE' THEN
        INSERT INTO job_changes (job_id, seq) SELECT id, v + 1 FROM old_rows
            ON CONFLICT (job_id) DO UPDATE SET seq = excluded.seq;
    ELSE
        INSERT INTO job_changes (job_id, seq) SELECT id, v + 1 FROM new_rows
            ON CONFLICT (job_id) DO UPDATE SET seq = excluded.seq;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER jobs_insert_changes AFTER INSERT ON jobs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_job_changes();
CREATE TRIGGER jobs_update_changes AFTER UPDATE ON jobs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_job_changes();
CREATE TRIGGER jobs_delete_changes AFTER DELETE ON jobs REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_job_changes();

-- +goose Down
DROP TRIGGER jobs_insert_changes ON jobs;
DROP TRIGGER jobs_update_changes ON jobs;
DROP TRIGGER jobs_delete_changes ON jobs;
DROP FUNCTION note_job_changes();
DROP TABLE job_changes;
