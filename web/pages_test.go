package web_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// page fetches path with extra headers and returns the response and body.
func page(t *testing.T, base, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// pagesNode is a node with a co-op, two jobs (one with hostile text) and a
// closed job.
func pagesNode(t *testing.T, open teststore.Opener) (*nodetest.Node, *directory.Job, *directory.Job) {
	t.Helper()
	n := nodetest.New(t, open, "SoberaniaX", "soberaniax")
	n.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero Cooperativa", Country: "AR", City: "Rosario", Workers: 26,
		Skills: []string{"go"}, Languages: []string{"es"}, Summary: "Software libre."})
	goJob := n.Job(t, "hornero", directory.Job{Title: "Desarrolladora Go", Description: "APIs en **Go**.", Skills: []string{"go"},
		Remote: directory.RemoteFull, Country: "AR", EmploymentType: directory.FullTime, Languages: []string{"es"},
		Salary: &directory.Salary{Min: 1800000, Max: 2400000, Currency: "ARS", Period: directory.PerMonth}, ApplyEmail: "jobs@hornero.example"})
	evil := n.Job(t, "hornero", directory.Job{Title: `Evil </script><script>alert(1)</script>`, Description: `<img src=x onerror=alert(1)> text`,
		Skills: []string{"rust"}, Remote: directory.RemoteHybrid, Country: "AR", City: "Rosario", EmploymentType: directory.Contract,
		ApplyURL: "https://hornero.example/apply"})
	return n, goJob, evil
}

func TestPagesLanguage(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		paths := []string{"/", "/?skill=go", "/coops", "/coops/hornero", "/federation", "/stats", "/nothing/here", "/login"}
		for _, tc := range []struct {
			accept, lang, word string
		}{
			{"", "en", "Jobs"},
			{"es-AR,es;q=0.9,en;q=0.5", "es", "Empleos"},
			{"fr-FR, es;q=0.5", "es", "Empleos"},
			{"de", "en", "Jobs"},
		} {
			for _, p := range paths {
				resp, body := page(t, n.URL, p, "Accept-Language", tc.accept)
				if !strings.Contains(body, `<html lang="`+tc.lang+`">`) || resp.Header.Get("Content-Language") != tc.lang {
					t.Errorf("%s with Accept-Language %q: want lang %s, got %q %.200s", p, tc.accept, tc.lang, resp.Header.Get("Content-Language"), body)
				}
				if !strings.Contains(body, ">"+tc.word+"</a>") {
					t.Errorf("%s in %s lacks the navigation word %q", p, tc.lang, tc.word)
				}
				if vary := strings.Join(resp.Header.Values("Vary"), ", "); !strings.Contains(vary, "Accept-Language") {
					t.Errorf("%s: Vary %q", p, vary)
				}
			}
		}
		// Numbers and dates follow the language.
		_, en := page(t, n.URL, "/?skill=go")
		_, es := page(t, n.URL, "/?skill=go", "Accept-Language", "es")
		if !strings.Contains(en, "ARS 1,800,000–2,400,000 a month") || !strings.Contains(es, "ARS 1.800.000–2.400.000 por mes") {
			t.Errorf("salary not formatted per language")
		}
		_, enJob := page(t, n.URL, "/coops/hornero")
		if !strings.Contains(enJob, "Remote, from Argentina") {
			t.Errorf("country names in English")
		}
		_, esJob := page(t, n.URL, "/coops/hornero", "Accept-Language", "es")
		if !strings.Contains(esJob, "Remoto, desde Argentina") {
			t.Errorf("country names in Spanish")
		}

		// The remembered choice wins over the browser's languages.
		resp, _ := page(t, n.URL, "/lang/es?next=/stats%3Fx%3D1")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/stats?x=1" {
			t.Fatalf("language switch: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		var cookie *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "lang" {
				cookie = c
			}
		}
		if cookie == nil || cookie.Value != "es" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.MaxAge < 86400 {
			t.Fatalf("language cookie: %+v", cookie)
		}
		if _, body := page(t, n.URL, "/", "Accept-Language", "en", "Cookie", "lang=es"); !strings.Contains(body, `<html lang="es">`) {
			t.Error("the cookie does not choose the language")
		}
		if _, body := page(t, n.URL, "/", "Accept-Language", "es", "Cookie", "lang=xx"); !strings.Contains(body, `<html lang="es">`) {
			t.Error("an unknown cookie value should fall back to Accept-Language")
		}
		// Never a redirect to another site.
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
			resp, _ := page(t, n.URL, "/lang/en?next="+url.QueryEscape(next))
			if loc := resp.Header.Get("Location"); loc != "/" {
				t.Errorf("next=%s redirects to %q", next, loc)
			}
		}
		if resp, _ := page(t, n.URL, "/lang/xx"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown language: %d", resp.StatusCode)
		}
	})
}

