package web_test

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestSearchPhoneFilters: the search page carries the "Filters (n)"
// button phones show, a link to the filters that follow the results when
// there is no script; n counts the filters set, not the words searched.
func TestSearchPhoneFilters(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		_, body := page(t, n.URL, "/?q=go&skill=go&remote=remote")
		for _, want := range []string{`<a class="filters-toggle" href="#filters" aria-controls="filters">Filters (2)</a>`,
			`<aside class="filters" id="filters"`} {
			if !strings.Contains(body, want) {
				t.Errorf("search page lacks %s", want)
			}
		}
		if strings.Index(body, `class="filters-toggle"`) > strings.Index(body, `id="filters"`) {
			t.Error("the filter button comes after the filters")
		}
		_, body = page(t, n.URL, "/", "Accept-Language", "es")
		if !strings.Contains(body, `aria-controls="filters">Filtros</a>`) {
			t.Error("with no filter set the Spanish button should say Filtros")
		}
		_, body = page(t, n.URL, "/?country=AR", "Accept-Language", "es")
		if !strings.Contains(body, `aria-controls="filters">Filtros (1)</a>`) {
			t.Error("Spanish button with one filter")
		}
	})
}

// TestSearchCoopChip: coop= shows as a chip naming the co-op, which
// removes it; the button counts it.
func TestSearchCoopChip(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		for _, ref := range []string{"hornero", "hornero@" + n.Host, n.URL + "/coops/hornero"} {
			_, body := page(t, n.URL, "/?skill=go&coop="+url.QueryEscape(ref))
			chip := regexp.MustCompile(`<a class="chip" href="([^"]*)"[^>]*><span class="legend">Co-op:</span> Hornero Cooperativa`).FindStringSubmatch(body)
			if chip == nil {
				t.Fatalf("coop=%s: no chip naming the co-op", ref)
			}
			if strings.Contains(chip[1], "coop=") || !strings.Contains(chip[1], "skill=go") {
				t.Errorf("coop=%s: the chip's link %s should drop the co-op and keep the rest", ref, chip[1])
			}
			if !strings.Contains(body, "Filters (2)") {
				t.Errorf("coop=%s: the filter count leaves the co-op out", ref)
			}
		}
		_, body := page(t, n.URL, "/?coop=nobody")
		if !strings.Contains(body, `<span class="legend">Co-op:</span> nobody`) {
			t.Error("an unknown co-op's chip should show what was asked for, so it can be removed")
		}
		_, body = page(t, n.URL, "/?coop=hornero", "Accept-Language", "es")
		if !strings.Contains(body, `<span class="legend">Cooperativa:</span>`) {
			t.Error("Spanish co-op chip")
		}
	})
}

var (
	nextRE = regexp.MustCompile(`<a href="([^"]*)" rel="next"`)
	prevRE = regexp.MustCompile(`<a href="([^"]*)" rel="prev"`)
	pageRE = regexp.MustCompile(`<span class="page-of" aria-current="page">([^<]*)</span>`)
	cardRE = regexp.MustCompile(`<h3 dir="auto"><a href="[^"]*">([^<]*)</a></h3>`)
)

