package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSmoke loads pages of the aggregating node and of a followed
// node in Chromium: they render, in English, and hostile markup from
// another node stays inert.
func TestBrowserSmoke(t *testing.T) {
	ctx := newBrowser(t)
	f := threeFederations(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(f.SoberaniaX.URL+"/"), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("loading SoberaniaX's home page: %v", err)
	}
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		t.Fatal(err)
	}
	if lang != "en" {
		t.Errorf("home page lang = %q, want en", lang)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(title) == "" {
		t.Error("home page has no title")
	}
	screenshot(t, ctx, "soberaniax-home")
	assertNoXSS(t, ctx, "SoberaniaX's home page")

	if err := chromedp.Do(ctx, chromedp.Navigate(f.SoberaniaX.URL+"/coops"), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("loading SoberaniaX's co-ops: %v", err)
	}
	screenshot(t, ctx, "soberaniax-coops")
	assertNoXSS(t, ctx, "SoberaniaX's co-ops")

	// The hostile summary, on its own node's co-op page.
	u := f.EthiX.URL + "/coops/" + f.XSSCoop
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("loading %s: %v", u, err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Thistle Forge") {
		t.Errorf("%s does not name the co-op:\n%s", u, text)
	}
	screenshot(t, ctx, "ethix-coop-xss")
	assertNoXSS(t, ctx, u)

	// The same co-op as SoberaniaX aggregated it: its profile and its jobs.
	for _, u := range []string{f.SoberaniaX.URL + "/coops/" + f.XSSCoop + "@" + f.EthiX.Host, f.SoberaniaX.URL + "/?q=thistle"} {
		open(t, ctx, u)
		assertNoXSS(t, ctx, u)
		if n := evalJS[int](t, ctx, `document.querySelectorAll("main script, main img[src=x], [onerror]").length`); n != 0 {
			t.Errorf("%s carries %d elements from the remote summary", u, n)
		}
	}
	screenshot(t, ctx, "soberaniax-remote-coop")

	for name, path := range map[string]string{"federation": "/federation", "stats": "/stats"} {
		open(t, ctx, f.SoberaniaX.URL+path)
		screenshot(t, ctx, "soberaniax-"+name)
	}
}

// assertNoXSS checks that no injected script or event handler set
// window.__xss on the page loaded in ctx. It gives the page a moment after
// loading, so that a failed image's onerror would have run.
func assertNoXSS(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	typ, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`new Promise(r => setTimeout(() => r(typeof window.__xss), 100))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if typ != "undefined" {
		v, _ := chromedp.Run(ctx, chromedp.Evaluate[any](`window.__xss`))
		t.Errorf("%s ran injected markup: window.__xss = %v", where, v)
	}
}
