// Package sqlstore is the directory.Store written once over database/sql,
// for every SQL engine Colmena runs on. An engine package (sqlite,
// postgres) opens its database, applies its migrations and hands this
// package a Dialect: the few things that really differ between engines
// (placeholders, how times and lists are stored, driver errors, a couple of
// statements) and its own full-text search. Every other rule — which
// change records which outbox event, when a deletion leaves a tombstone,
// that an older remote update is ignored and a local row never
// overwritten — lives here, once.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// Querier runs statements: a pool, a connection or a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a write transaction.
type Tx interface {
	Querier
	Commit() error
	Rollback() error
}

// Dialect is what one engine does its own way. Queries in this package
// are written with ? placeholders, in SQL both engines share; the dialect
// rebinds them and encodes the values whose storage differs.
type Dialect interface {
	// Rebind turns the ? placeholders of a query into the engine's own.
	Rebind(query string) string
	// Time encodes a time as a query argument; NullTime encodes the zero
	// time as NULL.
	Time(t time.Time) any
	NullTime(t time.Time) any
	// ScanTime is a scan destination for a time column; NULL scans as the
	// zero time. Times come back in UTC.
	ScanTime(dst *time.Time) sql.Scanner
	// List encodes a list of strings; ScanList decodes one, never nil.
	List(v []string) any
	ScanList(dst *[]string) sql.Scanner
	// ErrorKind names the kind of a driver error: a unique violation is
	// KindConflict, a missing referenced row KindNotFound. ok is false for
	// any other error.
	ErrorKind(err error) (kind directory.Kind, ok bool)

	// ClaimDeliveriesSQL leases one host's due deliveries, oldest first:
	// arguments are the lease's end, the host, now and the limit; it
	// returns DeliveryColumns.
	ClaimDeliveriesSQL() string
	// LockForPurge, when not empty, runs first in a domain block's
	// transaction so that imports running beside it either finish before
	// the purge or see the block.
	LockForPurge() string
	// LockRates, when not empty, runs first in the transaction that
	// replaces the exchange rates, so that a job being written beside it
	// (which reads its rate ForShare) either commits before the jobs' pay
	// is recomputed, or reads the new rates.
	LockRates() string
	// ForShare, when not empty, ends a SELECT of rows inside a write
	// transaction and holds those rows against concurrent updates until
	// it ends.
	ForShare() string
	// ForUpdate, when not empty, ends a SELECT of rows inside a write
	// transaction and holds those rows against every other writer until
	// it ends.
	ForUpdate() string
	// IndexJob brings the engine's search structures up to date with a
	// job just inserted or updated in tx.
	IndexJob(ctx context.Context, tx Querier, j *directory.Job) error
	// JobWordsSQL names what IndexJob stored of each job's text, for the
	// index of jobs in memory: the columns to select beside those of a job
	// (aliased j), and the join after "FROM jobs j" that brings them, if
	// any. ScanJobWords returns the scan destinations of those columns,
	// which fill w.
	JobWordsSQL() (columns, join string)
	ScanJobWords(w *JobWords) []any
}

// JobWords is what IndexJob stored of a job's text (directory.Index): the
// tokens that phrases match and the terms that words match, of its title
// and of the rest.
type JobWords struct {
	TitleTokens, BodyTokens, TitleTerms, BodyTerms []string
}

// Search is an engine's full-text search and facets over jobs.
type Search interface {
	// SearchJobs returns the page of open jobs matching q, and what counts
	// the facets of the same matches.
	SearchJobs(ctx context.Context, q directory.JobQuery) (*directory.JobResults, FacetCounter, error)
}

// FacetCounter counts a search's facets.
type FacetCounter func(ctx context.Context) (*directory.Facets, error)

// Config is what an engine hands over to make a Store.
type Config struct {
	Dialect Dialect
	// Read runs reads outside transactions.
	Read Querier
	// Begin starts a write transaction. An engine whose writers must queue
	// (SQLite) makes them queue here.
	Begin func(ctx context.Context) (Tx, error)
	// Search makes the engine's search over the store.
	Search func(*Store) Search
	// Optimize, when set, refreshes the engine's planner statistics.
	Optimize func(ctx context.Context) error
	// Close releases the engine's connections.
	Close func() error
	// Version, when set, reads the data version (VersionQuery's n) in a
	// way cheaper on the engine than the shared query.
	Version func(ctx context.Context) (int64, error)
}

// VersionQuery reads the count of committed changes, kept by triggers.
const VersionQuery = `SELECT n FROM data_version WHERE id = 1`

// Store is a directory.Store on an SQL database.
type Store struct {
	d        Dialect
	r        *conn
	begin    func(ctx context.Context) (Tx, error)
	search   Search
	optimize func(ctx context.Context) error
	close    func() error
	version  func(ctx context.Context) (int64, error)
	// inbox groups the jobs the inbox stores at once into one
	// transaction (inboxbatch.go).
	inbox jobBatch
}

