package postgres_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/postgres"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/internal/pgtest"
)

func benchJobs() int {
	if n, err := strconv.Atoi(os.Getenv("COLMENA_BENCH_JOBS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) directory.Store {
		// COLMENA_BENCH_POSTGRES names a database to keep between runs.
		url := os.Getenv("COLMENA_BENCH_POSTGRES")
		if url == "" {
			url = pgtest.URL(b)
		}
		s, err := postgres.Open(b.Context(), url)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}, benchJobs())
}
