package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// testScripts: text in any script is stored and found alike on every
// engine, local or aggregated: Japanese and Chinese, written without
// spaces between words, Arabic, emoji, and words longer than a search
// token whose cut falls inside a character.
func testScripts(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	e.Coop(t, "gcoop", "AR", 40)
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	// One Latin letter, then two-byte letters: a cut at 64 bytes falls
	// inside the 32nd of them.
	long := "x" + strings.Repeat("ж", 40)
	cases := []struct {
		title, description string
		queries            []string
	}{
		{"東京のソフトウェアエンジニアを募集しています", "私たちは労働者協同組合です。バックエンドの開発者とインフラ担当を募集しています。",
			[]string{"エンジニア", "ソフトウェアエンジニア", "開発者", `"インフラ担当"`, "東京のソフトウェアエンジニアを募集しています"}},
		{"我们正在招聘后端软件工程师和前端开发人员", "我们是一家工人合作社，欢迎远程工作的工程师加入我们的团队。",
			[]string{"工程师", "合作社", "后端软件工程师"}},
		{"مطور برمجيات في تعاونية عمالية", "نبحث عن مطورة برمجيات للعمل عن بعد في تعاونية يملكها العاملون.",
			[]string{"برمجيات", "تعاونية", "يملكها"}},
		{"🚀🚀🚀 Rust developer 🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀", "🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀 Embedded 👩🏽‍💻 work.",
			[]string{"rust", "embedded"}},
		{"Analista " + long, "Palabra larga: " + long + ".", []string{long}},
	}
	for i, tc := range cases {
		local, err := e.Svc.CreateJob(e.Context, e.Admin, "gcoop", directory.Job{Title: tc.title, Description: tc.description,
			Remote: directory.RemoteFull, EmploymentType: directory.FullTime, ApplyEmail: "jobs@gcoop.example"})
		if err != nil {
			t.Fatalf("creating %q: %v", tc.title, err)
		}
		remote := remoteJob("https://ethix.example/jobs/"+string(rune('a'+i)), rc.APID, tc.title, Start)
		remote.Description = tc.description
		if err := e.Store.UpsertRemoteJob(e.Context, remote); err != nil {
			t.Fatalf("storing the remote %q: %v", tc.title, err)
		}
		got, err := e.Store.JobByAPID(e.Context, local.APID)
		if err != nil || got.Title != tc.title || got.Description != tc.description {
			t.Fatalf("read back: %+v %v", got, err)
		}
		// An edit is indexed the same way.
		title := tc.title + " 2"
		if _, err := e.Svc.UpdateJob(e.Context, e.Admin, local.APID, directory.JobPatch{Title: &title}); err != nil {
			t.Fatalf("updating %q: %v", tc.title, err)
		}
		for _, q := range tc.queries {
			res := search(t, e, directory.JobQuery{Text: directory.ParseQuery(q), Facets: true})
			eq(t, "q="+q, sortedTitles(res.Items), []string{tc.title, title})
			res = search(t, e, directory.JobQuery{Text: directory.ParseQuery(q), Sort: directory.SortRelevance})
			eq(t, "by relevance q="+q, res.Total, 2)
		}
	}
	// Co-ops too.
	if _, err := e.Svc.CreateCoop(e.Context, e.Admin, directory.Coop{Handle: "tokyo", Name: "東京ソフトウェア開発労働者協同組合",
		Summary: "ソフトウェア開発を行う労働者協同組合です。", Country: "JP", Workers: 12}); err != nil {
		t.Fatalf("a co-op with a Japanese name: %v", err)
	}
	for _, q := range []string{"協同組合", "ソフトウェア開発"} {
		p, err := e.Svc.ListCoops(e.Context, directory.CoopQuery{Text: directory.ParseQuery(q)})
		if err != nil || p.Total != 1 || p.Items[0].Handle != "tokyo" {
			t.Fatalf("co-ops q=%s: %+v %v", q, p, err)
		}
	}
	// A search box cut in the middle of a character still searches.
	res := search(t, e, directory.JobQuery{Text: directory.ParseQuery(strings.Repeat("a", 499) + "開発者")})
	eq(t, "a cut query", res.Total, 0)
	res = search(t, e, directory.JobQuery{Text: directory.ParseQuery(strings.Repeat("開", 400))})
	eq(t, "a long query", res.Total, 0)
}

// testUncheckedText: text that reaches the store unchecked — a browser's
// User-Agent, a remote server's error, a remote actor's names — is stored
// on every engine even when it is not UTF-8, holds NUL or was cut inside
// a character.
func testUncheckedText(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	_, link, err := e.Svc.InviteUser(e.Context, e.Admin, "ana@soberaniax.example", true, "")
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.Svc.AcceptLink(e.Context, link, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	agent := strings.Repeat("a", 199) + "ж bot \xff\x00"
	if _, _, err := e.Svc.StartSession(e.Context, u, agent); err != nil {
		t.Fatalf("a session from %q: %v", agent, err)
	}
	ss, err := e.Svc.Sessions(e.Context, u.ID)
	if err != nil || len(ss) != 1 || ss[0].UserAgent != strings.Repeat("a", 199) {
		t.Fatalf("sessions: %+v %v", ss, err)
	}

	d := directory.Delivery{Inbox: "https://m.example/inbox", Signer: "s", ActivityID: "a", Body: []byte(`{}`),
		NextAttemptAt: Start, CreatedAt: Start}
	if err := e.Store.EnqueueDeliveries(e.Context, []directory.Delivery{d, d}); err != nil {
		t.Fatal(err)
	}
	got, err := e.Store.ClaimDeliveries(e.Context, "m.example", Start, time.Minute, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("claim: %v %v", got, err)
	}
	cut := ("503: " + strings.Repeat("服务不可用", 40))[:500]
	if err := e.Store.DeliveryRetry(e.Context, got[0].ID, 1, Start, cut, Start); err != nil {
		t.Fatalf("retry with %q: %v", cut, err)
	}
	if err := e.Store.DeliveryDead(e.Context, got[1].ID, 9, "400: \xfe\xff\x00 bad", Start); err != nil {
		t.Fatalf("dead letter: %v", err)
	}
	failed, err := e.Store.Deliveries(e.Context, directory.DeliveryFailed, 10)
	if err != nil || len(failed) != 1 || failed[0].LastError != "400:  bad" {
		t.Fatalf("failed: %+v %v", failed, err)
	}

	// A remote actor's names and key, as another server wrote them.
	a := &directory.RemoteActor{APID: "https://mastodon.example/users/nul", Type: "Person", Username: "n\x00ul\xff",
		Host: "mastodon.example", Name: "Ana\x00 \xfe\xffLópez", Inbox: "https://mastodon.example/users/nul/inbox",
		KeyID: "https://mastodon.example/users/nul#main-key\x00", PublicPEM: "pem\x00", Document: []byte("{\"name\":\"\\u0000\"}"),
		ETag: "\"e\x00\"", FetchedAt: Start}
	if err := e.Store.PutRemoteActor(e.Context, a); err != nil {
		t.Fatalf("a remote actor with NUL in its names: %v", err)
	}
	ra, err := e.Store.RemoteActor(e.Context, a.APID)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "the remote actor read back", []string{ra.Username, ra.Name, ra.KeyID, ra.PublicPEM, ra.ETag, string(ra.Document)},
		[]string{"nul", "Ana López", "https://mastodon.example/users/nul#main-key", "pem", "\"e\"", "{\"name\":\"\\u0000\"}"})
}
