package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/colmena-coop/colmena/directory"
)

var _ directory.FederationStore = (*Store)(nil)

func addEvent(ctx context.Context, tx pgx.Tx, kind, object, actor string, at time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO events (kind, object_id, actor_id, created_at) VALUES ($1, $2, $3, $4)`, kind, object, actor, at)
	return translate("recording an event", err)
}

func addTombstone(ctx context.Context, tx pgx.Tx, apid, typ string, at time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO tombstones (ap_id, type, deleted_at) VALUES ($1, $2, $3)
		ON CONFLICT (ap_id) DO UPDATE SET deleted_at = excluded.deleted_at`, apid, typ, at)
	return translate("recording a deletion", err)
}

// Key returns an actor's key.
func (s *Store) Key(ctx context.Context, actorAPID string) (*directory.Key, error) {
	k := directory.Key{ActorAPID: actorAPID}
	err := s.pool.QueryRow(ctx, `SELECT private_pem, public_pem, created_at FROM actor_keys WHERE ap_id = $1`, actorAPID).
		Scan(&k.PrivatePEM, &k.PublicPEM, &k.CreatedAt)
	if err != nil {
		return nil, translate("key", err)
	}
	k.CreatedAt = k.CreatedAt.UTC()
	return &k, nil
}

// AddKey stores k unless the actor has a key already.
func (s *Store) AddKey(ctx context.Context, k *directory.Key) (*directory.Key, error) {
	_, err := s.pool.Exec(ctx, `INSERT INTO actor_keys (ap_id, private_pem, public_pem, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ap_id) DO NOTHING`, k.ActorAPID, k.PrivatePEM, k.PublicPEM, k.CreatedAt)
	if err != nil {
		return nil, translate("storing a key", err)
	}
	return s.Key(ctx, k.ActorAPID)
}

const remoteActorCols = `ap_id, type, username, host, name, inbox, shared_inbox, key_id, public_pem, document, etag, fetched_at`

func scanRemoteActor(row pgx.Row) (*directory.RemoteActor, error) {
	var a directory.RemoteActor
	if err := row.Scan(&a.APID, &a.Type, &a.Username, &a.Host, &a.Name, &a.Inbox, &a.SharedInbox, &a.KeyID, &a.PublicPEM,
		&a.Document, &a.ETag, &a.FetchedAt); err != nil {
		return nil, err
	}
	a.FetchedAt = a.FetchedAt.UTC()
	return &a, nil
}

// PutRemoteActor inserts or replaces a remote actor.
func (s *Store) PutRemoteActor(ctx context.Context, a *directory.RemoteActor) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO remote_actors (`+remoteActorCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (ap_id) DO UPDATE SET type = excluded.type, username = excluded.username, host = excluded.host,
			name = excluded.name, inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, key_id = excluded.key_id,
			public_pem = excluded.public_pem, document = excluded.document, etag = excluded.etag, fetched_at = excluded.fetched_at`,
		a.APID, a.Type, a.Username, a.Host, a.Name, a.Inbox, a.SharedInbox, a.KeyID, a.PublicPEM, a.Document, a.ETag, a.FetchedAt)
	return translate("storing a remote actor", err)
}

// RemoteActor finds a remote actor by id.
func (s *Store) RemoteActor(ctx context.Context, apid string) (*directory.RemoteActor, error) {
	a, err := scanRemoteActor(s.pool.QueryRow(ctx, `SELECT `+remoteActorCols+` FROM remote_actors WHERE ap_id = $1`, apid))
	return a, translate("remote actor", err)
}

// RemoteActorByKeyID finds a remote actor by its key's id.
func (s *Store) RemoteActorByKeyID(ctx context.Context, keyID string) (*directory.RemoteActor, error) {
	a, err := scanRemoteActor(s.pool.QueryRow(ctx, `SELECT `+remoteActorCols+` FROM remote_actors WHERE key_id = $1 LIMIT 1`, keyID))
	return a, translate("remote actor", err)
}

func insertDeliveries(ctx context.Context, tx pgx.Tx, ds []directory.Delivery) error {
	for _, d := range ds {
		_, err := tx.Exec(ctx, `INSERT INTO deliveries (inbox, signer, activity_id, body, state, attempts, next_attempt_at,
				last_error, created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, '', $6, $6)`,
			d.Inbox, d.Signer, d.ActivityID, d.Body, d.NextAttemptAt, d.CreatedAt)
		if err != nil {
			return translate("queueing a delivery", err)
		}
	}
	return nil
}

