package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

func testFederation(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	got, err := e.Store.LocalFederation(e.Context)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "id", got.APID, "https://soberaniax.example/federation")
	eq(t, "handle", got.Handle, "soberaniax")
	if !got.Local || got.ID == 0 {
		t.Fatalf("local federation: %+v", got)
	}
	// A restart with a new name updates the same row.
	again, err := e.Svc.Init(e.Context, directory.FederationSettings{Name: "SoberaniaX Argentina", Handle: "soberaniax"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "same row", again.ID, got.ID)
	got, _ = e.Store.LocalFederation(e.Context)
	eq(t, "renamed", got.Name, "SoberaniaX Argentina")

	// A remote federation never replaces the local one.
	err = e.Store.UpsertRemoteFederation(e.Context, &directory.Federation{APID: got.APID, Handle: "x", Host: "evil.example", Name: "Evil",
		CreatedAt: Start, UpdatedAt: Start})
	mustKind(t, err, directory.KindConflict)
	got, _ = e.Store.LocalFederation(e.Context)
	eq(t, "still local", got.Name, "SoberaniaX Argentina")

	// The federation's handle cannot be taken by a co-op.
	_, err = e.Svc.CreateCoop(e.Context, e.Admin, directory.Coop{Handle: "soberaniax", Name: "X", Country: "AR", Workers: 3})
	mustKind(t, err, directory.KindConflict)
}

func testCoopCRUD(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	c, err := e.Svc.CreateCoop(e.Context, e.Admin, directory.Coop{
		Handle: "gcoop", Name: "GCoop", Summary: "Software libre", Country: "ar", City: "Buenos Aires",
		Founded: 2009, Workers: 40, Website: "https://gcoop.example", Email: "info@gcoop.example",
		Languages: []string{"es", "en-gb"}, Skills: []string{"Go", "python", "go"}, Governance: "Asamblea",
	})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "id", c.APID, "https://soberaniax.example/coops/gcoop")
	eq(t, "country normalised", c.Country, "AR")
	eq(t, "languages", c.Languages, []string{"es", "en-GB"})
	eq(t, "skills", c.Skills, []string{"go", "python"})
	eq(t, "federations", len(c.Federations), 1)
	eq(t, "federation", c.Federations[0].APID, e.Fed.APID)
	if !c.Local || c.Host != "soberaniax.example" || !c.CreatedAt.Equal(Start) {
		t.Fatalf("co-op: %+v", c)
	}

	_, err = e.Svc.CreateCoop(e.Context, e.Admin, directory.Coop{Handle: "gcoop", Name: "Other", Country: "AR", Workers: 2})
	mustKind(t, err, directory.KindConflict)
	_, err = e.Svc.CreateCoop(e.Context, directory.Principal{CoopID: c.ID}, directory.Coop{Handle: "other", Name: "Other", Country: "AR", Workers: 2})
	mustKind(t, err, directory.KindForbidden)
	_, err = e.Svc.CreateCoop(e.Context, e.Admin, directory.Coop{Handle: "Bad-Handle", Name: "Other", Country: "AR", Workers: 2})
	mustKind(t, err, directory.KindInvalid)

	got, err := e.Svc.Coop(e.Context, "gcoop")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "read back", []any{got.Name, got.Summary, got.City, got.Founded, got.Workers, got.Website, got.Email, got.Governance},
		[]any{"GCoop", "Software libre", "Buenos Aires", 2009, 40, "https://gcoop.example", "info@gcoop.example", "Asamblea"})

	e.Clock.Advance(time.Hour)
	name, workers := "GCoop Cooperativa", 42
	up, err := e.Svc.UpdateCoop(e.Context, directory.Principal{CoopID: c.ID}, "gcoop", directory.CoopPatch{Name: &name, Workers: &workers})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "updated", []any{up.Name, up.Workers, up.City}, []any{name, 42, "Buenos Aires"})
	if !up.UpdatedAt.Equal(Start.Add(time.Hour)) || !up.CreatedAt.Equal(Start) {
		t.Fatalf("timestamps: %v %v", up.CreatedAt, up.UpdatedAt)
	}
	bad := 0
	_, err = e.Svc.UpdateCoop(e.Context, e.Admin, "gcoop", directory.CoopPatch{Workers: &bad})
	mustKind(t, err, directory.KindInvalid)
	got, _ = e.Svc.Coop(e.Context, "gcoop")
	eq(t, "unchanged after bad patch", got.Workers, 42)

	other := e.Coop(t, "fiqus", "AR", 12)
	_, err = e.Svc.UpdateCoop(e.Context, directory.Principal{CoopID: other.ID}, "gcoop", directory.CoopPatch{Name: &name})
	mustKind(t, err, directory.KindForbidden)

	e.Job(t, "gcoop", JobSpec{Title: "Go developer"})
	mustKind(t, e.Svc.DeleteCoop(e.Context, directory.Principal{CoopID: c.ID}, "gcoop"), directory.KindForbidden)
	if err := e.Svc.DeleteCoop(e.Context, e.Admin, "gcoop"); err != nil {
		t.Fatal(err)
	}
	_, err = e.Svc.Coop(e.Context, "gcoop")
	mustKind(t, err, directory.KindNotFound)
	mustKind(t, e.Svc.DeleteCoop(e.Context, e.Admin, "gcoop"), directory.KindNotFound)
	res := search(t, e, directory.JobQuery{})
	eq(t, "jobs of deleted co-op", res.Total, 0)
}

