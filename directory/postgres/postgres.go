// Package postgres is the directory.Store on PostgreSQL through pgx/v5, the
// production store. Several `colmena serve` replicas may share one
// database: migrations take an advisory lock, and every write is a single
// transaction.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/colmena-coop/colmena/directory"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a directory.Store on PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

var _ directory.Store = (*Store)(nil)

// Open connects to the database at url (postgres://...), checks it answers
// and applies pending migrations.
func Open(ctx context.Context, url string) (*Store, error) {
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
	s := &Store{pool: pool}
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Migrate applies pending migrations under an advisory lock, so that
// replicas starting together migrate once.
func (s *Store) Migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
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

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return directory.Internal("pinging the database", err)
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return translate("transaction", pgx.BeginFunc(ctx, s.pool, fn))
}

// translate maps driver errors to directory error kinds.
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *directory.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return directory.NotFoundf("%s: not found", op)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &directory.Error{Kind: directory.KindConflict, Message: op + ": already exists", Err: err}
		case "23503":
			return &directory.Error{Kind: directory.KindNotFound, Message: op + ": a referenced row does not exist", Err: err}
		}
	}
	return directory.Internal(op, err)
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func orEmptyList(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
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

// Version is the count of committed changes to federations, co-ops,
// memberships and jobs, kept by triggers. Writers of those tables queue on
// its row, which costs little: such writes are a few per second at most.
func (s *Store) Version(ctx context.Context) (string, error) {
	var v int64
	if err := s.pool.QueryRow(ctx, `SELECT n FROM data_version WHERE id = 1`).Scan(&v); err != nil {
		return "", translate("reading the data version", err)
	}
	return strconv.FormatInt(v, 10), nil
}