// New makes a store of an opened, migrated database.
func New(cfg Config) *Store {
	s := &Store{d: cfg.Dialect, r: &conn{q: cfg.Read, d: cfg.Dialect}, begin: cfg.Begin,
		optimize: cfg.Optimize, close: cfg.Close, version: cfg.Version}
	s.search = cfg.Search(s)
	return s
}

// conn rebinds each statement for its engine.
type conn struct {
	q Querier
	d Dialect
}

func (c *conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.q.ExecContext(ctx, c.d.Rebind(query), args...)
}

func (c *conn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.q.QueryContext(ctx, c.d.Rebind(query), args...)
}

func (c *conn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return c.q.QueryRowContext(ctx, c.d.Rebind(query), args...)
}

// tx runs fn in a write transaction, committed when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(tx *conn) error) error {
	t, err := s.begin(ctx)
	if err != nil {
		return s.translate("starting a transaction", err)
	}
	if err := fn(&conn{q: t, d: s.d}); err != nil {
		_ = t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return s.translate("committing", err)
	}
	return nil
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return directory.Internal("pinging the database", err)
	}
	return nil
}

// Close closes the engine's connections.
func (s *Store) Close() error { return s.close() }

// Optimize refreshes the planner's statistics where the engine keeps
// them by hand; elsewhere it does nothing.
func (s *Store) Optimize(ctx context.Context) error {
	if s.optimize == nil {
		return nil
	}
	return s.optimize(ctx)
}

// Version is the count of committed changes to federations, co-ops,
// memberships and jobs, kept by triggers.
func (s *Store) Version(ctx context.Context) (string, error) {
	var v int64
	var err error
	if s.version != nil {
		v, err = s.version(ctx)
	} else {
		err = s.r.QueryRowContext(ctx, VersionQuery).Scan(&v)
	}
	if err != nil {
		return "", s.translate("reading the data version", err)
	}
	return strconv.FormatInt(v, 10), nil
}

// SearchJobs returns a page of open jobs matching q, with facets if asked,
// from the engine's search.
func (s *Store) SearchJobs(ctx context.Context, q directory.JobQuery) (*directory.JobResults, error) {
	res, facets, err := s.search.SearchJobs(ctx, q)
	if err != nil || !q.Facets {
		return res, err
	}
	if res.Facets, err = facets(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// Translate maps a driver error to a directory error kind; op says what
// was being done. Errors that are directory errors already pass through.
func (s *Store) Translate(op string, err error) error { return s.translate(op, err) }

func (s *Store) translate(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *directory.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return directory.NotFoundf("%s: not found", op)
	}
	if kind, ok := s.d.ErrorKind(err); ok {
		msg := op + ": already exists"
		if kind == directory.KindNotFound {
			msg = op + ": a referenced row does not exist"
		}
		return &directory.Error{Kind: kind, Message: msg, Err: err}
	}
	return directory.Internal(op, err)
}

// In returns "?, ?, ?" for n values, for an IN list. With no value it
// returns a subquery of no rows, so that IN is false and NOT IN true on
// every engine.
func In(n int) string {
	if n == 0 {
		return `SELECT NULL WHERE 1 = 0`
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Anys turns strings into query arguments.
func Anys(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func affected(res sql.Result) int64 {
	n, _ := res.RowsAffected()
	return n
}

// exec runs one statement in a transaction of its own.
func (s *Store) exec(ctx context.Context, op, query string, args ...any) error {
	return s.tx(ctx, func(tx *conn) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return s.translate(op, err)
	})
}

// execOne runs one statement that must change a row, in a transaction of
// its own; when it changes none, the error is notFound.
func (s *Store) execOne(ctx context.Context, op string, notFound error, query string, args ...any) error {
	return s.tx(ctx, func(tx *conn) error { return s.one(ctx, tx, op, notFound, query, args...) })
}

// one runs a statement in tx that must change a row; when it changes
// none, the error is notFound.
func (s *Store) one(ctx context.Context, tx *conn, op string, notFound error, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return s.translate(op, err)
	}
	if affected(res) == 0 {
		return notFound
	}
	return nil
}

// collect reads every row a query returned with scan, for a query's
// results passed straight in: collect(s, op, scan)(q.QueryContext(...)).
// op names what was being done, for errors.
func collect[T any](s *Store, op string, scan func(interface{ Scan(...any) error }) (*T, error)) func(*sql.Rows, error) ([]T, error) {
	return func(rows *sql.Rows, err error) ([]T, error) {
		if err != nil {
			return nil, s.translate(op, err)
		}
		defer rows.Close()
		out := []T{}
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return nil, s.translate(op, err)
			}
			out = append(out, *v)
		}
		return out, s.translate(op, rows.Err())
	}
}
