package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

const jobCols = `j.id, j.ap_id, j.local, j.title, j.description, j.skills, j.remote, j.country, j.city,
	j.employment_type, j.salary_min, j.salary_max, j.salary_currency, j.salary_period, j.languages,
	j.apply_url, j.apply_email, j.valid_through, j.published, j.updated,
	c.id, c.ap_id, c.handle, c.host, c.name`

func scanJob(row interface{ Scan(...any) error }, extra ...any) (*directory.Job, error) {
	var j directory.Job
	var local int
	var skills, langs, currency, period string
	var smin, smax, valid sql.NullInt64
	var published, updated int64
	dest := []any{&j.ID, &j.APID, &local, &j.Title, &j.Description, &skills, &j.Remote, &j.Country, &j.City,
		&j.EmploymentType, &smin, &smax, &currency, &period, &langs,
		&j.ApplyURL, &j.ApplyEmail, &valid, &published, &updated,
		&j.Coop.ID, &j.Coop.APID, &j.Coop.Handle, &j.Coop.Host, &j.Coop.Name}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	j.Local = local == 1
	j.Skills, j.Languages = unlist(skills), unlist(langs)
	if currency != "" {
		j.Salary = &directory.Salary{Min: smin.Int64, Max: smax.Int64, Currency: currency, Period: period}
	}
	if valid.Valid {
		j.ValidThrough = fromMicros(valid.Int64)
	}
	j.Published, j.Updated = fromMicros(published), fromMicros(updated)
	return &j, nil
}

type salaryCols struct {
	min, max         sql.NullInt64
	currency, period string
}

func salaryOf(j *directory.Job) salaryCols {
	if j.Salary == nil {
		return salaryCols{}
	}
	return salaryCols{
		min:      sql.NullInt64{Int64: j.Salary.Min, Valid: true},
		max:      sql.NullInt64{Int64: j.Salary.Max, Valid: true},
		currency: j.Salary.Currency,
		period:   j.Salary.Period,
	}
}

// writeJobIndex rewrites a job's terms and full-text row.
func writeJobIndex(ctx context.Context, tx *wtx, j *directory.Job) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM job_terms WHERE job_id = ?`, j.ID); err != nil {
		return translate("indexing a job", err)
	}
	for _, t := range []struct {
		kind   string
		values []string
	}{{"s", j.Skills}, {"l", j.Languages}} {
		for _, v := range t.values {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO job_terms (job_id, kind, value, valid_through) VALUES (?, ?, ?, ?)`,
				j.ID, t.kind, v, nullMicros(j.ValidThrough)); err != nil {
				return translate("indexing a job", err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM jobs_fts WHERE rowid = ?`, j.ID); err != nil {
		return translate("indexing a job", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO jobs_fts (rowid, title, body) VALUES (?, ?, ?)`, j.ID,
		directory.SearchDoc(j.Title), directory.SearchDoc(strings.Join(j.Skills, " "), j.City, j.Description))
	return translate("indexing a job", err)
}