// TestSearchPaging: Next, Previous and "Page N of M" walk the pages of a
// search, each page the same on the way back.
func TestSearchPaging(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		for i := range 3 {
			n.Job(t, "hornero", directory.Job{Title: fmt.Sprintf("Go job %d", i), Description: "Go.", Skills: []string{"go"},
				Remote: directory.RemoteFull, Country: "AR", EmploymentType: directory.FullTime, ApplyEmail: "jobs@hornero.example"})
		}
		// 4 Go jobs, 2 a page: 2 pages.
		path := "/?skill=go&limit=2"
		var seen [][]string
		for want := 1; want <= 2; want++ {
			_, body := page(t, n.URL, path)
			if m := pageRE.FindStringSubmatch(body); m == nil || m[1] != fmt.Sprintf("Page %d of 2", want) {
				t.Fatalf("page %d says %q", want, m)
			}
			var titles []string
			for _, m := range cardRE.FindAllStringSubmatch(body, -1) {
				titles = append(titles, m[1])
			}
			seen = append(seen, titles)
			if want == 1 {
				if prevRE.MatchString(body) {
					t.Error("the first page links to a previous one")
				}
				m := nextRE.FindStringSubmatch(body)
				if m == nil {
					t.Fatal("no next page")
				}
				path = strings.ReplaceAll(m[1], "&amp;", "&")
			} else if nextRE.MatchString(body) {
				t.Error("the last page links to a next one")
			}
		}
		_, body := page(t, n.URL, path)
		m := prevRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the second page has no Previous")
		}
		_, body = page(t, n.URL, strings.ReplaceAll(m[1], "&amp;", "&"))
		if p := pageRE.FindStringSubmatch(body); p == nil || p[1] != "Page 1 of 2" {
			t.Errorf("Previous leads to %q", p)
		}
		var back []string
		for _, m := range cardRE.FindAllStringSubmatch(body, -1) {
			back = append(back, m[1])
		}
		if strings.Join(back, "|") != strings.Join(seen[0], "|") || len(seen[0]) != 2 || len(seen[1]) != 2 {
			t.Errorf("pages %q, back to %q", seen, back)
		}
		// A cursor without the way back: no number, First instead.
		_, body = page(t, n.URL, "/?"+regexp.MustCompile(`prev=[^&]*&?`).ReplaceAllString(strings.SplitN(path, "?", 2)[1], ""))
		if pageRE.MatchString(body) || prevRE.MatchString(body) || !strings.Contains(body, `rel="first"`) {
			t.Error("a page reached without its trail should offer First and no number")
		}
		_, body = page(t, n.URL, "/?skill=go", "Accept-Language", "es")
		if pageRE.MatchString(body) {
			t.Error("one page needs no number")
		}
		// A forged trail is ignored, not trusted.
		forged := regexp.MustCompile(`prev=[^&]*`).ReplaceAllString(path, "prev=%3Cscript%3E")
		if forged == path {
			t.Fatalf("no trail in %s", path)
		}
		_, body = page(t, n.URL, forged)
		if resp, _ := page(t, n.URL, forged); resp.StatusCode != 200 || prevRE.MatchString(body) || pageRE.MatchString(body) {
			t.Errorf("a forged trail is used (%d)", resp.StatusCode)
		}
	})
}

// TestUserText: names, titles and summaries carry dir="auto", so a
// right-to-left name reads right; and long words are hyphenated, not cut
// anywhere.
func TestUserText(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, goJob, _ := pagesNode(t, open)
		for path, wants := range map[string][]string{
			"/":                                   {`<h3 dir="auto"><a href=`, `dir="auto">Hornero Cooperativa</a>`},
			"/coops":                              {`<h3 dir="auto"><a href="/coops/hornero">Hornero Cooperativa</a></h3>`},
			"/coops/hornero":                      {`<span dir="auto">Hornero Cooperativa</span></h1>`, `<div class="about prose" dir="auto"><p>Software libre.</p>`},
			strings.TrimPrefix(goJob.APID, n.URL): {`<h1 dir="auto">Desarrolladora Go</h1>`, `<div class="prose" dir="auto">`},
		} {
			_, body := page(t, n.URL, path)
			for _, want := range wants {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %s", path, want)
				}
			}
		}
		// The follow card shows the whole handle as text that wraps.
		_, body := page(t, n.URL, "/coops/hornero")
		if !strings.Contains(body, `<code class="handle-full" id="handle-coop" aria-labelledby="handle-coop-label" translate="no" dir="ltr">@hornero@`+n.Host+`</code>`) {
			t.Error("the follow card does not show the whole handle")
		}
	})
	css, err := os.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(css), "break-all") {
		t.Error("style.css cuts words anywhere (word-break: break-all)")
	}
	for _, rule := range []string{".prose { max-width: 48rem; overflow-wrap: break-word; hyphens: auto; }",
		".facts-list dd { margin: 0; min-width: 0; overflow-wrap: break-word; hyphens: auto; }"} {
		if !strings.Contains(string(css), rule) {
			t.Errorf("style.css lacks %s", rule)
		}
	}
}

