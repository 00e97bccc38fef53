package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// JobColumns are the columns ScanJob reads, of jobs j joined to coops c.
const JobColumns = `j.id, j.ap_id, j.local, j.title, j.description, j.skills, j.remote, j.country, j.city,
	j.employment_type, j.salary_min, j.salary_max, j.salary_currency, j.salary_period, j.languages,
	j.apply_url, j.apply_email, j.valid_through, j.published, j.updated,
	c.id, c.ap_id, c.handle, c.host, c.name,
	j.eligible, j.hours_zone, j.hours_start, j.hours_end, j.hours_per_week, j.seniority,
	j.membership, j.trial_months, j.capital_amount, j.capital_currency, j.pay_policy, j.pay_ratio, j.decisions`

// ScanJob scans a row of JobColumns, then extra.
func (s *Store) ScanJob(row interface{ Scan(...any) error }, extra ...any) (*directory.Job, error) {
	var j directory.Job
	var currency, period string
	var smin, smax sql.NullInt64
	var f facts
	dest := []any{&j.ID, &j.APID, &j.Local, &j.Title, &j.Description, s.d.ScanList(&j.Skills), &j.Remote, &j.Country, &j.City,
		&j.EmploymentType, &smin, &smax, &currency, &period, s.d.ScanList(&j.Languages),
		&j.ApplyURL, &j.ApplyEmail, s.d.ScanTime(&j.ValidThrough), s.d.ScanTime(&j.Published), s.d.ScanTime(&j.Updated),
		&j.Coop.ID, &j.Coop.APID, &j.Coop.Handle, &j.Coop.Host, &j.Coop.Name,
		s.d.ScanList(&j.Eligible), &f.zone, &f.start, &f.end, &j.HoursPerWeek, &j.Seniority,
		&f.membership, &f.trial, &f.capital, &f.capitalCurrency, &f.pay, &f.ratio, &j.Decisions}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if currency != "" {
		j.Salary = &directory.Salary{Min: smin.Int64, Max: smax.Int64, Currency: currency, Period: period}
	}
	f.fill(&j)
	return &j, nil
}

// facts are the columns of a job's window and co-op facts that do not
// scan straight into the Job.
type facts struct {
	zone            string
	start, end      int
	membership      sql.NullBool
	trial           int
	capital         sql.NullInt64
	capitalCurrency string
	pay             string
	ratio           float64
}

func (f *facts) fill(j *directory.Job) {
	if f.zone != "" {
		j.Hours = &directory.Hours{Zone: f.zone, Start: f.start, End: f.end}
	}
	if f.membership.Valid {
		j.Membership = &directory.Membership{LeadsToMembership: f.membership.Bool, TrialMonths: f.trial}
		if f.capital.Valid {
			j.Membership.Capital = &directory.Capital{Amount: f.capital.Int64, Currency: f.capitalCurrency}
		}
	}
	if f.pay != "" {
		j.PayPolicy = &directory.PayPolicy{Kind: f.pay, Ratio: f.ratio}
	}
}

// factArgs are the values of a job's factColumns, in their order.
func (s *Store) factArgs(j *directory.Job) []any {
	var zone string
	var start, end int
	if h := j.Hours; h != nil {
		zone, start, end = h.Zone, h.Start, h.End
	}
	var membership, capital any
	var trial int
	var capitalCurrency string
	if m := j.Membership; m != nil {
		membership, trial = m.LeadsToMembership, m.TrialMonths
		if c := m.Capital; c != nil {
			capital, capitalCurrency = c.Amount, c.Currency
		}
	}
	var pay string
	var ratio float64
	if p := j.PayPolicy; p != nil {
		pay, ratio = p.Kind, p.Ratio
	}
	return []any{s.d.List(j.Eligible), directory.CityKey(j.City), zone, start, end, j.HoursPerWeek, j.Seniority,
		membership, trial, capital, capitalCurrency, pay, ratio, j.Decisions}
}

