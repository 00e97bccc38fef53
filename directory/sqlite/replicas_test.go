package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/directory/storetest"
)

func TestReplicas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "colmena.db")
	storetest.RunReplicas(t, func(ctx context.Context) (directory.Store, error) { return sqlite.Open(ctx, path) })
}
