package federation_test

import (
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// Tests of what a hostile or careless remote server may send.

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
// URL is cleared, NUL characters are dropped, text is cut to its limit,
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
			"name": "Evil\x00 Coop", "summary": "<p>" + strings.Repeat("ж", directory.MaxSummary+100) + "\x00</p>",
			"url": "javascript://" + d.host() + "/%0aalert(1)", "sdo:url": "javascript:alert(1)",
			"sdo:email": "javascript:alert(1)@x.example", "sdo:foundingDate": "1200",
			"sdo:numberOfEmployees": map[string]any{"sdo:value": 0},
			"sdo:address":           map[string]any{"sdo:addressCountry": "ZZ", "sdo:addressLocality": "Ro\x00sario"},
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
// NUL dropped, text cut to its limit, an invalid apply address cleared;
// a job without a title is refused (400), and a Note that is no job is
// still accepted and ignored.
func TestRemoteJobCleaned(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "EthiX", "ethix")
		masto := newFake(t)
		ana := n.remoteCoopOf(masto, "ana")
		noteID := masto.srv.URL + "/notes/nul"
		note := jobNote(noteID, ana, "Go\x00 developer", time.Now())
		jp := note["jobPosting"].(*federation.JobPosting)
		jp.Description = strings.Repeat("d", directory.MaxDescription+10) + "\x00"
		jp.ApplyEmail, jp.ApplyURL = "javascript:alert(1)@x", "javascript:alert(1)"
		jp.JobLocation = &federation.SdoPlace{Type: "sdo:Place", Address: federation.SdoAddress{Country: "AR", Locality: "Ro\x00sario"}}
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
