package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

var _ directory.FederationStore = (*Store)(nil)

func (s *Store) addEvent(ctx context.Context, tx *conn, kind, object, actor string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO events (kind, object_id, actor_id, created_at) VALUES (?, ?, ?, ?)`,
		kind, object, actor, s.d.Time(at))
	return s.translate("recording an event", err)
}

func (s *Store) addTombstone(ctx context.Context, tx *conn, apid, typ string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO tombstones (ap_id, type, deleted_at) VALUES (?, ?, ?)
		ON CONFLICT (ap_id) DO UPDATE SET deleted_at = excluded.deleted_at`, apid, typ, s.d.Time(at))
	return s.translate("recording a deletion", err)
}

// Key returns an actor's key.
func (s *Store) Key(ctx context.Context, actorAPID string) (*directory.Key, error) {
	k := directory.Key{ActorAPID: actorAPID}
	err := s.r.QueryRowContext(ctx, `SELECT private_pem, public_pem, created_at FROM actor_keys WHERE ap_id = ?`, actorAPID).
		Scan(&k.PrivatePEM, &k.PublicPEM, s.d.ScanTime(&k.CreatedAt))
	if err != nil {
		return nil, s.translate("key", err)
	}
	return &k, nil
}

// AddKey stores k unless the actor has a key already.
func (s *Store) AddKey(ctx context.Context, k *directory.Key) (*directory.Key, error) {
	err := s.tx(ctx, func(tx *conn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO actor_keys (ap_id, private_pem, public_pem, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (ap_id) DO NOTHING`, k.ActorAPID, k.PrivatePEM, k.PublicPEM, s.d.Time(k.CreatedAt))
		return s.translate("storing a key", err)
	})
	if err != nil {
		return nil, err
	}
	return s.Key(ctx, k.ActorAPID)
}

const remoteActorCols = `ap_id, type, username, host, name, inbox, shared_inbox, key_id, public_pem, document, etag, fetched_at`

func (s *Store) scanRemoteActor(row interface{ Scan(...any) error }) (*directory.RemoteActor, error) {
	var a directory.RemoteActor
	if err := row.Scan(&a.APID, &a.Type, &a.Username, &a.Host, &a.Name, &a.Inbox, &a.SharedInbox, &a.KeyID, &a.PublicPEM,
		&a.Document, &a.ETag, s.d.ScanTime(&a.FetchedAt)); err != nil {
		return nil, err
	}
	return &a, nil
}

// PutRemoteActor inserts or replaces a remote actor with its additional
// keys. A key id belongs to the first actor stored with it: another actor
// naming it, as main key or additional one, is refused. Its text, as
// another server wrote it, is stored without NUL characters or bytes that
// are not UTF-8.
func (s *Store) PutRemoteActor(ctx context.Context, a *directory.RemoteActor) error {
	text := func(v string) string { return directory.Storable(v, len(v)) }
	return s.tx(ctx, func(tx *conn) error {
		ids := []string{}
		if a.KeyID != "" {
			ids = append(ids, a.KeyID)
		}
		for _, k := range a.Keys {
			ids = append(ids, k.ID)
		}
		for _, id := range ids {
			var owner string
			err := tx.QueryRowContext(ctx, `SELECT ap_id FROM remote_actors WHERE key_id = ? AND ap_id <> ?
				UNION ALL SELECT k.actor_ap_id FROM remote_actor_keys k JOIN remote_actors r ON r.ap_id = k.actor_ap_id
				WHERE k.key_id = ? AND k.actor_ap_id <> ? LIMIT 1`, text(id), a.APID, text(id), a.APID).Scan(&owner)
			if err == nil {
				return directory.Forbiddenf("the key %s belongs to another actor", id)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return s.translate("storing a remote actor", err)
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO remote_actors (`+remoteActorCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ap_id) DO UPDATE SET type = excluded.type, username = excluded.username, host = excluded.host,
				name = excluded.name, inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, key_id = excluded.key_id,
				public_pem = excluded.public_pem, document = excluded.document, etag = excluded.etag, fetched_at = excluded.fetched_at`,
			a.APID, text(a.Type), text(a.Username), a.Host, text(a.Name), a.Inbox, a.SharedInbox, text(a.KeyID), text(a.PublicPEM),
			a.Document, text(a.ETag), s.d.Time(a.FetchedAt))
		if err != nil {
			return s.translate("storing a remote actor", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM remote_actor_keys WHERE actor_ap_id = ?`, a.APID); err != nil {
			return s.translate("storing a remote actor's keys", err)
		}
		for _, k := range a.Keys {
			// A row left by an actor no longer stored is taken over.
			_, err := tx.ExecContext(ctx, `INSERT INTO remote_actor_keys (key_id, actor_ap_id, type, public_key) VALUES (?, ?, ?, ?)
				ON CONFLICT (key_id) DO UPDATE SET actor_ap_id = excluded.actor_ap_id, type = excluded.type, public_key = excluded.public_key`,
				text(k.ID), a.APID, text(k.Type), text(k.Public))
			if err != nil {
				return s.translate("storing a remote actor's keys", err)
			}
		}
		return nil
	})
}

