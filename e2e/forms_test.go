package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestBrowserFormSummary: a member publishes with three mistakes; the
// page comes back with a summary of all three that takes focus (with
// JavaScript and without), whose links lead to the fields; what she typed
// is kept; she fixes them in one more submit and is told it is published.
// In English and in Spanish.
func TestBrowserFormSummary(t *testing.T) {
	ctx := newBrowser(t)
	a := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	a.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26})
	_, raw, err := a.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "ana@hornero.example", false, "hornero")
	if err != nil {
		t.Fatal(err)
	}
	do := func(what string, acts ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, act := range acts {
			if err := chromedp.Do(ctx, act); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
	}
	open(t, ctx, a.URL+"/password?token="+raw)
	do("set a password", chromedp.SendKeys(chromedp.CSS("#password"), "una clave larga"),
		chromedp.SendKeys(chromedp.CSS("#confirm"), "una clave larga"), chromedp.Submit(chromedp.CSS("#confirm")))
	waitJS(t, ctx, "her dashboard", `location.pathname === "/dashboard"`)

	// fill types values into fields by id.
	fill := func(values map[string]string) {
		t.Helper()
		js, err := json.Marshal(values)
		if err != nil {
			t.Fatal(err)
		}
		if !evalJS[bool](t, ctx, `(() => { const v = `+string(js)+`; for (const id in v) { document.getElementById(id).value = v[id]; } return true; })()`) {
			t.Fatal("filling the form")
		}
	}
	sendBad := func() {
		t.Helper()
		fill(map[string]string{"job-title": "", "job-description": "Phoenix y Elixir.", "job-skills": "elixir, bad tag!",
			"job-apply-email": "ana-at-hornero"})
		do("send the job form with three mistakes", chromedp.Submit(chromedp.CSS("#job-title")))
	}
	summaryFocused := `document.activeElement && document.activeElement.id === "error-summary"`
	for _, c := range []struct{ lang, heading, published string }{
		{"en", "There is a problem", "is published"},
		{"es", "Hay un problema", "está publicada"},
	} {
		open(t, ctx, a.URL+"/lang/"+c.lang+"?next=/dashboard")
		waitJS(t, ctx, "the dashboard in "+c.lang, `document.documentElement.lang === "`+c.lang+`" && !!document.querySelector("#job-title")`)
		sendBad()
		waitJS(t, ctx, c.lang+": the summary takes focus", summaryFocused)
		if got := evalJS[string](t, ctx, `document.querySelector("#error-summary h2").textContent`); got != c.heading {
			t.Errorf("%s: the summary's title is %q", c.lang, got)
		}
		links := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll("#error-summary a")).map(a => a.getAttribute("href"))`)
		if strings.Join(links, " ") != "#job-title #job-skills #job-apply-email" {
			t.Errorf("%s: the summary links to %v", c.lang, links)
		}
		if got := evalJS[string](t, ctx, `document.querySelector("#job-skills").value + "|" + document.querySelector("#job-apply-email").value`); got != "elixir, bad tag!|ana-at-hornero" {
			t.Errorf("%s: what was typed is lost: %q", c.lang, got)
		}
		screenshot(t, ctx, "form-summary-"+c.lang)
		click(t, ctx, `#error-summary a[href="#job-skills"]`)
		waitJS(t, ctx, c.lang+": the link leads to the field", `document.activeElement && document.activeElement.id === "job-skills"`)

		fill(map[string]string{"job-title": "Desarrolladora Elixir " + c.lang, "job-skills": "elixir, phoenix",
			"job-apply-email": "jobs@hornero.example"})
		do("send the fixed form", chromedp.Submit(chromedp.CSS("#job-title")))
		waitJS(t, ctx, c.lang+": told it is published", `(document.querySelector('.flash[role="status"]') || {innerText: ""}).innerText.includes("`+c.published+`")`)
	}

	// Without JavaScript the summary takes focus too (autofocus).
	scripts := func(off bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
			return err
		})
	}
	do("turn scripts off", scripts(true))
	open(t, ctx, a.URL+"/dashboard")
	sendBad()
	waitJS(t, ctx, "the summary focused without scripts", summaryFocused)
	do("turn scripts on", scripts(false))
}
