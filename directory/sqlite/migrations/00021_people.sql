-- +goose Up
-- Managing people: an account can be disabled (it cannot sign in, its
-- sessions end and its API tokens are refused) and enabled again; the
-- console shows when each person last signed in.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
ALTER TABLE users ADD COLUMN last_login_at INTEGER;
-- Who made each API token: a token made by a person works only while
-- that person's account is usable and still holds the role the token
-- acts for. Tokens made on the command line have none.
ALTER TABLE tokens ADD COLUMN user_id INTEGER REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX tokens_user ON tokens (user_id);

-- +goose Down
DROP INDEX tokens_user;
ALTER TABLE tokens DROP COLUMN user_id;
ALTER TABLE users DROP COLUMN last_login_at;
ALTER TABLE users DROP COLUMN disabled_at;