// factColumns are the columns factArgs fills; factSet and factUpsert
// write them.
const (
	factColumns = `eligible, city_key, hours_zone, hours_start, hours_end, hours_per_week, seniority,
		membership, trial_months, capital_amount, capital_currency, pay_policy, pay_ratio, decisions`
	factSet = `eligible = ?, city_key = ?, hours_zone = ?, hours_start = ?, hours_end = ?, hours_per_week = ?, seniority = ?,
		membership = ?, trial_months = ?, capital_amount = ?, capital_currency = ?, pay_policy = ?, pay_ratio = ?, decisions = ?`
	factUpsert = `eligible = excluded.eligible, city_key = excluded.city_key, hours_zone = excluded.hours_zone,
		hours_start = excluded.hours_start, hours_end = excluded.hours_end, hours_per_week = excluded.hours_per_week,
		seniority = excluded.seniority, membership = excluded.membership, trial_months = excluded.trial_months,
		capital_amount = excluded.capital_amount, capital_currency = excluded.capital_currency,
		pay_policy = excluded.pay_policy, pay_ratio = excluded.pay_ratio, decisions = excluded.decisions`
)

// salaryCols are a job's salary columns as query arguments.
func salaryCols(j *directory.Job) []any {
	if j.Salary == nil {
		return []any{nil, nil, "", ""}
	}
	return []any{j.Salary.Min, j.Salary.Max, j.Salary.Currency, j.Salary.Period}
}

// jobArgs are the arguments of jobInsert after ap_id, coop_id and local.
func (s *Store) jobArgs(j *directory.Job) []any {
	args := []any{j.Title, j.Description, s.d.List(j.Skills), j.Remote, j.Country, j.City, j.EmploymentType}
	args = append(args, salaryCols(j)...)
	args = append(args, s.d.List(j.Languages), j.ApplyURL, j.ApplyEmail,
		s.d.NullTime(j.ValidThrough), s.d.Time(j.Published), s.d.Time(j.Updated))
	return append(args, s.factArgs(j)...)
}

const jobInsert = `INSERT INTO jobs (ap_id, coop_id, local, title, description, skills, remote, country, city, employment_type,
		salary_min, salary_max, salary_currency, salary_period, languages, apply_url, apply_email,
		valid_through, published, updated, ` + factColumns + `, salary_month, salary_month_base)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// CreateJob inserts a local job of a co-op that is not suspended.
func (s *Store) CreateJob(ctx context.Context, j *directory.Job) error {
	return s.tx(ctx, func(tx *conn) error {
		if err := s.checkPublishing(ctx, tx, j.Coop.ID); err != nil {
			return err
		}
		pay, err := s.payCols(ctx, tx, j)
		if err != nil {
			return err
		}
		args := append(append([]any{j.APID, j.Coop.ID, true}, s.jobArgs(j)...), pay...)
		if err := tx.QueryRowContext(ctx, jobInsert+` RETURNING id`, args...).Scan(&j.ID); err != nil {
			return s.translate("creating a job", err)
		}
		if err := s.d.IndexJob(ctx, tx, j); err != nil {
			return s.translate("indexing a job", err)
		}
		return s.addEvent(ctx, tx, directory.EventJobCreate, j.APID, j.Coop.APID, j.Published)
	})
}

// UpdateJob writes every field of a local job of a co-op that is not
// suspended.
func (s *Store) UpdateJob(ctx context.Context, j *directory.Job) error {
	return s.tx(ctx, func(tx *conn) error {
		var coopID int64
		err := tx.QueryRowContext(ctx, `SELECT coop_id FROM jobs WHERE id = ? AND local`, j.ID).Scan(&coopID)
		if err == sql.ErrNoRows {
			return directory.NotFoundf("no local job with that id")
		}
		if err != nil {
			return s.translate("updating a job", err)
		}
		if err := s.checkPublishing(ctx, tx, coopID); err != nil {
			return err
		}
		pay, err := s.payCols(ctx, tx, j)
		if err != nil {
			return err
		}
		args := append(append(s.jobArgs(j)[:15], pay...), s.d.Time(j.Updated))
		args = append(append(args, s.factArgs(j)...), j.ID)
		res, err := tx.ExecContext(ctx, `
			UPDATE jobs SET title = ?, description = ?, skills = ?, remote = ?, country = ?, city = ?,
				employment_type = ?, salary_min = ?, salary_max = ?, salary_currency = ?, salary_period = ?,
				languages = ?, apply_url = ?, apply_email = ?, valid_through = ?,
				salary_month = ?, salary_month_base = ?, updated = ?,
				`+factSet+`
			WHERE id = ? AND local`, args...)
		if err != nil {
			return s.translate("updating a job", err)
		}
		if affected(res) == 0 {
			return directory.NotFoundf("no local job with that id")
		}
		if err := s.d.IndexJob(ctx, tx, j); err != nil {
			return s.translate("indexing a job", err)
		}
		return s.addEvent(ctx, tx, directory.EventJobUpdate, j.APID, j.Coop.APID, j.Updated)
	})
}

// DeleteJob removes a job. A local one leaves a tombstone and tells its
// followers; a remote one leaves a tombstone too, so that its page here
// says it closed.
func (s *Store) DeleteJob(ctx context.Context, id int64, at time.Time) error {
	return s.tx(ctx, func(tx *conn) error {
		var apid, coop string
		var local bool
		err := tx.QueryRowContext(ctx, `SELECT j.ap_id, j.local, c.ap_id FROM jobs j JOIN coops c ON c.id = j.coop_id WHERE j.id = ?`, id).
			Scan(&apid, &local, &coop)
		if err != nil {
			return s.translate("deleting a job", err)
		}
		if local {
			if err := s.addTombstone(ctx, tx, apid, "Note", at); err != nil {
				return err
			}
			if err := s.addEvent(ctx, tx, directory.EventJobDelete, apid, coop, at); err != nil {
				return err
			}
		} else if err := s.addTombstone(ctx, tx, apid, "Note", at); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM jobs WHERE id = ?`, id)
		return s.translate("deleting a job", err)
	})
}

