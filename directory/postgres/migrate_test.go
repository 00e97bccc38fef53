package postgres

import (
	"database/sql"
	"io/fs"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver
	"github.com/pressly/goose/v3"

	"github.com/colmena-coop/colmena/internal/pgtest"
)

// TestSeekerMigration: remote jobs stored before eligibility was stated
// apart are open to their country, or anywhere when they name none.
func TestSeekerMigration(t *testing.T) {
	ctx := t.Context()
	db, err := sql.Open("pgx", pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fsys, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 12); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `
		INSERT INTO coops (ap_id, handle, host, local, name, sort_key, country, workers, created_at, updated_at)
		VALUES ('https://a.example/coops/a', 'a', 'a.example', true, 'A', 'a', 'AR', 3, now(), now());
		INSERT INTO jobs (ap_id, coop_id, local, title, remote, country, city, employment_type, published, updated, search) VALUES
			('https://a.example/jobs/1', (SELECT id FROM coops), true, 'ar', 'remote', 'AR', '', 'full_time', now(), now(), ''),
			('https://a.example/jobs/2', (SELECT id FROM coops), true, 'none', 'remote', '', '', 'full_time', now(), now(), ''),
			('https://a.example/jobs/3', (SELECT id FROM coops), true, 'namibia', 'remote', 'NA', '', 'full_time', now(), now(), ''),
			('https://a.example/jobs/4', (SELECT id FROM coops), true, 'onsite', 'onsite', 'AR', 'Rosario', 'full_time', now(), now(), '')`); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ar": "{AR}", "none": "{anywhere}", "namibia": "{NAM}", "onsite": "{}"}
	for title, w := range want {
		var got, city string
		if err := db.QueryRowContext(ctx, `SELECT eligible::text, city_key FROM jobs WHERE title = $1`, title).Scan(&got, &city); err != nil {
			t.Fatal(err)
		}
		if got != w || title == "onsite" && city != "rosario" {
			t.Errorf("%s: eligible %s, city %q; want %s", title, got, city, w)
		}
	}
}
