-- +goose Up
ALTER TABLE coops ADD COLUMN suspended BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX coops_suspended ON coops (id) WHERE suspended;

-- +goose Down
DROP INDEX coops_suspended;
ALTER TABLE coops DROP COLUMN suspended;
