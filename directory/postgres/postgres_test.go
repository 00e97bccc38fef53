package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/postgres"
	"github.com/colmena-coop/colmena/directory/sqlstore"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/internal/pgtest"
)

func open(t *testing.T) directory.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestMigrateTwiceConcurrently(t *testing.T) {
	url := pgtest.URL(t)
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			s, err := postgres.Open(t.Context(), url)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	// Port 1 on loopback refuses connections.
	_, err := postgres.Open(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Fatalf("got %v", err)
	}
	_, err = postgres.Open(ctx, "postgres://%zz")
	if err == nil || !strings.Contains(err.Error(), "not valid") {
		t.Fatalf("got %v", err)
	}
}

func TestReindex(t *testing.T) {
	url := pgtest.URL(t)
	storetest.RunReindex(t, storetest.Aging{
		Open: func(ctx context.Context) (directory.Store, error) { return postgres.Open(ctx, url) },
		Age: func(t *testing.T) {
			conn, err := pgx.Connect(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			for _, q := range []string{`UPDATE jobs SET search = ts_filter(search, '{a,b}')`, `UPDATE coops SET search_terms = ''`,
				`UPDATE search_index SET version = 1`,
				`UPDATE jobs SET skills = array_replace(skills, 'go', 'golang')`, `UPDATE coops SET skills = array_replace(skills, 'go', 'golang')`,
				`UPDATE coop_terms SET value = 'golang' WHERE kind = 's' AND value = 'go'`} {
				if _, err := conn.Exec(t.Context(), q); err != nil {
					t.Fatal(err)
				}
			}
		},
		Reindex: func(ctx context.Context, s directory.Store) (int, error) { return s.(*sqlstore.Store).Reindex(ctx) },
		Exec: func(t *testing.T, query string) {
			conn, err := pgx.Connect(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			if _, err := conn.Exec(t.Context(), query); err != nil {
				t.Fatal(err)
			}
		},
	})
}
