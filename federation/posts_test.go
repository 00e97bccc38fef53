package federation_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

// TestAggregatedJobKeepsCityAndFormatting: across two nodes, a job's
// description keeps its formatting and links, an on-site job's city and a
// remote job's city survive aggregation, and the aggregating node's page
// renders the description through its allow-list.
func TestAggregatedJobKeepsCityAndFormatting(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		a := newNode(t, open, "SoberaniaX", "soberaniax")
		b := newNode(t, open, "EthiX", "ethix")
		ctx := t.Context()
		a.coop("gcoop")
		desc := "We build **boards**.\n\n- solder\n- test\n\nSee [our shop](https://gcoop.example/shop). <script>alert(1)</script>"
		onsite, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: "Soldering technician", Description: desc,
			Remote: "onsite", Country: "AR", City: "Córdoba", EmploymentType: "full_time", Languages: []string{"es"},
			ApplyEmail: "jobs@gcoop.example"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.svc.CreateJob(ctx, a.admin, "gcoop", directory.Job{Title: "Remote firmware engineer", Description: "Firmware.",
			Remote: "remote", Country: "AR", City: "Rosario", EmploymentType: "contract", Languages: []string{"en"},
			ApplyURL: "https://gcoop.example/apply"}); err != nil {
			t.Fatal(err)
		}
		if st, f := b.api("POST", "/api/v1/admin/follows", `{"target":"soberaniax@`+a.host()+`"}`); st != 202 {
			t.Fatalf("follow: %d %v", st, f)
		}
		eventually(t, "the backfilled jobs", func() bool { return len(b.search("q=soldering")) == 1 && len(b.search("q=firmware")) == 1 })
		for q, city := range map[string]string{"soldering": "Córdoba", "firmware": "Rosario"} {
			_, res := b.api("GET", "/api/v1/jobs?q="+q, "")
			job := res["items"].([]any)[0].(map[string]any)
			if job["city"] != city {
				t.Errorf("%s: city %v, want %s", q, job["city"], city)
			}
		}
		_, res := b.api("GET", "/api/v1/jobs?q=soldering", "")
		job := res["items"].([]any)[0].(map[string]any)
		if job["description"] != desc {
			t.Errorf("description: %q", job["description"])
		}
		// The aggregating node's page for the job.
		_, _, page := get(t, b.url()+"/jobs/"+url.PathEscape(onsite.APID), "text/html")
		html := string(page)
		if !strings.Contains(html, "<strong>boards</strong>") || !strings.Contains(html, "<li>solder</li>") ||
			!strings.Contains(html, `href="https://gcoop.example/shop"`) || strings.Contains(html, "alert(1)</script>") {
			t.Errorf("the aggregated job's page:\n%s", html)
		}
	})
}

// TestNoteForFollowers: what a follower's server gets for a job in two
// languages: one contentMap entry per language with its labels, content
// in the first, the co-op mentioned as Mastodon writes mentions, how to
// apply and until when, the job's page as url, no bare URL line and no
// Link attachment, and the co-op's current name.
func TestNoteForFollowers(t *testing.T) {
	eachEngine(t, func(t *testing.T, open opener) {
		n := newNode(t, open, "SoberaniaX", "soberaniax")
		ctx := t.Context()
		coop := n.coop("gcoop")
		until := time.Now().Add(40 * 24 * time.Hour).UTC()
		job, err := n.svc.CreateJob(ctx, n.admin, "gcoop", directory.Job{Title: "Desarrolladora Go", Description: "APIs *rápidas*.",
			Remote: "onsite", Country: "AR", City: "Rosario", EmploymentType: "part_time", Languages: []string{"es", "en"},
			Salary:     &directory.Salary{Min: 2500, Max: 3500, Currency: "USD", Period: "month"},
			ApplyEmail: "jobs@gcoop.example", ValidThrough: until})
		if err != nil {
			t.Fatal(err)
		}
		name := "Cooperativa GCoop"
		if _, err := n.svc.UpdateCoop(ctx, n.admin, "gcoop", directory.CoopPatch{Name: &name}); err != nil {
			t.Fatal(err)
		}
		note := getAS(t, job.APID)
		cm := note["contentMap"].(map[string]any)
		if len(cm) != 2 || note["content"] != cm["es"] || note["url"] != job.APID {
			t.Fatalf("contentMap: %v", note)
		}
		esMonths := []string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"}
		enDate := until.Format("2 Jan 2006")
		esDate := strings.Replace(enDate, until.Format("Jan"), esMonths[until.Month()-1], 1)
		mention := `<span class="h-card" translate="no"><a href="` + coop.APID + `" class="u-url mention">@<span>gcoop</span></a></span>`
		for lang, wants := range map[string][]string{
			"es": {"en Cooperativa GCoop", "Presencial · Rosario, Argentina", "Media jornada", "USD 2.500–3.500 por mes",
				"Postulación por correo: <a href=\"mailto:jobs@gcoop.example\">", "Postulaciones hasta el " + esDate, "<em>rápidas</em>"},
			"en": {"at Cooperativa GCoop", "On-site · Rosario, Argentina", "Part-time", "USD 2,500–3,500 a month",
				"Apply by e-mail: <a href=\"mailto:jobs@gcoop.example\">", "Applications until " + enDate},
		} {
			c := cm[lang].(string)
			// The title links the job's page, which Mastodon previews.
			title := `<strong><a href="` + job.APID + `">Desarrolladora Go</a></strong>`
			for _, w := range append(wants, mention, title) {
				if !strings.Contains(c, w) {
					t.Errorf("%s lacks %q: %s", lang, w, c)
				}
			}
			if strings.Contains(c, ">"+job.APID+"<") {
				t.Errorf("%s has a bare URL line: %s", lang, c)
			}
		}
		if _, has := note["attachment"]; has {
			t.Errorf("the Note has an attachment: %v", note["attachment"])
		}
		var mentions []any
		for _, tag := range note["tag"].([]any) {
			if m := tag.(map[string]any); m["type"] == "Mention" {
				mentions = append(mentions, m)
				if m["href"] != coop.APID || m["name"] != "@gcoop@"+n.host() {
					t.Errorf("mention: %v", m)
				}
			}
		}
		if len(mentions) != 1 {
			t.Errorf("mentions: %v", mentions)
		}
		if src := note["source"].(map[string]any); src["content"] != "APIs *rápidas*." || src["mediaType"] != "text/markdown" {
			t.Errorf("source: %v", src)
		}
		// A job in a language without labels of its own gets English ones.
		fr, err := n.svc.CreateJob(ctx, n.admin, "gcoop", directory.Job{Title: "Développeuse", Description: "Go.",
			Remote: "remote", EmploymentType: "full_time", Languages: []string{"fr"}, ApplyURL: "https://gcoop.example/apply"})
		if err != nil {
			t.Fatal(err)
		}
		frNote := getAS(t, fr.APID)
		if c := frNote["contentMap"].(map[string]any)["fr"].(string); !strings.Contains(c, "Remote") || !strings.Contains(c, "Apply:") {
			t.Errorf("fr: %s", c)
		}
	})
}

