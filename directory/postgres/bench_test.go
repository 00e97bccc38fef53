package postgres_test

import (
	"testing"

	"github.com/colmena-coop/colmena/directory/postgres"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/internal/pgtest"
)

// COLMENA_BENCH_POSTGRES names a database to keep between runs.
func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, "COLMENA_BENCH_POSTGRES", func() string { return pgtest.URL(b) }, postgres.Open)
}