// remoteActorKeys reads a remote actor's additional keys into it.
func (s *Store) remoteActorKeys(ctx context.Context, a *directory.RemoteActor, err error) (*directory.RemoteActor, error) {
	if err != nil {
		return nil, s.translate("remote actor", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT key_id, type, public_key FROM remote_actor_keys WHERE actor_ap_id = ? ORDER BY key_id`, a.APID)
	if err != nil {
		return nil, s.translate("remote actor's keys", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k directory.RemoteKey
		if err := rows.Scan(&k.ID, &k.Type, &k.Public); err != nil {
			return nil, s.translate("remote actor's keys", err)
		}
		a.Keys = append(a.Keys, k)
	}
	return a, s.translate("remote actor's keys", rows.Err())
}

// RemoteActor finds a remote actor by id.
func (s *Store) RemoteActor(ctx context.Context, apid string) (*directory.RemoteActor, error) {
	a, err := s.scanRemoteActor(s.r.QueryRowContext(ctx, `SELECT `+remoteActorCols+` FROM remote_actors WHERE ap_id = ?`, apid))
	return s.remoteActorKeys(ctx, a, err)
}

// RemoteActorByKeyID finds a remote actor by the id of its main key or
// of one of its additional keys.
func (s *Store) RemoteActorByKeyID(ctx context.Context, keyID string) (*directory.RemoteActor, error) {
	a, err := s.scanRemoteActor(s.r.QueryRowContext(ctx, `SELECT `+remoteActorCols+` FROM remote_actors WHERE key_id = ? LIMIT 1`, keyID))
	if errors.Is(err, sql.ErrNoRows) {
		a, err = s.scanRemoteActor(s.r.QueryRowContext(ctx, `SELECT `+remoteActorCols+` FROM remote_actors
			WHERE ap_id = (SELECT actor_ap_id FROM remote_actor_keys WHERE key_id = ?)`, keyID))
	}
	return s.remoteActorKeys(ctx, a, err)
}

// insertDeliveries queues deliveries and records the activities they
// carry, once each, so that their ids answer a GET.
func (s *Store) insertDeliveries(ctx context.Context, tx *conn, ds []directory.Delivery) error {
	recorded := map[string]bool{}
	for _, d := range ds {
		if d.ActivityID == "" || recorded[d.ActivityID] {
			continue
		}
		recorded[d.ActivityID] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO activities (ap_id, body, created_at) VALUES (?, ?, ?) ON CONFLICT (ap_id) DO NOTHING`,
			d.ActivityID, d.Body, s.d.Time(d.CreatedAt)); err != nil {
			return s.translate("recording an activity", err)
		}
	}
	for _, d := range ds {
		_, err := tx.ExecContext(ctx, `INSERT INTO deliveries (inbox, host, signer, activity_id, body, state, attempts, next_attempt_at,
				last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, '', ?, ?)`,
			d.Inbox, directory.InboxHost(d.Inbox), d.Signer, d.ActivityID, d.Body, s.d.Time(d.NextAttemptAt), s.d.Time(d.CreatedAt), s.d.Time(d.CreatedAt))
		if err != nil {
			return s.translate("queueing a delivery", err)
		}
	}
	return nil
}