// TestFederationActorProfile: the federation's actor is a Service (shown
// as automated by Mastodon) with an avatar the node serves as PNG and
// profile fields; the instance actor has a featured collection.
func TestFederationActorProfile(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "SoberaniaX", "soberaniax")
	n.coop("gcoop")
	n.coop("fiqus")
	fed := getAS(t, n.url()+"/federation")
	if fed["type"] != "Service" || fed["members"] != n.url()+"/federation/members" {
		t.Fatalf("federation actor: %v", fed)
	}
	icon := fed["icon"].(map[string]any)
	if icon["mediaType"] != "image/png" {
		t.Fatalf("icon: %v", icon)
	}
	status, ct, body := get(t, icon["url"].(string), "")
	if status != http.StatusOK || ct != "image/png" {
		t.Fatalf("avatar: %d %s", status, ct)
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil || img.Bounds().Dx() != 400 {
		t.Fatalf("avatar: %v", err)
	}
	fields := map[string]string{}
	for _, f := range fed["attachment"].([]any) {
		m := f.(map[string]any)
		if m["type"] != "PropertyValue" {
			t.Fatalf("field: %v", m)
		}
		fields[m["name"].(string)] = m["value"].(string)
	}
	if fields["Members"] != "2 co-ops" || fields["Countries"] != "Argentina" || !strings.Contains(fields["Website"], n.url()+"/") {
		t.Fatalf("fields: %v", fields)
	}
	// Every actor publishes an Ed25519 key as a Multikey, read back as
	// other nodes read it; it stays the same from one fetch to the next.
	for _, id := range []string{n.url() + "/federation", n.url() + "/coops/gcoop", n.url() + "/actor"} {
		_, _, doc := get(t, id, federation.ContentTypeAS)
		a, err := federation.ParseActor(id, doc)
		if err != nil || len(a.Keys) != 1 || a.Keys[0].ID != id+"#ed25519-key" {
			t.Fatalf("%s: %+v %v", id, a, err)
		}
		_, _, again := get(t, id, federation.ContentTypeAS)
		b, _ := federation.ParseActor(id, again)
		if _, err := federation.ParseMultikey(a.Keys[0].Public); err != nil || b.Keys[0] != a.Keys[0] {
			t.Fatalf("%s: %v %v", id, a.Keys, b.Keys)
		}
	}
	inst := getAS(t, n.url()+"/actor")
	if inst["featured"] != n.url()+"/actor/featured" {
		t.Fatalf("instance actor: %v", inst)
	}
	if got := getAS(t, n.url()+"/actor/featured"); got["type"] != "OrderedCollection" || got["totalItems"] != 0.0 {
		t.Fatalf("featured: %v", got)
	}
	// The context document defines every colmena: term under the one
	// namespace.
	ns := getJSON(t, n.url()+"/ns")["@context"].(map[string]any)
	if ns["colmena"] != federation.Namespace || ns["colmena:remote"].(map[string]any)["@id"] != federation.Namespace+"remote" {
		t.Fatalf("/ns: %v", ns)
	}
}

func getJSON(t testing.TB, url string) map[string]any {
	t.Helper()
	status, _, body := get(t, url, "")
	if status != 200 {
		t.Fatalf("GET %s: %d %s", url, status, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