// TestSessionsAndPasswordPage: /account names each session's browser and
// system, not its raw User-Agent; the set-password page names the account.
func TestSessionsAndPasswordPage(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		_, raw, err := n.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "ana@hornero.example", false, "hornero")
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, n.URL)
		resp, body := b.get("/password?token=" + raw)
		expect(t, "password form", resp, 200, body, `For the account <strong>ana@hornero.example</strong>`)
		if !strings.Contains(body, `autocomplete="username"`) {
			t.Error("password managers are not told the account")
		}
		_, body = b.do("GET", "/password?token="+raw, nil, "Accept-Language", "es")
		if !strings.Contains(body, `Para la cuenta <strong>ana@hornero.example</strong>`) {
			t.Error("Spanish password page does not name the account")
		}
		firefox := "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
		resp, _ = b.post("/password", url.Values{"token": {raw}, "password": {"a long password"}, "confirm": {"a long password"}}, "User-Agent", firefox)
		if resp.StatusCode != 303 {
			t.Fatalf("setting the password: %d", resp.StatusCode)
		}
		other := newBrowser(t, n.URL)
		iphone := "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
		if resp, _ := other.post("/login", url.Values{"email": {"ana@hornero.example"}, "password": {"a long password"}}, "User-Agent", iphone); resp.StatusCode != 303 {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		third := newBrowser(t, n.URL)
		if resp, _ := third.post("/login", url.Values{"email": {"ana@hornero.example"}, "password": {"a long password"}}, "User-Agent", "curl/8.5.0"); resp.StatusCode != 303 {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		_, body = b.get("/account")
		for _, want := range []string{">Firefox 133 on Windows <strong>", ">Safari 17 on iOS<", ">An unknown browser<", `title="` + firefox + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("/account lacks %q", want)
			}
		}
		if strings.Contains(body, ">"+iphone) {
			t.Error("/account shows a raw User-Agent")
		}
		_, body = b.do("GET", "/account", nil, "Accept-Language", "es")
		if !strings.Contains(body, ">Safari 17 en iOS<") {
			t.Error("Spanish session names")
		}
	})
}

// TestReadableJobAddress: an aggregated job is read here at
// /jobs/{number}-{title}; its old address (the escaped object id) and an
// old title redirect there; local jobs keep their own address.
func TestReadableJobAddress(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, goJob, _ := pagesNode(t, open)
		ctx := t.Context()
		remote := &directory.Coop{APID: "https://ethix.example/coops/outlandish", Handle: "outlandish", Host: "ethix.example",
			Name: "Outlandish", Country: "GB", Workers: 20, URL: "https://ethix.example/@outlandish"}
		if err := n.Store.UpsertRemoteCoop(ctx, remote); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		apid := "https://ethix.example/jobs/7f3a"
		if err := n.Store.UpsertRemoteJob(ctx, &directory.Job{APID: apid, Coop: directory.CoopRef{ID: remote.ID, APID: remote.APID},
			Title: "Diseñador/a UX — Señor", Description: "x", Remote: directory.RemoteFull, EmploymentType: directory.Contract,
			Skills: []string{"figma"}, Published: now, Updated: now}); err != nil {
			t.Fatal(err)
		}
		j, err := n.Store.JobByAPID(ctx, apid)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("/jobs/%d-disenador-a-ux-senor", j.ID)
		_, body := page(t, n.URL, "/?skill=figma")
		if !strings.Contains(body, `<a href="`+want+`">`) {
			t.Fatalf("the result links elsewhere than %s", want)
		}
		if resp, body := page(t, n.URL, want); resp.StatusCode != 200 || !strings.Contains(body, "Diseñador/a UX") {
			t.Fatalf("%s: %d", want, resp.StatusCode)
		}
		for _, old := range []string{"/jobs/" + url.PathEscape(apid) + "?view_currency=EUR", fmt.Sprintf("/jobs/%d-old-title?view_currency=EUR", j.ID)} {
			resp, _ := page(t, n.URL, old)
			if resp.StatusCode != 301 || resp.Header.Get("Location") != want+"?view_currency=EUR" {
				t.Errorf("%s: %d to %q, want 301 to %s", old, resp.StatusCode, resp.Header.Get("Location"), want)
			}
		}
		// A local job's address is its ActivityPub id; its number leads there.
		local := strings.TrimPrefix(goJob.APID, n.URL)
		if resp, _ := page(t, n.URL, local); resp.StatusCode != 200 {
			t.Errorf("local job: %d", resp.StatusCode)
		}
		if resp, _ := page(t, n.URL, fmt.Sprintf("/jobs/%d-x", goJob.ID)); resp.StatusCode != 301 || resp.Header.Get("Location") != local {
			t.Errorf("a local job by number: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		for _, bad := range []string{"/jobs/999999-nothing", "/jobs/99999999999999999999-x"} {
			if resp, _ := page(t, n.URL, bad); resp.StatusCode != 404 {
				t.Errorf("%s: %d, want 404", bad, resp.StatusCode)
			}
		}
	})
}