// AddFollower records a follow and queues its Accept.
func (s *Store) AddFollower(ctx context.Context, f *directory.Follower, accept *directory.Delivery) error {
	return s.tx(ctx, func(tx *conn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO followers (actor_ap_id, follower_ap_id, inbox, follow_id, created_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (actor_ap_id, follower_ap_id) DO UPDATE SET inbox = excluded.inbox, follow_id = excluded.follow_id`,
			f.ActorAPID, f.FollowerAPID, f.Inbox, f.FollowID, s.d.Time(f.CreatedAt))
		if err != nil {
			return s.translate("adding a follower", err)
		}
		if accept != nil {
			return s.insertDeliveries(ctx, tx, []directory.Delivery{*accept})
		}
		return nil
	})
}

// RemoveFollower ends a follow.
func (s *Store) RemoveFollower(ctx context.Context, actorAPID, followerAPID string) error {
	return s.exec(ctx, "removing a follower", `DELETE FROM followers WHERE actor_ap_id = ? AND follower_ap_id = ?`, actorAPID, followerAPID)
}

// RemoveFollowByID ends the follow a Follow activity made.
func (s *Store) RemoveFollowByID(ctx context.Context, followerAPID, followID string) error {
	return s.exec(ctx, "removing a follower", `DELETE FROM followers WHERE follower_ap_id = ? AND follow_id = ?`, followerAPID, followID)
}

// RemoveFollowerEverywhere ends every follow of a remote actor.
func (s *Store) RemoveFollowerEverywhere(ctx context.Context, followerAPID string) error {
	return s.exec(ctx, "removing a follower", `DELETE FROM followers WHERE follower_ap_id = ?`, followerAPID)
}

// Followers pages an actor's followers.
func (s *Store) Followers(ctx context.Context, actorAPID, after string, limit int) ([]directory.Follower, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT actor_ap_id, follower_ap_id, inbox, follow_id, created_at FROM followers
		WHERE actor_ap_id = ? AND follower_ap_id > ? ORDER BY follower_ap_id LIMIT ?`, actorAPID, after, limit)
	if err != nil {
		return nil, s.translate("followers", err)
	}
	defer rows.Close()
	var out []directory.Follower
	for rows.Next() {
		var f directory.Follower
		if err := rows.Scan(&f.ActorAPID, &f.FollowerAPID, &f.Inbox, &f.FollowID, s.d.ScanTime(&f.CreatedAt)); err != nil {
			return nil, s.translate("followers", err)
		}
		out = append(out, f)
	}
	return out, s.translate("followers", rows.Err())
}

// FollowersOnHost lists an actor's followers whose ids start with prefix.
func (s *Store) FollowersOnHost(ctx context.Context, actorAPID, prefix string, limit int) ([]string, error) {
	return s.strings(ctx, "followers", `SELECT follower_ap_id FROM followers
		WHERE actor_ap_id = ? AND substr(follower_ap_id, 1, ?) = ? ORDER BY follower_ap_id LIMIT ?`,
		actorAPID, len(prefix), prefix, limit)
}

// CountFollowers counts an actor's followers.
func (s *Store) CountFollowers(ctx context.Context, actorAPID string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM followers WHERE actor_ap_id = ?`, actorAPID).Scan(&n)
	return n, s.translate("counting followers", err)
}

// FollowerInboxes returns the distinct inboxes of the actors' followers.
func (s *Store) FollowerInboxes(ctx context.Context, actorAPIDs []string) ([]string, error) {
	if len(actorAPIDs) == 0 {
		return nil, nil
	}
	return s.strings(ctx, "follower inboxes", `SELECT DISTINCT inbox FROM followers WHERE actor_ap_id IN (`+In(len(actorAPIDs))+`)
		ORDER BY inbox`, Anys(actorAPIDs)...)
}

// MarkSeen records an incoming activity id.
func (s *Store) MarkSeen(ctx context.Context, activityID string, at time.Time) (bool, error) {
	var fresh bool
	err := s.tx(ctx, func(tx *conn) error {
		var err error
		fresh, err = s.markSeen(ctx, tx, activityID, at)
		return err
	})
	return fresh, err
}

func (s *Store) markSeen(ctx context.Context, tx *conn, activityID string, at time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO inbox_seen (activity_id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
		activityID, s.d.Time(at))
	if err != nil {
		return false, s.translate("recording an activity", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ForgetSeen undoes MarkSeen.
func (s *Store) ForgetSeen(ctx context.Context, activityID string) error {
	return s.exec(ctx, "forgetting an activity", `DELETE FROM inbox_seen WHERE activity_id = ?`, activityID)
}

// PruneSeen forgets activity ids seen before the given time.
func (s *Store) PruneSeen(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM inbox_seen WHERE received_at < ?`, s.d.Time(before))
		if err != nil {
			return s.translate("forgetting old activities", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// PendingEvents returns the oldest unprocessed events.
func (s *Store) PendingEvents(ctx context.Context, limit int) ([]directory.Event, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, kind, object_id, actor_id, created_at FROM events ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, s.translate("events", err)
	}
	defer rows.Close()
	var out []directory.Event
	for rows.Next() {
		var e directory.Event
		if err := rows.Scan(&e.ID, &e.Kind, &e.ObjectID, &e.ActorID, s.d.ScanTime(&e.CreatedAt)); err != nil {
			return nil, s.translate("events", err)
		}
		out = append(out, e)
	}
	return out, s.translate("events", rows.Err())
}

// CompleteEvent queues deliveries and removes the event.
func (s *Store) CompleteEvent(ctx context.Context, eventID int64, ds []directory.Delivery) error {
	return s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id = ?`, eventID)
		if err != nil {
			return s.translate("completing an event", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another worker completed it
		}
		return s.insertDeliveries(ctx, tx, ds)
	})
}

// EnqueueDeliveries queues deliveries.
func (s *Store) EnqueueDeliveries(ctx context.Context, ds []directory.Delivery) error {
	return s.tx(ctx, func(tx *conn) error { return s.insertDeliveries(ctx, tx, ds) })
}

// DeliveryColumns are the columns of a delivery, as ClaimDeliveriesSQL returns them.
const DeliveryColumns = `id, inbox, host, signer, activity_id, body, state, attempts, next_attempt_at, last_error, created_at, updated_at`

func (s *Store) scanDeliveries(rows *sql.Rows) ([]directory.Delivery, error) {
	defer rows.Close()
	var out []directory.Delivery
	for rows.Next() {
		var d directory.Delivery
		if err := rows.Scan(&d.ID, &d.Inbox, &d.Host, &d.Signer, &d.ActivityID, &d.Body, &d.State, &d.Attempts, s.d.ScanTime(&d.NextAttemptAt),
			&d.LastError, s.d.ScanTime(&d.CreatedAt), s.d.ScanTime(&d.UpdatedAt)); err != nil {
			return nil, s.translate("deliveries", err)
		}
		out = append(out, d)
	}
	return out, s.translate("deliveries", rows.Err())
}

// DueDeliveryHosts lists the hosts with deliveries due, longest waiting
// first.
func (s *Store) DueDeliveryHosts(ctx context.Context, now time.Time, limit int) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT host FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ?
		GROUP BY host ORDER BY min(next_attempt_at), host LIMIT ?`, s.d.Time(now), limit)
	if err != nil {
		return nil, s.translate("hosts with deliveries due", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, s.translate("hosts with deliveries due", err)
		}
		out = append(out, h)
	}
	return out, s.translate("hosts with deliveries due", rows.Err())
}

// ClaimDeliveries takes a host's due deliveries and leases them.
func (s *Store) ClaimDeliveries(ctx context.Context, host string, now time.Time, lease time.Duration, limit int) ([]directory.Delivery, error) {
	var out []directory.Delivery
	err := s.tx(ctx, func(tx *conn) error {
		rows, err := tx.QueryContext(ctx, s.d.ClaimDeliveriesSQL(), s.d.Time(now.Add(lease)), host, s.d.Time(now), limit)
		if err != nil {
			return s.translate("claiming deliveries", err)
		}
		out, err = s.scanDeliveries(rows)
		return err
	})
	// RETURNING gives rows in no set order; the oldest goes first.
	slices.SortFunc(out, func(a, b directory.Delivery) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// DeliveryDone removes a delivered one.
func (s *Store) DeliveryDone(ctx context.Context, id int64) error {
	return s.exec(ctx, "finishing a delivery", `DELETE FROM deliveries WHERE id = ?`, id)
}

// maxLastError bounds the error a delivery keeps, in bytes.
const maxLastError = 1000

// DeliveryRetry schedules another attempt. The error, which may quote a
// remote server, is kept as storable text.
func (s *Store) DeliveryRetry(ctx context.Context, id int64, attempts int, next time.Time, lastError string, now time.Time) error {
	return s.exec(ctx, "rescheduling a delivery", `UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?`,
		attempts, s.d.Time(next), directory.Storable(lastError, maxLastError), s.d.Time(now), id)
}

// ReviveDelivery requeues a failed delivery.
func (s *Store) ReviveDelivery(ctx context.Context, id int64, now time.Time) error {
	return s.execOne(ctx, "requeueing a delivery", directory.NotFoundf("no failed delivery %d", id), `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
			WHERE id = ? AND state = 'failed'`, s.d.Time(now), s.d.Time(now), id)
}

// DeliveryDead gives up on a delivery.
func (s *Store) DeliveryDead(ctx context.Context, id int64, attempts int, lastError string, now time.Time) error {
	return s.exec(ctx, "dead-lettering a delivery", `UPDATE deliveries SET state = 'failed', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?`,
		attempts, directory.Storable(lastError, maxLastError), s.d.Time(now), id)
}

// CancelDelivery removes an activity's deliveries that were never sent.
func (s *Store) CancelDelivery(ctx context.Context, activityID string, now time.Time) (bool, error) {
	var n int64
	err := s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM deliveries WHERE activity_id = ?
			AND (state = 'failed' OR state = 'pending' AND attempts = 0 AND next_attempt_at <= ?)`, activityID, s.d.Time(now))
		if err != nil {
			return s.translate("cancelling a delivery", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n > 0, err
}

// Deliveries lists deliveries in a state, newest first.
func (s *Store) Deliveries(ctx context.Context, state string, limit int) ([]directory.Delivery, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+DeliveryColumns+` FROM deliveries WHERE state = ? ORDER BY updated_at DESC, id DESC LIMIT ?`, state, limit)
	if err != nil {
		return nil, s.translate("deliveries", err)
	}
	return s.scanDeliveries(rows)
}

// Tombstone returns the record of a deleted local id.
func (s *Store) Tombstone(ctx context.Context, apid string) (*directory.Tombstone, error) {
	t := directory.Tombstone{APID: apid}
	err := s.r.QueryRowContext(ctx, `SELECT type, deleted_at FROM tombstones WHERE ap_id = ?`, apid).Scan(&t.Type, s.d.ScanTime(&t.DeletedAt))
	if err != nil {
		return nil, s.translate("tombstone", err)
	}
	return &t, nil
}

// SentActivity returns an activity this node sent.
func (s *Store) SentActivity(ctx context.Context, apid string) (*directory.SentActivity, error) {
	a := directory.SentActivity{APID: apid}
	err := s.r.QueryRowContext(ctx, `SELECT body, created_at, gone_at FROM activities WHERE ap_id = ?`, apid).
		Scan(&a.Body, s.d.ScanTime(&a.CreatedAt), s.d.ScanTime(&a.GoneAt))
	if err != nil {
		return nil, s.translate("activity", err)
	}
	return &a, nil
}

// PruneActivities forgets sent activities recorded before the given time,
// but not the Follows of follows still in force.
func (s *Store) PruneActivities(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM activities WHERE created_at < ?
			AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follow_id = activities.ap_id)
			AND NOT EXISTS (SELECT 1 FROM coop_follows f WHERE f.follow_id = activities.ap_id)`, s.d.Time(before))
		if err != nil {
			return s.translate("forgetting old activities", err)
		}
		n = affected(res)
		return nil
	})
	return int(n), err
}

// markGone records that a sent activity was taken back at.
func (s *Store) markGone(ctx context.Context, tx *conn, apid string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE activities SET gone_at = ? WHERE ap_id = ? AND gone_at IS NULL`, s.d.Time(at), apid)
	return s.translate("recording an undone activity", err)
}

// strings runs a query of one text column.
func (s *Store) strings(ctx context.Context, op, query string, args ...any) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.translate(op, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, s.translate(op, err)
		}
		out = append(out, v)
	}
	return out, s.translate(op, rows.Err())
}
