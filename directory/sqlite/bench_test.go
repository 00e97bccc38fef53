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

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) directory.Store {
		s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		return s
	}, benchJobs())
}
