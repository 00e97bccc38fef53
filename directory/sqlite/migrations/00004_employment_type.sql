-- +goose Up
-- Counting open jobs by employment type reads this index alone.
CREATE INDEX jobs_employment_type ON jobs (employment_type, valid_through);
CREATE INDEX coops_workers ON coops (workers);

-- +goose Down
DROP INDEX coops_workers;
DROP INDEX jobs_employment_type;
