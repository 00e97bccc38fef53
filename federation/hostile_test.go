package federation_test

import (
	"encoding/json"
	"testing"
	"time"

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

