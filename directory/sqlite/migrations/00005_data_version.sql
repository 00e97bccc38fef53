-- +goose Up
-- data_version counts committed changes to what searches and statistics
-- read, so that their results can be cached under it.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO data_version (id, n) VALUES (1, 0);

-- +goose StatementBegin
CREATE TRIGGER federations_insert_version AFTER INSERT ON federations BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER federations_update_version AFTER UPDATE ON federations BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER federations_delete_version AFTER DELETE ON federations BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER coops_insert_version AFTER INSERT ON coops BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER coops_update_version AFTER UPDATE ON coops BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER coops_delete_version AFTER DELETE ON coops BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_insert_version AFTER INSERT ON memberships BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_update_version AFTER UPDATE ON memberships BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_delete_version AFTER DELETE ON memberships BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER jobs_insert_version AFTER INSERT ON jobs BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER jobs_update_version AFTER UPDATE ON jobs BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER jobs_delete_version AFTER DELETE ON jobs BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER federations_insert_version;
DROP TRIGGER federations_update_version;
DROP TRIGGER federations_delete_version;
DROP TRIGGER coops_insert_version;
DROP TRIGGER coops_update_version;
DROP TRIGGER coops_delete_version;
DROP TRIGGER memberships_insert_version;
DROP TRIGGER memberships_update_version;
DROP TRIGGER memberships_delete_version;
DROP TRIGGER jobs_insert_version;
DROP TRIGGER jobs_update_version;
DROP TRIGGER jobs_delete_version;
DROP TABLE data_version;
