package federation_test

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/federation"
	"github.com/colmena-coop/colmena/web"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenNode is a node on https://soberaniax.example with a fixed clock and
// key, served in-process, so that its documents are the same every run.
type goldenNode struct {
	h   http.Handler
	svc *directory.Service
	st  directory.Store
	fed *federation.Federation
	job *directory.Job
	key string
}

func newGoldenNode(t *testing.T) *goldenNode {
	t.Helper()
	st := engines()["sqlite"](t)
	links, _ := directory.NewLinks("https://soberaniax.example")
	clock := storetest.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
	svc := directory.NewService(st, links, clock.Now)
	if _, err := svc.Init(t.Context(), directory.FederationSettings{Name: "SoberaniaX", Handle: "soberaniax"}); err != nil {
		t.Fatal(err)
	}
	privPEM, _ := os.ReadFile("testdata/cavage/test-key-private.pem")
	key, err := federation.ParsePrivateKeyPEM(string(privPEM))
	if err != nil {
		t.Fatal(err)
	}
	fed := federation.New(federation.Config{Service: svc, Store: st, Version: "1.0.0", Now: clock.Now,
		KeyGen: func() (*rsa.PrivateKey, error) { return key, nil }})
	admin := directory.Principal{Admin: true}
	if _, err := svc.CreateCoop(t.Context(), admin, directory.Coop{Handle: "gcoop", Name: "GCoop", Summary: "Cooperativa de software libre.\n\nRosario.",
		Country: "AR", City: "Rosario", Founded: 2009, Workers: 26, Website: "https://gcoop.example", Email: "info@gcoop.example",
		Languages: []string{"es", "en"}, Skills: []string{"go", "c++", "postgresql"}, Governance: "Asamblea mensual"}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	job, err := svc.CreateJob(t.Context(), admin, "gcoop", directory.Job{Title: "Desarrolladora Go", Description: "Buscamos una **desarrolladora**.\n\n- APIs\n- PostgreSQL",
		Skills: []string{"go", "c++"}, Remote: "hybrid", Country: "AR", City: "Rosario", EmploymentType: "full_time",
		Salary:    &directory.Salary{Min: 2500, Max: 3500, Currency: "USD", Period: "month"},
		Languages: []string{"es", "en"}, ApplyURL: "https://gcoop.example/empleo", ValidThrough: clock.Now().Add(30 * 24 * time.Hour),
		Hours:        &directory.Hours{Zone: "America/Argentina/Buenos_Aires", Start: 10 * 60, End: 15 * 60},
		HoursPerWeek: 30, Seniority: directory.Mid, Decisions: directory.DecideAssembly,
		Membership: &directory.Membership{LeadsToMembership: true, TrialMonths: 6, Capital: &directory.Capital{Amount: 0, Currency: "ARS"}},
		PayPolicy:  &directory.PayPolicy{Kind: directory.PayRatio, Ratio: 2}})
	if err != nil {
		t.Fatal(err)
	}
	k, _ := links.JobKey(job.APID)
	return &goldenNode{h: web.New(web.Config{Service: svc, Federation: fed, Version: "1.0.0"}).Handler(), svc: svc, st: st, fed: fed, job: job, key: k}
}

func (g *goldenNode) get(t *testing.T, path, accept string) (int, http.Header, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "https://soberaniax.example"+path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	g.h.ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if strings.HasSuffix(name, ".json") {
		var v any
		if err := json.Unmarshal(got, &v); err != nil {
			t.Fatalf("%s is not JSON: %v\n%s", name, err, got)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		_ = enc.Encode(v)
		got = buf.Bytes()
	}
	if *update {
		_ = os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestGoldenDocuments pins every document the node serves to other
// servers.
func TestGoldenDocuments(t *testing.T) {
	g := newGoldenNode(t)
	docs := []struct{ name, path, accept string }{
		{"instance-actor.json", "/actor", federation.ContentTypeAS},
		{"federation-actor.json", "/federation", federation.ContentTypeAS},
		{"coop-actor.json", "/coops/gcoop", federation.ContentTypeAS},
		{"note.json", "/jobs/" + g.key, federation.ContentTypeLD},
		{"coop-outbox.json", "/coops/gcoop/outbox", federation.ContentTypeAS},
		{"coop-outbox-page.json", "/coops/gcoop/outbox?page=true", federation.ContentTypeAS},
		{"federation-outbox-page.json", "/federation/outbox?page=true", federation.ContentTypeAS},
		{"federation-members-page.json", "/federation/members?page=true", federation.ContentTypeAS},
		{"coop-followers.json", "/coops/gcoop/followers", federation.ContentTypeAS},
		{"webfinger-coop.json", "/.well-known/webfinger?resource=acct:gcoop@soberaniax.example", ""},
		{"webfinger-instance.json", "/.well-known/webfinger?resource=acct:soberaniax.example@soberaniax.example", ""},
		{"nodeinfo-links.json", "/.well-known/nodeinfo", ""},
		{"nodeinfo-2.1.json", "/nodeinfo/2.1", ""},
		{"instance-api.json", "/api/v1/instance", ""},
		{"host-meta.xml", "/.well-known/host-meta", ""},
		{"ns.json", "/ns", ""},
	}
	for _, d := range docs {
		status, h, body := g.get(t, d.path, d.accept)
		if status != 200 {
			t.Errorf("%s: %d %s", d.path, status, body)
			continue
		}
		if d.accept == federation.ContentTypeAS && h.Get("Content-Type") != federation.ContentTypeAS {
			t.Errorf("%s: content type %q", d.path, h.Get("Content-Type"))
		}
		if d.accept == federation.ContentTypeLD && h.Get("Content-Type") != federation.ContentTypeLD {
			t.Errorf("%s: content type %q", d.path, h.Get("Content-Type"))
		}
		checkGolden(t, d.name, []byte(strings.ReplaceAll(string(body), g.key, "JOBKEY")))
	}
	g.checkActivity(t, "create.json", g.job.APID+"/activity", 200)
	g.checkActivity(t, "announce.json", g.svc.Links().Federation()+"/announces/"+g.key, 200)
	// An edit and the closing go out to a follower, each at an id of
	// its own that answers a GET; once closed, the job's Create and its
	// edit answer 410.
	ctx := t.Context()
	coop := g.job.Coop.APID
	if err := g.st.AddFollower(ctx, &directory.Follower{ActorAPID: coop, FollowerAPID: "https://mastodon.example/users/ana",
		Inbox: "https://mastodon.example/inbox", FollowID: "https://mastodon.example/follows/1", CreatedAt: time.Now()}, nil); err != nil {
		t.Fatal(err)
	}
	title := "Desarrolladora Go senior"
	if _, err := g.svc.UpdateJob(ctx, directory.Principal{Admin: true}, g.job.APID, directory.JobPatch{Title: &title}); err != nil {
		t.Fatal(err)
	}
	federation.QueueEvents(ctx, g.fed)
	update := g.sent(t, "Update")
	g.checkActivity(t, "update.json", update, 200)
	if err := g.svc.DeleteJob(ctx, directory.Principal{Admin: true}, g.job.APID); err != nil {
		t.Fatal(err)
	}
	federation.QueueEvents(ctx, g.fed)
	g.checkActivity(t, "delete.json", g.sent(t, "Delete"), 200)
	g.checkActivity(t, "update-tombstone.json", update, http.StatusGone)
	g.checkActivity(t, "create-tombstone.json", g.job.APID+"/activity", http.StatusGone)
	status, _, body := g.get(t, "/jobs/"+g.key, federation.ContentTypeAS)
	if status != http.StatusGone {
		t.Fatalf("deleted job: %d", status)
	}
	checkGolden(t, "note-tombstone.json", []byte(strings.ReplaceAll(string(body), g.key, "JOBKEY")))
}

// sent is the id of the activity of a type queued for delivery.
func (g *goldenNode) sent(t *testing.T, typ string) string {
	t.Helper()
	ds, err := g.st.Deliveries(t.Context(), directory.DeliveryPending, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		var a struct{ Type string }
		if json.Unmarshal(d.Body, &a) == nil && a.Type == typ {
			return d.ActivityID
		}
	}
	t.Fatalf("no %s queued", typ)
	return ""
}

// checkActivity GETs an activity id and pins what it answers, with the
// job's key and the id's own key (made from it) named.
func (g *goldenNode) checkActivity(t *testing.T, name, id string, status int) {
	t.Helper()
	path := strings.TrimPrefix(id, "https://soberaniax.example")
	st, h, body := g.get(t, path, federation.ContentTypeAS)
	if st != status || h.Get("Content-Type") != federation.ContentTypeAS {
		t.Fatalf("GET %s: %d %s %s", id, st, h.Get("Content-Type"), body)
	}
	// The Note and the @context it needs are pinned by note.json: here
	// the activity around them is.
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if obj, ok := m["object"].(map[string]any); ok && obj["type"] == "Note" {
		m["object"] = map[string]any{"id": obj["id"], "type": "Note"}
	}
	if _, ok := m["@context"].([]any); ok {
		m["@context"] = "(as note.json)"
	}
	body, _ = json.Marshal(m)
	doc := strings.ReplaceAll(string(body), g.key, "JOBKEY")
	if key, ok := strings.CutPrefix(path, "/activities/"); ok {
		_, key, _ = strings.Cut(key, "/")
		doc = strings.ReplaceAll(doc, key, "ACTIVITYKEY")
	}
	checkGolden(t, name, []byte(doc))
}

// TestNodeInfoSchema validates NodeInfo against the official schemas.
func TestNodeInfoSchema(t *testing.T) {
	g := newGoldenNode(t)
	for _, v := range []string{"2.0", "2.1"} {
		c := jsonschema.NewCompiler()
		sch, err := c.Compile("testdata/nodeinfo-" + v + ".schema.json")
		if err != nil {
			t.Fatal(err)
		}
		status, h, body := g.get(t, "/nodeinfo/"+v, "")
		if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Fatalf("nodeinfo %s: %d %s", v, status, h.Get("Content-Type"))
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("nodeinfo %s is not valid: %v", v, err)
		}
	}
}
