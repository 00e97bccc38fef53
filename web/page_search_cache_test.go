package web_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/postgres"
	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/internal/pgtest"
	"github.com/colmena-coop/colmena/web"
)

// replicaStores opens two stores on one new database of each engine, as
// two replicas of a node would.
var replicaStores = map[string]func(t *testing.T) (directory.Store, directory.Store){
	"sqlite": func(t *testing.T) (directory.Store, directory.Store) {
		path := filepath.Join(t.TempDir(), "colmena.db")
		return openReplica(t, func() (directory.Store, error) { return sqlite.Open(t.Context(), path) }),
			openReplica(t, func() (directory.Store, error) { return sqlite.Open(t.Context(), path) })
	},
	"postgres": func(t *testing.T) (directory.Store, directory.Store) {
		url := pgtest.URL(t)
		return openReplica(t, func() (directory.Store, error) { return postgres.Open(t.Context(), url) }),
			openReplica(t, func() (directory.Store, error) { return postgres.Open(t.Context(), url) })
	},
}

func openReplica(t *testing.T, open func() (directory.Store, error)) directory.Store {
	t.Helper()
	st, err := open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestSearchPageSeesEveryWrite: anonymous search pages are kept by the
// store's data version, so what another replica (a second store on the
// same database, with its own service) writes shows on the very next
// request, in each language and for each address; a visitor who is
// signed in never gets a kept page.
func TestSearchPageSeesEveryWrite(t *testing.T) {
	for name, stores := range replicaStores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			st, other := stores(t)
			srv := httptest.NewUnstartedServer(nil)
			links, err := directory.NewLinks("http://" + srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			svc := directory.NewService(st, links, time.Now)
			svc.SetPasswordCost(4)
			if _, err := svc.Init(ctx, directory.FederationSettings{Name: "EthiX", Handle: "ethix"}); err != nil {
				t.Fatal(err)
			}
			srv.Config.Handler = web.New(web.Config{Service: svc, Version: "test"}).Handler()
			srv.Start()
			t.Cleanup(srv.Close)
			admin := directory.Principal{Admin: true}
			if _, err := svc.CreateCoop(ctx, admin, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 5}); err != nil {
				t.Fatal(err)
			}
			_, raw, err := svc.InviteUser(ctx, admin, "ana@hornero.example", false, "hornero")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.AcceptLink(ctx, raw, "una clave larga"); err != nil {
				t.Fatal(err)
			}
			replica := directory.NewService(other, links, time.Now)

			search := func(what, path string, header ...string) string {
				t.Helper()
				resp, body := page(t, srv.URL, path, header...)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d\n%.2000s", what, resp.StatusCode, body)
				}
				return body
			}
			first := search("first", "/")
			if strings.Contains(first, "Rust engineer") {
				t.Fatal("a job shows before anyone wrote it")
			}
			if again := search("again", "/"); again != first {
				t.Fatal("the same page, asked twice with nothing written between, differs")
			}

			if _, err := replica.CreateJob(ctx, admin, "hornero", directory.Job{Title: "Rust engineer", Description: "x",
				Remote: directory.RemoteFull, EmploymentType: directory.FullTime, ApplyEmail: "jobs@hornero.example"}); err != nil {
				t.Fatal(err)
			}
			if body := search("after a replica's job", "/"); !strings.Contains(body, "Rust engineer") || !strings.Contains(body, `<html lang="en"`) {
				t.Fatalf("the job a replica wrote is missing:\n%.3000s", body)
			}
			es := search("in Spanish", "/", "Accept-Language", "es")
			if !strings.Contains(es, "Rust engineer") || !strings.Contains(es, `<html lang="es"`) {
				t.Fatalf("the Spanish page:\n%.3000s", es)
			}
			if body := search("in English again", "/"); !strings.Contains(body, `<html lang="en"`) {
				t.Fatalf("the English page after the Spanish one:\n%.3000s", body)
			}
			if body := search("another address", "/?q=cobol"); strings.Contains(body, "Rust engineer") {
				t.Fatalf("a search for something else shows the job:\n%.3000s", body)
			}

			name := "Hornero Cooperativa de Software"
			if _, err := replica.UpdateCoop(ctx, admin, "hornero", directory.CoopPatch{Name: &name}); err != nil {
				t.Fatal(err)
			}
			if body := search("after a replica renamed the co-op", "/"); !strings.Contains(body, name) {
				t.Fatalf("the co-op's new name is missing:\n%.3000s", body)
			}

			// Signed in, the page names the member's dashboard: never the
			// page kept for visitors, nor kept for them.
			ana := newBrowser(t, srv.URL)
			if resp, body := loginAs(t, ana, "ana@hornero.example", "una clave larga"); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("login: %d\n%.2000s", resp.StatusCode, body)
			}
			resp, body := ana.get("/")
			expect(t, "signed in", resp, 200, body, `href="/dashboard"`)
			if body := search("a visitor after a member", "/"); strings.Contains(body, `href="/dashboard"`) {
				t.Fatalf("a visitor got the member's page:\n%.3000s", body)
			}

			if err := replica.DeleteCoop(ctx, admin, "hornero"); err != nil {
				t.Fatal(err)
			}
			if body := search("after a replica deleted the co-op", "/"); strings.Contains(body, "Rust engineer") {
				t.Fatalf("the deleted co-op's job still shows:\n%.3000s", body)
			}
		})
	}
}
