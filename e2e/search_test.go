package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitJS evaluates expr until it is true, across page loads, for up to
// ten seconds.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && (`+expr+`)`))
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Fatalf("timed out waiting for %s (at %s)", what, loc)
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func open(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("opening %s: %v", u, err)
	}
}

func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
}

// resultTitles are the job titles the search page lists, sorted.
func resultTitles(t *testing.T, ctx context.Context) []string {
	t.Helper()
	titles := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll(".job-list .job h3 a")).map(a => a.textContent.trim())`)
	slices.Sort(titles)
	return titles
}

// findGoJobsOpenToArgentina is what the issue asks of a seeker: from the
// aggregating node's front page, the remote Go jobs open to Argentina, in
// three clicks on filters, whatever the screen.
func findGoJobsOpenToArgentina(t *testing.T, ctx context.Context, f *federations) {
	t.Helper()
	open(t, ctx, f.SoberaniaX.URL+"/")
	steps := []struct{ sel, param string }{
		{`input[name="skill"][value="go"]`, "skill=go"},
		{`input[name="remote"][value="remote"]`, "remote=remote"},
		{`input[name="country"][value="AR"]`, "country=AR"},
	}
	for _, s := range steps {
		showFilters(t, ctx)
		click(t, ctx, s.sel)
		waitJS(t, ctx, s.param+" in the address", fmt.Sprintf(`location.search.includes(%q) && !!document.querySelector(%q + ":checked")`, s.param, s.sel))
	}
	if got := resultTitles(t, ctx); !slices.Equal(got, f.GoRemoteAR) {
		t.Fatalf("remote Go jobs open to Argentina: got %q, want %q", got, f.GoRemoteAR)
	}
	feds := evalJS[[]string](t, ctx, `Array.from(new Set(Array.from(document.querySelectorAll(".job-list .fed")).map(e => e.textContent.trim()))).sort()`)
	if !slices.Equal(feds, []string{"EthiX", "SoberaniaX"}) {
		t.Errorf("the results should span two federations, got %q", feds)
	}
	chips := evalJS[int](t, ctx, `document.querySelectorAll(".active-filters .chip").length`)
	if chips != 3 {
		t.Errorf("%d removable filters shown, want 3", chips)
	}
}

// showFilters brings the search filters into view: a phone shows the
// results first and the filters in a sheet behind the "Filters (n)"
// button; a wider screen shows them beside the results.
func showFilters(t *testing.T, ctx context.Context) {
	t.Helper()
	if evalJS[bool](t, ctx, `getComputedStyle(document.querySelector(".filters-bar")).display !== "none" && !document.querySelector("#filters.open")`) {
		click(t, ctx, ".filters-toggle")
		waitJS(t, ctx, "the filter sheet", `!!document.querySelector("#filters.open")`)
	}
	if evalJS[bool](t, ctx, `!document.querySelector(".filters-box").open`) {
		click(t, ctx, ".filters-box summary")
	}
}

// TestBrowserSearchAcrossFederations is a seeker on a laptop, in English.
func TestBrowserSearchAcrossFederations(t *testing.T) {
	ctx := newBrowser(t)
	f := threeFederations(t)

	findGoJobsOpenToArgentina(t, ctx, f)
	screenshot(t, ctx, "search-go-remote-ar")

	// The search is in the address: opened afresh, it lists the same jobs.
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	open(t, ctx, loc)
	if got := resultTitles(t, ctx); !slices.Equal(got, f.GoRemoteAR) {
		t.Errorf("shared search URL lists %q, want %q", got, f.GoRemoteAR)
	}

	// Removing a filter widens the search again.
	evalJS[bool](t, ctx, `(Array.from(document.querySelectorAll(".active-filters a.chip")).find(a => !a.href.includes("skill=go")).click(), true)`)
	waitJS(t, ctx, "skill filter removed", `!location.search.includes("skill=go")`)
	if n := len(resultTitles(t, ctx)); n <= len(f.GoRemoteAR) {
		t.Errorf("without the skill filter %d jobs, want more than %d", n, len(f.GoRemoteAR))
	}

	// A search with no match says so and offers a way out.
	open(t, ctx, f.SoberaniaX.URL+"/?q=cobol")
	if !evalJS[bool](t, ctx, `!!document.querySelector(".notice.empty") && document.querySelectorAll(".active-filters .chip").length === 1`) {
		t.Error("an empty search shows no help")
	}

	// A malformed filter is a 400 page that explains it, not a crash.
	open(t, ctx, f.SoberaniaX.URL+"/?remote=sometimes")
	if msg := evalJS[string](t, ctx, `document.querySelector(".notice.error").textContent`); !strings.Contains(msg, "sometimes") {
		t.Errorf("bad filter message: %q", msg)
	}
}

// TestBrowserPhone is the same search on a 360 px phone, in Spanish, and
// checks that no page is wider than the phone.
func TestBrowserPhone(t *testing.T) {
	ctx := newBrowser(t)
	f := threeFederations(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	// On the phone, in Spanish: the same three clicks.
	open(t, ctx, f.SoberaniaX.URL+"/lang/es?next=/")
	findGoJobsOpenToArgentina(t, ctx, f)
	if lang := evalJS[string](t, ctx, `document.documentElement.lang`); lang != "es" {
		t.Errorf("the phone search ran in %q, want es", lang)
	}
	if heading := evalJS[string](t, ctx, `document.querySelector("#results-heading").textContent`); !strings.Contains(heading, "3 empleos abiertos") {
		t.Errorf("Spanish results heading: %q", heading)
	}
	screenshot(t, ctx, "phone-search-es")
	for _, path := range []string{"/", "/coops", "/stats", "/federation", "/coops/" + f.Coops["ethix"][0] + "@" + f.EthiX.Host} {
		open(t, ctx, f.SoberaniaX.URL+path)
		if w := evalJS[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
			wide := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > 360).map(e => e.tagName + "." + e.className).slice(0, 5)`)
			t.Errorf("%s is %d px wide on a 360 px phone; too wide: %q", path, w, wide)
		}
	}
	screenshot(t, ctx, "phone-coop")
}

