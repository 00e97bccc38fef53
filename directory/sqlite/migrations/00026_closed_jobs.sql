-- +goose Up
-- A closed opening is kept as a draft that names the job it was, so that
-- the co-op sees it under "Closed" and can open it again.
ALTER TABLE job_drafts ADD COLUMN closed_from TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE job_drafts DROP COLUMN closed_from;
