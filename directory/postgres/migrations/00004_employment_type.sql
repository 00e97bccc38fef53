-- +goose Up
CREATE INDEX jobs_employment_type ON jobs (employment_type, published);
CREATE INDEX coops_workers ON coops (workers);

-- +goose Down
DROP INDEX coops_workers;
DROP INDEX jobs_employment_type;
