package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/directory/storetest"
)

// COLMENA_BENCH_SQLITE names a database file to keep between runs.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, "COLMENA_BENCH_SQLITE", func() string { return filepath.Join(b.TempDir(), "bench.db") }, sqlite.Open)
}