// testRetiredHandle: a deleted co-op's handle is never used again, so that
// its followers, key and links cannot pass to another co-op.
func testRetiredHandle(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	c := e.Coop(t, "gcoop", "AR", 40)
	if err := e.Store.AddFollower(e.Context, &directory.Follower{ActorAPID: c.APID, FollowerAPID: "https://mastodon.example/users/ana",
		Inbox: "https://mastodon.example/inbox", FollowID: "https://mastodon.example/follows/1", CreatedAt: Start}, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.Svc.DeleteCoop(e.Context, e.Admin, "gcoop"); err != nil {
		t.Fatal(err)
	}
	_, err := e.Svc.CreateCoop(e.Context, e.Admin, directory.Coop{Handle: "gcoop", Name: "Impostor", Country: "AR", Workers: 2})
	mustKind(t, err, directory.KindConflict)
	var de *directory.Error
	if !errors.As(err, &de) || de.Field != "handle" || de.Code != directory.CodeHandleRetired || !strings.Contains(de.Message, "deleted co-op") {
		t.Fatalf("re-using a deleted co-op's handle: %#v", err)
	}
	// The store refuses it too, whoever asks.
	again := &directory.Coop{APID: c.APID, Handle: "gcoop", Host: c.Host, Local: true, Name: "Impostor", Country: "AR", Workers: 2,
		URL: c.APID, CreatedAt: Start, UpdatedAt: Start}
	mustKind(t, e.Store.CreateCoop(e.Context, again, e.Fed.ID), directory.KindConflict)
	_, err = e.Svc.Coop(e.Context, "gcoop")
	mustKind(t, err, directory.KindNotFound)
	if ts, err := e.Store.Tombstone(e.Context, c.APID); err != nil || ts.Type != "Organization" {
		t.Fatalf("tombstone: %+v %v", ts, err)
	}
	// Other handles, and the same handle on another node, are free.
	e.Coop(t, "gcoop2", "AR", 5)
	if err := e.Store.UpsertRemoteCoop(e.Context, remoteCoop("https://ethix.example/coops/gcoop", "gcoop", "ethix.example")); err != nil {
		t.Fatal(err)
	}
}

func testCoopList(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "zeta", "AR", 3, "go")
	e.Coop(t, "alfa", "GB", 4, "rust", "go")
	e.Coop(t, "beta", "AR", 5, "php")
	if _, err := e.Svc.CreateCoop(e.Context, e.Admin, directory.Coop{Handle: "eme", Name: "Émergence Numérique", Country: "FR", Workers: 7,
		Summary: "Développement web"}); err != nil {
		t.Fatal(err)
	}
	page, err := e.Svc.ListCoops(e.Context, directory.CoopQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range page.Items {
		names = append(names, c.Handle)
	}
	eq(t, "ordered by name, accents folded", names, []string{"alfa", "beta", "zeta", "eme"})
	eq(t, "total", page.Total, 4)

	list := func(q directory.CoopQuery) []string {
		t.Helper()
		p, err := e.Svc.ListCoops(e.Context, q)
		if err != nil {
			t.Fatal(err)
		}
		var hs []string
		for _, c := range p.Items {
			hs = append(hs, c.Handle)
		}
		return hs
	}
	eq(t, "country", list(directory.CoopQuery{Countries: []string{"AR"}}), []string{"beta", "zeta"})
	eq(t, "skill", list(directory.CoopQuery{Skills: []string{"go"}}), []string{"alfa", "zeta"})
	eq(t, "skills OR", list(directory.CoopQuery{Skills: []string{"rust", "php"}}), []string{"alfa", "beta"})
	eq(t, "account", list(directory.CoopQuery{Accounts: []string{"beta@soberaniax.example", "nobody@soberaniax.example"}}), []string{"beta"})
	eq(t, "size from", list(directory.CoopQuery{MinWorkers: 5}), []string{"beta", "eme"})
	eq(t, "size up to", list(directory.CoopQuery{MaxWorkers: 4}), []string{"alfa", "zeta"})
	eq(t, "size range", list(directory.CoopQuery{MinWorkers: 4, MaxWorkers: 5}), []string{"alfa", "beta"})
	eq(t, "text, accents", list(directory.CoopQuery{Text: directory.ParseQuery("developpement")}), []string{"eme"})
	eq(t, "federation", len(list(directory.CoopQuery{Federations: []string{"soberaniax"}})), 4)
	eq(t, "other federation", len(list(directory.CoopQuery{Federations: []string{"https://ethix.example/federation"}})), 0)

	// Paging two at a time walks every co-op once.
	var all []string
	q := directory.CoopQuery{Limit: 2}
	for i := 0; i < 10; i++ {
		p, err := e.Svc.ListCoops(e.Context, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Items {
			all = append(all, c.Handle)
		}
		if p.Next == nil {
			break
		}
		q.After = p.Next
	}
	eq(t, "paged", all, []string{"alfa", "beta", "zeta", "eme"})
}

func remoteCoop(apid, handle, host string) *directory.Coop {
	return &directory.Coop{APID: apid, Handle: handle, Host: host, Name: "Remote " + handle, Country: "GB", Workers: 9,
		Skills: []string{"elixir"}, Languages: []string{"en"}, URL: apid, CreatedAt: Start, UpdatedAt: Start}
}

func testRemoteCoop(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	first := rc.ID
	again := remoteCoop(rc.APID, "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, again); err != nil {
		t.Fatal(err)
	}
	eq(t, "same row", again.ID, first)
	page, _ := e.Svc.ListCoops(e.Context, directory.CoopQuery{})
	eq(t, "stored once", page.Total, 1)

	again.Workers = 11
	again.Name = "Outlandish"
	if err := e.Store.UpsertRemoteCoop(e.Context, again); err != nil {
		t.Fatal(err)
	}
	got, err := e.Store.CoopByAPID(e.Context, rc.APID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Local || got.Workers != 11 || got.Name != "Outlandish" || got.Acct() != "outlandish@ethix.example" {
		t.Fatalf("remote co-op: %+v", got)
	}
	// A remote co-op does not take a local handle.
	_, err = e.Svc.Coop(e.Context, "outlandish")
	mustKind(t, err, directory.KindNotFound)

	// A remote row never overwrites a local co-op.
	local := e.Coop(t, "gcoop", "AR", 40)
	evil := remoteCoop(local.APID, "gcoop", "evil.example")
	mustKind(t, e.Store.UpsertRemoteCoop(e.Context, evil), directory.KindConflict)
	got, _ = e.Svc.Coop(e.Context, "gcoop")
	if !got.Local || got.Workers != 40 || got.Host != "soberaniax.example" {
		t.Fatalf("local co-op changed: %+v", got)
	}
	// Remote co-ops cannot be edited through the service.
	_, err = e.Svc.UpdateCoop(e.Context, e.Admin, "outlandish", directory.CoopPatch{})
	mustKind(t, err, directory.KindNotFound)
}

func testMembership(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	astra := &directory.Federation{APID: "https://astrateq.example/federation", Handle: "astrateq", Host: "astrateq.example",
		Name: "Astrateq", CreatedAt: Start, UpdatedAt: Start}
	if err := e.Store.UpsertRemoteFederation(e.Context, astra); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.UpsertRemoteFederation(e.Context, astra); err != nil {
		t.Fatal(err)
	}
	local := e.Coop(t, "gcoop", "AR", 40)
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := e.Store.AddMember(e.Context, astra.APID, local.APID, Start); err != nil {
			t.Fatal(err)
		}
		if err := e.Store.AddMember(e.Context, astra.APID, rc.APID, Start); err != nil {
			t.Fatal(err)
		}
	}
	mustKind(t, e.Store.AddMember(e.Context, astra.APID, "https://nowhere.example/coops/x", Start), directory.KindNotFound)

	got, _ := e.Svc.Coop(e.Context, "gcoop")
	eq(t, "two federations, local first", []string{got.Federations[0].Name, got.Federations[1].Name}, []string{"SoberaniaX", "Astrateq"})
	e.Job(t, "gcoop", JobSpec{Title: "Go developer"})
	res := search(t, e, directory.JobQuery{Federations: []string{astra.APID}})
	eq(t, "job by member federation", titles(res.Items), []string{"Go developer"})
	eq(t, "job federations", len(res.Items[0].Federations), 2)
	res = search(t, e, directory.JobQuery{Federations: []string{"soberaniax"}})
	eq(t, "by local handle", res.Total, 1)

	page, _ := e.Svc.ListCoops(e.Context, directory.CoopQuery{Federations: []string{astra.APID}})
	eq(t, "astrateq members", page.Total, 2)

	if err := e.Store.RemoveMember(e.Context, astra.APID, local.APID, Start); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.RemoveMember(e.Context, astra.APID, local.APID, Start); err != nil {
		t.Fatal(err)
	}
	res = search(t, e, directory.JobQuery{Federations: []string{astra.APID}})
	eq(t, "after removal", res.Total, 0)
	got, _ = e.Svc.Coop(e.Context, "gcoop")
	eq(t, "one federation left", len(got.Federations), 1)
}

func testTokens(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	c := e.Coop(t, "gcoop", "AR", 40)
	admin, err := e.Svc.CreateToken(e.Context, "", "cli")
	if err != nil {
		t.Fatal(err)
	}
	coop, err := e.Svc.CreateToken(e.Context, "gcoop", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Svc.CreateToken(e.Context, "nobody", "")
	mustKind(t, err, directory.KindNotFound)
	p, err := e.Svc.Authenticate(e.Context, admin)
	if err != nil || !p.Admin {
		t.Fatalf("admin token: %+v %v", p, err)
	}
	p, err = e.Svc.Authenticate(e.Context, coop)
	if err != nil || p.Admin || p.CoopID != c.ID {
		t.Fatalf("coop token: %+v %v", p, err)
	}
	_, err = e.Svc.Authenticate(e.Context, admin+"x")
	mustKind(t, err, directory.KindUnauthorized)
	_, err = e.Svc.Authenticate(e.Context, "")
	mustKind(t, err, directory.KindUnauthorized)
	// Deleting the co-op revokes its tokens.
	if err := e.Svc.DeleteCoop(e.Context, e.Admin, "gcoop"); err != nil {
		t.Fatal(err)
	}
	_, err = e.Svc.Authenticate(e.Context, coop)
	mustKind(t, err, directory.KindUnauthorized)
}
