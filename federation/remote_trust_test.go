package federation_test

import (
	"crypto/rsa"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlite"
	"github.com/colmena-coop/colmena/federation"
)

// Tests of what a hostile or careless remote server may send: who owns
// what, which fields are kept, which members a federation may claim.

// jobNote is a job Note of actor, as a Colmena node publishes it.
func jobNote(id, actor, title string, updated time.Time) map[string]any {
	return map[string]any{"id": id, "type": "Note", "attributedTo": actor, "published": "2026-01-02T03:04:05Z",
		"updated": updated.UTC().Format(time.RFC3339), "content": "<p>" + title + "</p>",
		"jobPosting": &federation.JobPosting{Type: "sdo:JobPosting", Title: title, DatePosted: "2026-01-02T03:04:05Z",
			EmploymentType: "FULL_TIME", Skills: []string{"go"}, InLanguage: []string{"en"}, URL: id, Remote: "remote",
			ApplyEmail: "jobs@example.org"}}
}

// sendAs POSTs an activity of typ by the fake's account name, signed with
// its key, to the node's shared inbox.
func (f *fakeServer) sendAs(n *node, name, id, typ string, object any) (int, string) {
	f.t.Helper()
	actor := f.actorID(name)
	body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": typ,
		"actor": actor, "object": object})
	return f.sendRaw(n.url()+"/inbox", body, actor+"#main-key", f.key, nil)
}

// remoteCoopOf stores a fake's account as an aggregated co-op.
func (n *node) remoteCoopOf(f *fakeServer, name string) string {
	n.t.Helper()
	id := f.actorID(name)
	if err := n.store.UpsertRemoteCoop(n.t.Context(), &directory.Coop{APID: id, Handle: name, Host: hostOf(id), Name: name,
		Country: "GB", Workers: 3, URL: id, CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
		n.t.Fatal(err)
	}
	return id
}

// TestJobOwnerKept: a co-op cannot take over another co-op's job on the
// same server: an Update, or a Create sent again, naming itself as the
// author is refused with 403 and changes nothing; the owner's own edit
// still applies.
func TestJobOwnerKept(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "EthiX", "ethix")
		masto := newFake(t)
		ana, bob := n.remoteCoopOf(masto, "ana"), n.remoteCoopOf(masto, "bob")
		noteID := masto.srv.URL + "/notes/1"
		t0 := time.Now().Add(-time.Hour)
		if st, body := masto.sendAs(n, "ana", noteID+"/create", "Create", jobNote(noteID, ana, "Go developer", t0)); st != 202 {
			t.Fatalf("ana's Create: %d %s", st, body)
		}
		taken := jobNote(noteID, bob, "Taken over", t0.Add(time.Minute))
		if st, body := masto.sendAs(n, "bob", noteID+"/update-by-bob", "Update", taken); st != 403 {
			t.Errorf("bob's Update of ana's job: %d %s", st, body)
		}
		if st, body := masto.sendAs(n, "bob", noteID+"/create-by-bob", "Create", taken); st != 403 {
			t.Errorf("bob's Create with ana's job id: %d %s", st, body)
		}
		j, err := n.store.JobByAPID(t.Context(), noteID)
		if err != nil || j.Coop.APID != ana || j.Title != "Go developer" {
			t.Fatalf("after bob's attempts: %+v %v", j, err)
		}
		if st, body := masto.sendAs(n, "ana", noteID+"/update", "Update", jobNote(noteID, ana, "Senior Go developer", t0.Add(2*time.Minute))); st != 202 {
			t.Fatalf("ana's Update: %d %s", st, body)
		}
		if j, err := n.store.JobByAPID(t.Context(), noteID); err != nil || j.Coop.APID != ana || j.Title != "Senior Go developer" {
			t.Fatalf("after ana's edit: %+v %v", j, err)
		}
	})
}

// docServer is a server on 127.0.0.1 that serves whatever documents a test
// gives it, actors signing with one key, and takes deliveries: a remote
// node that says what a test wants it to say.
type docServer struct {
	t        testing.TB
	srv      *httptest.Server
	key      *rsa.PrivateKey
	mu       sync.Mutex
	docs     map[string]any
	received []map[string]any
}

func newDocServer(t testing.TB) *docServer {
	t.Helper()
	key, err := testKeys.Key()
	if err != nil {
		t.Fatal(err)
	}
	d := &docServer{t: t, key: key, docs: map[string]any{}}
	d.srv = httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(d.srv.Close)
	return d
}

