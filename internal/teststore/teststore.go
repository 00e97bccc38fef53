// Package teststore opens fresh stores of both engines for tests: SQLite
// in a temporary directory, PostgreSQL in a throwaway database (see
// pgtest).
package teststore

import (
	"path/filepath"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/postgres"
	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/internal/pgtest"
)

// Opener opens a new, empty store, closed when the test ends.
type Opener func(t testing.TB) directory.Store

// SQLite opens a store in the test's temporary directory.
func SQLite(t testing.TB) directory.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "colmena.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Postgres opens a store in a database of its own.
func Postgres(t testing.TB) directory.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Engines names both openers.
func Engines() map[string]Opener {
	return map[string]Opener{"sqlite": SQLite, "postgres": Postgres}
}

// Each runs fn once per engine, in parallel subtests.
func Each(t *testing.T, fn func(t *testing.T, open Opener)) {
	for name, open := range Engines() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, open)
		})
	}
}