// TestPagesTranslated renders every page in both languages and finds no
// message id left untranslated, and checks both catalogues hold the same
// messages.
func TestPagesTranslated(t *testing.T) {
	var en, es map[string]any
	if _, err := toml.DecodeFile("locales/en.toml", &en); err != nil {
		t.Fatal(err)
	}
	if _, err := toml.DecodeFile("locales/es.toml", &es); err != nil {
		t.Fatal(err)
	}
	for k := range en {
		if _, ok := es[k]; !ok {
			t.Errorf("%s is not in Spanish", k)
		}
	}
	for k := range es {
		if _, ok := en[k]; !ok {
			t.Errorf("%s is not in English", k)
		}
	}
	n, goJob, _ := pagesNode(t, teststore.SQLite)
	jobPath := strings.TrimPrefix(goJob.APID, n.URL)
	paths := []string{"/", "/?skill=go&remote=remote&type=full_time&currency=ARS", "/?q=nothingatall", "/?remote=bad", "/coops",
		"/coops?size=10-49&country=AR", "/coops/hornero", "/coops/hornero/follow?account=bad", "/federation", "/stats", jobPath, "/nothing",
		"/login", "/password?token=x"}
	for _, lang := range []string{"en", "es"} {
		for _, p := range paths {
			_, body := page(t, n.URL, p, "Accept-Language", lang)
			for k := range en {
				if strings.Contains(body, k) {
					t.Errorf("%s in %s shows the message id %q", p, lang, k)
				}
			}
		}
	}
}

