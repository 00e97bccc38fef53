package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/directory/sqlstore"
	"github.com/colmena-coop/colmena/directory/storetest"
)

func open(t *testing.T) directory.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "colmena.db"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "colmena.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	links, _ := directory.NewLinks("http://localhost:8080")
	svc := directory.NewService(s, links, nil)
	if _, err := svc.Init(t.Context(), directory.FederationSettings{Name: "EthiX", Handle: "ethix"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateCoop(t.Context(), directory.Principal{Admin: true}, directory.Coop{Handle: "a", Name: "A", Country: "GB", Workers: 3}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.LocalCoop(t.Context(), "a")
	if err != nil || c.Name != "A" {
		t.Fatalf("after reopen: %+v %v", c, err)
	}
}

func TestOpenBadPath(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	s, err := sqlite.Open(t.Context(), blocker)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// A path below a regular file cannot be created.
	if _, err := sqlite.Open(t.Context(), filepath.Join(blocker, "x.db")); err == nil {
		t.Fatal("opened a database below a regular file")
	}
}

// TestFullTextGoesWithJobs checks that a job's full-text row leaves with
// the job, also when the job goes with its co-op: a row left behind would
// match a later job that reuses its id.
func TestFullTextGoesWithJobs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "colmena.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	links, _ := directory.NewLinks("http://localhost:8080")
	svc := directory.NewService(s, links, nil)
	if _, err := svc.Init(t.Context(), directory.FederationSettings{Name: "EthiX", Handle: "ethix"}); err != nil {
		t.Fatal(err)
	}
	admin := directory.Principal{Admin: true}
	for _, h := range []string{"a", "b"} {
		if _, err := svc.CreateCoop(t.Context(), admin, directory.Coop{Handle: h, Name: h, Country: "GB", Workers: 3}); err != nil {
			t.Fatal(err)
		}
		for _, title := range []string{"Go developer", "Designer"} {
			if _, err := svc.CreateJob(t.Context(), admin, h, directory.Job{Title: title, Description: "Work.", Remote: "remote", EmploymentType: "full_time",
				ApplyEmail: "jobs@example.org"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func() int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(t.Context(), `SELECT count(*) FROM jobs_fts`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 4 {
		t.Fatalf("%d full-text rows for 4 jobs", n)
	}
	res, err := svc.SearchJobs(t.Context(), directory.JobQuery{Text: directory.ParseQuery("designer"), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.DeleteJob(t.Context(), admin, res.Items[0].APID); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d full-text rows for 3 jobs", n)
	}
	if err := svc.DeleteCoop(t.Context(), admin, "a"); err != nil {
		t.Fatal(err)
	}
	var jobs int
	if err := db.QueryRowContext(t.Context(), `SELECT count(*) FROM jobs`).Scan(&jobs); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != jobs {
		t.Fatalf("%d full-text rows for %d jobs after deleting a co-op", n, jobs)
	}
}

// TestBlocksOfOlderSpellings: blocks stored before domains were kept in
// their ASCII form, or as patterns, still block what they name and can be
// lifted.
func TestBlocksOfOlderSpellings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "colmena.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), `INSERT INTO blocks (domain, created_at) VALUES ('bücher.example', 0), ('%', 0)`); err != nil {
		t.Fatal(err)
	}
	if blocked, err := s.Blocked(t.Context(), "www.bücher.example:8443"); err != nil || !blocked {
		t.Fatalf("blocked: %v %v", blocked, err)
	}
	for _, d := range []string{"xn--bcher-kva.example", "%"} {
		if err := s.Unblock(t.Context(), d); err != nil {
			t.Fatalf("unblock %s: %v", d, err)
		}
	}
	if bs, err := s.Blocks(t.Context()); err != nil || len(bs) != 0 {
		t.Fatalf("blocks left: %v %v", bs, err)
	}
}

func TestReindex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "colmena.db")
	storetest.RunReindex(t, storetest.Aging{
		Open: func(ctx context.Context) (directory.Store, error) { return sqlite.Open(ctx, path) },
		Age: func(t *testing.T) {
			db, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, q := range []string{`UPDATE jobs_fts SET title_terms = '', body_terms = ''`, `UPDATE coops SET search_terms = ''`,
				`UPDATE search_index SET version = 1`,
				`UPDATE jobs SET skills = replace(skills, '"go"', '"golang"')`, `UPDATE coops SET skills = replace(skills, '"go"', '"golang"')`,
				`UPDATE job_terms SET value = 'golang' WHERE kind = 's' AND value = 'go'`,
				`UPDATE coop_terms SET value = 'golang' WHERE kind = 's' AND value = 'go'`} {
				if _, err := db.ExecContext(t.Context(), q); err != nil {
					t.Fatal(err)
				}
			}
		},
		Reindex: func(ctx context.Context, s directory.Store) (int, error) { return s.(*sqlstore.Store).Reindex(ctx) },
		Exec: func(t *testing.T, query string) {
			db, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.ExecContext(t.Context(), query); err != nil {
				t.Fatal(err)
			}
		},
	})
}
