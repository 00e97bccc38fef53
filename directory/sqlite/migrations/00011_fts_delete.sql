-- +goose Up
-- A job's full-text row goes with the job, however the job goes: deleted
-- alone, with its co-op (ON DELETE CASCADE fires this trigger too), or
-- purged with a blocked domain.
-- +goose StatementBegin
CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN
    DELETE FROM jobs_fts WHERE rowid = old.id;
END;
-- +goose StatementEnd
-- Rows a deletion may have left behind before this trigger existed.
DELETE FROM jobs_fts WHERE rowid NOT IN (SELECT id FROM jobs);

-- +goose Down
DROP TRIGGER jobs_fts_delete;
