-- +goose Up
-- What the periodic check of the node's follows learned: the followed
-- actor's key when it accepted, when the follow was last checked, and,
-- when the check found it broken (the key changed, the actor is gone, or
-- it no longer counts this node as a follower), why and since when.
ALTER TABLE follows ADD COLUMN accepted_key TEXT NOT NULL DEFAULT '';
ALTER TABLE follows ADD COLUMN checked_at INTEGER;
ALTER TABLE follows ADD COLUMN broken_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE follows ADD COLUMN broken_since INTEGER;

-- +goose Down
ALTER TABLE follows DROP COLUMN broken_since;
ALTER TABLE follows DROP COLUMN broken_reason;
ALTER TABLE follows DROP COLUMN checked_at;
ALTER TABLE follows DROP COLUMN accepted_key;
