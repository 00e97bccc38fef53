package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/colmena-coop/colmena/directory"
)

const jobCols = `j.id, j.ap_id, j.local, j.title, j.description, j.skills, j.remote, j.country, j.city,
	j.employment_type, j.salary_min, j.salary_max, j.salary_currency, j.salary_period, j.languages,
	j.apply_url, j.apply_email, j.valid_through, j.published, j.updated,
	c.id, c.ap_id, c.handle, c.host, c.name`

func scanJob(row pgx.Row, extra ...any) (*directory.Job, error) {
	var j directory.Job
	var currency, period string
	var smin, smax *int64
	var valid *time.Time
	dest := []any{&j.ID, &j.APID, &j.Local, &j.Title, &j.Description, &j.Skills, &j.Remote, &j.Country, &j.City,
		&j.EmploymentType, &smin, &smax, &currency, &period, &j.Languages,
		&j.ApplyURL, &j.ApplyEmail, &valid, &j.Published, &j.Updated,
		&j.Coop.ID, &j.Coop.APID, &j.Coop.Handle, &j.Coop.Host, &j.Coop.Name}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	j.Skills, j.Languages = orEmptyList(j.Skills), orEmptyList(j.Languages)
	if currency != "" && smin != nil && smax != nil {
		j.Salary = &directory.Salary{Min: *smin, Max: *smax, Currency: currency, Period: period}
	}
	if valid != nil {
		j.ValidThrough = valid.UTC()
	}
	j.Published, j.Updated = j.Published.UTC(), j.Updated.UTC()
	return &j, nil
}

type salaryCols struct {
	min, max         *int64
	currency, period string
}

func salaryOf(j *directory.Job) salaryCols {
	if j.Salary == nil {
		return salaryCols{}
	}
	return salaryCols{min: &j.Salary.Min, max: &j.Salary.Max, currency: j.Salary.Currency, period: j.Salary.Period}
}

// searchVector is the SQL that builds a job's tsvector from $title and $body.
const searchVector = `setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')`

func searchDocs(j *directory.Job) (string, string) {
	return directory.SearchDoc(j.Title), directory.SearchDoc(strings.Join(j.Skills, " "), j.City, j.Description)
}

// CreateJob inserts a local job.
func (s *Store) CreateJob(ctx context.Context, j *directory.Job) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		sal := salaryOf(j)
		title, body := searchDocs(j)
		err := tx.QueryRow(ctx, `
		INSERT INTO jobs (ap_id, coop_id, local, title, description, skills, remote, country, city, employment_type,
			salary_min, salary_max, salary_currency, salary_period, languages, apply_url, apply_email,
			valid_through, published, updated, search)
		VALUES ($1, $2, true, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
			`+fmt.Sprintf(searchVector, "$20", "$21")+`)
		RETURNING id`,
			j.APID, j.Coop.ID, j.Title, j.Description, orEmptyList(j.Skills), j.Remote, j.Country, j.City, j.EmploymentType,
			sal.min, sal.max, sal.currency, sal.period, orEmptyList(j.Languages), j.ApplyURL, j.ApplyEmail,
			nullTime(j.ValidThrough), j.Published, j.Updated, title, body,
		).Scan(&j.ID)
		if err != nil {
			return translate("creating a job", err)
		}
		return addEvent(ctx, tx, directory.EventJobCreate, j.APID, j.Coop.APID, j.Published)
	})
}

// UpdateJob writes every field of a local job.
func (s *Store) UpdateJob(ctx context.Context, j *directory.Job) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		sal := salaryOf(j)
		title, body := searchDocs(j)
		tag, err := tx.Exec(ctx, `
		UPDATE jobs SET title = $1, description = $2, skills = $3, remote = $4, country = $5, city = $6,
			employment_type = $7, salary_min = $8, salary_max = $9, salary_currency = $10, salary_period = $11,
			languages = $12, apply_url = $13, apply_email = $14, valid_through = $15, updated = $16,
			search = `+fmt.Sprintf(searchVector, "$17", "$18")+`
		WHERE id = $19 AND local`,
			j.Title, j.Description, orEmptyList(j.Skills), j.Remote, j.Country, j.City,
			j.EmploymentType, sal.min, sal.max, sal.currency, sal.period,
			orEmptyList(j.Languages), j.ApplyURL, j.ApplyEmail, nullTime(j.ValidThrough), j.Updated, title, body, j.ID)
		if err != nil {
			return translate("updating a job", err)
		}
		if tag.RowsAffected() == 0 {
			return directory.NotFoundf("no local job with that id")
		}
		return addEvent(ctx, tx, directory.EventJobUpdate, j.APID, j.Coop.APID, j.Updated)
	})
}

