package federation

import (
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// TestHTMLToMarkdown: a description from a server that sends HTML only
// keeps its paragraphs, lists, emphasis, code and http(s)/mailto links
// as Markdown; scripts, styles, other elements and other links' targets
// go, their text staying.
func TestHTMLToMarkdown(t *testing.T) {
	cases := []struct{ in, want string }{
		{`<p>We build <strong>boards</strong> and <em>firmware</em>.</p><p>Second.</p>`,
			"We build **boards** and *firmware*.\n\nSecond."},
		{`<ul><li>solder</li><li>test <code>i2c</code></li></ul><ol><li>one</li><li>two</li></ol>`,
			"- solder\n- test `i2c`\n\n1. one\n2. two"},
		{`<p>See <a href="https://gcoop.example/shop" onclick="x()">our shop</a> or <a href="mailto:a@b.example">mail</a>.</p>`,
			"See [our shop](https://gcoop.example/shop) or [mail](mailto:a@b.example)."},
		{`<p><a href="javascript:alert(1)">click</a><script>alert(1)</script><style>p{}</style><img src=x onerror=y>ok</p>`,
			"clickok"},
		{`<p>line one<br>line two</p><blockquote>quoted</blockquote>`, "line one  \nline two\n\n> quoted"},
		{`<p>2 * 3 = [six] _not_ <b>x</b></p>`, `2 \* 3 = \[six\] \_not\_ **x**`},
		{`<pre><code>a := 1
b := 2</code></pre>`, "```\na := 1\nb := 2\n```"},
	}
	for _, c := range cases {
		if got := htmlToMarkdown(c.in); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	// What the pages make of it keeps the formatting and the link, and
	// nothing the allow-list refuses.
	md := newMarkdown()
	out := md.HTML(htmlToMarkdown(`<p>See <a href="https://gcoop.example/shop">our shop</a></p><ul><li><strong>go</strong></li></ul><script>x</script>`))
	for _, want := range []string{`<a href="https://gcoop.example/shop" rel="nofollow noopener" target="_blank">our shop</a>`, "<li><strong>go</strong></li>"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered %s lacks %s", out, want)
		}
	}
	if strings.Contains(out, "script") {
		t.Errorf("rendered %s", out)
	}
}

// TestNoteDescriptionSource: a Note's Markdown source is the job's
// description; without one, its jobPosting's HTML description is read as
// Markdown; a source of another media type is not taken.
func TestNoteDescriptionSource(t *testing.T) {
	base := `{"id": "https://a.example/jobs/1", "type": "Note", "attributedTo": "https://a.example/coops/a",
		"published": "2026-05-01T10:00:00Z", "content": "<p>Job</p>", %s
		"jobPosting": {"@type": "sdo:JobPosting", "sdo:title": "Job", "sdo:employmentType": "FULL_TIME",
			"sdo:description": "<p>From <em>HTML</em>.</p>", "colmena:remote": "remote", "sdo:jobLocationType": "TELECOMMUTE"}}`
	for _, c := range []struct{ source, want string }{
		{`"source": {"content": "From **Markdown**.\n\n- a", "mediaType": "text/markdown"},`, "From **Markdown**.\n\n- a"},
		{``, "From *HTML*."},
		{`"source": {"content": "<b>x</b>", "mediaType": "text/html"},`, "From *HTML*."},
		{`"source": "nonsense",`, "From *HTML*."},
	} {
		j, err := jobFromNote([]byte(strings.Replace(base, "%s", c.source, 1)))
		if err != nil {
			t.Fatalf("%s: %v", c.source, err)
		}
		if j.Description != c.want {
			t.Errorf("%s: %q, want %q", c.source, j.Description, c.want)
		}
	}
}

// TestOlderNamespace: a Note from a node that bound colmena: to its own
// http://HOST/ns# reads as one under the shared Namespace.
func TestOlderNamespace(t *testing.T) {
	note := func(ns string) string {
		return `{"@context": ["https://www.w3.org/ns/activitystreams", {"sdo": "https://schema.org/", "colmena": "` + ns + `",
			"jobPosting": {"@id": "colmena:jobPosting"}}],
		"id": "https://a.example/jobs/1", "type": "Note", "attributedTo": "https://a.example/coops/a",
		"published": "2026-05-01T10:00:00Z", "content": "<p>Job</p>",
		"jobPosting": {"@type": "sdo:JobPosting", "sdo:title": "Job", "sdo:employmentType": "PART_TIME",
			"sdo:description": "<p>Hi</p>", "colmena:remote": "hybrid", "colmena:applyEmail": "jobs@a.example",
			"colmena:hoursPerWeek": 20, "colmena:seniority": "senior",
			"sdo:jobLocation": {"@type": "sdo:Place", "sdo:address": {"@type": "sdo:PostalAddress", "sdo:addressCountry": "AR", "sdo:addressLocality": "Rosario"}}}}`
	}
	old, err := jobFromNote([]byte(note("http://a.example/ns#")))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := jobFromNote([]byte(note(Namespace)))
	if err != nil {
		t.Fatal(err)
	}
	if old.Remote != "hybrid" || old.ApplyEmail != "jobs@a.example" || old.HoursPerWeek != 20 || old.Seniority != "senior" || old.City != "Rosario" {
		t.Fatalf("older node's Note: %+v", old)
	}
	if old.Remote != cur.Remote || old.ApplyEmail != cur.ApplyEmail || old.HoursPerWeek != cur.HoursPerWeek || old.Seniority != cur.Seniority {
		t.Fatalf("%+v\n%+v", old, cur)
	}
}

// TestFederationActorTypes: a federation is told by its members
// collection, as a Service (nodes now) or an Organization (nodes before);
// a Service without members is no federation, and a federation whose
// username is its host's name is no instance actor.
func TestFederationActorTypes(t *testing.T) {
	fed := []byte(`{"id": "https://a.example/federation", "members": "https://a.example/federation/members"}`)
	bot := []byte(`{"id": "https://a.example/users/bot"}`)
	for _, c := range []struct {
		a               directory.RemoteActor
		fed, inst, coop bool
	}{
		{directory.RemoteActor{Type: "Service", Username: "a.example", Host: "a.example", Document: fed}, true, false, false},
		{directory.RemoteActor{Type: "Organization", Username: "fed", Host: "a.example", Document: fed}, true, false, false},
		{directory.RemoteActor{Type: "Service", Username: "bot", Host: "a.example", Document: bot}, false, false, false},
		{directory.RemoteActor{Type: "Service", Username: "a.example", Host: "a.example", Document: bot}, false, true, false},
		{directory.RemoteActor{Type: "Person", Username: "fed", Host: "a.example", Document: fed}, false, false, false},
	} {
		if isFederationActor(&c.a) != c.fed || isInstanceActor(&c.a) != c.inst || isCoopActor(&c.a) != c.coop {
			t.Errorf("%s %s %s: federation %v instance %v co-op %v", c.a.Type, c.a.Username, c.a.Document,
				isFederationActor(&c.a), isInstanceActor(&c.a), isCoopActor(&c.a))
		}
	}
}
