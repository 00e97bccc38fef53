package e2e

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/colmena-coop/colmena/demo"
	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// doneWhenScale is the share of the demo these tests seed: the smallest
// at which its co-ops span every country of the full demo.
const doneWhenScale = 0.5

// demoCountries counts the countries of the demo's co-ops at scale.
func demoCountries(scale float64) int {
	seen := map[string]bool{}
	for _, f := range demo.Federations(scale) {
		for _, c := range f.Coops {
			seen[c.Country] = true
		}
	}
	return len(seen)
}

// TestBrowserDoneWhen is the whole of what the web was to become, on the
// demo's three federations (half size: every country of the full demo):
// a newcomer on a 390 px phone finds the remote Go jobs open to Argentina
// with the results in view after every filter; a member publishes with a
// mistake, reads it in the summary, fixes it in one more submit, is told
// it is published, closes the opening (confirming) and reopens it; the
// admin reaches every console section in one click from /admin; the map
// shades the demo's 23 countries. axe-core checks the pages on the way
// (every main page is TestBrowserAccessibility's).
func TestBrowserDoneWhen(t *testing.T) {
	if got := demoCountries(1); got != 23 {
		t.Fatalf("the full demo spans %d countries, want 23", got)
	}
	if got := demoCountries(doneWhenScale); got != 23 {
		t.Fatalf("the demo at scale %.1f spans %d countries, want all 23", doneWhenScale, got)
	}
	ctx := newBrowserFor(t, 4*time.Minute)
	nodes := demoFederationsAt(t, teststore.SQLite, doneWhenScale)
	home := nodes[0]

	// What the seeker should find, from the seed: remote Go jobs whose
	// eligibility meets Argentina's codes.
	codes := directory.SeekerCodes("AR")
	want := 0
	for _, n := range nodes {
		for _, c := range n.seed.Coops {
			for _, j := range c.Jobs {
				if j.Remote == directory.RemoteFull && slices.Contains(j.Skills, "go") &&
					slices.ContainsFunc(j.Eligible, func(e string) bool { return slices.Contains(codes, e) }) {
					want++
				}
			}
		}
	}
	if want == 0 {
		t.Fatal("the demo has no remote Go job open to Argentina")
	}

	// 1. The newcomer, on a phone. A tap is one press on one control the
	// page shows: the "Filters" button, a checkbox, a list (a native
	// select is two: the list, then the choice).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, home.URL+"/")
	taps := 0
	inView := func(after string) {
		t.Helper()
		top := evalJS[float64](t, ctx, `document.querySelector(".job-list .job").getBoundingClientRect().top`)
		if top < 0 || top >= 844 {
			t.Errorf("after %s the first result's top is at %.0f px, out of the 844 px screen", after, top)
		}
		if evalJS[bool](t, ctx, `document.querySelector("#filters").checkVisibility()`) {
			t.Errorf("after %s the filter sheet still covers the results", after)
		}
	}
	inView("opening the front page")
	// One tap each: the quick filters above the results. The newcomer's
	// browser speaks English from Argentina, which the page offers as
	// "Open to people in Argentina".
	ua := evalJS[string](t, ctx, `navigator.userAgent`)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: "en-AR,en"})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, home.URL+"/")
	steps := []struct{ what, label, param string }{
		{"Remote", "Remote", "remote=remote"},
		{"Argentina", "Open to people in Argentina", "live_in=AR"},
		{"Go", "go", "skill=go"},
	}
	for i, s := range steps {
		sel := fmt.Sprintf(`Array.from(document.querySelectorAll(".quick-filters a")).find(a => a.textContent.trim().replace(/^\+\s*/, "").toLowerCase() === %q)`, strings.ToLower(s.label))
		if !evalJS[bool](t, ctx, "!!"+sel) {
			t.Fatalf("no quick filter %q after %d taps; offered: %v", s.label, taps,
				evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll(".quick-filters a")).map(a => a.textContent.trim())`))
		}
		evalJS[bool](t, ctx, "("+sel+").click() === undefined")
		taps++
		waitJS(t, ctx, s.param+" applied", fmt.Sprintf(`location.search.includes(%q) && document.querySelector(".filters-toggle").textContent.includes("(%d)")`, s.param, i+1))
		inView("tapping " + s.what)
		screenshot(t, ctx, fmt.Sprintf("donewhen-phone-%d-%s", i+1, s.what))
	}
	checkA11y(t, ctx, "phone search")
	heading := evalJS[string](t, ctx, `document.querySelector("#results-heading").textContent`)
	digits := regexp.MustCompile(`[^0-9]`).ReplaceAllString(heading, "")
	if got, _ := strconv.Atoi(digits); got != want {
		t.Errorf("the search says %q; the demo has %d remote Go jobs open to Argentina", heading, want)
	}
	chips := evalJS[int](t, ctx, `document.querySelectorAll(".active-filters .chip").length`)
	if chips != 3 {
		t.Errorf("%d removable filters shown, want 3", chips)
	}
	if taps != 3 {
		t.Errorf("%d taps, want 3", taps)
	}

	// 2. A member who is also the node's admin.
	coop := home.seed.Coops[0].Handle
	_, raw, err := home.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "admin@soberaniax.example", true, coop)
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
	open(t, ctx, home.URL+"/password?token="+raw)
	do("set a password", chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"),
		chromedp.SendKeys(chromedp.CSS("#confirm"), "correct horse battery"), chromedp.Submit(chromedp.CSS("#confirm")))
	waitJS(t, ctx, "the admin console", `location.pathname === "/admin"`)

	// Every console section is one click from /admin.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	sections := []string{"coops", "people", "follows", "followers", "blocks", "deliveries", "searches", "mail", "rates", "settings", "audit"}
	for _, s := range sections {
		open(t, ctx, home.URL+"/admin")
		click(t, ctx, `.section-nav a[href="/admin/`+s+`"]`)
		waitJS(t, ctx, "the "+s+" section", `location.pathname === "/admin/`+s+`" && !!document.querySelector('.section-nav a[href="/admin/`+s+`"][aria-current="page"]')`)
	}
	screenshot(t, ctx, "donewhen-admin-audit")

	// Publishing with a mistake, fixed in one more submit.
	title := "Desarrolladora Go para la demo"
	open(t, ctx, home.URL+"/dashboard/openings?coop="+coop)
	fillJob := func(title string) {
		t.Helper()
		evalJS[bool](t, ctx, `(() => {
			const v = {"job-title": `+strconv.Quote(title)+`, "job-description": "APIs en Go para cooperativas de servicios.",
				"job-skills": "go, postgresql", "job-apply-email": "trabajo@example.org"};
			for (const id in v) document.getElementById(id).value = v[id];
			return true; })()`)
		do("send the job form", chromedp.Submit(chromedp.CSS("#job-title")))
	}
	fillJob("")
	waitJS(t, ctx, "the error summary, focused", `document.activeElement && document.activeElement.id === "error-summary"`)
	if links := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll("#error-summary a")).map(a => a.getAttribute("href"))`); !slices.Equal(links, []string{"#job-title"}) {
		t.Errorf("the summary links to %q, want the title only", links)
	}
	screenshot(t, ctx, "donewhen-summary")
	checkA11y(t, ctx, "the form with its error summary")
	fillJob(title)
	flash := func(what, text string) {
		t.Helper()
		waitJS(t, ctx, what, `(document.querySelector('.flash[role="status"]') || {innerText: ""}).innerText.includes(`+strconv.Quote(text)+`)`)
	}
	flash("told it is published", "is published")
	screenshot(t, ctx, "donewhen-published")

	// Closing asks first; the closed opening waits under "Closed".
	open(t, ctx, home.URL+"/dashboard/openings?coop="+coop)
	closeLink := fmt.Sprintf(`#jobs a[aria-label=%q]`, "Close the opening "+title)
	click(t, ctx, closeLink)
	waitJS(t, ctx, "the confirmation", `location.pathname.endsWith("/close") && !!document.querySelector("button.danger")`)
	if got := evalJS[string](t, ctx, `document.querySelector("button.danger").textContent`); !strings.Contains(got, title) {
		t.Errorf("the confirmation button says %q", got)
	}
	screenshot(t, ctx, "donewhen-close-confirm")
	checkA11y(t, ctx, "the close confirmation")
	click(t, ctx, "button.danger")
	flash("told it is closed", "The opening is closed")
	if evalJS[bool](t, ctx, `Array.from(document.querySelectorAll("#jobs li a")).some(a => a.textContent.trim() === `+strconv.Quote(title)+`)`) {
		t.Error("the closed opening is still among the open ones")
	}
	click(t, ctx, fmt.Sprintf(`#closed button[aria-label=%q]`, "Reopen the opening "+title))
	flash("told it is open again", "is open again")
	screenshot(t, ctx, "donewhen-reopened")
	checkA11y(t, ctx, "the dashboard with a closed and reopened opening")
	open(t, ctx, home.URL+"/?q="+strings.ReplaceAll(title, " ", "+"))
	if !slices.Contains(resultTitles(t, ctx), title) {
		t.Errorf("the reopened opening is not found by its title; results %q", resultTitles(t, ctx))
	}

	// The map shades the demo's 23 countries.
	open(t, ctx, home.URL+"/stats")
	if shaded := evalJS[int](t, ctx, `document.querySelectorAll("#world svg a path[class^=m]").length`); shaded != 23 {
		t.Errorf("the map shades %d countries, want the demo's 23", shaded)
	}
	screenshot(t, ctx, "donewhen-map")
	checkA11y(t, ctx, "the map of the demo")
}
