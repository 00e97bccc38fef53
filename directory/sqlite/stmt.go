package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// modernc.org/sqlite prepares every statement anew, and parsing is a fifth
// of a small query's cost. Reads therefore use statements prepared once on
// the read pool and kept (database/sql prepares them again on each
// connection as needed). Writes do not: the writer pool has one
// connection, held by the open transaction, so preparing on the pool there
// would wait for itself. Search builds SQL from its filters, so the cache
// stops growing at maxStmts and further texts run unprepared.
const maxStmts = 512

type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

// get returns the prepared statement for query, or nil when the cache is
// full or preparing fails (the caller then runs the text directly).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if len(c.m) >= maxStmts {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.m[query] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

// reader runs read-only queries on the read pool through the cache.
type reader struct {
	db    *sql.DB
	cache *stmtCache
}

// ExecContext runs a statement on the read pool, whose connections refuse
// writes.
func (r *reader) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.db.ExecContext(ctx, query, args...)
}

func (r *reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := r.cache.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return r.db.QueryContext(ctx, query, args...)
}

func (r *reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := r.cache.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.db.QueryRowContext(ctx, query, args...)
}

// wtx is a write transaction whose statements come from the writer's
// cache. The writer pool has a spare connection for preparing, while the
// store's mutex keeps writes one at a time.
type wtx struct {
	tx     *sql.Tx
	cache  *stmtCache
	unlock func() // lets the next writer in; called once, by Commit or Rollback
}

func (t *wtx) Commit() error {
	defer t.release()
	return t.tx.Commit()
}

func (t *wtx) Rollback() error {
	defer t.release()
	return t.tx.Rollback()
}

func (t *wtx) release() {
	if t.unlock != nil {
		t.unlock()
		t.unlock = nil
	}
}

func (t *wtx) stmt(ctx context.Context, query string) *sql.Stmt {
	if st := t.cache.get(ctx, query); st != nil {
		return t.tx.StmtContext(ctx, st)
	}
	return nil
}

func (t *wtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *wtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *wtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