// AddFollower records a follow and queues its Accept.
func (s *Store) AddFollower(ctx context.Context, f *directory.Follower, accept *directory.Delivery) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO followers (actor_ap_id, follower_ap_id, inbox, follow_id, created_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (actor_ap_id, follower_ap_id) DO UPDATE SET inbox = excluded.inbox, follow_id = excluded.follow_id`,
			f.ActorAPID, f.FollowerAPID, f.Inbox, f.FollowID, f.CreatedAt)
		if err != nil {
			return translate("adding a follower", err)
		}
		if accept != nil {
			return insertDeliveries(ctx, tx, []directory.Delivery{*accept})
		}
		return nil
	})
}

// RemoveFollower ends a follow.
func (s *Store) RemoveFollower(ctx context.Context, actorAPID, followerAPID string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM followers WHERE actor_ap_id = $1 AND follower_ap_id = $2`, actorAPID, followerAPID)
	return translate("removing a follower", err)
}

// RemoveFollowByID ends the follow a Follow activity made.
func (s *Store) RemoveFollowByID(ctx context.Context, followerAPID, followID string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM followers WHERE follower_ap_id = $1 AND follow_id = $2`, followerAPID, followID)
	return translate("removing a follower", err)
}

// RemoveFollowerEverywhere ends every follow of a remote actor.
func (s *Store) RemoveFollowerEverywhere(ctx context.Context, followerAPID string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM followers WHERE follower_ap_id = $1`, followerAPID)
	return translate("removing a follower", err)
}

// Followers pages an actor's followers.
func (s *Store) Followers(ctx context.Context, actorAPID, after string, limit int) ([]directory.Follower, error) {
	rows, err := s.pool.Query(ctx, `SELECT actor_ap_id, follower_ap_id, inbox, follow_id, created_at FROM followers
		WHERE actor_ap_id = $1 AND follower_ap_id > $2 ORDER BY follower_ap_id COLLATE "C" LIMIT $3`, actorAPID, after, limit)
	if err != nil {
		return nil, translate("followers", err)
	}
	defer rows.Close()
	var out []directory.Follower
	for rows.Next() {
		var f directory.Follower
		if err := rows.Scan(&f.ActorAPID, &f.FollowerAPID, &f.Inbox, &f.FollowID, &f.CreatedAt); err != nil {
			return nil, translate("followers", err)
		}
		f.CreatedAt = f.CreatedAt.UTC()
		out = append(out, f)
	}
	return out, translate("followers", rows.Err())
}

