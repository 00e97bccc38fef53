-- +goose Up
-- The host each delivery goes to (an inbox URL's host and port,
-- lower-cased): the worker holds each host to a few deliveries at a time
-- and claims them host by host, so that one slow host cannot take every
-- slot. New rows get it from the store; older ones from their inbox here.
ALTER TABLE deliveries ADD COLUMN host TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE deliveries SET host = lower(substring(inbox FROM '://([^/?#]*)'))
WHERE inbox LIKE '%://%';
CREATE INDEX deliveries_host_due ON deliveries (host, state, next_attempt_at);

-- +goose Down
DROP INDEX deliveries_host_due;
ALTER TABLE deliveries DROP COLUMN host;
