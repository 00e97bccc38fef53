package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

var _ directory.FederationStore = (*Store)(nil)

func addEvent(ctx context.Context, tx *wtx, kind, object, actor string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO events (kind, object_id, actor_id, created_at) VALUES (?, ?, ?, ?)`,
		kind, object, actor, micros(at))
	return translate("recording an event", err)
}

func addTombstone(ctx context.Context, tx *wtx, apid, typ string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO tombstones (ap_id, type, deleted_at) VALUES (?, ?, ?)
		ON CONFLICT (ap_id) DO UPDATE SET deleted_at = excluded.deleted_at`, apid, typ, micros(at))
	return translate("recording a deletion", err)
}

// Key returns an actor's key.
func (s *Store) Key(ctx context.Context, actorAPID string) (*directory.Key, error) {
	k := directory.Key{ActorAPID: actorAPID}
	var created int64
	err := s.r.QueryRowContext(ctx, `SELECT private_pem, public_pem, created_at FROM actor_keys WHERE ap_id = ?`, actorAPID).
		Scan(&k.PrivatePEM, &k.PublicPEM, &created)
	if err != nil {
		return nil, translate("key", err)
	}
	k.CreatedAt = fromMicros(created)
	return &k, nil
}

// AddKey stores k unless the actor has a key already.
func (s *Store) AddKey(ctx context.Context, k *directory.Key) (*directory.Key, error) {
	err := s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO actor_keys (ap_id, private_pem, public_pem, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (ap_id) DO NOTHING`, k.ActorAPID, k.PrivatePEM, k.PublicPEM, micros(k.CreatedAt))
		return translate("storing a key", err)
	})
	if err != nil {
		return nil, err
	}
	return s.Key(ctx, k.ActorAPID)
}

const remoteActorCols = `ap_id, type, username, host, name, inbox, shared_inbox, key_id, public_pem, document, etag, fetched_at`

func scanRemoteActor(row interface{ Scan(...any) error }) (*directory.RemoteActor, error) {
	var a directory.RemoteActor
	var fetched int64
	if err := row.Scan(&a.APID, &a.Type, &a.Username, &a.Host, &a.Name, &a.Inbox, &a.SharedInbox, &a.KeyID, &a.PublicPEM,
		&a.Document, &a.ETag, &fetched); err != nil {
		return nil, err
	}
	a.FetchedAt = fromMicros(fetched)
	return &a, nil
}

// PutRemoteActor inserts or replaces a remote actor.
func (s *Store) PutRemoteActor(ctx context.Context, a *directory.RemoteActor) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO remote_actors (`+remoteActorCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ap_id) DO UPDATE SET type = excluded.type, username = excluded.username, host = excluded.host,
				name = excluded.name, inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, key_id = excluded.key_id,
				public_pem = excluded.public_pem, document = excluded.document, etag = excluded.etag, fetched_at = excluded.fetched_at`,
			a.APID, a.Type, a.Username, a.Host, a.Name, a.Inbox, a.SharedInbox, a.KeyID, a.PublicPEM, a.Document, a.ETag, micros(a.FetchedAt))
		return translate("storing a remote actor", err)
	})
}

// RemoteActor finds a remote actor by id.
func (s *Store) RemoteActor(ctx context.Context, apid string) (*directory.RemoteActor, error) {
	a, err := scanRemoteActor(s.r.QueryRowContext(ctx, `SELECT `+remoteActorCols+` FROM remote_actors WHERE ap_id = ?`, apid))
	return a, translate("remote actor", err)
}

// RemoteActorByKeyID finds a remote actor by its key's id.
func (s *Store) RemoteActorByKeyID(ctx context.Context, keyID string) (*directory.RemoteActor, error) {
	a, err := scanRemoteActor(s.r.QueryRowContext(ctx, `SELECT `+remoteActorCols+` FROM remote_actors WHERE key_id = ? LIMIT 1`, keyID))
	return a, translate("remote actor", err)
}

func insertDeliveries(ctx context.Context, tx *wtx, ds []directory.Delivery) error {
	for _, d := range ds {
		_, err := tx.ExecContext(ctx, `INSERT INTO deliveries (inbox, signer, activity_id, body, state, attempts, next_attempt_at,
				last_error, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, '', ?, ?)`,
			d.Inbox, d.Signer, d.ActivityID, d.Body, micros(d.NextAttemptAt), micros(d.CreatedAt), micros(d.CreatedAt))
		if err != nil {
			return translate("queueing a delivery", err)
		}
	}
	return nil
}

// AddFollower records a follow and queues its Accept.
func (s *Store) AddFollower(ctx context.Context, f *directory.Follower, accept *directory.Delivery) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO followers (actor_ap_id, follower_ap_id, inbox, follow_id, created_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (actor_ap_id, follower_ap_id) DO UPDATE SET inbox = excluded.inbox, follow_id = excluded.follow_id`,
			f.ActorAPID, f.FollowerAPID, f.Inbox, f.FollowID, micros(f.CreatedAt))
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
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM followers WHERE actor_ap_id = ? AND follower_ap_id = ?`, actorAPID, followerAPID)
		return translate("removing a follower", err)
	})
}

// RemoveFollowByID ends the follow a Follow activity made.
func (s *Store) RemoveFollowByID(ctx context.Context, followerAPID, followID string) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM followers WHERE follower_ap_id = ? AND follow_id = ?`, followerAPID, followID)
		return translate("removing a follower", err)
	})
}

