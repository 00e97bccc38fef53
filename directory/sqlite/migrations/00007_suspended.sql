-- +goose Up
-- A suspended co-op and its jobs leave listings, search and statistics
-- until it is reinstated; nothing of it is deleted.
ALTER TABLE coops ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1));
CREATE INDEX coops_suspended ON coops (id) WHERE suspended = 1;

-- +goose Down
DROP INDEX coops_suspended;
ALTER TABLE coops DROP COLUMN suspended;