func (d *docServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m)
		d.mu.Lock()
		d.received = append(d.received, m)
		d.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		return
	}
	d.mu.Lock()
	doc, ok := d.docs[r.URL.Path]
	d.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	ct := federation.ContentTypeAS
	if strings.HasPrefix(r.URL.Path, "/.well-known/") {
		ct = "application/jrd+json"
	}
	w.Header().Set("Content-Type", ct)
	_ = json.NewEncoder(w).Encode(doc)
}

func (d *docServer) url(path string) string { return d.srv.URL + path }

func (d *docServer) host() string { return hostOf(d.srv.URL) }

// set serves doc at path.
func (d *docServer) set(path string, doc any) {
	d.mu.Lock()
	d.docs[path] = doc
	d.mu.Unlock()
}

// actor serves an actor of type typ at path, with the server's key and
// the extra properties given, and returns its id.
func (d *docServer) actor(path, typ, username string, extra map[string]any) string {
	id := d.url(path)
	pub, _ := federation.EncodePublicKey(&d.key.PublicKey)
	doc := map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       id, "type": typ, "preferredUsername": username,
		"inbox": id + "/inbox", "outbox": id + "/outbox", "followers": id + "/followers",
		"endpoints": map[string]string{"sharedInbox": d.url("/inbox")},
		"publicKey": map[string]string{"id": id + "#main-key", "owner": id, "publicKeyPem": pub},
	}
	for k, v := range extra {
		doc[k] = v
	}
	d.set(path, doc)
	return id
}

// collection serves an OrderedCollection of items at path.
func (d *docServer) collection(path string, items ...any) {
	if items == nil {
		items = []any{}
	}
	d.set(path, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": d.url(path),
		"type": "OrderedCollection", "totalItems": len(items), "orderedItems": items})
}

// send POSTs an activity by the actor at actorPath to the node's shared
// inbox, signed with the server's key.
func (d *docServer) send(n *node, actorPath, id, typ string, object any, extra map[string]any) (int, string) {
	d.t.Helper()
	actor := d.url(actorPath)
	act := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": d.url(id), "type": typ,
		"actor": actor, "object": object}
	for k, v := range extra {
		act[k] = v
	}
	body, _ := json.Marshal(act)
	f := &fakeServer{t: d.t}
	return f.sendRaw(n.url()+"/inbox", body, actor+"#main-key", d.key, nil)
}

