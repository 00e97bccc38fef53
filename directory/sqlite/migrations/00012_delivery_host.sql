-- +goose Up
-- The host each delivery goes to (an inbox URL's host and port,
-- lower-cased): the worker holds each host to a few deliveries at a time
-- and claims them host by host, so that one slow host cannot take every
-- slot. New rows get it from the store; older ones from their inbox here.
ALTER TABLE deliveries ADD COLUMN host TEXT NOT NULL DEFAULT '';
UPDATE deliveries SET host = lower(
    CASE WHEN instr(substr(inbox, instr(inbox, '://') + 3), '/') > 0
        THEN substr(substr(inbox, instr(inbox, '://') + 3), 1, instr(substr(inbox, instr(inbox, '://') + 3), '/') - 1)
        ELSE substr(inbox, instr(inbox, '://') + 3)
    END)
WHERE instr(inbox, '://') > 0;
CREATE INDEX deliveries_host_due ON deliveries (host, state, next_attempt_at);

-- +goose Down
DROP INDEX deliveries_host_due;
ALTER TABLE deliveries DROP COLUMN host;