// expireBatch is how many jobs one ExpireJobs transaction closes.
const expireBatch = 100

// ExpireJobs closes the local jobs whose valid_through is at or before
// now as DeleteJob does, a batch per transaction, and counts them.
func (s *Store) ExpireJobs(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for {
		n, last := 0, false
		err := s.tx(ctx, func(tx *conn) error {
			type expired struct {
				id         int64
				apid, coop string
			}
			var jobs []expired
			rows, err := tx.QueryContext(ctx, `SELECT j.id, j.ap_id, c.ap_id FROM jobs j JOIN coops c ON c.id = j.coop_id
				WHERE j.local AND j.valid_through IS NOT NULL AND j.valid_through <= ? ORDER BY j.id LIMIT ?`, s.d.Time(now), expireBatch)
			if err != nil {
				return s.translate("expiring jobs", err)
			}
			for rows.Next() {
				var e expired
				if err := rows.Scan(&e.id, &e.apid, &e.coop); err != nil {
					rows.Close()
					return s.translate("expiring jobs", err)
				}
				jobs = append(jobs, e)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return s.translate("expiring jobs", err)
			}
			for _, e := range jobs {
				res, err := tx.ExecContext(ctx, `DELETE FROM jobs WHERE id = ?`, e.id)
				if err != nil {
					return s.translate("expiring jobs", err)
				}
				if affected(res) == 0 {
					continue // closed meanwhile, with its own Delete
				}
				if err := s.addTombstone(ctx, tx, e.apid, "Note", now); err != nil {
					return err
				}
				if err := s.addEvent(ctx, tx, directory.EventJobDelete, e.apid, e.coop, now); err != nil {
					return err
				}
				n++
			}
			last = len(jobs) < expireBatch
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if last {
			return total, nil
		}
	}
}

// JobByAPID finds a job by object id.
func (s *Store) JobByAPID(ctx context.Context, apid string) (*directory.Job, error) {
	j, err := s.ScanJob(s.r.QueryRowContext(ctx, `SELECT `+JobColumns+` FROM jobs j JOIN coops c ON c.id = j.coop_id WHERE j.ap_id = ?`, apid))
	if err != nil {
		return nil, s.translate("job", err)
	}
	jobs := []directory.Job{*j}
	if err := s.AddFederations(ctx, jobs); err != nil {
		return nil, err
	}
	return &jobs[0], nil
}

// JobByID finds a job by its row id.
func (s *Store) JobByID(ctx context.Context, id int64) (*directory.Job, error) {
	j, err := s.ScanJob(s.r.QueryRowContext(ctx, `SELECT `+JobColumns+` FROM jobs j JOIN coops c ON c.id = j.coop_id WHERE j.id = ?`, id))
	if err != nil {
		return nil, s.translate("job", err)
	}
	jobs := []directory.Job{*j}
	if err := s.AddFederations(ctx, jobs); err != nil {
		return nil, err
	}
	return &jobs[0], nil
}

// AddFederations fills in the federations of each job's co-op.
func (s *Store) AddFederations(ctx context.Context, jobs []directory.Job) error {
	ids := make([]int64, len(jobs))
	for i := range jobs {
		ids[i] = jobs[i].Coop.ID
	}
	feds, err := s.federationsOf(ctx, ids)
	if err != nil {
		return err
	}
	for i := range jobs {
		jobs[i].Federations = orEmpty(feds[jobs[i].Coop.ID])
	}
	return nil
}

func orEmpty(f []directory.FederationRef) []directory.FederationRef {
	if f == nil {
		return []directory.FederationRef{}
	}
	return f
}

// UpsertRemoteJob inserts or updates a job hosted elsewhere. An update
// older than the stored version is ignored; a local job is never
// overwritten, and a stored job keeps its co-op: a row naming another
// co-op is refused and changes nothing.
func (s *Store) UpsertRemoteJob(ctx context.Context, j *directory.Job) error {
	return s.tx(ctx, func(tx *conn) error { return s.upsertRemoteJob(ctx, tx, j) })
}

func (s *Store) upsertRemoteJob(ctx context.Context, tx *conn, j *directory.Job) error {
	var coopID int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM coops WHERE ap_id = ?`, j.Coop.APID).Scan(&coopID)
	if err == sql.ErrNoRows {
		return directory.NotFoundf("the job's co-op %s is not known here", j.Coop.APID)
	}
	if err != nil {
		return s.translate("storing a remote job", err)
	}
	j.Coop.ID = coopID
	pay, err := s.payCols(ctx, tx, j)
	if err != nil {
		return err
	}
	args := append(append([]any{j.APID, coopID, false}, s.jobArgs(j)...), pay...)
	err = tx.QueryRowContext(ctx, jobInsert+`
		ON CONFLICT (ap_id) DO UPDATE SET title = excluded.title,
			description = excluded.description, skills = excluded.skills, remote = excluded.remote,
			country = excluded.country, city = excluded.city, employment_type = excluded.employment_type,
			salary_min = excluded.salary_min, salary_max = excluded.salary_max,
			salary_currency = excluded.salary_currency, salary_period = excluded.salary_period,
			salary_month = excluded.salary_month, salary_month_base = excluded.salary_month_base,
			languages = excluded.languages, apply_url = excluded.apply_url, apply_email = excluded.apply_email,
			valid_through = excluded.valid_through, published = excluded.published, updated = excluded.updated,
			`+factUpsert+`
		WHERE NOT jobs.local AND jobs.coop_id = excluded.coop_id AND jobs.updated <= excluded.updated
		RETURNING id`, args...).Scan(&j.ID)
	if err == sql.ErrNoRows {
		var local bool
		var owner int64
		if err := tx.QueryRowContext(ctx, `SELECT id, local, coop_id FROM jobs WHERE ap_id = ?`, j.APID).Scan(&j.ID, &local, &owner); err != nil {
			return s.translate("storing a remote job", err)
		}
		if local {
			return directory.Conflictf("id", "%s is a job of this node", j.APID)
		}
		if owner != coopID {
			return directory.Forbiddenf("the job %s belongs to another co-op than %s", j.APID, j.Coop.APID)
		}
		return nil // an older version than the one stored
	}
	if err != nil {
		return s.translate("storing a remote job", err)
	}
	j.Local = false
	if err := s.refuseBlocked(ctx, tx, j.APID); err != nil {
		return err
	}
	return s.translate("indexing a job", s.d.IndexJob(ctx, tx, j))
}