// TestRemoteCoopCleaned: a remote co-op's profile is held to the rules of
// local ones when it is stored: a javascript: website, e-mail or profile
// URL is cleared, NUL characters are dropped (and bidi controls from
// its name and city), text is cut to its limit,
// values out of range are cleared. A co-op whose username is not one is
// refused (400) and what was stored stays. A remote co-op with a local
// co-op's handle is shown with its host and never taken for the local
// one.
func TestRemoteCoopCleaned(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "EthiX", "ethix")
		local := n.coop("gcoop")
		d := newDocServer(t)
		profile := map[string]any{
			"name": "Evil\x00 \u202eCoop\u202c", "summary": "<p>" + strings.Repeat("ж", directory.MaxSummary+100) + "\x00</p>",
			"url": "javascript://" + d.host() + "/%0aalert(1)", "sdo:url": "javascript:alert(1)",
			"sdo:email": "javascript:alert(1)@x.example", "sdo:foundingDate": "1200",
			"sdo:numberOfEmployees": map[string]any{"sdo:value": 0},
			"sdo:address":           map[string]any{"sdo:addressCountry": "ZZ", "sdo:addressLocality": "Ro\x00sa\u2067rio"},
			"sdo:knowsAbout":        []string{"go", "<script>", "x\x00y"}, "sdo:knowsLanguage": []string{"es", "not a language!"},
			"colmena:governance": "one worker,\x00 one vote",
		}
		id := d.actor("/coops/gcoop", "Organization", "gcoop", profile)
		// The node aggregates the co-op; its profile then changes.
		if err := n.store.UpsertRemoteCoop(t.Context(), &directory.Coop{APID: id, Handle: "gcoop", Host: d.host(), Name: "Before",
			Country: "GB", Workers: 3, URL: id, CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if st, body := d.send(n, "/coops/gcoop", "/coops/gcoop#update-1", "Update", id, nil); st != 202 {
			t.Fatalf("the profile Update: %d %s", st, body)
		}
		c, err := n.store.CoopByAPID(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if utf8.RuneCountInString(c.Summary) != directory.MaxSummary || strings.ContainsRune(c.Summary, 0) {
			t.Errorf("summary: %d characters", utf8.RuneCountInString(c.Summary))
		}
		got := []any{c.Handle, c.Host, c.Local, c.Name, c.URL, c.Website, c.Email, c.Founded, c.Workers, c.Country, c.City,
			strings.Join(c.Skills, ","), strings.Join(c.Languages, ","), c.Governance}
		want := []any{"gcoop", d.host(), false, "Evil Coop", id, "", "", 0, 1, "", "Rosario", "go", "es", "one worker, one vote"}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("stored field %d: %q, want %q", i, got[i], want[i])
			}
		}
		// The local co-op is still the one its handle names; the remote
		// one is listed with its host.
		if c, err := n.svc.FindCoop(t.Context(), "gcoop"); err != nil || c.APID != local.APID {
			t.Errorf("gcoop names %+v %v", c, err)
		}
		_, l := n.api("GET", "/api/v1/coops?q=evil", "")
		if items, _ := l["items"].([]any); len(items) != 1 || items[0].(map[string]any)["acct"] != "gcoop@"+d.host() ||
			items[0].(map[string]any)["local"] != false {
			t.Errorf("the remote co-op as listed: %v", l)
		}
		if st, _, page := get(t, n.url()+"/coops?q=evil", "text/html"); st != 200 || !strings.Contains(string(page), "@gcoop@"+d.host()) ||
			strings.Contains(string(page), `href="/coops/gcoop"`) {
			t.Errorf("the co-op directory page shows the remote co-op as: %d\n%s", st, page)
		}
		// A username that is not one refuses the Update; what was stored
		// stays.
		for i, bad := range []string{"gcoop@" + n.host(), "g coop", ""} {
			profile["preferredUsername"] = bad
			d.actor("/coops/gcoop", "Organization", bad, profile)
			if st, body := d.send(n, "/coops/gcoop", "/coops/gcoop#update-bad-"+string(rune('a'+i)), "Update", id, nil); st != 400 {
				t.Errorf("an Update with the username %q: %d %s", bad, st, body)
			}
		}
		if c, err := n.store.CoopByAPID(t.Context(), id); err != nil || c.Handle != "gcoop" || c.Name != "Evil Coop" {
			t.Errorf("after refused Updates: %v", err)
			if c != nil {
				t.Errorf("stored: handle %q, name %q", c.Handle, c.Name)
			}
		}
	})
}

// TestRemoteJobCleaned: a remote job is held to the rules of local ones:
// NUL dropped, bidi controls dropped from its title and city, text cut
// to its limit, an invalid apply address cleared;
// a job without a title is refused (400), and a Note that is no job is
// still accepted and ignored.
func TestRemoteJobCleaned(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "EthiX", "ethix")
		masto := newFake(t)
		ana := n.remoteCoopOf(masto, "ana")
		noteID := masto.srv.URL + "/notes/nul"
		note := jobNote(noteID, ana, "Go\x00 \u202edeveloper\u202c", time.Now())
		jp := note["jobPosting"].(*federation.JobPosting)
		jp.Description = strings.Repeat("d", directory.MaxDescription+10) + "\x00"
		jp.ApplyEmail, jp.ApplyURL = "javascript:alert(1)@x", "javascript:alert(1)"
		jp.JobLocation = &federation.SdoPlace{Type: "sdo:Place", Address: federation.SdoAddress{Country: "AR", Locality: "Ro\x00sa\u2066rio"}}
		if st, body := masto.sendAs(n, "ana", noteID+"/create", "Create", note); st != 202 {
			t.Fatalf("Create: %d %s", st, body)
		}
		j, err := n.store.JobByAPID(t.Context(), noteID)
		if err != nil {
			t.Fatalf("the job was not stored: %v", err)
		}
		if j.Title != "Go developer" || len(j.Description) != directory.MaxDescription || j.City != "Rosario" ||
			j.ApplyEmail != "" || j.ApplyURL != noteID {
			t.Errorf("stored job: %+v", j)
		}
		untitled := jobNote(masto.srv.URL+"/notes/untitled", ana, "\x00", time.Now())
		if st, body := masto.sendAs(n, "ana", masto.srv.URL+"/notes/untitled/create", "Create", untitled); st != 400 {
			t.Errorf("a job without a title: %d %s", st, body)
		}
		chat := map[string]any{"id": masto.srv.URL + "/notes/chat", "type": "Note", "attributedTo": ana, "content": "<p>hi</p>"}
		if st, body := masto.sendAs(n, "ana", masto.srv.URL+"/notes/chat/create", "Create", chat); st != 202 {
			t.Errorf("a Note that is no job: %d %s", st, body)
		}
	})
}

