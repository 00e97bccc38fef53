package sqlstore

import (
	"context"
	"sync"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// The inbox stores the jobs of many Creates at once, each in a
// transaction of its own would cost a commit each: on SQLite a write of
// the WAL under the one writer's lock, on PostgreSQL a flush of its WAL.
// ApplyRemoteJob therefore commits together the jobs that arrive while a
// transaction is being written (group commit): the first caller runs a
// transaction for every job waiting, each under a savepoint so that one
// refused job changes nothing of the others, and the first of those that
// came meanwhile runs the next one. Jobs are applied in the order they
// arrived.

// maxJobBatch bounds how many jobs one transaction stores.
const maxJobBatch = 64

type jobBatch struct {
	mu      sync.Mutex
	pending []*jobApply
	busy    bool // a transaction is being run
}

// jobApply is one caller's job and, once done is closed, its result.
type jobApply struct {
	activityID string
	at         time.Time
	j          *directory.Job
	fresh      bool
	err        error
	done       chan struct{} // closed when fresh and err are set
	lead       chan struct{} // closed when the caller is to run the next transaction
}

// ApplyRemoteJob records activityID as seen and stores the job it
// carries in one transaction: one commit where MarkSeen and
// UpsertRemoteJob would make two, shared with the jobs stored at the same
// moment. An id seen before changes nothing; a job that cannot be stored
// leaves the id unseen, for the sender's retry.
func (s *Store) ApplyRemoteJob(ctx context.Context, activityID string, at time.Time, j *directory.Job) (bool, error) {
	r := &jobApply{activityID: activityID, at: at, j: j, done: make(chan struct{}), lead: make(chan struct{})}
	b := &s.inbox
	b.mu.Lock()
	b.pending = append(b.pending, r)
	leader := !b.busy
	b.busy = true
	b.mu.Unlock()
	if !leader {
		select {
		case <-r.done:
			return r.fresh, r.err
		case <-r.lead:
		}
	}
	// Run what waits, this caller's job first among it, even if this
	// caller stops waiting: the others wait on it.
	s.runJobBatch(context.WithoutCancel(ctx))
	<-r.done
	return r.fresh, r.err
}

// runJobBatch stores the jobs waiting, up to maxJobBatch, and hands the
// next transaction to the first caller still waiting.
func (s *Store) runJobBatch(ctx context.Context) {
	b := &s.inbox
	b.mu.Lock()
	batch := b.pending[:min(len(b.pending), maxJobBatch)]
	b.pending = b.pending[len(batch):]
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		if len(b.pending) > 0 {
			close(b.pending[0].lead)
		} else {
			b.busy = false
		}
		b.mu.Unlock()
	}()

	err := s.tx(ctx, func(tx *conn) error {
		if len(batch) == 1 {
			r := batch[0]
			r.fresh, r.err = s.applyRemoteJob(ctx, tx, r)
			return r.err
		}
		for _, r := range batch {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT inbox_job`); err != nil {
				return s.translate("storing a remote job", err)
			}
			r.fresh, r.err = s.applyRemoteJob(ctx, tx, r)
			undo := `RELEASE SAVEPOINT inbox_job`
			if r.err != nil {
				undo = `ROLLBACK TO SAVEPOINT inbox_job`
			}
			if _, err := tx.ExecContext(ctx, undo); err != nil {
				return s.translate("storing a remote job", err)
			}
		}
		return nil
	})
	for _, r := range batch {
		if err != nil {
			r.err = err
		}
		if r.err != nil {
			r.fresh = false
		}
		close(r.done)
	}
}

func (s *Store) applyRemoteJob(ctx context.Context, tx *conn, r *jobApply) (bool, error) {
	fresh, err := s.markSeen(ctx, tx, r.activityID, r.at)
	if err != nil || !fresh {
		return false, err
	}
	return true, s.upsertRemoteJob(ctx, tx, r.j)
}