func TestBrowserJobPageAndFeed(t *testing.T) {
	ctx := newBrowser(t)
	f := threeFederations(t)
	open(t, ctx, f.SoberaniaX.URL+"/?skill=go&remote=remote&country=AR")
	want := evalJS[string](t, ctx, `document.querySelector(".job-list .job h3 a").textContent.trim()`)

	// Subscribing: the Atom link of this search lists the same jobs.
	feedHref := evalJS[string](t, ctx, `document.querySelector("a.feed-atom").href`)
	if !strings.Contains(feedHref, "skill=go") {
		t.Fatalf("the feed link drops the search: %s", feedHref)
	}
	click(t, ctx, "a.feed-atom")
	waitJS(t, ctx, "the feed", `location.pathname === "/jobs.atom"`)
	titles, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`fetch(location.href).then(r => r.text()).then(x =>
		Array.from(new DOMParser().parseFromString(x, "application/xml").querySelectorAll("entry > title")).map(e => e.textContent).sort())`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(titles) != len(f.GoRemoteAR) {
		t.Errorf("feed entries %q, want one per job of %q", titles, f.GoRemoteAR)
	}

	// Reading a job of another node, on the aggregating node.
	open(t, ctx, f.SoberaniaX.URL+"/?skill=go&remote=remote&country=AR")
	click(t, ctx, ".job-list .job h3 a")
	waitJS(t, ctx, "the job page", `!!document.querySelector(".job-page h1")`)
	if h1 := evalJS[string](t, ctx, `document.querySelector("h1").textContent.trim()`); h1 != want {
		t.Errorf("job page heading %q, want %q", h1, want)
	}
	ld := evalJS[string](t, ctx, `document.querySelector('script[type="application/ld+json"]').textContent`)
	var posting map[string]any
	if err := json.Unmarshal([]byte(ld), &posting); err != nil || posting["@type"] != "JobPosting" || posting["title"] != want {
		t.Errorf("JSON-LD: %v %s", err, ld)
	}
	if og := evalJS[string](t, ctx, `(document.querySelector('meta[property="og:title"]') || {}).content || ""`); !strings.Contains(og, want) {
		t.Errorf("og:title %q", og)
	}
	handle := evalJS[string](t, ctx, `document.querySelector(".handle .handle-full").textContent.trim()`)
	if !strings.HasPrefix(handle, "@") || strings.Count(handle, "@") != 2 {
		t.Errorf("co-op handle to copy: %q", handle)
	}
	facts := evalJS[string](t, ctx, `document.querySelector(".facts-list").innerText`)
	for _, s := range []string{"Remote", "Argentina", "Posted"} {
		if !strings.Contains(facts, s) {
			t.Errorf("job facts lack %q:\n%s", s, facts)
		}
	}
	screenshot(t, ctx, "job")

	// Every result, local or from another node, opens on this node.
	open(t, ctx, f.SoberaniaX.URL+"/?skill=go&remote=remote&country=AR")
	hrefs := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll(".job-list .job h3 a")).map(a => a.href)`)
	var seen []string
	for _, h := range hrefs {
		if !strings.HasPrefix(h, f.SoberaniaX.URL+"/jobs/") {
			t.Errorf("result links away from the node: %s", h)
		}
		open(t, ctx, h)
		seen = append(seen, evalJS[string](t, ctx, `document.querySelector(".job-page h1").textContent.trim()`))
	}
	slices.Sort(seen)
	if !slices.Equal(seen, f.GoRemoteAR) {
		t.Errorf("job pages opened: %q, want %q", seen, f.GoRemoteAR)
	}
}

func TestBrowserLanguage(t *testing.T) {
	ctx := newBrowser(t)
	f := threeFederations(t)
	open(t, ctx, f.SoberaniaX.URL+"/?skill=go")
	if lang := evalJS[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Fatalf("lang %q for an English browser", lang)
	}
	click(t, ctx, `.langs a[data-lang="es"]`)
	waitJS(t, ctx, "the Spanish page", `document.documentElement.lang === "es"`)
	if !evalJS[bool](t, ctx, `location.search.includes("skill=go")`) {
		t.Error("switching language lost the search")
	}
	heading := evalJS[string](t, ctx, `document.querySelector("#results-heading").textContent`)
	if !strings.Contains(heading, "empleos abiertos") {
		t.Errorf("Spanish results heading: %q", heading)
	}
	if legend := evalJS[string](t, ctx, `document.querySelector("#facet-country legend").textContent`); legend != "País" {
		t.Errorf("Spanish filter legend: %q", legend)
	}
	screenshot(t, ctx, "search-es")
	// The choice is remembered on other pages.
	open(t, ctx, f.SoberaniaX.URL+"/stats")
	if lang := evalJS[string](t, ctx, `document.documentElement.lang`); lang != "es" {
		t.Errorf("the language choice was not remembered: %q", lang)
	}
	if !evalJS[bool](t, ctx, `document.querySelector("svg[role=img] title") !== null && document.querySelector("table caption").textContent.includes("federación")`) {
		t.Error("stats page lacks its accessible charts or Spanish tables")
	}
	screenshot(t, ctx, "stats-es")
	click(t, ctx, `.langs a[data-lang="en"]`)
	waitJS(t, ctx, "the English page", `document.documentElement.lang === "en"`)
}

func TestBrowserKeyboard(t *testing.T) {
	ctx := newBrowser(t)
	f := threeFederations(t)
	open(t, ctx, f.SoberaniaX.URL+"/")
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	if cls := evalJS[string](t, ctx, `document.activeElement.className`); cls != "skip" {
		t.Fatalf("first Tab reaches %q, want the skip link", cls)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "focus on the main content", `document.activeElement.id === "main"`)
	// Every form control has a label.
	unlabelled := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll("input:not([type=hidden]), select")).filter(e => !e.labels || e.labels.length === 0).map(e => e.outerHTML)`)
	if len(unlabelled) > 0 {
		t.Errorf("controls without a label: %q", unlabelled)
	}
}

