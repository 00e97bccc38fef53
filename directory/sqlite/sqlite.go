// Package sqlite is the embedded directory.Store on SQLite (modernc.org/sqlite,
// pure Go), the default that lets `colmena serve` run with no setup.
//
// Writes go through one connection, so writers queue in Go instead of
// failing with SQLITE_BUSY; reads use a pool of read-only connections that
// WAL mode lets run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/colmena-coop/colmena/directory"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a directory.Store on an SQLite file.
type Store struct {
	w      *sql.DB // writer pool: one connection writes, one prepares
	wmu    sync.Mutex
	wcache *stmtCache
	r      *reader // read-only connections, with prepared statements
}

var _ directory.Store = (*Store)(nil)

func dsn(path string, readOnly bool) string {
	v := url.Values{}
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "foreign_keys(1)")
	v.Add("_pragma", "synchronous(NORMAL)")
	v.Add("_pragma", "journal_mode(WAL)")
	// The default 2 MB page cache holds a few thousand jobs; reading
	// through mmap and a larger cache keeps searches off read syscalls.
	v.Add("_pragma", "cache_size(-32000)")
	v.Add("_pragma", "mmap_size(268435456)")
	v.Add("_pragma", "temp_store(MEMORY)")
	if readOnly {
		v.Add("_pragma", "query_only(1)")
	} else {
		v.Add("_txlock", "immediate")
	}
	return "file:" + path + "?" + v.Encode()
}

// Open opens (creating when missing) the database file at path, applies
// pending migrations and returns the store.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: cannot create the database directory: %w", err)
		}
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// Writes are one at a time (Store.tx holds wmu); the second
	// connection lets statements be prepared while a write is open.
	w.SetMaxOpenConns(2)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: cannot open %s: %w", path, err)
	}
	s := &Store{w: w, wcache: newStmtCache(w)}
	if err := s.Migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.r = &reader{db: r, cache: newStmtCache(r)}
	if err := s.Optimize(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Version is the count of committed changes to federations, co-ops,
// memberships and jobs, kept by triggers.
func (s *Store) Version(ctx context.Context) (string, error) {
	var v int64
	if err := s.r.db.QueryRowContext(ctx, `SELECT n FROM data_version WHERE id = 1`).Scan(&v); err != nil {
		return "", translate("reading the data version", err)
	}
	return strconv.FormatInt(v, 10), nil
}

// Optimize refreshes the query planner's statistics where they are stale,
// as SQLite advises doing on open and every few hours: without them the
// planner cannot tell a selective filter from a useless one.
func (s *Store) Optimize(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `PRAGMA optimize=0x10002`); err != nil {
		return fmt.Errorf("sqlite: optimize: %w", err)
	}
	return nil
}

// Migrate applies pending migrations.
func (s *Store) Migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.w, fsys)
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: migrating: %w", err)
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

// Close closes both pools.
func (s *Store) Close() error {
	var errR error
	if s.r != nil {
		s.r.cache.close()
		errR = s.r.db.Close()
	}
	s.wcache.close()
	return errors.Join(s.w.Close(), errR)
}

func (s *Store) tx(ctx context.Context, fn func(*wtx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return translate("starting a transaction", err)
	}
	if err := fn(&wtx{tx: tx, cache: s.wcache}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return translate("committing", err)
	}
	return nil
}

// translate maps driver errors to directory error kinds.
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return directory.NotFoundf("%s: not found", op)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &directory.Error{Kind: directory.KindConflict, Message: op + ": already exists", Err: err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &directory.Error{Kind: directory.KindNotFound, Message: op + ": a referenced row does not exist", Err: err}
		}
	}
	return directory.Internal(op, err)
}

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func nullMicros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: micros(t), Valid: true}
}

func list(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func unlist(s string) []string {
	var v []string
	if err := json.Unmarshal([]byte(s), &v); err != nil || v == nil {
		return []string{}
	}
	return v
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func anys(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}