// TestLogosAcrossNodes: a co-op's logo shows on its job cards; on a node
// that aggregates it, the logo is fetched once from the actor's icon,
// cached, and served from that node on the job cards and the co-op page.
func TestLogosAcrossNodes(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		keys := &nodetest.KeyPool{Size: 2}
		a := nodetest.NewWith(t, open, "SoberaniaX", "soberaniax", nodetest.Options{Keys: keys})
		b := nodetest.NewWith(t, open, "EthiX", "ethix", nodetest.Options{Keys: keys})
		a.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero Cooperativa", Country: "AR", Workers: 26, Skills: []string{"go"}})
		logo := storetest.PNG(t, 48, 48)
		if err := a.Svc.SetLogo(t.Context(), directory.Principal{Admin: true}, "hornero", logo); err != nil {
			t.Fatal(err)
		}
		a.Job(t, "hornero", directory.Job{Title: "Go developer", Description: "Go.", Skills: []string{"go"},
			Remote: directory.RemoteFull, Country: "AR", EmploymentType: directory.FullTime, ApplyEmail: "jobs@hornero.example"})
		imgRE := regexp.MustCompile(`<p class="org"><img class="logo" src="([^"]+)" alt="" width="32" height="32" loading="lazy"> <a href="[^"]*" dir="auto">Hornero Cooperativa</a>`)

		// On its own node.
		_, body := page(t, a.URL, "/?skill=go")
		m := imgRE.FindStringSubmatch(body)
		if m == nil || !strings.HasPrefix(m[1], "/coops/hornero/logo?v=") {
			t.Fatalf("local job card without its logo: %v", m)
		}

		// On a node that aggregates it.
		b.Follow(t, a.Acct())
		nodetest.Eventually(t, "the job aggregated", func() bool {
			_, body := page(t, b.URL, "/?skill=go")
			return strings.Contains(body, "Go developer")
		})
		_, body = page(t, b.URL, "/?skill=go")
		m = imgRE.FindStringSubmatch(strings.ReplaceAll(body, "&amp;", "&"))
		wantPrefix := "/coops/hornero@" + a.Host + "/logo?v="
		if m == nil || !strings.HasPrefix(m[1], wantPrefix) {
			t.Fatalf("aggregated job card: logo %v, want one served here at %s…", m, wantPrefix)
		}
		resp, got := page(t, b.URL, m[1])
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || got != string(logo) {
			t.Errorf("the cached logo: %d %s, %d bytes (want %d)", resp.StatusCode, resp.Header.Get("Content-Type"), len(got), len(logo))
		}
		_, body = page(t, b.URL, "/coops/hornero@"+a.Host)
		if !strings.Contains(body, `<img class="logo" src="`+m[1]) {
			t.Error("the aggregated co-op's page lacks its logo")
		}
		// A co-op without a logo shows none.
		a.Coop(t, directory.Coop{Handle: "ceibo", Name: "Ceibo", Country: "UY", Workers: 5, Skills: []string{"rust"}})
		a.Job(t, "ceibo", directory.Job{Title: "Rust developer", Description: "Rust.", Skills: []string{"rust"},
			Remote: directory.RemoteFull, Country: "UY", EmploymentType: directory.FullTime, ApplyEmail: "jobs@ceibo.example"})
		_, body = page(t, a.URL, "/?skill=rust")
		if !strings.Contains(body, "Rust developer") || strings.Contains(body, `class="logo"`) {
			t.Error("a co-op without a logo: the card should have no image")
		}
	})
}