// DeleteJob removes a job.
func (s *Store) DeleteJob(ctx context.Context, id int64, at time.Time) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var apid, coop string
		var local bool
		err := tx.QueryRow(ctx, `SELECT j.ap_id, j.local, c.ap_id FROM jobs j JOIN coops c ON c.id = j.coop_id WHERE j.id = $1`, id).
			Scan(&apid, &local, &coop)
		if err != nil {
			return translate("deleting a job", err)
		}
		if local {
			if err := addTombstone(ctx, tx, apid, "Note", at); err != nil {
				return err
			}
			if err := addEvent(ctx, tx, directory.EventJobDelete, apid, coop, at); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `DELETE FROM jobs WHERE id = $1`, id)
		return translate("deleting a job", err)
	})
}

// JobByAPID finds a job by object id.
func (s *Store) JobByAPID(ctx context.Context, apid string) (*directory.Job, error) {
	j, err := scanJob(s.pool.QueryRow(ctx, `SELECT `+jobCols+` FROM jobs j JOIN coops c ON c.id = j.coop_id WHERE j.ap_id = $1`, apid))
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

// UpsertRemoteJob inserts or updates a job hosted elsewhere.
func (s *Store) UpsertRemoteJob(ctx context.Context, j *directory.Job) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var coopID int64
		err := tx.QueryRow(ctx, `SELECT id FROM coops WHERE ap_id = $1`, j.Coop.APID).Scan(&coopID)
		if err == pgx.ErrNoRows {
			return directory.NotFoundf("the job's co-op %s is not known here", j.Coop.APID)
		}
		if err != nil {
			return translate("storing a remote job", err)
		}
		j.Coop.ID = coopID
		sal := salaryOf(j)
		title, body := searchDocs(j)
		err = tx.QueryRow(ctx, `
			INSERT INTO jobs (ap_id, coop_id, local, title, description, skills, remote, country, city, employment_type,
				salary_min, salary_max, salary_currency, salary_period, languages, apply_url, apply_email,
				valid_through, published, updated, search)
			VALUES ($1, $2, false, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
				`+fmt.Sprintf(searchVector, "$20", "$21")+`)
			ON CONFLICT (ap_id) DO UPDATE SET coop_id = excluded.coop_id, title = excluded.title,
				description = excluded.description, skills = excluded.skills, remote = excluded.remote,
				country = excluded.country, city = excluded.city, employment_type = excluded.employment_type,
				salary_min = excluded.salary_min, salary_max = excluded.salary_max,
				salary_currency = excluded.salary_currency, salary_period = excluded.salary_period,
				languages = excluded.languages, apply_url = excluded.apply_url, apply_email = excluded.apply_email,
				valid_through = excluded.valid_through, published = excluded.published, updated = excluded.updated,
				search = excluded.search
			WHERE NOT jobs.local AND jobs.updated <= excluded.updated
			RETURNING id`,
			j.APID, coopID, j.Title, j.Description, orEmptyList(j.Skills), j.Remote, j.Country, j.City, j.EmploymentType,
			sal.min, sal.max, sal.currency, sal.period, orEmptyList(j.Languages), j.ApplyURL, j.ApplyEmail,
			nullTime(j.ValidThrough), j.Published, j.Updated, title, body,
		).Scan(&j.ID)
		if err == pgx.ErrNoRows {
			var local bool
			if err := tx.QueryRow(ctx, `SELECT id, local FROM jobs WHERE ap_id = $1`, j.APID).Scan(&j.ID, &local); err != nil {
				return translate("storing a remote job", err)
			}
			if local {
				return directory.Conflictf("id", "%s is a job of this node", j.APID)
			}
			return nil // an older version than the one stored
		}
		if err != nil {
			return translate("storing a remote job", err)
		}
		j.Local = false
		return refuseBlocked(ctx, tx, j.APID)
	})
}
