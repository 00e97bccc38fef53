-- +goose Up
-- job_changes numbers each job's last change with the data version of the
-- transaction that made it (writers take versions in the order they
-- commit), so that a node's index of jobs in memory reads again only the
-- jobs changed since the version it holds, deleted ones among them.
CREATE TABLE job_changes (
    job_id INTEGER PRIMARY KEY,
    seq    INTEGER NOT NULL
);
CREATE INDEX job_changes_seq ON job_changes (seq);

-- +goose StatementBegin
CREATE TRIGGER jobs_insert_change AFTER INSERT ON jobs BEGIN
    INSERT INTO job_changes (job_id, seq) VALUES (NEW.id, (SELECT n + 1 FROM data_version WHERE id = 1))
        ON CONFLICT (job_id) DO UPDATE SET seq = excluded.seq;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER jobs_update_change AFTER UPDATE ON jobs BEGIN
    INSERT INTO job_changes (job_id, seq) VALUES (NEW.id, (SELECT n + 1 FROM data_version WHERE id = 1))
        ON CONFLICT (job_id) DO UPDATE SET seq = excluded.seq;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER jobs_delete_change AFTER DELETE ON jobs BEGIN
    INSERT INTO job_changes (job_id, seq) VALUES (OLD.id, (SELECT n + 1 FROM data_version WHERE id = 1))
        ON CONFLICT (job_id) DO UPDATE SET seq = excluded.seq;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER jobs_insert_change;
DROP TRIGGER jobs_update_change;
DROP TRIGGER jobs_delete_change;
DROP TABLE job_changes;
