package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/directory/storetest"
)

func open(t *testing.T) directory.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "colmena.db"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "colmena.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	links, _ := directory.NewLinks("http://localhost:8080")
	svc := directory.NewService(s, links, nil)
	if _, err := svc.Init(t.Context(), directory.FederationSettings{Name: "EthiX", Handle: "ethix"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateCoop(t.Context(), directory.Principal{Admin: true}, directory.Coop{Handle: "a", Name: "A", Country: "GB", Workers: 3}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.LocalCoop(t.Context(), "a")
	if err != nil || c.Name != "A" {
		t.Fatalf("after reopen: %+v %v", c, err)
	}
}

func TestOpenBadPath(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	s, err := sqlite.Open(t.Context(), blocker)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// A path below a regular file cannot be created.
	if _, err := sqlite.Open(t.Context(), filepath.Join(blocker, "x.db")); err == nil {
		t.Fatal("opened a database below a regular file")
	}
}
