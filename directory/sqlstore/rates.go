package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Rates returns the exchange rates in use: one set, whose base has its own
// row at 1.
func (s *Store) Rates(ctx context.Context) (*directory.Rates, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT currency, per_base, base, rates_date, source FROM rates ORDER BY currency`)
	if err != nil {
		return nil, s.translate("reading rates", err)
	}
	defer rows.Close()
	r := &directory.Rates{PerBase: map[string]float64{}}
	for rows.Next() {
		var cur, base, date, source string
		var v float64
		if err := rows.Scan(&cur, &v, &base, &date, &source); err != nil {
			return nil, s.translate("reading rates", err)
		}
		day, err := time.Parse(directory.RatesDateLayout, date)
		if err != nil {
			return nil, directory.Internal("reading rates", err)
		}
		r.Base, r.Date, r.Source = base, day, source
		if cur != base {
			r.PerBase[cur] = v
		}
	}
	return r, s.translate("reading rates", rows.Err())
}

// payBatch is how many jobs one statement gives a new pay figure.
const payBatch = 500

// ReplaceRates puts r in place of the rates in use and recomputes every
// job's monthly pay in r's base currency, in one transaction.
func (s *Store) ReplaceRates(ctx context.Context, r *directory.Rates) error {
	return s.tx(ctx, func(tx *conn) error {
		if lock := s.d.LockRates(); lock != "" {
			if _, err := tx.ExecContext(ctx, lock); err != nil {
				return s.translate("locking rates", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM rates`); err != nil {
			return s.translate("replacing rates", err)
		}
		date := r.Date.Format(directory.RatesDateLayout)
		for _, c := range r.Currencies() {
			v, _ := r.Rate(c)
			if _, err := tx.ExecContext(ctx, `INSERT INTO rates (currency, per_base, base, rates_date, source) VALUES (?, ?, ?, ?, ?)`,
				c, v, r.Base, date, r.Source); err != nil {
				return s.translate("replacing rates", err)
			}
		}
		return s.recomputePay(ctx, tx, r)
	})
}

// recomputePay sets each job's pay in the base currency from r, writing
// only the figures that change.
func (s *Store) recomputePay(ctx context.Context, tx *conn, r *directory.Rates) error {
	type change struct {
		id  int64
		pay any
	}
	var changes []change
	rows, err := tx.QueryContext(ctx, `SELECT id, salary_month, salary_currency, salary_month_base FROM jobs WHERE salary_month IS NOT NULL`)
	if err != nil {
		return s.translate("recomputing pay", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, cents int64
		var cur string
		var old sql.NullInt64
		if err := rows.Scan(&id, &cents, &cur, &old); err != nil {
			return s.translate("recomputing pay", err)
		}
		v, ok := r.BaseCents(cents, cur)
		switch {
		case ok && (!old.Valid || old.Int64 != v):
			changes = append(changes, change{id, v})
		case !ok && old.Valid:
			changes = append(changes, change{id, nil})
		}
	}
	if err := rows.Err(); err != nil {
		return s.translate("recomputing pay", err)
	}
	rows.Close()
	for len(changes) > 0 {
		n := min(len(changes), payBatch)
		var q strings.Builder
		q.WriteString(`UPDATE jobs SET salary_month_base = CASE id`)
		args := make([]any, 0, 3*n)
		ids := make([]any, 0, n)
		for _, c := range changes[:n] {
			q.WriteString(` WHEN ? THEN CAST(? AS BIGINT)`)
			args = append(args, c.id, c.pay)
			ids = append(ids, c.id)
		}
		q.WriteString(` END WHERE id IN (` + In(n) + `)`)
		if _, err := tx.ExecContext(ctx, q.String(), append(args, ids...)...); err != nil {
			return s.translate("recomputing pay", err)
		}
		changes = changes[n:]
	}
	return nil
}

// payCols are a job's monthly pay columns, salary_month and
// salary_month_base, from the rate in use for its currency, read in tx.
func (s *Store) payCols(ctx context.Context, tx *conn, j *directory.Job) ([]any, error) {
	if j.Salary == nil {
		return []any{nil, nil}, nil
	}
	cents := directory.SalaryCents(j)
	var base string
	var v float64
	err := tx.QueryRowContext(ctx, `SELECT base, per_base FROM rates WHERE currency = ?`+s.d.ForShare(), j.Salary.Currency).Scan(&base, &v)
	if err == sql.ErrNoRows {
		return []any{cents, nil}, nil
	}
	if err != nil {
		return nil, s.translate("reading a rate", err)
	}
	r := directory.Rates{Base: base, PerBase: map[string]float64{j.Salary.Currency: v}}
	bc, ok := r.BaseCents(cents, j.Salary.Currency)
	if !ok {
		return []any{cents, nil}, nil
	}
	return []any{cents, bc}, nil
}
