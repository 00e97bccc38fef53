package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMap: on a 390 px phone the figures page draws the world map
// within the screen, shading every country where the three federations
// have co-ops; tapping Argentina lists Argentina's co-ops, and the jobs
// view links to the job search.
func TestBrowserMap(t *testing.T) {
	ctx := newBrowser(t)
	f := threeFederations(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	st, err := f.SoberaniaX.Svc.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	countries := 0
	for _, c := range st.Countries {
		if c.Country != "" && c.Coops > 0 {
			countries++
		}
	}
	open(t, ctx, f.SoberaniaX.URL+"/stats")
	if w := evalJS[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the figures page is %d px wide on a 390 px phone", w)
	}
	box := evalJS[[]float64](t, ctx, `(() => { const r = document.querySelector("#world svg").getBoundingClientRect(); return [r.width, r.height, r.right] })()`)
	if box[0] < 300 || box[0] > 390 || box[1] < 100 || box[2] > 390 {
		t.Errorf("the map's box on the phone: %v", box)
	}
	shaded := evalJS[int](t, ctx, `document.querySelectorAll("#world svg a path[class^=m]").length`)
	if shaded != countries || countries < 3 {
		t.Errorf("%d countries shaded, %d have co-ops", shaded, countries)
	}
	// Every shaded country is a link named with its figures.
	names := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll("#world svg a")).map(a => a.getAttribute("aria-label"))`)
	for _, n := range names {
		if !strings.Contains(n, ": ") || !strings.Contains(n, "co-op") {
			t.Errorf("map link named %q", n)
		}
	}
	screenshot(t, ctx, "phone-map")

	click(t, ctx, `#world a[href="/coops?country=AR"] path`)
	waitJS(t, ctx, "Argentina's co-ops", `location.pathname === "/coops" && location.search === "?country=AR"`)
	places := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll(".coop-list .facts li:first-child")).map(li => li.textContent)`)
	if len(places) == 0 {
		t.Fatal("no co-ops listed for Argentina")
	}
	for _, p := range places {
		if !strings.HasSuffix(p, "Argentina") {
			t.Errorf("a co-op in %q listed for Argentina", p)
		}
	}

	open(t, ctx, f.SoberaniaX.URL+"/stats?map=jobs")
	if href := evalJS[string](t, ctx, `document.querySelector("#world svg a").getAttribute("href")`); !strings.HasPrefix(href, "/?country=") {
		t.Errorf("the jobs map links to %q", href)
	}
}
