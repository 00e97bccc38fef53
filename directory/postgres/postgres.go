// Package postgres opens the directory store on PostgreSQL through pgx/v5,
// the production store. The store itself is sqlstore's, over database/sql
// (pgx's stdlib on the pgx pool); this package supplies the connections,
// migrations, dialect and full-text search (tsvector). Several `colmena
// serve` replicas may share one database: migrations take an advisory
// lock, and every write is a single transaction.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open connects to the database at url (postgres://...), checks it answers,
// applies pending migrations and brings the search index up to date.
func Open(ctx context.Context, url string) (*sqlstore.Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: the database URL is not valid: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach %s: %w", cfg.ConnConfig.Host, err)
	}
	db := stdlib.OpenDBFromPool(pool)
	if err := migrate(ctx, db); err != nil {
		db.Close()
		pool.Close()
		return nil, err
	}
	s := sqlstore.New(sqlstore.Config{
		Dialect: newDialect(),
		Read:    db,
		Begin: func(ctx context.Context) (sqlstore.Tx, error) {
			return db.BeginTx(ctx, nil)
		},
		Search: func(st *sqlstore.Store) sqlstore.Search {
			return &search{st: st, db: db, idx: sqlstore.NewJobIndex(st)}
		},
		Close: func() error {
			err := db.Close()
			pool.Close()
			return err
		},
	})
	// Rows indexed by an older version of the directory's terms are
	// indexed again before the first search; replicas starting together
	// share the work.
	if _, err := s.Reindex(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return s, nil
}

// migrate applies pending migrations under an advisory lock, so that
// replicas starting together migrate once.
func migrate(ctx context.Context, db *sql.DB) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrating: %w", err)
	}
	return nil
}

// args collects query arguments and hands out their $n placeholders.
type args struct{ v []any }

func (a *args) add(x any) string {
	a.v = append(a.v, x)
	return "$" + strconv.Itoa(len(a.v))
}

func (a *args) list(xs []string) string {
	return a.add(xs) + "::text[]"
}

// Weights of the lexemes of a job's tsvector (see IndexJob).
const (
	tokensAnywhere = "AB"
	termsAnywhere  = "CD"
	tokensInTitle  = "A"
	termsInTitle   = "C"
)

// tsQuery renders parsed clauses as a tsquery, written out in full like
// the vectors it matches; title keeps every clause to the title.
// Tokens and terms hold only letters and digits, so quoting them is
// enough.
func tsQuery(q directory.Query, title, positiveOnly bool) string {
	tokenW, termW := tokensAnywhere, termsAnywhere
	if title {
		tokenW, termW = tokensInTitle, termsInTitle
	}
	var parts []string
	for _, c := range q.Clauses {
		switch {
		case !c.Negated:
			parts = append(parts, tsClause(c, tokenW, termW))
		case !positiveOnly:
			parts = append(parts, "!"+tsClause(c, tokenW, termW))
		}
	}
	return strings.Join(parts, " & ")
}

// tsClause matches one clause: a phrase of its tokens in order, or any
// of its terms.
func tsClause(c directory.Clause, tokenW, termW string) string {
	var alts []string
	for _, p := range c.Any {
		toks := make([]string, len(p))
		for i, tok := range p {
			toks[i] = "'" + tok + "':" + tokenW
		}
		alts = append(alts, "("+strings.Join(toks, " <-> ")+")")
	}
	for _, t := range c.Terms {
		alts = append(alts, "'"+t+"':"+termW)
	}
	return "(" + strings.Join(alts, " | ") + ")"
}
