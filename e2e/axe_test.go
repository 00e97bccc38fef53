package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/colmena-coop/colmena/directory"
)

// axeScript is axe-core, vendored in testdata/axe-core (see SOURCE there),
// read once.
var axeScript = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("testdata/axe-core/axe.min.js")
	return string(b), err
})

// axeViolation is one rule axe found broken on a page, with the elements
// that break it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

func (v axeViolation) String() string {
	return fmt.Sprintf("%s (%s: %s) at %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
}

// axeSerious runs axe-core on the page the tab shows and returns the
// violations whose impact is serious or critical.
func axeSerious(t *testing.T, ctx context.Context) []axeViolation {
	t.Helper()
	src, err := axeScript()
	if err != nil {
		t.Fatalf("reading axe-core: %v", err)
	}
	if !evalJS[bool](t, ctx, `typeof window.axe === "object"`) {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+";\ntrue")); err != nil {
			t.Fatalf("loading axe-core: %v", err)
		}
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
			id: v.id, impact: v.impact, help: v.help,
			targets: v.nodes.map(n => n.target.join(" ")),
		})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	return got
}

// checkA11y runs axe on the page and fails the test, naming the page,
// for every serious or critical violation.
func checkA11y(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	for _, v := range axeSerious(t, ctx) {
		t.Errorf("%s: %s", page, v)
	}
}

// a11yViewports are the screens every page is checked on.
var a11yViewports = []struct {
	name          string
	width, height int64
}{{"phone", 390, 844}, {"laptop", 1280, 900}}

// TestBrowserAccessibility runs axe-core on every main page, for a
// visitor and for an admin who is also a co-op's member, on a 390 px
// phone and a 1280 px laptop, in English and in Spanish, and fails on
// any serious or critical violation.
func TestBrowserAccessibility(t *testing.T) {
	ctx := newBrowserFor(t, 10*time.Minute)
	f := threeFederations(t)
	agg := f.SoberaniaX
	_, raw, err := agg.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "admin@soberaniax.example", true, "hornero")
	if err != nil {
		t.Fatal(err)
	}

	open(t, ctx, agg.URL+"/?skill=go&remote=remote&country=AR")
	job := strings.TrimPrefix(evalJS[string](t, ctx, `document.querySelector(".job-list .job h3 a").href`), agg.URL)
	if !strings.HasPrefix(job, "/jobs/") {
		t.Fatalf("first job links to %q", job)
	}
	public := []string{
		"/",
		"/?skill=go&remote=remote&country=AR",
		"/?q=cobol",
		job,
		"/coops/hornero",
		"/coops/" + f.Coops["ethix"][0] + "@" + f.EthiX.Host,
		"/coops",
		"/coops?country=AR",
		"/stats",
		"/stats?map=jobs",
		"/federation",
		"/follow?remote=remote&skill=go&country=AR",
		"/login",
		"/password/forgot",
	}
	private := []string{"/account"}
	for _, s := range []string{"coops", "people", "follows", "followers", "blocks", "deliveries", "searches", "mail", "rates", "settings", "audit"} {
		private = append(private, "/admin/"+s)
	}
	for _, s := range []string{"openings", "profile", "questions", "colleagues", "follows"} {
		private = append(private, "/dashboard/"+s)
	}

	// visit opens path in lang and checks it.
	visit := func(lang, screen, path string) {
		t.Helper()
		open(t, ctx, agg.URL+path)
		if got := evalJS[string](t, ctx, `document.documentElement.lang`); got != lang {
			open(t, ctx, agg.URL+"/lang/"+lang+"?next="+path)
			waitJS(t, ctx, path+" in "+lang, `document.documentElement.lang === "`+lang+`"`)
		}
		checkA11y(t, ctx, fmt.Sprintf("%s %s %s", lang, screen, path))
	}
	each := func(paths []string) {
		t.Helper()
		for _, lang := range []string{"en", "es"} {
			for _, vp := range a11yViewports {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateScale(1))); err != nil {
					t.Fatal(err)
				}
				for _, p := range paths {
					visit(lang, vp.name, p)
				}
			}
		}
	}
	each(public)
	screenshot(t, ctx, "a11y-last-public")

	// The phone's filter sheet, open, in both languages.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "es"} {
		visit(lang, "phone", "/?skill=go&remote=remote")
		click(t, ctx, ".filters-toggle")
		waitJS(t, ctx, "the filter sheet", `!!document.querySelector("#filters.open")`)
		checkA11y(t, ctx, lang+" phone filter sheet")
		screenshot(t, ctx, "a11y-filter-sheet-"+lang)
	}

	open(t, ctx, agg.URL+"/password?token="+raw)
	for _, act := range []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"),
		chromedp.SendKeys(chromedp.CSS("#confirm"), "correct horse battery"),
		chromedp.Submit(chromedp.CSS("#confirm")),
	} {
		if err := chromedp.Do(ctx, act); err != nil {
			t.Fatalf("setting the admin's password: %v", err)
		}
	}
	waitJS(t, ctx, "the admin console", `location.pathname === "/admin"`)
	each(private)
	screenshot(t, ctx, "a11y-last-private")
}

// TestBrowserAxeFinds: the check finds what it is for, a field without a
// label and an image without a text, so a clean run means something.
func TestBrowserAxeFinds(t *testing.T) {
	ctx := newBrowser(t)
	open(t, ctx, `data:text/html,<!doctype html><html lang="en"><title>t</title><main><input type="text"><img src="x.png"></main></html>`)
	got := map[string]bool{}
	for _, v := range axeSerious(t, ctx) {
		got[v.ID] = true
	}
	for _, id := range []string{"label", "image-alt"} {
		if !got[id] {
			t.Errorf("axe did not report %s; it reported %v", id, got)
		}
	}
}
