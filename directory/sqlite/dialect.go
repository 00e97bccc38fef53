package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlstore"
)

// dialect is how SQLite stores what sqlstore writes: times as Unix
// microseconds (UTC), lists as JSON arrays of strings.
type dialect struct{}

func (dialect) Rebind(query string) string { return query }

func (dialect) Time(t time.Time) any { return micros(t) }

func (dialect) NullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return micros(t)
}

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func (dialect) ScanTime(dst *time.Time) sql.Scanner { return microsScanner{dst} }

type microsScanner struct{ t *time.Time }

func (m microsScanner) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*m.t = time.Time{}
	case int64:
		*m.t = time.UnixMicro(x).UTC()
	default:
		return fmt.Errorf("sqlite: a time stored as %T", v)
	}
	return nil
}

func (dialect) List(v []string) any {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (dialect) ScanList(dst *[]string) sql.Scanner { return jsonList{dst} }

type jsonList struct{ v *[]string }

func (l jsonList) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case string:
		b = []byte(x)
	case []byte:
		b = x
	}
	if err := json.Unmarshal(b, l.v); err != nil || *l.v == nil {
		*l.v = []string{}
	}
	return nil
}

func (dialect) ErrorKind(err error) (directory.Kind, bool) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return directory.KindConflict, true
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return directory.KindNotFound, true
		}
	}
	return 0, false
}

// ClaimDeliveriesSQL needs no row locks: there is one writer.
func (dialect) ClaimDeliveriesSQL() string {
	return `UPDATE deliveries SET next_attempt_at = ?
		WHERE id IN (SELECT id FROM deliveries WHERE host = ? AND state = 'pending' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?)
		RETURNING ` + sqlstore.DeliveryColumns
}

// LockForPurge is empty: writes are one at a time already.
func (dialect) LockForPurge() string { return "" }

// LockRates is empty: writes are one at a time already.
func (dialect) LockRates() string { return "" }

// ForShare is empty: writes are one at a time already.
func (dialect) ForShare() string { return "" }

// ForUpdate is empty: writes are one at a time already.
func (dialect) ForUpdate() string { return "" }

// IndexJob rewrites a job's terms (skills 's', languages 'l', eligibility
// 'e', for filters and facets) and its full-text row: tokens in title and
// body, for phrases, and search terms in title_terms and body_terms, for
// words. A deleted job's full-text row goes by trigger.
func (dialect) IndexJob(ctx context.Context, tx sqlstore.Querier, j *directory.Job) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM job_terms WHERE job_id = ?`, j.ID); err != nil {
		return err
	}
	valid := dialect{}.NullTime(j.ValidThrough)
	for _, t := range []struct {
		kind   string
		values []string
	}{{"s", j.Skills}, {"l", j.Languages}, {"e", j.Eligible}} {
		for _, v := range t.values {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO job_terms (job_id, kind, value, valid_through) VALUES (?, ?, ?, ?)`,
				j.ID, t.kind, v, valid); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM jobs_fts WHERE rowid = ?`, j.ID); err != nil {
		return err
	}
	title := directory.Index(j.Languages, j.Title)
	body := directory.Index(j.Languages, strings.Join(j.Skills, " "), j.City, j.Description)
	_, err := tx.ExecContext(ctx, `INSERT INTO jobs_fts (rowid, title, body, title_terms, body_terms) VALUES (?, ?, ?, ?, ?)`, j.ID,
		strings.Join(title.Tokens, " "), strings.Join(body.Tokens, " "), strings.Join(title.Terms, " "), strings.Join(body.Terms, " "))
	return err
}

// JobWordsSQL reads a job's words from its full-text row, where IndexJob
// wrote them as space-separated lists.
func (dialect) JobWordsSQL() (columns, join string) {
	return `f.title, f.body, f.title_terms, f.body_terms`, `LEFT JOIN jobs_fts f ON f.rowid = j.id`
}

func (dialect) ScanJobWords(w *sqlstore.JobWords) []any {
	return []any{wordList{&w.TitleTokens}, wordList{&w.BodyTokens}, wordList{&w.TitleTerms}, wordList{&w.BodyTerms}}
}

// wordList scans a space-separated list of words into the slice it
// points to, reusing its array; NULL is none.
type wordList struct{ v *[]string }

func (l wordList) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	}
	words := (*l.v)[:0]
	for w := range strings.FieldsSeq(s) {
		words = append(words, w)
	}
	*l.v = words
	return nil
}
