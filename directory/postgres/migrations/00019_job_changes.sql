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

-- +goose StatementBegin
CREATE FUNCTION note_job_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v   bigint;
    job bigint;
BEGIN
    SELECT n INTO v FROM data_version WHERE id = 1 FOR UPDATE;
    IF TG_OP = 'DELETE' THEN
        job := OLD.id;
    ELSE
        job := NEW.id;
    END IF;
    INSERT INTO job_changes (job_id, seq) VALUES (job, v + 1)
        ON CONFLICT (job_id) DO UPDATE SET seq = excluded.seq;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER jobs_change AFTER INSERT OR UPDATE OR DELETE ON jobs FOR EACH ROW EXECUTE FUNCTION note_job_change();

-- +goose Down
DROP TRIGGER jobs_change ON jobs;
DROP FUNCTION note_job_change();
DROP TABLE job_changes;
