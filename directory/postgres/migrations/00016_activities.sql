-- +goose Up
-- The activities this node sent, one row per activity id, written in the
-- transaction that queues their deliveries, so that each id answers a
-- GET with the activity (or 410 once gone_at is set, as for a Follow
-- that was undone). Rows older than the retention are pruned by the
-- worker, except the Follows still in force.
CREATE TABLE activities (
    ap_id      TEXT        PRIMARY KEY,
    body       BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    gone_at    TIMESTAMPTZ
);
CREATE INDEX activities_created ON activities (created_at);

-- +goose Down
DROP TABLE activities;
