-- +goose Up
-- data_version counts committed changes to what searches and statistics
-- read, so that their results can be cached under it. Once per statement:
-- a bulk purge bumps it once.
CREATE TABLE data_version (
    id integer PRIMARY KEY CHECK (id = 1),
    n  bigint  NOT NULL
);
INSERT INTO data_version (id, n) VALUES (1, 0);

-- +goose StatementBegin
CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER federations_version AFTER INSERT OR UPDATE OR DELETE ON federations FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER coops_version AFTER INSERT OR UPDATE OR DELETE ON coops FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER memberships_version AFTER INSERT OR UPDATE OR DELETE ON memberships FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER jobs_version AFTER INSERT OR UPDATE OR DELETE ON jobs FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

-- +goose Down
DROP TRIGGER federations_version ON federations;
DROP TRIGGER coops_version ON coops;
DROP TRIGGER memberships_version ON memberships;
DROP TRIGGER jobs_version ON jobs;
DROP FUNCTION bump_data_version();
DROP TABLE data_version;
