package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory/postgres"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/internal/pgtest"
)

// COLMENA_BENCH_POSTGRES names a database to keep between runs.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, "COLMENA_BENCH_POSTGRES", func() string { return pgtest.URL(b) }, postgres.Open, grow)
}

// grow copies the jobs of the database at url under new ids until there
// are at least n.
func grow(ctx context.Context, url string, n int) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT column_name FROM information_schema.columns WHERE table_name = 'jobs'
		AND table_schema = current_schema() ORDER BY ordinal_position`)
	if err != nil {
		return err
	}
	var cols, from []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return err
		}
		cols = append(cols, c)
		switch c {
		case "id":
			c = "id + $1::bigint"
		case "ap_id":
			c = "ap_id || '-' || $1::bigint::text"
		}
		from = append(from, c)
	}
	rows.Close()
	var count, top int64
	if err := db.QueryRowContext(ctx, `SELECT count(*), max(id) FROM jobs`).Scan(&count, &top); err != nil {
		return err
	}
	for have := count; have < int64(n); have += count {
		q := fmt.Sprintf(`INSERT INTO jobs (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM jobs WHERE id <= $2`,
			strings.Join(cols, ", "), strings.Join(from, ", "))
		if _, err := db.ExecContext(ctx, q, have/count*top, top); err != nil {
			return err
		}
	}
	if _, err := db.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('jobs', 'id'), (SELECT max(id) FROM jobs))`); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `ANALYZE jobs`)
	return err
}