// byType returns the activities of a type the server received.
func (d *docServer) byType(typ string) []map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []map[string]any
	for _, m := range d.received {
		if m["type"] == typ {
			out = append(out, m)
		}
	}
	return out
}

// coopActor serves a co-op actor at /coops/name, with the co-op data a
// Colmena co-op publishes, and an empty outbox.
func (d *docServer) coopActor(name string) string {
	id := d.actor("/coops/"+name, "Organization", name, map[string]any{"sdo:numberOfEmployees": map[string]any{"sdo:value": 4}})
	d.collection("/coops/" + name + "/outbox")
	return id
}

// federationActor serves a federation actor at /federation listing
// members, with an empty outbox, and returns its id.
func (d *docServer) federationActor(members ...any) string {
	id := d.actor("/federation", "Organization", "hostile", map[string]any{"name": "Hostile", "members": d.url("/federation/members")})
	d.collection("/federation/members", members...)
	d.collection("/federation/outbox")
	return id
}

// followedBy has the node's admin follow the server's actor at path and
// the server accept, and returns the actor's id.
func (d *docServer) followedBy(n *node, path string) string {
	d.t.Helper()
	id := d.url(path)
	if st, m := n.api("POST", "/api/v1/admin/follows", `{"target":"`+id+`"}`); st != 202 {
		d.t.Fatalf("follow %s: %d %v", id, st, m)
	}
	var follow map[string]any
	eventually(d.t, "the Follow", func() bool {
		for _, f := range d.byType("Follow") {
			if f["object"] == id {
				follow = f
				return true
			}
		}
		return false
	})
	if st, body := d.send(n, path, path+"#accept", "Accept", follow, nil); st != 202 {
		d.t.Fatalf("Accept: %d %s", st, body)
	}
	return id
}

// backfilled waits until the node's import of target is done.
func (n *node) backfilled(target string) {
	n.t.Helper()
	eventually(n.t, "the import of "+target, func() bool {
		fl, err := n.store.FollowByTarget(n.t.Context(), target)
		return err == nil && !fl.BackfilledAt.IsZero()
	})
}

// memberOf reports whether the node stores coop as a member of fed.
func (n *node) memberOf(coop, fed string) bool {
	n.t.Helper()
	c, err := n.store.CoopByAPID(n.t.Context(), coop)
	if err != nil {
		return false
	}
	for _, f := range c.Federations {
		if f.APID == fed {
			return true
		}
	}
	return false
}

// TestFederationClaimsOnlyItsHost: a followed federation may list as
// members only co-ops on its own host. Its claims on a co-op hosted
// elsewhere, or on one of this node's own, are refused — in its members
// collection (skipped by the import), in an Add (403), in an Announce of
// that co-op's job (ignored) — and the node follows none of them; a
// member on its own host is taken.
func TestFederationClaimsOnlyItsHost(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "EthiX", "ethix")
		mine := n.coop("mine")
		a := newNodeAt(t, open, "SoberaniaX", "soberaniax", "localhost")
		gcoop := a.coop("gcoop")
		job, err := a.svc.CreateJob(t.Context(), a.admin, "gcoop", directory.Job{Title: "Go developer", Description: "x",
			Remote: "remote", EmploymentType: "full_time", ApplyEmail: "jobs@gcoop.example"})
		if err != nil {
			t.Fatal(err)
		}
		d := newDocServer(t)
		real := d.coopActor("real")
		fed := d.federationActor(real, gcoop.APID, mine.APID)
		d.followedBy(n, "/federation")
		n.backfilled(fed)
		if !n.memberOf(real, fed) {
			t.Fatal("the member on the federation's host was not imported")
		}
		refused := func(when string) {
			t.Helper()
			if n.memberOf(gcoop.APID, fed) || n.memberOf(mine.APID, fed) {
				t.Fatalf("%s: a co-op elsewhere was taken as the federation's member", when)
			}
			if _, err := n.store.FollowByTarget(t.Context(), gcoop.APID); directory.KindOf(err) != directory.KindNotFound {
				t.Fatalf("%s: the node follows gcoop: %v", when, err)
			}
		}
		refused("after the import")

		add := func(id, coop string) int {
			st, _ := d.send(n, "/federation", id, "Add", coop, map[string]any{"target": d.url("/federation/members")})
			return st
		}
		if st := add("/federation#add-gcoop", gcoop.APID); st != 403 {
			t.Errorf("Add of a co-op elsewhere: %d", st)
		}
		if st := add("/federation#add-mine", mine.APID); st != 403 {
			t.Errorf("Add of this node's co-op: %d", st)
		}
		if st, body := d.send(n, "/federation", "/federation#announce", "Announce", job.APID, nil); st != 202 {
			t.Errorf("Announce of a job elsewhere: %d %s", st, body)
		}
		refused("after the Add and Announce")
		if _, err := n.store.JobByAPID(t.Context(), job.APID); directory.KindOf(err) != directory.KindNotFound {
			t.Errorf("the announced job of a co-op elsewhere was stored: %v", err)
		}
		second := d.coopActor("second")
		if st := add("/federation#add-second", second); st != 202 {
			t.Errorf("Add of a co-op on the federation's host: %d", st)
		}
		if !n.memberOf(second, fed) {
			t.Error("the member added on the federation's host was not stored")
		}
		if c, err := n.store.CoopByAPID(t.Context(), mine.APID); err != nil || len(c.Federations) != 1 {
			t.Errorf("this node's co-op: %+v %v", c, err)
		}
	})
}

