package federation_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// activityFrom is an activity of the fake's account name.
func (f *fakeServer) activityFrom(name, typ, id string, object any) map[string]any {
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": typ,
		"actor": f.actorID(name), "object": object, "to": []string{federation.PublicURI}}
}

// noteOf is a Note of ana, as Mastodon writes a status: public when
// public, else addressed to the mentioned only.
func (f *fakeServer) noteOf(id, inReplyTo, content string, public bool, mentioned ...string) map[string]any {
	to := mentioned
	if public {
		to = append([]string{federation.PublicURI}, mentioned...)
	}
	n := map[string]any{"id": id, "type": "Note", "attributedTo": f.actorID("ana"), "content": content, "to": to,
		"cc": []string{f.actorID("ana") + "/followers"}, "url": id, "published": "2026-03-02T10:00:00Z"}
	if inReplyTo != "" {
		n["inReplyTo"] = inReplyTo
	}
	return n
}

// sendAna POSTs an activity of ana to inbox and returns the status.
func (f *fakeServer) sendAna(inbox, typ, id string, object any) int {
	f.t.Helper()
	st, body := f.send(inbox, f.activityFrom("ana", typ, id, object))
	if st >= 300 && st != http.StatusForbidden {
		f.t.Logf("%s %s: %d %s", typ, id, st, body)
	}
	return st
}

// reply, like, boost, undo and remove send ana's reply to a status, her
// favourite or boost of one, the Undo of one of those and the Delete of
// a status (as a Tombstone) or of her account.
func (f *fakeServer) reply(inbox, id, inReplyTo, content string, public bool) int {
	return f.sendAna(inbox, "Create", id+"/activity", f.noteOf(id, inReplyTo, content, public))
}

func (f *fakeServer) like(inbox, id, object string) int { return f.sendAna(inbox, "Like", id, object) }

func (f *fakeServer) boost(inbox, id, object string) int {
	return f.sendAna(inbox, "Announce", id, object)
}

func (f *fakeServer) undo(inbox, id string, object any) int {
	return f.sendAna(inbox, "Undo", id, object)
}

func (f *fakeServer) remove(inbox, id, object string) int {
	var obj any = object
	if object != f.actorID("ana") {
		obj = map[string]any{"id": object, "type": "Tombstone"}
	}
	return f.sendAna(inbox, "Delete", id, obj)
}

// member is a co-op member's logged-in browser on a node.
type member struct {
	t      *testing.T
	base   string
	client *http.Client
}

