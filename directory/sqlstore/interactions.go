package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

const interactionCols = `i.id, i.job_id, i.kind, i.activity_id, i.object_id, i.actor, i.actor_name, i.actor_handle, i.actor_url,
	i.content, i.text, i.url, i.public, i.created_at, i.updated_at, j.title, j.ap_id`

func (s *Store) scanInteraction(sc interface{ Scan(...any) error }) (*directory.Interaction, error) {
	var i directory.Interaction
	if err := sc.Scan(&i.ID, &i.JobID, &i.Kind, &i.ActivityID, &i.ObjectID, &i.Actor, &i.ActorName, &i.ActorHandle, &i.ActorURL,
		&i.Content, &i.Text, &i.URL, &i.Public, s.d.ScanTime(&i.CreatedAt), s.d.ScanTime(&i.UpdatedAt), &i.JobTitle, &i.JobAPID); err != nil {
		return nil, err
	}
	return &i, nil
}

// AddInteraction stores a reply, favourite or boost of a local job within
// the job's bounds; a repeated one is not stored again.
func (s *Store) AddInteraction(ctx context.Context, i *directory.Interaction) (bool, error) {
	stored := false
	err := s.tx(ctx, func(tx *conn) error {
		var local bool
		if err := tx.QueryRowContext(ctx, `SELECT local FROM jobs WHERE id = ?`, i.JobID).Scan(&local); err != nil {
			return s.translate("job", err)
		}
		if !local {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM interactions WHERE job_id = ?`, i.JobID).Scan(&n); err != nil {
			return s.translate("counting interactions", err)
		}
		if n >= directory.MaxInteractionsPerJob {
			return nil
		}
		if i.Kind == directory.InteractionReply {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM interactions WHERE job_id = ? AND actor = ? AND kind = 'reply'`,
				i.JobID, i.Actor).Scan(&n); err != nil {
				return s.translate("counting replies", err)
			}
			if n >= directory.MaxRepliesPerActor {
				return nil
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO interactions (job_id, kind, activity_id, object_id, actor, actor_name, actor_handle,
			actor_url, content, text, url, public, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING RETURNING id`,
			i.JobID, i.Kind, i.ActivityID, i.ObjectID, i.Actor, i.ActorName, i.ActorHandle, i.ActorURL, i.Content, i.Text, i.URL,
			i.Public, s.d.Time(i.CreatedAt), s.d.Time(i.UpdatedAt)).Scan(&i.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return s.translate("storing an interaction", err)
		}
		stored = true
		return nil
	})
	return stored, err
}

// UpdateReply changes a stored reply's content.
func (s *Store) UpdateReply(ctx context.Context, actor, objectID, content, text string, at time.Time) (bool, error) {
	var n int64
	err := s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, `UPDATE interactions SET content = ?, text = ?, updated_at = ?
			WHERE kind = 'reply' AND object_id = ? AND actor = ?`, content, text, s.d.Time(at), objectID, actor)
		if err != nil {
			return s.translate("updating a reply", err)
		}
		n = affected(res)
		return nil
	})
	return n > 0, err
}

func (s *Store) deleteCount(ctx context.Context, op, query string, args ...any) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *conn) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return s.translate(op, err)
		}
		n = affected(res)
		return nil
	})
	return int(n), err
}

// RemoveInteraction removes an account's interaction by its activity or
// object id.
func (s *Store) RemoveInteraction(ctx context.Context, actor, id string) (int, error) {
	return s.deleteCount(ctx, "removing an interaction", `DELETE FROM interactions WHERE actor = ? AND (activity_id = ?
		OR (kind = 'reply' AND object_id = ?))`, actor, id, id)
}

// RemoveInteractionOf removes an account's favourite or boost of a job.
func (s *Store) RemoveInteractionOf(ctx context.Context, actor, kind, jobAPID string) (int, error) {
	return s.deleteCount(ctx, "removing an interaction", `DELETE FROM interactions WHERE actor = ? AND kind = ? AND kind <> 'reply'
		AND job_id IN (SELECT id FROM jobs WHERE ap_id = ?)`, actor, kind, jobAPID)
}

// InteractionCounts counts a job's interactions by kind.
func (s *Store) InteractionCounts(ctx context.Context, jobID int64) (directory.InteractionCounts, error) {
	var c directory.InteractionCounts
	rows, err := s.r.QueryContext(ctx, `SELECT kind, COUNT(*) FROM interactions WHERE job_id = ? GROUP BY kind`, jobID)
	if err != nil {
		return c, s.translate("counting interactions", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return c, s.translate("counting interactions", err)
		}
		switch kind {
		case directory.InteractionReply:
			c.Replies = n
		case directory.InteractionLike:
			c.Likes = n
		case directory.InteractionBoost:
			c.Boosts = n
		}
	}
	return c, s.translate("counting interactions", rows.Err())
}

// CoopQuestions lists the replies to a co-op's jobs with their answers.
func (s *Store) CoopQuestions(ctx context.Context, coopID int64, limit int) ([]directory.Interaction, error) {
	qs, err := collect(s, "listing questions", s.scanInteraction)(s.r.QueryContext(ctx, `SELECT `+interactionCols+`
		FROM interactions i JOIN jobs j ON j.id = i.job_id WHERE j.coop_id = ? AND i.kind = 'reply'
		ORDER BY i.created_at DESC, i.id DESC LIMIT ?`, coopID, limit))
	if err != nil || len(qs) == 0 {
		return qs, err
	}
	ids := make([]any, len(qs))
	at := map[int64]int{}
	for k, q := range qs {
		ids[k], at[q.ID] = q.ID, k
	}
	answers, err := collect(s, "listing answers", s.scanAnswer)(s.r.QueryContext(ctx, `SELECT `+answerCols+` FROM answers
		WHERE interaction_id IN (`+In(len(ids))+`) ORDER BY id`, ids...))
	if err != nil {
		return nil, err
	}
	for _, a := range answers {
		qs[at[a.InteractionID]].Answers = append(qs[at[a.InteractionID]].Answers, a)
	}
	return qs, nil
}

// Question finds a reply to one of a co-op's jobs.
func (s *Store) Question(ctx context.Context, coopID, id int64) (*directory.Interaction, error) {
	q, err := s.scanInteraction(s.r.QueryRowContext(ctx, `SELECT `+interactionCols+`
		FROM interactions i JOIN jobs j ON j.id = i.job_id WHERE j.coop_id = ? AND i.kind = 'reply' AND i.id = ?`, coopID, id))
	return q, s.translate("question", err)
}

const answerCols = `id, coop_id, interaction_id, note_id, in_reply_to, to_actor, document, text, created_at`

func (s *Store) scanAnswer(sc interface{ Scan(...any) error }) (*directory.Answer, error) {
	var a directory.Answer
	var q sql.NullInt64
	if err := sc.Scan(&a.ID, &a.CoopID, &q, &a.NoteID, &a.InReplyTo, &a.To, &a.Document, &a.Text, s.d.ScanTime(&a.CreatedAt)); err != nil {
		return nil, err
	}
	a.InteractionID = q.Int64
	return &a, nil
}

// AddAnswer stores an answer and queues its delivery.
func (s *Store) AddAnswer(ctx context.Context, a *directory.Answer, d *directory.Delivery) error {
	return s.tx(ctx, func(tx *conn) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO answers (coop_id, interaction_id, note_id, in_reply_to, to_actor, document, text,
			created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.CoopID, nullID(a.InteractionID), a.NoteID, a.InReplyTo, a.To,
			a.Document, a.Text, s.d.Time(a.CreatedAt)).Scan(&a.ID)
		if err != nil {
			return s.translate("storing an answer", err)
		}
		if d != nil {
			return s.insertDeliveries(ctx, tx, []directory.Delivery{*d})
		}
		return nil
	})
}

// AnswerByNoteID finds an answer by its Note's id.
func (s *Store) AnswerByNoteID(ctx context.Context, noteID string) (*directory.Answer, error) {
	a, err := s.scanAnswer(s.r.QueryRowContext(ctx, `SELECT `+answerCols+` FROM answers WHERE note_id = ?`, noteID))
	return a, s.translate("answer", err)
}

// FollowedByCoop reports whether a local co-op's accepted follow names
// actor.
func (s *Store) FollowedByCoop(ctx context.Context, actor string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM coop_follows WHERE target = ? AND state = 'accepted'`, actor).Scan(&n)
	return n > 0, s.translate("follows", err)
}

const postCols = `id, object_id, actor, actor_name, actor_handle, content, text, url, published, received_at`

func (s *Store) scanPost(sc interface{ Scan(...any) error }) (*directory.FollowedPost, error) {
	var p directory.FollowedPost
	if err := sc.Scan(&p.ID, &p.ObjectID, &p.Actor, &p.ActorName, &p.ActorHandle, &p.Content, &p.Text, &p.URL,
		s.d.ScanTime(&p.Published), s.d.ScanTime(&p.ReceivedAt)); err != nil {
		return nil, err
	}
	return &p, nil
}

// AddFollowedPost stores or updates a post and prunes its account's
// oldest beyond the bound.
func (s *Store) AddFollowedPost(ctx context.Context, p *directory.FollowedPost) error {
	return s.tx(ctx, func(tx *conn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO followed_posts (object_id, actor, actor_name, actor_handle, content, text, url,
			published, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (object_id) DO UPDATE SET content = excluded.content, text = excluded.text, url = excluded.url,
			actor_name = excluded.actor_name, actor_handle = excluded.actor_handle
			WHERE followed_posts.actor = excluded.actor`,
			p.ObjectID, p.Actor, p.ActorName, p.ActorHandle, p.Content, p.Text, p.URL, s.d.Time(p.Published), s.d.Time(p.ReceivedAt))
		if err != nil {
			return s.translate("storing a post", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM followed_posts WHERE actor = ? AND id NOT IN (SELECT id FROM followed_posts
			WHERE actor = ? ORDER BY published DESC, id DESC LIMIT ?)`, p.Actor, p.Actor, directory.MaxPostsPerAccount)
		return s.translate("pruning posts", err)
	})
}

// RemoveFollowedPost removes an account's post.
func (s *Store) RemoveFollowedPost(ctx context.Context, actor, objectID string) (int, error) {
	return s.deleteCount(ctx, "removing a post", `DELETE FROM followed_posts WHERE actor = ? AND object_id = ?`, actor, objectID)
}

// CoopFeed lists the posts of the accounts a co-op follows.
func (s *Store) CoopFeed(ctx context.Context, coopID int64, limit int) ([]directory.FollowedPost, error) {
	return collect(s, "listing posts", s.scanPost)(s.r.QueryContext(ctx, `SELECT `+postCols+` FROM followed_posts
		WHERE actor IN (SELECT target FROM coop_follows WHERE coop_id = ? AND state = 'accepted')
		ORDER BY published DESC, id DESC LIMIT ?`, coopID, limit))
}

// ForgetAccount removes a remote account's interactions and posts and
// ends every local co-op's follow of it.
func (s *Store) ForgetAccount(ctx context.Context, actor string) error {
	return s.tx(ctx, func(tx *conn) error {
		for _, q := range []string{`DELETE FROM interactions WHERE actor = ?`, `DELETE FROM followed_posts WHERE actor = ?`,
			`DELETE FROM coop_follows WHERE target = ?`} {
			if _, err := tx.ExecContext(ctx, q, actor); err != nil {
				return s.translate("forgetting an account", err)
			}
		}
		return nil
	})
}