// TestRemoteFollowPage: the remote-follow form sends a visitor to the page
// their account's server names in WebFinger, but only to an http(s) page
// on that account's own host without a user name in it; anything else is
// refused as an invalid account.
func TestRemoteFollowPage(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	coop := n.coop("tacuara")
	d := newDocServer(t)
	other := newDocServer(t)
	acct := "ana@" + d.host()
	answer := func(template string) {
		d.set("/.well-known/webfinger", map[string]any{"subject": "acct:" + acct, "links": []any{
			map[string]any{"rel": "self", "type": federation.ContentTypeAS, "href": d.url("/users/ana")},
			map[string]any{"rel": "http://ostatus.org/schema/1.0/subscribe", "template": template},
		}})
	}
	for _, bad := range []string{
		other.url("/authorize_interaction?uri={uri}"),
		"https://evil.example/authorize_interaction?uri={uri}",
		"javascript:alert(document.cookie)//{uri}",
		"data:text/html,<script>alert(1)</script>{uri}",
		"http://" + d.host() + "@evil.example/authorize_interaction?uri={uri}",
		"http://evil.example@" + d.host() + "/authorize_interaction?uri={uri}",
		"http://user:pass@" + d.host() + "/authorize_interaction?uri={uri}",
		"//evil.example/authorize_interaction?uri={uri}",
		"/authorize_interaction?uri={uri}",
		"http://{uri}/authorize_interaction",
	} {
		answer(bad)
		u, err := n.fed.SubscribeURL(t.Context(), acct, coop.APID)
		var de *directory.Error
		if err == nil || !errors.As(err, &de) || de.Kind != directory.KindInvalid || de.Field != "account" {
			t.Errorf("template %q: %q %v", bad, u, err)
		}
	}
	answer(d.url("/authorize_interaction?uri={uri}"))
	u, err := n.fed.SubscribeURL(t.Context(), "@"+acct, coop.APID)
	if err != nil || u != d.url("/authorize_interaction?uri="+url.QueryEscape(coop.APID)) {
		t.Fatalf("the account's own follow page: %q %v", u, err)
	}
}

// TestUnblockOlderSpellings: a block an older version kept that is no
// domain name (a pattern such as "%") is lifted through the API as it is
// written; a string that is neither a domain nor a block is refused as no
// domain name.
func TestUnblockOlderSpellings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "colmena.db")
	n := newNode(t, func(t testing.TB) directory.Store {
		s, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}, "EthiX", "ethix")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), `INSERT INTO blocks (domain, created_at) VALUES ('%', 0), ('*.spam.example', 0)`); err != nil {
		t.Fatal(err)
	}
	if st, m := n.api("DELETE", "/api/v1/admin/blocks/"+url.PathEscape("%"), ""); st != 204 {
		t.Errorf("lifting %q: %d %v", "%", st, m)
	}
	if err := n.fed.Unblock(t.Context(), n.admin, " *.spam.example "); err != nil {
		t.Errorf("lifting *.spam.example: %v", err)
	}
	if bs, err := n.store.Blocks(t.Context()); err != nil || len(bs) != 0 {
		t.Fatalf("blocks left: %v %v", bs, err)
	}
	err = n.fed.Unblock(t.Context(), n.admin, "not a domain")
	var de *directory.Error
	if !errors.As(err, &de) || de.Kind != directory.KindInvalid || de.Code != directory.CodeDomain {
		t.Errorf("lifting a block of no domain: %v", err)
	}
}
