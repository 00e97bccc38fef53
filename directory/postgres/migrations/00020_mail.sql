-- +goose Up
-- users.language is the language mails to the person are written in:
-- the inviter's for an invitation, then the person's own from the pages
-- they use. Empty means the node's default (English).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- mail_outbox keeps every mail until it is sent or given up, so that a
-- mail survives a restart and is retried with backoff. A sender claims a
-- due mail by pushing next_attempt_at past its lease; a sent mail keeps
-- its row (for the admin) without its body, which held a one-time link.
CREATE TABLE mail_outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient       TEXT        NOT NULL,
    subject         TEXT        NOT NULL,
    text_body       TEXT        NOT NULL,
    html_body       TEXT        NOT NULL,
    state           TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT        NOT NULL DEFAULT '',
    done_at         TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);

-- +goose Down
DROP TABLE mail_outbox;
ALTER TABLE users DROP COLUMN language;