// CountFollowers counts an actor's followers.
func (s *Store) CountFollowers(ctx context.Context, actorAPID string) (int, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM followers WHERE actor_ap_id = $1`, actorAPID).Scan(&n)
	return int(n), translate("counting followers", err)
}

// FollowerInboxes returns the distinct inboxes of the actors' followers.
func (s *Store) FollowerInboxes(ctx context.Context, actorAPIDs []string) ([]string, error) {
	if len(actorAPIDs) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT inbox COLLATE "C" FROM followers WHERE actor_ap_id = ANY($1) ORDER BY 1`, actorAPIDs)
	if err != nil {
		return nil, translate("follower inboxes", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, translate("follower inboxes", err)
}

// MarkSeen records an incoming activity id.
func (s *Store) MarkSeen(ctx context.Context, activityID string, at time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO inbox_seen (activity_id, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, activityID, at)
	if err != nil {
		return false, translate("recording an activity", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ForgetSeen undoes MarkSeen.
func (s *Store) ForgetSeen(ctx context.Context, activityID string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM inbox_seen WHERE activity_id = $1`, activityID)
	return translate("forgetting an activity", err)
}

// PendingEvents returns the oldest unprocessed events.
func (s *Store) PendingEvents(ctx context.Context, limit int) ([]directory.Event, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, kind, object_id, actor_id, created_at FROM events ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, translate("events", err)
	}
	defer rows.Close()
	var out []directory.Event
	for rows.Next() {
		var e directory.Event
		if err := rows.Scan(&e.ID, &e.Kind, &e.ObjectID, &e.ActorID, &e.CreatedAt); err != nil {
			return nil, translate("events", err)
		}
		e.CreatedAt = e.CreatedAt.UTC()
		out = append(out, e)
	}
	return out, translate("events", rows.Err())
}

// CompleteEvent queues deliveries and removes the event; a replica that
// lost the race to complete it queues nothing.
func (s *Store) CompleteEvent(ctx context.Context, eventID int64, ds []directory.Delivery) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM events WHERE id = $1`, eventID)
		if err != nil {
			return translate("completing an event", err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		return insertDeliveries(ctx, tx, ds)
	})
}

// EnqueueDeliveries queues deliveries.
func (s *Store) EnqueueDeliveries(ctx context.Context, ds []directory.Delivery) error {
	return s.tx(ctx, func(tx pgx.Tx) error { return insertDeliveries(ctx, tx, ds) })
}

const deliveryCols = `id, inbox, signer, activity_id, body, state, attempts, next_attempt_at, last_error, created_at, updated_at`

func scanDeliveries(rows pgx.Rows) ([]directory.Delivery, error) {
	defer rows.Close()
	var out []directory.Delivery
	for rows.Next() {
		var d directory.Delivery
		if err := rows.Scan(&d.ID, &d.Inbox, &d.Signer, &d.ActivityID, &d.Body, &d.State, &d.Attempts, &d.NextAttemptAt,
			&d.LastError, &d.CreatedAt, &d.UpdatedAt); err != nil {
			return nil, translate("deliveries", err)
		}
		d.NextAttemptAt, d.CreatedAt, d.UpdatedAt = d.NextAttemptAt.UTC(), d.CreatedAt.UTC(), d.UpdatedAt.UTC()
		out = append(out, d)
	}
	return out, translate("deliveries", rows.Err())
}

// ClaimDeliveries takes due deliveries and leases them; SKIP LOCKED lets
// replicas claim side by side without taking the same one.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]directory.Delivery, error) {
	rows, err := s.pool.Query(ctx, `UPDATE deliveries SET next_attempt_at = $1
		WHERE id IN (SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $2
			ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING `+deliveryCols, now.Add(lease), now, limit)
	if err != nil {
		return nil, translate("claiming deliveries", err)
	}
	return scanDeliveries(rows)
}

// DeliveryDone removes a delivered one.
func (s *Store) DeliveryDone(ctx context.Context, id int64) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM deliveries WHERE id = $1`, id)
	return translate("finishing a delivery", err)
}

// DeliveryRetry schedules another attempt.
func (s *Store) DeliveryRetry(ctx context.Context, id int64, attempts int, next time.Time, lastError string, now time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE deliveries SET attempts = $1, next_attempt_at = $2, last_error = $3, updated_at = $4 WHERE id = $5`,
		attempts, next, lastError, now, id)
	return translate("rescheduling a delivery", err)
}

// ReviveDelivery requeues a failed delivery.
func (s *Store) ReviveDelivery(ctx context.Context, id int64, now time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = $1, updated_at = $1
		WHERE id = $2 AND state = 'failed'`, now, id)
	if err != nil {
		return translate("requeueing a delivery", err)
	}
	if tag.RowsAffected() == 0 {
		return directory.NotFoundf("no failed delivery %d", id)
	}
	return nil
}

// DeliveryDead gives up on a delivery.
func (s *Store) DeliveryDead(ctx context.Context, id int64, attempts int, lastError string, now time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE deliveries SET state = 'failed', attempts = $1, last_error = $2, updated_at = $3 WHERE id = $4`,
		attempts, lastError, now, id)
	return translate("dead-lettering a delivery", err)
}

// Deliveries lists deliveries in a state, newest first.
func (s *Store) Deliveries(ctx context.Context, state string, limit int) ([]directory.Delivery, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+deliveryCols+` FROM deliveries WHERE state = $1 ORDER BY updated_at DESC, id DESC LIMIT $2`, state, limit)
	if err != nil {
		return nil, translate("deliveries", err)
	}
	return scanDeliveries(rows)
}

// Tombstone returns the record of a deleted local id.
func (s *Store) Tombstone(ctx context.Context, apid string) (*directory.Tombstone, error) {
	t := directory.Tombstone{APID: apid}
	err := s.pool.QueryRow(ctx, `SELECT type, deleted_at FROM tombstones WHERE ap_id = $1`, apid).Scan(&t.Type, &t.DeletedAt)
	if err != nil {
		return nil, translate("tombstone", err)
	}
	t.DeletedAt = t.DeletedAt.UTC()
	return &t, nil
}
