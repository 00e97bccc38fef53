package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// HasSchema reports whether the database at url was migrated by Open
// before: false when it has no table of migrations. It creates and
// changes nothing.
func HasSchema(ctx context.Context, url string) (bool, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return false, fmt.Errorf("postgres: the database URL is not valid: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "3D000" { // invalid_catalog_name
		return false, fmt.Errorf("postgres: the database %q does not exist on %s: create it (createdb %s), then run \"colmena migrate\" or \"colmena serve\"",
			cfg.Database, cfg.Host, cfg.Database)
	}
	if err != nil {
		return false, fmt.Errorf("postgres: cannot reach %s: %w", cfg.Host, err)
	}
	defer conn.Close(context.Background())
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('goose_db_version') IS NOT NULL`).Scan(&ok); err != nil {
		return false, fmt.Errorf("postgres: %w", err)
	}
	return ok, nil
}
