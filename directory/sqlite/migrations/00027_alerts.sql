-- +goose Up
-- E-mail alerts: an address subscribed to a saved search, with or without
-- an account. A subscription is pending until its confirmation link (of
-- which only the hash is kept, one use, until confirm_expires_at) is
-- opened; then confirmed, until unsubscribed or bounced. The unsubscribe
-- token is kept as is: every mail carries it, and it can do nothing but
-- end this one subscription. next_send_at is when the next mail may go
-- (a digest's period after the last); senders claim a subscription by
-- pushing it past a lease.
CREATE TABLE alert_subscriptions (
    id                 INTEGER PRIMARY KEY,
    email              TEXT    NOT NULL,
    search_id          INTEGER NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    frequency          TEXT    NOT NULL CHECK (frequency IN ('instant', 'daily', 'weekly')),
    language           TEXT    NOT NULL DEFAULT '',
    -- search_name is the search's readable name in language.
    search_name        TEXT    NOT NULL DEFAULT '',
    state              TEXT    NOT NULL CHECK (state IN ('pending', 'confirmed', 'unsubscribed', 'bounced')),
    confirm_hash       BLOB UNIQUE,
    confirm_expires_at INTEGER,
    unsubscribe_token  TEXT    NOT NULL UNIQUE,
    created_at         INTEGER NOT NULL,
    confirmed_at       INTEGER,
    last_sent_at       INTEGER,
    next_send_at       INTEGER NOT NULL,
    UNIQUE (email, search_id)
);
CREATE INDEX alert_subscriptions_search ON alert_subscriptions (search_id, state);

-- The jobs a confirmed subscription has not been mailed yet: written in
-- the same transaction that records a search's first match of a job.
CREATE TABLE alert_pending (
    alert_id   INTEGER NOT NULL REFERENCES alert_subscriptions (id) ON DELETE CASCADE,
    job_ap_id  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (alert_id, job_ap_id)
) WITHOUT ROWID;

-- A mail may carry a List-Unsubscribe URL (RFC 8058 one-click), and names
-- the subscription it is for, so that a permanent refusal marks it bounced.
ALTER TABLE mail_outbox ADD COLUMN list_unsubscribe TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN alert_id INTEGER;

-- +goose Down
ALTER TABLE mail_outbox DROP COLUMN alert_id;
ALTER TABLE mail_outbox DROP COLUMN list_unsubscribe;
DROP TABLE alert_pending;
DROP TABLE alert_subscriptions;