// CreateJob inserts a local job.
func (s *Store) CreateJob(ctx context.Context, j *directory.Job) error {
	return s.tx(ctx, func(tx *wtx) error {
		sal := salaryOf(j)
		err := tx.QueryRowContext(ctx, `
			INSERT INTO jobs (ap_id, coop_id, local, title, description, skills, remote, country, city, employment_type,
				salary_min, salary_max, salary_currency, salary_period, languages, apply_url, apply_email,
				valid_through, published, updated)
			VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			j.APID, j.Coop.ID, j.Title, j.Description, list(j.Skills), j.Remote, j.Country, j.City, j.EmploymentType,
			sal.min, sal.max, sal.currency, sal.period, list(j.Languages), j.ApplyURL, j.ApplyEmail,
			nullMicros(j.ValidThrough), micros(j.Published), micros(j.Updated),
		).Scan(&j.ID)
		if err != nil {
			return translate("creating a job", err)
		}
		if err := writeJobIndex(ctx, tx, j); err != nil {
			return err
		}
		return addEvent(ctx, tx, directory.EventJobCreate, j.APID, j.Coop.APID, j.Published)
	})
}

// UpdateJob writes every field of a local job.
func (s *Store) UpdateJob(ctx context.Context, j *directory.Job) error {
	return s.tx(ctx, func(tx *wtx) error {
		sal := salaryOf(j)
		res, err := tx.ExecContext(ctx, `
			UPDATE jobs SET title = ?, description = ?, skills = ?, remote = ?, country = ?, city = ?,
				employment_type = ?, salary_min = ?, salary_max = ?, salary_currency = ?, salary_period = ?,
				languages = ?, apply_url = ?, apply_email = ?, valid_through = ?, updated = ?
			WHERE id = ? AND local = 1`,
			j.Title, j.Description, list(j.Skills), j.Remote, j.Country, j.City,
			j.EmploymentType, sal.min, sal.max, sal.currency, sal.period,
			list(j.Languages), j.ApplyURL, j.ApplyEmail, nullMicros(j.ValidThrough), micros(j.Updated), j.ID)
		if err != nil {
			return translate("updating a job", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.NotFoundf("no local job with that id")
		}
		if err := writeJobIndex(ctx, tx, j); err != nil {
			return err
		}
		return addEvent(ctx, tx, directory.EventJobUpdate, j.APID, j.Coop.APID, j.Updated)
	})
}

// DeleteJob removes a job.
func (s *Store) DeleteJob(ctx context.Context, id int64, at time.Time) error {
	return s.tx(ctx, func(tx *wtx) error {
		var apid, coop string
		var local int
		err := tx.QueryRowContext(ctx, `SELECT j.ap_id, j.local, c.ap_id FROM jobs j JOIN coops c ON c.id = j.coop_id WHERE j.id = ?`, id).
			Scan(&apid, &local, &coop)
		if err != nil {
			return translate("deleting a job", err)
		}
		if local == 1 {
			if err := addTombstone(ctx, tx, apid, "Note", at); err != nil {
				return err
			}
			if err := addEvent(ctx, tx, directory.EventJobDelete, apid, coop, at); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM jobs WHERE id = ?`, id); err != nil {
			return translate("deleting a job", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM jobs_fts WHERE rowid = ?`, id)
		return translate("deleting a job", err)
	})
}

// JobByAPID finds a job by object id.
func (s *Store) JobByAPID(ctx context.Context, apid string) (*directory.Job, error) {
	j, err := scanJob(s.r.QueryRowContext(ctx, `SELECT `+jobCols+` FROM jobs j JOIN coops c ON c.id = j.coop_id WHERE j.ap_id = ?`, apid))
	if err != nil {
		return nil, translate("job", err)
	}
	feds, err := s.federationsOf(ctx, []int64{j.Coop.ID})
	if err != nil {
		return nil, err
	}
	j.Federations = orEmpty(feds[j.Coop.ID])
	return j, nil
}

func orEmpty(f []directory.FederationRef) []directory.FederationRef {
	if f == nil {
		return []directory.FederationRef{}
	}
	return f
}

// UpsertRemoteJob inserts or updates a job hosted elsewhere.
func (s *Store) UpsertRemoteJob(ctx context.Context, j *directory.Job) error {
	return s.tx(ctx, func(tx *wtx) error {
		var coopID int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM coops WHERE ap_id = ?`, j.Coop.APID).Scan(&coopID)
		if err == sql.ErrNoRows {
			return directory.NotFoundf("the job's co-op %s is not known here", j.Coop.APID)
		}
		if err != nil {
			return translate("storing a remote job", err)
		}
		j.Coop.ID = coopID
		sal := salaryOf(j)
		err = tx.QueryRowContext(ctx, `
			INSERT INTO jobs (ap_id, coop_id, local, title, description, skills, remote, country, city, employment_type,
				salary_min, salary_max, salary_currency, salary_period, languages, apply_url, apply_email,
				valid_through, published, updated)
			VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ap_id) DO UPDATE SET coop_id = excluded.coop_id, title = excluded.title,
				description = excluded.description, skills = excluded.skills, remote = excluded.remote,
				country = excluded.country, city = excluded.city, employment_type = excluded.employment_type,
				salary_min = excluded.salary_min, salary_max = excluded.salary_max,
				salary_currency = excluded.salary_currency, salary_period = excluded.salary_period,
				languages = excluded.languages, apply_url = excluded.apply_url, apply_email = excluded.apply_email,
				valid_through = excluded.valid_through, published = excluded.published, updated = excluded.updated
			WHERE jobs.local = 0 AND jobs.updated <= excluded.updated
			RETURNING id`,
			j.APID, coopID, j.Title, j.Description, list(j.Skills), j.Remote, j.Country, j.City, j.EmploymentType,
			sal.min, sal.max, sal.currency, sal.period, list(j.Languages), j.ApplyURL, j.ApplyEmail,
			nullMicros(j.ValidThrough), micros(j.Published), micros(j.Updated),
		).Scan(&j.ID)
		if err == sql.ErrNoRows {
			var local int
			if err := tx.QueryRowContext(ctx, `SELECT id, local FROM jobs WHERE ap_id = ?`, j.APID).Scan(&j.ID, &local); err != nil {
				return translate("storing a remote job", err)
			}
			if local == 1 {
				return directory.Conflictf("id", "%s is a job of this node", j.APID)
			}
			return nil // an older version than the one stored
		}
		if err != nil {
			return translate("storing a remote job", err)
		}
		j.Local = false
		if err := refuseBlocked(ctx, tx, j.APID); err != nil {
			return err
		}
		return writeJobIndex(ctx, tx, j)
	})
}