// RemoveFollowerEverywhere ends every follow of a remote actor.
func (s *Store) RemoveFollowerEverywhere(ctx context.Context, followerAPID string) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM followers WHERE follower_ap_id = ?`, followerAPID)
		return translate("removing a follower", err)
	})
}

// Followers pages an actor's followers.
func (s *Store) Followers(ctx context.Context, actorAPID, after string, limit int) ([]directory.Follower, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT actor_ap_id, follower_ap_id, inbox, follow_id, created_at FROM followers
		WHERE actor_ap_id = ? AND follower_ap_id > ? ORDER BY follower_ap_id LIMIT ?`, actorAPID, after, limit)
	if err != nil {
		return nil, translate("followers", err)
	}
	defer rows.Close()
	var out []directory.Follower
	for rows.Next() {
		var f directory.Follower
		var created int64
		if err := rows.Scan(&f.ActorAPID, &f.FollowerAPID, &f.Inbox, &f.FollowID, &created); err != nil {
			return nil, translate("followers", err)
		}
		f.CreatedAt = fromMicros(created)
		out = append(out, f)
	}
	return out, translate("followers", rows.Err())
}

// CountFollowers counts an actor's followers.
func (s *Store) CountFollowers(ctx context.Context, actorAPID string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM followers WHERE actor_ap_id = ?`, actorAPID).Scan(&n)
	return n, translate("counting followers", err)
}

// FollowerInboxes returns the distinct inboxes of the actors' followers.
func (s *Store) FollowerInboxes(ctx context.Context, actorAPIDs []string) ([]string, error) {
	if len(actorAPIDs) == 0 {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT inbox FROM followers WHERE actor_ap_id IN (`+placeholders(len(actorAPIDs))+`) ORDER BY inbox`,
		anys(actorAPIDs)...)
	if err != nil {
		return nil, translate("follower inboxes", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, translate("follower inboxes", err)
		}
		out = append(out, s)
	}
	return out, translate("follower inboxes", rows.Err())
}

// MarkSeen records an incoming activity id.
func (s *Store) MarkSeen(ctx context.Context, activityID string, at time.Time) (bool, error) {
	var fresh bool
	err := s.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO inbox_seen (activity_id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			activityID, micros(at))
		if err != nil {
			return translate("recording an activity", err)
		}
		n, _ := res.RowsAffected()
		fresh = n == 1
		return nil
	})
	return fresh, err
}

