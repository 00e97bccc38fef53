package postgres_test

import (
	"context"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/postgres"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/internal/pgtest"
)

func TestReplicas(t *testing.T) {
	url := pgtest.URL(t)
	storetest.RunReplicas(t, func(ctx context.Context) (directory.Store, error) { return postgres.Open(ctx, url) })
}
