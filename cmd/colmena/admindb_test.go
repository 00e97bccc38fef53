package main

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory/postgres"
	"github.com/colmena-coop/colmena/internal/pgtest"
)

// TestAdminRefusesMissingDatabase: admin commands given a database that
// does not exist, or holds no node, say so in one line, exit non-zero and
// create nothing; once `colmena migrate` made it, they work.
func TestAdminRefusesMissingDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo", "colmena.db")
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dbs := []string{"sqlite:" + missing, "sqlite:" + empty}
	if os.Getenv(pgtest.EnvVar) != "" || os.Getenv("CI") == "true" {
		dbs = append(dbs, pgtest.URL(t))
	}
	commands := [][]string{{"admin", "token", "create"}, {"admin", "user", "create", "--email", "a@b.example", "--admin"}}
	for _, db := range dbs {
		for _, args := range commands {
			r := colmena(t, dir, nil, append(args, "--database", db)...)
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if r.code != 1 || len(lines) != 1 || !strings.Contains(r.stderr, redactDatabase(db)) ||
				!strings.Contains(r.stderr, "colmena migrate") || r.stdout != "" {
				t.Errorf("%v --database %s: exit %d, stdout %q, stderr %q", args, db, r.code, r.stdout, r.stderr)
			}
		}
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Errorf("a missing database's directory was made: %v", err)
	}
	if info, err := os.Stat(empty); err != nil || info.Size() != 0 {
		t.Errorf("the empty file was written to: %v %v", info, err)
	}
	if len(dbs) == 3 {
		if ok, err := postgres.HasSchema(t.Context(), dbs[2]); err != nil || ok {
			t.Errorf("the empty PostgreSQL database was migrated: %v %v", ok, err)
		}
		// A PostgreSQL database that does not exist at all.
		u, err := url.Parse(dbs[2])
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/colmena_no_such_database"
		r := colmena(t, dir, nil, "admin", "token", "create", "--database", u.String())
		if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); r.code != 1 || len(lines) != 1 ||
			!strings.Contains(r.stderr, `"colmena_no_such_database" does not exist`) || !strings.Contains(r.stderr, "colmena migrate") {
			t.Errorf("a database that does not exist: %+v", r)
		}
	}
	for _, db := range dbs[1:] {
		if r := colmena(t, dir, nil, "migrate", "--database", db); r.code != 0 {
			t.Fatalf("migrate %s: %+v", db, r)
		}
		if r := colmena(t, dir, nil, "admin", "token", "create", "--database", db); r.code != 0 || !strings.HasPrefix(r.lastLine(), "colmena_") {
			t.Errorf("admin token create after migrate: %+v", r)
		}
	}
}

// TestAdminPublicURLFromDatabase: a node records the public URL it serves
// under; admin commands print links under it, unless --public-url or
// COLMENA_PUBLIC_URL says otherwise.
func TestAdminPublicURLFromDatabase(t *testing.T) {
	t.Parallel()
	engines := map[string]string{"sqlite": ""}
	if os.Getenv(pgtest.EnvVar) != "" || os.Getenv("CI") == "true" {
		engines["postgres"] = pgtest.URL(t)
	}
	for engine, url := range engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			db := url
			if db == "" {
				db = "sqlite:" + filepath.Join(dir, "colmena.db")
			}
			s := startServe(t, dir, []string{"COLMENA_PUBLIC_URL=https://ethix.example"}, "--database", db)
			s.stop(t)
			create := func(env []string, email string, extra ...string) string {
				t.Helper()
				r := colmena(t, dir, env, append([]string{"admin", "user", "create", "--admin", "--email", email, "--database", db}, extra...)...)
				if r.code != 0 {
					t.Fatalf("user create: %+v", r)
				}
				return r.lastLine()
			}
			if l := create(nil, "one@ethix.example"); !strings.HasPrefix(l, "https://ethix.example/password?token=") {
				t.Errorf("the link is not under the recorded URL: %q", l)
			}
			if l := create([]string{"COLMENA_PUBLIC_URL=https://env.example"}, "two@ethix.example"); !strings.HasPrefix(l, "https://env.example/password?token=") {
				t.Errorf("COLMENA_PUBLIC_URL did not win: %q", l)
			}
			if l := create([]string{"COLMENA_PUBLIC_URL=https://env.example"}, "three@ethix.example", "--public-url", "https://flag.example"); !strings.HasPrefix(l, "https://flag.example/password?token=") {
				t.Errorf("--public-url did not win: %q", l)
			}
		})
	}
}
