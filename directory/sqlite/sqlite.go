// Package sqlite opens the embedded directory store on SQLite
// (modernc.org/sqlite, pure Go), the default that lets `colmena serve` run
// with no setup. The store itself is sqlstore's; this package supplies
// SQLite's connections, migrations, dialect and full-text search (FTS5).
//
// Writes go through one connection, so writers queue in Go instead of
// failing with SQLITE_BUSY; reads use a pool of read-only connections that
// WAL mode lets run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // the database/sql driver

	"github.com/colmena-coop/colmena/directory/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

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
// pending migrations, brings the search index up to date and returns the
// store.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
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
	// Writes are one at a time (writer.begin holds mu); the second
	// connection lets statements be prepared while a write is open.
	w.SetMaxOpenConns(2)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: cannot open %s: %w", path, err)
	}
	if err := migrate(ctx, w); err != nil {
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
	wr := &writer{db: w, cache: newStmtCache(w)}
	rd := &reader{db: r, cache: newStmtCache(r)}
	optimize := func(ctx context.Context) error {
		if _, err := w.ExecContext(ctx, `PRAGMA optimize=0x10002`); err != nil {
			return fmt.Errorf("sqlite: optimize: %w", err)
		}
		return nil
	}
	s := sqlstore.New(sqlstore.Config{
		Dialect:  dialect{},
		Read:     rd,
		Begin:    wr.begin,
		Search:   func(st *sqlstore.Store) sqlstore.Search { return &search{st: st, r: rd, idx: sqlstore.NewJobIndex(st)} },
		Optimize: optimize,
		// Every cached page and document asks for the version first. In
		// WAL mode a read never waits for a writer, and this one is over
		// in microseconds: a context that cannot be cancelled spares the
		// driver and database/sql a goroutine each to watch it.
		Version: func(ctx context.Context) (int64, error) {
			var n int64
			err := rd.QueryRowContext(context.WithoutCancel(ctx), sqlstore.VersionQuery).Scan(&n)
			return n, err
		},
		Close: func() error {
			rd.cache.close()
			wr.cache.close()
			return errors.Join(w.Close(), r.Close())
		},
	})
	// Rows indexed by an older version of the directory's terms are
	// indexed again before the first search.
	if _, err := s.Reindex(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// SQLite advises refreshing the planner's statistics on open: without
	// them it cannot tell a selective filter from a useless one.
	if err := s.Optimize(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// migrate applies pending migrations.
func migrate(ctx context.Context, db *sql.DB) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys)
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: migrating: %w", err)
	}
	return nil
}

// writer hands out write transactions one at a time.
type writer struct {
	db    *sql.DB
	mu    sync.Mutex
	cache *stmtCache
}

func (w *writer) begin(ctx context.Context) (sqlstore.Tx, error) {
	w.mu.Lock()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		w.mu.Unlock()
		return nil, err
	}
	return &wtx{tx: tx, cache: w.cache, unlock: w.mu.Unlock}, nil
}