// ForgetSeen undoes MarkSeen.
func (s *Store) ForgetSeen(ctx context.Context, activityID string) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM inbox_seen WHERE activity_id = ?`, activityID)
		return translate("forgetting an activity", err)
	})
}

// PendingEvents returns the oldest unprocessed events.
func (s *Store) PendingEvents(ctx context.Context, limit int) ([]directory.Event, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, kind, object_id, actor_id, created_at FROM events ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, translate("events", err)
	}
	defer rows.Close()
	var out []directory.Event
	for rows.Next() {
		var e directory.Event
		var created int64
		if err := rows.Scan(&e.ID, &e.Kind, &e.ObjectID, &e.ActorID, &created); err != nil {
			return nil, translate("events", err)
		}
		e.CreatedAt = fromMicros(created)
		out = append(out, e)
	}
	return out, translate("events", rows.Err())
}

// CompleteEvent queues deliveries and removes the event.
func (s *Store) CompleteEvent(ctx context.Context, eventID int64, ds []directory.Delivery) error {
	return s.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id = ?`, eventID)
		if err != nil {
			return translate("completing an event", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another worker completed it
		}
		return insertDeliveries(ctx, tx, ds)
	})
}

// EnqueueDeliveries queues deliveries.
func (s *Store) EnqueueDeliveries(ctx context.Context, ds []directory.Delivery) error {
	return s.tx(ctx, func(tx *wtx) error { return insertDeliveries(ctx, tx, ds) })
}

const deliveryCols = `id, inbox, signer, activity_id, body, state, attempts, next_attempt_at, last_error, created_at, updated_at`

func scanDeliveries(rows *sql.Rows) ([]directory.Delivery, error) {
	defer rows.Close()
	var out []directory.Delivery
	for rows.Next() {
		var d directory.Delivery
		var next, created, updated int64
		if err := rows.Scan(&d.ID, &d.Inbox, &d.Signer, &d.ActivityID, &d.Body, &d.State, &d.Attempts, &next, &d.LastError,
			&created, &updated); err != nil {
			return nil, translate("deliveries", err)
		}
		d.NextAttemptAt, d.CreatedAt, d.UpdatedAt = fromMicros(next), fromMicros(created), fromMicros(updated)
		out = append(out, d)
	}
	return out, translate("deliveries", rows.Err())
}

// ClaimDeliveries takes due deliveries and leases them.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]directory.Delivery, error) {
	var out []directory.Delivery
	err := s.tx(ctx, func(tx *wtx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE deliveries SET next_attempt_at = ?
			WHERE id IN (SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?)
			RETURNING `+deliveryCols, micros(now.Add(lease)), micros(now), limit)
		if err != nil {
			return translate("claiming deliveries", err)
		}
		out, err = scanDeliveries(rows)
		return err
	})
	return out, err
}

// DeliveryDone removes a delivered one.
func (s *Store) DeliveryDone(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM deliveries WHERE id = ?`, id)
		return translate("finishing a delivery", err)
	})
}

// DeliveryRetry schedules another attempt.
func (s *Store) DeliveryRetry(ctx context.Context, id int64, attempts int, next time.Time, lastError string, now time.Time) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?`,
			attempts, micros(next), lastError, micros(now), id)
		return translate("rescheduling a delivery", err)
	})
}

// ReviveDelivery requeues a failed delivery.
func (s *Store) ReviveDelivery(ctx context.Context, id int64, now time.Time) error {
	return s.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
			WHERE id = ? AND state = 'failed'`, micros(now), micros(now), id)
		if err != nil {
			return translate("requeueing a delivery", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.NotFoundf("no failed delivery %d", id)
		}
		return nil
	})
}

// DeliveryDead gives up on a delivery.
func (s *Store) DeliveryDead(ctx context.Context, id int64, attempts int, lastError string, now time.Time) error {
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'failed', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?`,
			attempts, lastError, micros(now), id)
		return translate("dead-lettering a delivery", err)
	})
}

// Deliveries lists deliveries in a state, newest first.
func (s *Store) Deliveries(ctx context.Context, state string, limit int) ([]directory.Delivery, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+deliveryCols+` FROM deliveries WHERE state = ? ORDER BY updated_at DESC, id DESC LIMIT ?`, state, limit)
	if err != nil {
		return nil, translate("deliveries", err)
	}
	return scanDeliveries(rows)
}

// Tombstone returns the record of a deleted local id.
func (s *Store) Tombstone(ctx context.Context, apid string) (*directory.Tombstone, error) {
	t := directory.Tombstone{APID: apid}
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT type, deleted_at FROM tombstones WHERE ap_id = ?`, apid).Scan(&t.Type, &at)
	if err != nil {
		return nil, translate("tombstone", err)
	}
	t.DeletedAt = fromMicros(at)
	return &t, nil
}
