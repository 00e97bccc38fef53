package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/directory/storetest"
)

// COLMENA_BENCH_SQLITE names a database file to keep between runs.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, "COLMENA_BENCH_SQLITE", func() string { return filepath.Join(b.TempDir(), "bench.db") }, sqlite.Open, grow)
}

// grow copies the jobs of the database at path, with their terms and
// full-text rows, under new ids until there are at least n.
func grow(ctx context.Context, path string, n int) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT name FROM pragma_table_info('jobs') ORDER BY cid`)
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
			c = "id + ?1"
		case "ap_id":
			c = "ap_id || '-' || ?1"
		}
		from = append(from, c)
	}
	rows.Close()
	var count, top int
	if err := db.QueryRowContext(ctx, `SELECT count(*), max(id) FROM jobs`).Scan(&count, &top); err != nil {
		return err
	}
	for have := count; have < n; have += count {
		off := have / count * top
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, q := range []string{
			fmt.Sprintf(`INSERT INTO jobs (%s) SELECT %s FROM jobs WHERE id <= ?2`, strings.Join(cols, ", "), strings.Join(from, ", ")),
			`INSERT INTO job_terms (job_id, kind, value, valid_through) SELECT job_id + ?1, kind, value, valid_through FROM job_terms WHERE job_id <= ?2`,
			`INSERT INTO jobs_fts (rowid, title, body, title_terms, body_terms) SELECT rowid + ?1, title, body, title_terms, body_terms FROM jobs_fts WHERE rowid <= ?2`,
		} {
			if _, err := tx.ExecContext(ctx, q, off, top); err != nil {
				_ = tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
