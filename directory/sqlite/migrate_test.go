package sqlite

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"
)

// TestSeekerMigration: remote jobs stored before eligibility was stated
// apart are open to their country, or anywhere when they name none.
func TestSeekerMigration(t *testing.T) {
	ctx := t.Context()
	db, err := sql.Open("sqlite", dsn(filepath.Join(t.TempDir(), "colmena.db"), false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fsys, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 12); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `
		INSERT INTO coops (id, ap_id, handle, host, local, name, sort_key, country, workers, created_at, updated_at)
		VALUES (1, 'https://a.example/coops/a', 'a', 'a.example', 1, 'A', 'a', 'AR', 3, 0, 0);
		INSERT INTO jobs (id, ap_id, coop_id, local, title, remote, country, city, employment_type, published, updated) VALUES
			(1, 'https://a.example/jobs/1', 1, 1, 'ar', 'remote', 'AR', '', 'full_time', 0, 0),
			(2, 'https://a.example/jobs/2', 1, 1, 'none', 'remote', '', '', 'full_time', 0, 0),
			(3, 'https://a.example/jobs/3', 1, 1, 'namibia', 'remote', 'NA', '', 'full_time', 0, 0),
			(4, 'https://a.example/jobs/4', 1, 1, 'onsite', 'onsite', 'AR', 'Rosario', 'full_time', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[int]string{1: `["AR"]`, 2: `["anywhere"]`, 3: `["NAM"]`, 4: `[]`}
	for id, w := range want {
		var got, city string
		var terms int
		if err := db.QueryRowContext(ctx, `SELECT eligible, city_key, (SELECT count(*) FROM job_terms WHERE job_id = jobs.id AND kind = 'e')
			FROM jobs WHERE id = ?`, id).Scan(&got, &city, &terms); err != nil {
			t.Fatal(err)
		}
		if got != w || (id == 4) != (terms == 0) || id == 4 && city != "rosario" {
			t.Errorf("job %d: eligible %s, %d terms, city %q; want %s", id, got, terms, city, w)
		}
	}
}