// TestBrowserRemoteFollow types a fediverse handle on a co-op's page and
// lands on that person's server's follow page, as on Mastodon.
func TestBrowserRemoteFollow(t *testing.T) {
	ctx := newBrowser(t)
	f := threeFederations(t)
	var home *httptest.Server
	home = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/webfinger":
			host := strings.TrimPrefix(home.URL, "http://")
			if r.URL.Query().Get("resource") != "acct:alice@"+host {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/jrd+json")
			fmt.Fprintf(w, `{"subject":"acct:alice@%s","links":[{"rel":"http://ostatus.org/schema/1.0/subscribe","template":"%s/authorize_interaction?uri={uri}"}]}`, host, home.URL)
		case "/authorize_interaction":
			fmt.Fprintf(w, "<!doctype html><title>Follow</title><p id=uri>%s</p>", r.URL.Query().Get("uri"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(home.Close)

	coop := f.Coops["ethix"][0]
	page := f.SoberaniaX.URL + "/coops/" + coop + "@" + f.EthiX.Host
	open(t, ctx, page)

	// A handle that is not one gets an explanation next to the field.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#account"), "alice"), chromedp.Submit(chromedp.CSS("#account"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the error next to the field", `!!document.querySelector("#account-error") && document.querySelector("#account").getAttribute("aria-invalid") === "true"`)

	account := "alice@" + strings.TrimPrefix(home.URL, "http://")
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#account"), account), chromedp.Submit(chromedp.CSS("#account"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the follower's own server", fmt.Sprintf(`location.href.startsWith(%q)`, home.URL+"/authorize_interaction"))
	got := evalJS[string](t, ctx, `document.querySelector("#uri").textContent`)
	if want := coop + "@" + f.EthiX.Host; got != want {
		t.Errorf("asked to follow %q, want %q", got, want)
	}
}