func newMember(t *testing.T, n *node, coop string) *member {
	t.Helper()
	_, raw, err := n.svc.InviteUser(t.Context(), n.admin, "ana@"+coop+".example", false, coop)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	m := &member{t: t, base: n.url(), client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if st, _ := m.do(http.MethodGet, "/password?token="+raw, nil); st != http.StatusOK {
		t.Fatalf("password form: %d", st)
	}
	if st, _ := m.do(http.MethodPost, "/password", url.Values{"token": {raw}, "password": {"una clave larga"},
		"confirm": {"una clave larga"}}); st != http.StatusSeeOther {
		t.Fatalf("setting a password: %d", st)
	}
	return m
}

// do sends a request as the node's own pages do: forms same-origin.
func (m *member) do(method, path string, form url.Values) (int, string) {
	m.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequestWithContext(m.t.Context(), method, m.base+path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", m.base)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestRepliesFavouritesBoosts: a Mastodon-like account replies to a local
// job, favourites and boosts it, over real signed HTTP; the store keeps
// them sanitised and counted, the job page shows the counts, a co-op
// member sees the question in the dashboard and answers it, and the
// answer reaches the asker as a signed Create of a Note in reply that
// mentions her. Edits, Undo and Delete apply; the account's Delete takes
// what is left.
func TestRepliesFavouritesBoosts(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "SoberaniaX", "soberaniax")
		c := n.coop("hornero")
		ctx := t.Context()
		j, err := n.svc.CreateJob(ctx, n.admin, "hornero", directory.Job{Title: "Go developer", Description: "APIs.",
			Remote: directory.RemoteFull, EmploymentType: directory.FullTime, ApplyEmail: "jobs@hornero.example"})
		if err != nil {
			t.Fatal(err)
		}
		fake := newFake(t)
		inbox := n.url() + "/inbox"
		ana := fake.actorID("ana")
		status := ana + "/statuses/1"
		counts := func() directory.InteractionCounts {
			t.Helper()
			got, err := n.store.InteractionCounts(ctx, j.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}

		hostile := `<p>Is it <b>remote</b>?<script>alert(1)</script> <a href="javascript:alert(1)" onclick="x()">see</a></p><p>Thanks</p>`
		if st := fake.reply(inbox, status, j.APID, hostile, true); st != http.StatusAccepted {
			t.Fatalf("reply: %d", st)
		}
		if st := fake.like(inbox, ana+"#likes/1", j.APID); st != http.StatusAccepted {
			t.Fatalf("like: %d", st)
		}
		if st := fake.boost(inbox, ana+"/statuses/2/activity", j.APID); st != http.StatusAccepted {
			t.Fatalf("boost: %d", st)
		}
		// The same favourite again, under another id, counts once; a reply
		// ana sends in someone else's name is not stored.
		fake.like(inbox, ana+"#likes/2", j.APID)
		forged := fake.noteOf(ana+"/statuses/9", j.APID, "forged", true)
		forged["attributedTo"] = fake.actorID("bob")
		fake.sendAna(inbox, "Create", ana+"/statuses/9/activity", forged)
		if got := counts(); got != (directory.InteractionCounts{Replies: 1, Likes: 1, Boosts: 1}) {
			t.Fatalf("counts: %+v", got)
		}
		qs, err := n.store.CoopQuestions(ctx, c.ID, 10)
		if err != nil || len(qs) != 1 {
			t.Fatalf("questions: %+v %v", qs, err)
		}
		q := qs[0]
		if q.Text != "Is it remote? see\n\nThanks" || strings.Contains(q.Content, "script") || strings.Contains(q.Content, "javascript") ||
			strings.Contains(q.Content, "onclick") || !strings.Contains(q.Content, "<b>remote</b>") {
			t.Fatalf("the reply is not sanitised: %q / %q", q.Content, q.Text)
		}
		handle := "@ana@" + strings.TrimPrefix(fake.srv.URL, "http://")
		if q.ActorName != "Ana" || q.ActorHandle != handle || q.Actor != ana || !q.Public {
			t.Fatalf("the asker: %+v", q)
		}

		// The job page shows the counts, in English and in Spanish.
		_, _, page := get(t, j.APID, "text/html")
		for _, want := range []string{"1 reply", "1 favourite", "1 boost"} {
			if !strings.Contains(string(page), want) {
				t.Errorf("the job page lacks %q", want)
			}
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, j.APID, nil)
		req.Header.Set("Accept", "text/html")
		req.Header.Set("Accept-Language", "es")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		es, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{"1 respuesta", "1 favorito", "1 impulso"} {
			if !strings.Contains(string(es), want) {
				t.Errorf("the Spanish job page lacks %q", want)
			}
		}

		// The member sees the question and answers it from the co-op.
		m := newMember(t, n, "hornero")
		_, dash := m.do(http.MethodGet, "/dashboard/questions", nil)
		for _, want := range []string{">Ana</a>", handle, "Is it remote? see", ">Go developer</a>", `action="/dashboard/questions/`} {
			if !strings.Contains(dash, want) {
				t.Fatalf("the dashboard lacks %q", want)
			}
		}
		action := regexp.MustCompile(`action="(/dashboard/questions/\d+/answer)\?coop=hornero"`).FindStringSubmatch(dash)
		if st, body := m.do(http.MethodPost, action[1], url.Values{"text": {"  "}}); st != http.StatusBadRequest ||
			!strings.Contains(body, `id="answer-`) || !strings.Contains(body, "field-error") {
			t.Fatalf("an empty answer: %d", st)
		}
		if st, body := m.do(http.MethodPost, "/dashboard/questions/999999/answer", url.Values{"text": {"x"}}); st != http.StatusBadRequest ||
			!strings.Contains(body, "has no such question") {
			t.Fatalf("another question: %d", st)
		}
		// Only the co-op's members answer its questions, and only from
		// the node's own pages.
		n.coop("otra")
		if st, body := newMember(t, n, "otra").do(http.MethodPost, action[1], url.Values{"text": {"x"}}); st != http.StatusBadRequest ||
			!strings.Contains(body, "has no such question") {
			t.Fatalf("another co-op's member answers: %d", st)
		}
		req, _ = http.NewRequestWithContext(ctx, http.MethodPost, n.url()+action[1], strings.NewReader("text=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "http://evil.example")
		if resp, err := m.client.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a cross-site answer: %v %v", resp.StatusCode, err)
		} else {
			resp.Body.Close()
		}
		if len(fake.byType("Create")) != 0 {
			t.Fatal("a refused answer was sent")
		}
		if st, _ := m.do(http.MethodPost, action[1], url.Values{"text": {"Yes, fully remote.\nFrom anywhere."}}); st != http.StatusSeeOther {
			t.Fatalf("answer: %d", st)
		}
		var create map[string]any
		eventually(t, "the answer at the asker's server", func() bool {
			for _, a := range fake.byType("Create") {
				create = a
				return true
			}
			return false
		})
		note, _ := create["object"].(map[string]any)
		tags, _ := note["tag"].([]any)
		if create["actor"] != c.APID || note["inReplyTo"] != status || note["attributedTo"] != c.APID || len(tags) != 1 ||
			!strings.Contains(note["content"].(string), `href="`+ana+`" class="u-url mention">@<span>ana</span></a>`) ||
			!strings.Contains(note["content"].(string), "Yes, fully remote.<br>From anywhere.") {
			t.Fatalf("the answer: %v", create)
		}
		if tag := tags[0].(map[string]any); tag["type"] != "Mention" || tag["href"] != ana || tag["name"] != handle {
			t.Fatalf("the mention: %v", tag)
		}
		if to, _ := note["to"].([]any); len(to) != 1 || to[0] != ana {
			t.Fatalf("the answer is not to the asker: %v", note["to"])
		}
		if cc, _ := note["cc"].([]any); len(cc) != 1 || cc[0] != federation.PublicURI {
			t.Fatalf("a public question's answer is unlisted: %v", note["cc"])
		}
		if got := getAS(t, note["id"].(string)); got["id"] != note["id"] || got["type"] != "Note" || got["inReplyTo"] != status {
			t.Fatalf("the answer's own id: %v", got)
		}
		if got := getAS(t, create["id"].(string)); got["type"] != "Create" || got["actor"] != c.APID {
			t.Fatalf("the Create's own id: %v", got)
		}
		if _, dash = m.do(http.MethodGet, "/dashboard/questions", nil); !strings.Contains(dash, "Yes, fully remote.\nFrom anywhere.") {
			t.Fatal("the answer is not shown under the question")
		}

		// An edit, then Undo and Delete, each of ana's own only.
		edited := fake.noteOf(status, j.APID, "<p>Is it remote, really?</p>", true)
		fake.sendAna(inbox, "Update", status+"#updates/1", edited)
		if qs, _ := n.store.CoopQuestions(ctx, c.ID, 10); len(qs) != 1 || qs[0].Text != "Is it remote, really?" {
			t.Fatalf("the edit: %+v", qs)
		}
		like := map[string]any{"id": ana + "#likes/1", "type": "Like", "actor": ana, "object": j.APID}
		if st := fake.undo(inbox, ana+"#likes/1/undo", like); st != http.StatusAccepted {
			t.Fatalf("undo like: %d", st)
		}
		if st := fake.undo(inbox, ana+"/statuses/2/undo", ana+"/statuses/2/activity"); st != http.StatusAccepted {
			t.Fatalf("undo boost: %d", st)
		}
		if got := counts(); got != (directory.InteractionCounts{Replies: 1}) {
			t.Fatalf("counts after Undo: %+v", got)
		}
		if st := fake.remove(inbox, status+"#delete", status); st != http.StatusAccepted {
			t.Fatalf("delete: %d", st)
		}
		if got := counts(); got != (directory.InteractionCounts{}) {
			t.Fatalf("counts after Delete: %+v", got)
		}
		if _, _, page := get(t, j.APID, "text/html"); strings.Contains(string(page), `class="reactions"`) {
			t.Error("the job page shows counts of nothing")
		}
		// A private reply gets an answer to the asker only; the account's
		// own Delete takes its replies.
		fake.reply(inbox, ana+"/statuses/3", j.APID, "<p>Private question</p>", false)
		fake.like(inbox, ana+"#likes/3", j.APID)
		qs, _ = n.store.CoopQuestions(ctx, c.ID, 10)
		if len(qs) != 1 || qs[0].Public {
			t.Fatalf("the private question: %+v", qs)
		}
		if _, err := n.fed.Answer(ctx, n.admin, "hornero", qs[0].ID, "Sure."); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the second answer", func() bool { return len(fake.byType("Create")) == 2 })
		second := fake.byType("Create")[1]["object"].(map[string]any)
		if cc, _ := second["cc"].([]any); len(cc) != 0 {
			t.Fatalf("a private question's answer is addressed to others: %v", second["cc"])
		}
		if st := fake.remove(inbox, ana+"#delete", ana); st != http.StatusAccepted {
			t.Fatalf("the account's delete: %d", st)
		}
		if got := counts(); got != (directory.InteractionCounts{}) {
			t.Fatalf("counts after the account's Delete: %+v", got)
		}
	})
}

// TestFollowedAccountPosts: a co-op follows a Mastodon-like account; its
// public posts show in the co-op's dashboard with its name and handle,
// its following list names it, and its Delete of itself ends the follow
// and takes its posts.
func TestFollowedAccountPosts(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "SoberaniaX", "soberaniax")
		c := n.coop("hornero")
		ctx := t.Context()
		fake := newFake(t)
		inbox := n.url() + "/inbox"
		ana := fake.actorID("ana")
		fl, err := n.fed.CoopFollow(ctx, n.admin, "hornero", ana)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Follow at the fake", func() bool { return len(fake.byType("Follow")) == 1 })
		// A post before the follow is accepted is not kept.
		fake.sendAna(inbox, "Create", ana+"/statuses/0/activity", fake.noteOf(ana+"/statuses/0", "", "<p>early</p>", true))
		accept := map[string]any{"id": fl.FollowID, "type": "Follow", "actor": c.APID, "object": ana}
		if st := fake.sendAna(inbox, "Accept", ana+"#accepts/1", accept); st != http.StatusAccepted {
			t.Fatalf("accept: %d", st)
		}
		fake.sendAna(inbox, "Create", ana+"/statuses/1/activity",
			fake.noteOf(ana+"/statuses/1", "", `<p>Hola <img src=x onerror="alert(1)">fediverso</p>`, true))
		fake.sendAna(inbox, "Create", ana+"/statuses/2/activity", fake.noteOf(ana+"/statuses/2", "", "<p>only for some</p>", false))
		feed, err := n.store.CoopFeed(ctx, c.ID, 10)
		if err != nil || len(feed) != 1 || feed[0].Text != "Hola fediverso" || strings.Contains(feed[0].Content, "onerror") {
			t.Fatalf("feed: %+v %v", feed, err)
		}
		handle := "@ana@" + strings.TrimPrefix(fake.srv.URL, "http://")
		m := newMember(t, n, "hornero")
		_, dash := m.do(http.MethodGet, "/dashboard/follows", nil)
		for _, want := range []string{"<strong>Ana</strong>", handle, "Hola fediverso", `href="` + ana + `/statuses/1"`,
			`>Ana</a> <span class="handle-line">` + handle} {
			if !strings.Contains(dash, want) {
				t.Fatalf("the dashboard lacks %q", want)
			}
		}
		if strings.Contains(dash, ">"+ana+"</a>") {
			t.Error("the following list shows a raw actor URL")
		}
		// A suspended account (Mastodon's Update with "suspended") leaves
		// following too.
		bob := fake.actorID("bob")
		flBob, err := n.fed.CoopFollow(ctx, n.admin, "hornero", bob)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := fake.send(inbox, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": bob + "#accepts/1",
			"type": "Accept", "actor": bob, "object": map[string]any{"id": flBob.FollowID, "type": "Follow", "actor": c.APID, "object": bob}})
		if follows, _ := n.store.CoopFollows(ctx, c.ID); st != http.StatusForbidden || len(follows) != 2 {
			// ana's key does not sign for bob: refused.
			t.Fatalf("bob's accept signed by ana: %d, %d follows", st, len(follows))
		}
		st, _ = fake.sendRaw(inbox, mustJSON(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": bob + "#suspend",
			"type": "Update", "actor": bob, "object": map[string]any{"id": bob, "type": "Person", "suspended": true}}),
			bob+"#main-key", fake.key, nil)
		if st != http.StatusAccepted {
			t.Fatalf("bob's suspension: %d", st)
		}
		if follows, err := n.store.CoopFollows(ctx, c.ID); err != nil || len(follows) != 1 || follows[0].Target != ana {
			t.Fatalf("following after a suspension: %+v %v", follows, err)
		}
		if st := fake.remove(inbox, ana+"#delete", ana); st != http.StatusAccepted {
			t.Fatalf("the account's delete: %d", st)
		}
		if follows, err := n.store.CoopFollows(ctx, c.ID); err != nil || len(follows) != 0 {
			t.Fatalf("following after the account's Delete: %+v %v", follows, err)
		}
		if feed, _ := n.store.CoopFeed(ctx, c.ID, 10); len(feed) != 0 {
			t.Fatalf("feed after the account's Delete: %+v", feed)
		}
		if _, dash = m.do(http.MethodGet, "/dashboard/follows", nil); strings.Contains(dash, "Hola fediverso") {
			t.Error("the dashboard still shows the deleted account's post")
		}
	})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