func TestPagesSearch(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, goJob, _ := pagesNode(t, open)
		resp, body := page(t, n.URL, "/?skill=go")
		if resp.StatusCode != 200 || !strings.Contains(body, ">Desarrolladora Go</a>") || strings.Contains(body, ">Evil") {
			t.Fatalf("search for go: %d\n%s", resp.StatusCode, body)
		}
		// The facet shows counts and the chosen value checked; the chip
		// removes it.
		if !regexp.MustCompile(`name="skill" value="go" checked>\s*<label for="skill-\d+">go <span class="count">1</span>`).MatchString(body) {
			t.Errorf("checked skill facet missing:\n%s", body)
		}
		if !strings.Contains(body, `class="chip" href="/"`) {
			t.Error("no chip removing the only filter")
		}
		if !strings.Contains(body, `href="/jobs.atom?skill=go"`) || !strings.Contains(body, `<link rel="alternate" type="application/atom+xml" href="/jobs.atom?skill=go"`) {
			t.Error("no feed of this search")
		}
		// A local job links to its own page.
		if !strings.Contains(body, `href="`+strings.TrimPrefix(goJob.APID, n.URL)+`"`) {
			t.Error("no link to the job page")
		}
		// Bad filters: 400 with the reason, not a 500.
		for _, q := range []string{"remote=sometimes", "type=forever", "cursor=zzz", "sort=random", "posted_within=-1"} {
			resp, body := page(t, n.URL, "/?"+q)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="notice error"`) {
				t.Errorf("/?%s: %d", q, resp.StatusCode)
			}
		}
		// Paging: a page of one job links to the next.
		if _, body := page(t, n.URL, "/?limit=1"); !strings.Contains(body, `rel="next"`) {
			t.Error("no next page")
		}
		// Security headers on pages.
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("no %s", h)
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
	})
}

func TestPagesJobAndCoop(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, goJob, evil := pagesNode(t, open)
		_, body := page(t, n.URL, strings.TrimPrefix(goJob.APID, n.URL))
		for _, want := range []string{`<h1 dir="auto">Desarrolladora Go</h1>`, `<meta property="og:title" content="Desarrolladora Go · Hornero Cooperativa">`,
			`"@type":"JobPosting"`, `>@hornero@` + n.Host + `</code>`, `<strong>Go</strong>`, "ARS 1,800,000–2,400,000 a month",
			`href="mailto:jobs@hornero.example?subject=Application%3A%20Desarrolladora%20Go%20%28via%20SoberaniaX%29"`, "Full-time", "Spanish"} {
			if !strings.Contains(body, want) {
				t.Errorf("job page lacks %s", want)
			}
		}
		// Hostile text stays text, in the page and in the JSON-LD.
		_, body = page(t, n.URL, strings.TrimPrefix(evil.APID, n.URL))
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Count(body, "</script>") != 2 {
			t.Errorf("hostile job text is live:\n%s", body)
		}
		// A deleted job is gone, said in the visitor's language.
		if err := n.Svc.DeleteJob(t.Context(), n.Admin, evil.APID); err != nil {
			t.Fatal(err)
		}
		resp, body := page(t, n.URL, strings.TrimPrefix(evil.APID, n.URL), "Accept-Language", "es")
		if resp.StatusCode != http.StatusGone || !strings.Contains(body, "Este empleo está cerrado") {
			t.Errorf("deleted job: %d", resp.StatusCode)
		}
		resp, body = page(t, n.URL, "/coops/nobody", "Accept-Language", "es")
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Página no encontrada") {
			t.Errorf("unknown co-op: %d", resp.StatusCode)
		}

		_, body = page(t, n.URL, "/coops/hornero")
		for _, want := range []string{`<span dir="auto">Hornero Cooperativa</span></h1>`, "0 followers", "1 open job", `href="/coops/hornero/jobs.atom"`,
			`action="/coops/hornero/follow"`, "Rosario, Argentina"} {
			if !strings.Contains(body, want) {
				t.Errorf("co-op page lacks %s", want)
			}
		}
		// Directory filters.
		for q, want := range map[string]bool{"": true, "?country=AR": true, "?country=GB": false, "?size=10-49": true, "?size=1-9": false,
			"?skill=go": true, "?skill=cobol": false, "?q=hornero": true} {
			_, body := page(t, n.URL, "/coops"+q)
			if got := strings.Contains(body, `<a href="/coops/hornero">Hornero Cooperativa</a>`); got != want {
				t.Errorf("/coops%s lists hornero: %v, want %v", q, got, want)
			}
		}
	})
}

// TestRemoteFollowRedirect covers the follow form without a browser:
// WebFinger of the visitor's server, its subscribe template, and the
// errors a person can act on.
func TestRemoteFollowRedirect(t *testing.T) {
	n, _, _ := pagesNode(t, teststore.SQLite)
	var home *httptest.Server
	home = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.TrimPrefix(home.URL, "http://")
		switch r.URL.Query().Get("resource") {
		case "acct:alice@" + host:
			fmt.Fprintf(w, `{"subject":"acct:alice@%s","links":[{"rel":"http://ostatus.org/schema/1.0/subscribe","template":"http://%s/authorize_interaction?uri={uri}"}]}`, host, host)
		case "acct:bob@" + host:
			fmt.Fprintf(w, `{"subject":"acct:bob@%s","links":[]}`, host)
		default:
			http.NotFound(w, r)
		}
	}))
	defer home.Close()
	host := strings.TrimPrefix(home.URL, "http://")
	resp, _ := page(t, n.URL, "/coops/hornero/follow?account="+url.QueryEscape("@alice@"+host))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != home.URL+"/authorize_interaction?uri="+url.QueryEscape("hornero@"+n.Host) {
		t.Fatalf("follow: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = page(t, n.URL, "/federation/follow?account="+url.QueryEscape("alice@"+host))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), url.QueryEscape("soberaniax@"+n.Host)) {
		t.Fatalf("follow the federation: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	for account, want := range map[string]struct {
		status int
		text   string
	}{
		"":                     {400, "Type your handle"},
		"alice":                {400, "A handle looks like"},
		"bob@" + host:          {422, "does not offer following"},
		"carol@" + host:        {422, "did not answer"},
		"x@127.0.0.1:1":        {422, "did not answer"},
		"alice@evil.example/x": {400, "A handle looks like"},
	} {
		resp, body := page(t, n.URL, "/coops/hornero/follow?account="+url.QueryEscape(account))
		if resp.StatusCode != want.status || !strings.Contains(body, want.text) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("account %q: %d, want %d with %q", account, resp.StatusCode, want.status, want.text)
		}
	}
}

type atomFeed struct {
	Title   string `xml:"title"`
	Entries []struct {
		Title string `xml:"title"`
		ID    string `xml:"id"`
		Link  struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

type rssFeed struct {
	Channel struct {
		Title string `xml:"title"`
		Items []struct {
			Title string `xml:"title"`
			Link  string `xml:"link"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestFeeds(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, goJob, _ := pagesNode(t, open)
		resp, body := page(t, n.URL, "/jobs.atom?skill=go")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("atom: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var a atomFeed
		if err := xml.Unmarshal([]byte(body), &a); err != nil {
			t.Fatal(err)
		}
		if len(a.Entries) != 1 || a.Entries[0].ID != goJob.APID || a.Entries[0].Link.Href != goJob.APID || !strings.Contains(a.Entries[0].Title, "Desarrolladora Go") {
			t.Errorf("atom entries: %+v", a.Entries)
		}
		resp, body = page(t, n.URL, "/jobs.rss", "Accept-Language", "es")
		var r rssFeed
		if err := xml.Unmarshal([]byte(body), &r); err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/rss+xml") {
			t.Fatal(err, resp.Header.Get("Content-Type"))
		}
		if len(r.Channel.Items) != 2 || !strings.HasPrefix(r.Channel.Title, "Empleos en") {
			t.Errorf("rss: %+v", r.Channel)
		}
		_, body = page(t, n.URL, "/coops/hornero/jobs.atom")
		a = atomFeed{}
		if err := xml.Unmarshal([]byte(body), &a); err != nil || len(a.Entries) != 2 || a.Title != "Jobs at Hornero Cooperativa" {
			t.Errorf("co-op feed: %v %+v", err, a)
		}
		if resp, _ := page(t, n.URL, "/jobs.atom?remote=never"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("bad feed query: %d", resp.StatusCode)
		}
		if resp, _ := page(t, n.URL, "/coops/nobody/jobs.rss"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("feed of an unknown co-op: %d", resp.StatusCode)
		}
	})
}

func TestStaticAssets(t *testing.T) {
	n, _, _ := pagesNode(t, teststore.SQLite)
	_, body := page(t, n.URL, "/")
	m := regexp.MustCompile(`href="(/static/style\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no hashed style sheet")
	}
	resp, css := page(t, n.URL, m[1])
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("hashed asset: %d %v", resp.StatusCode, resp.Header)
	}
	disk, err := os.ReadFile("static/style.css")
	if err != nil || css != string(disk) {
		t.Error("served style sheet differs from the source")
	}
	if resp, _ := page(t, n.URL, "/static/style.css?v=old"); strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Error("a stale hash must not be cached for good")
	}
	if resp, _ := page(t, n.URL, "/static/nothing.js"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown asset: %d", resp.StatusCode)
	}
}
