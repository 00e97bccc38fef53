package sqlstore

import (
	"context"

	"github.com/colmena-coop/colmena/directory"
)

// reindexBatch is how many rows one transaction of Reindex writes.
const reindexBatch = 500

// Reindex brings what searches read up to the directory's current
// tokens and terms (directory.IndexVersion), which rows written by an
// older version lack: when the version the store records differs, it
// writes every co-op's and job's search text again, and their skills
// under their canonical names (directory.NormalizeTags), a batch of rows
// per transaction, and then records the version. It returns how many
// rows it wrote; with the version current it writes nothing. The engines
// call it on opening.
//
// It is safe while other writers run and on several replicas at once.
// Each batch takes the row of search_index first (a no-op update holds
// it until the batch commits), so batches run one at a time, and records
// there the last row it wrote: replicas share the work, each batch
// going on where the last one, of whichever replica, stopped, and a
// store interrupted goes on from there when it opens again. The rows of
// a batch are read for update, so that a change made meanwhile waits
// for the batch, or is read by it, and is never indexed stale.
func (s *Store) Reindex(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		done := false
		err := s.tx(ctx, func(tx *conn) error {
			var err error
			n, done, err = s.reindexBatch(ctx, tx)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
		if done {
			return total, nil
		}
	}
}

// reindexBatch writes the next batch of rows for the current version in
// tx; done says the index is current.
func (s *Store) reindexBatch(ctx context.Context, tx *conn) (n int, done bool, err error) {
	const op = "indexing again"
	var version, building int
	var coopsAfter, jobsAfter int64
	if err := tx.QueryRowContext(ctx, `UPDATE search_index SET version = version WHERE id = 1
		RETURNING version, building, coops_after, jobs_after`).Scan(&version, &building, &coopsAfter, &jobsAfter); err != nil {
		return 0, false, s.translate(op, err)
	}
	if version == directory.IndexVersion {
		return 0, true, nil
	}
	if building != directory.IndexVersion {
		// What an earlier run built was for another version.
		coopsAfter, jobsAfter = 0, 0
	}
	if coopsAfter >= 0 {
		var last int64
		if last, n, err = s.reindexCoops(ctx, tx, coopsAfter); err != nil {
			return 0, false, err
		}
		coopsAfter = last
		if n < reindexBatch {
			coopsAfter = -1
		}
	} else {
		if jobsAfter, n, err = s.reindexJobs(ctx, tx, jobsAfter); err != nil {
			return 0, false, err
		}
		if n < reindexBatch {
			_, err = tx.ExecContext(ctx, `UPDATE search_index SET version = ?, building = 0, coops_after = 0, jobs_after = 0 WHERE id = 1`,
				directory.IndexVersion)
			return n, true, s.translate(op, err)
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE search_index SET building = ?, coops_after = ?, jobs_after = ? WHERE id = 1`,
		directory.IndexVersion, coopsAfter, jobsAfter)
	return n, false, s.translate(op, err)
}

// reindexCoops writes the search text and skills of the co-ops after the
// id after, a batch of them; it returns the last id and how many.
func (s *Store) reindexCoops(ctx context.Context, tx *conn, after int64) (int64, int, error) {
	const op = "indexing co-ops"
	coops, err := collect(s, op, func(row interface{ Scan(...any) error }) (*directory.Coop, error) {
		var c directory.Coop
		err := row.Scan(&c.ID, &c.Name, &c.Handle, &c.Summary, &c.City, s.d.ScanList(&c.Skills), s.d.ScanList(&c.Languages))
		return &c, err
	})(tx.QueryContext(ctx, `SELECT id, name, handle, summary, city, skills, languages FROM coops
		WHERE id > ? ORDER BY id LIMIT ?`+s.d.ForUpdate(), after, reindexBatch))
	if err != nil {
		return after, 0, err
	}
	for i := range coops {
		c := &coops[i]
		c.Skills = directory.CanonicalTags(c.Skills)
		text, terms := coopSearch(c)
		if _, err := tx.ExecContext(ctx, `UPDATE coops SET skills = ?, search_text = ?, search_terms = ? WHERE id = ?`,
			s.d.List(c.Skills), text, terms, c.ID); err != nil {
			return after, 0, s.translate(op, err)
		}
		if err := s.writeCoopTerms(ctx, tx, c); err != nil {
			return after, 0, err
		}
		after = c.ID
	}
	return after, len(coops), nil
}

// reindexJobs indexes the jobs after the id after, a batch of them, and
// saves their skills under their canonical names; it returns the last id
// and how many.
func (s *Store) reindexJobs(ctx context.Context, tx *conn, after int64) (int64, int, error) {
	const op = "indexing jobs"
	jobs, err := collect(s, op, func(row interface{ Scan(...any) error }) (*directory.Job, error) {
		var j directory.Job
		err := row.Scan(&j.ID, &j.Title, &j.Description, s.d.ScanList(&j.Skills), &j.City, s.d.ScanList(&j.Languages),
			s.d.ScanTime(&j.ValidThrough))
		return &j, err
	})(tx.QueryContext(ctx, `SELECT id, title, description, skills, city, languages, valid_through FROM jobs
		WHERE id > ? ORDER BY id LIMIT ?`+s.d.ForUpdate(), after, reindexBatch))
	if err != nil {
		return after, 0, err
	}
	for i := range jobs {
		j := &jobs[i]
		// The row is written even when its skills stay as they are: the
		// write records the job as changed (job_changes), so that every
		// node's index in memory reads its new words.
		j.Skills = directory.CanonicalTags(j.Skills)
		if _, err := tx.ExecContext(ctx, `UPDATE jobs SET skills = ? WHERE id = ?`, s.d.List(j.Skills), j.ID); err != nil {
			return after, 0, s.translate(op, err)
		}
		if err := s.d.IndexJob(ctx, tx, j); err != nil {
			return after, 0, s.translate(op, err)
		}
		after = j.ID
	}
	return after, len(jobs), nil
}
