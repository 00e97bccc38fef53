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

// Open connects to the database at url (postgres://...), checks it answers
// and applies pending migrations.
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
	return sqlstore.New(sqlstore.Config{
		Dialect: newDialect(),
		Read:    db,
		Begin: func(ctx context.Context) (sqlstore.Tx, error) {
			return db.BeginTx(ctx, nil)
		},
		Search: func(st *sqlstore.Store) sqlstore.Search { return &search{st: st, db: db} },
		Close: func() error {
			err := db.Close()
			pool.Close()
			return err
		},
	}), nil
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

// tsquery renders parsed clauses as a tsquery; weight "A" restricts every
// lexeme to titles. Tokens hold only letters and digits, so quoting them is
// enough.
func tsPhrase(p directory.Phrase, weight string) string {
	parts := make([]string, len(p))
	for i, tok := range p {
		parts[i] = "'" + tok + "'" + weight
	}
	return strings.Join(parts, " <-> ")
}

func tsClause(c directory.Clause, weight string) string {
	alts := make([]string, len(c.Any))
	for i, p := range c.Any {
		alts[i] = "(" + tsPhrase(p, weight) + ")"
	}
	return "(" + strings.Join(alts, " | ") + ")"
}

func tsQuery(q directory.Query, weight string, positiveOnly bool) string {
	var parts []string
	for _, c := range q.Clauses {
		switch {
		case !c.Negated:
			parts = append(parts, tsClause(c, weight))
		case !positiveOnly:
			parts = append(parts, "!"+tsClause(c, weight))
		}
	}
	return strings.Join(parts, " & ")
}
