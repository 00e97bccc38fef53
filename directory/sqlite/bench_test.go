package sqlite_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/directory/storetest"
)

func benchJobs() int {
	if n, err := strconv.Atoi(os.Getenv("COLMENA_BENCH_JOBS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// COLMENA_BENCH_SQLITE names a database file to keep between runs: the
// first run seeds it, later ones reuse it.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) directory.Store {
		path := os.Getenv("COLMENA_BENCH_SQLITE")
		if path == "" {
			path = filepath.Join(b.TempDir(), "bench.db")
		}
		s, err := sqlite.Open(b.Context(), path)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}, benchJobs())
}
