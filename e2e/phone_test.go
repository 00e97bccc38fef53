package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// firstCardTop is how far down the page the first result starts, in CSS
// pixels from the top of the document.
const firstCardTop = `(document.querySelector(".job-list .job").getBoundingClientRect().top + window.scrollY)`

// TestBrowserPhoneFilterSheet is a seeker on a 390 px phone with two
// filters set: the results come first, the filters wait in a sheet behind
// a sticky "Filters (2)" button, and choosing one more brings the results
// back first. Without JavaScript the button is a link down to the filters,
// which follow the results.
func TestBrowserPhoneFilterSheet(t *testing.T) {
	ctx := newBrowser(t)
	f := threeFederations(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	search := f.SoberaniaX.URL + "/?skill=go&remote=remote"
	open(t, ctx, search)
	if top := evalJS[float64](t, ctx, firstCardTop); top <= 0 || top > 700 {
		t.Errorf("with two filters the first result starts %.0f px down; want it within the first screen (under 700 px)", top)
	}
	if label := evalJS[string](t, ctx, `document.querySelector(".filters-toggle").textContent.trim()`); label != "Filters (2)" {
		t.Errorf("filter button says %q, want \"Filters (2)\"", label)
	}
	if evalJS[bool](t, ctx, `document.querySelector("#filters").checkVisibility()`) {
		t.Error("the filters show before they are asked for")
	}
	screenshot(t, ctx, "phone-search-results-first")

	// Scrolling down the results, the button stays in reach.
	evalJS[bool](t, ctx, `(window.scrollTo(0, 600), true)`)
	if top := evalJS[float64](t, ctx, `document.querySelector(".filters-toggle").getBoundingClientRect().top`); top < 0 || top > 100 {
		t.Errorf("scrolled down, the filter button is at %.0f px; want it stuck to the top", top)
	}

	click(t, ctx, ".filters-toggle")
	waitJS(t, ctx, "the filter sheet", `!!document.querySelector("#filters.open")`)
	ar := `input[name="country"][value="AR"]`
	if !evalJS[bool](t, ctx, `document.querySelector('`+ar+`').checkVisibility() && document.querySelector('input[name="skill"][value="go"]').checked`) {
		t.Fatal("the open sheet does not show the filters with those set checked")
	}
	if got := evalJS[string](t, ctx, `document.querySelector(".filters-toggle").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("aria-expanded %q on the open sheet's button", got)
	}
	screenshot(t, ctx, "phone-search-sheet")

	// Choosing a third filter applies it; the results come first again.
	click(t, ctx, ar)
	waitJS(t, ctx, "country=AR applied", `location.search.includes("country=AR") && document.querySelector(".filters-toggle").textContent.includes("(3)")`)
	if top := evalJS[float64](t, ctx, firstCardTop); top <= 0 || top > 700 {
		t.Errorf("after applying, the first result starts %.0f px down", top)
	}
	if evalJS[bool](t, ctx, `document.querySelector("#filters").checkVisibility()`) {
		t.Error("after applying, the sheet still covers the results")
	}
	if got := resultTitles(t, ctx); strings.Join(got, "|") != strings.Join(f.GoRemoteAR, "|") {
		t.Errorf("results %q, want %q", got, f.GoRemoteAR)
	}

	// The Apply button does the same.
	click(t, ctx, ".filters-toggle")
	waitJS(t, ctx, "the filter sheet", `!!document.querySelector("#filters.open")`)
	click(t, ctx, "#filters .apply")
	waitJS(t, ctx, "the search again", `!document.querySelector("#filters.open") && !!document.querySelector(".job-list .job")`)
	if top := evalJS[float64](t, ctx, firstCardTop); top <= 0 || top > 700 {
		t.Errorf("after Apply, the first result starts %.0f px down", top)
	}

	// A co-op of another node, in Spanish: its whole handle shows in the
	// follow card, and long words are hyphenated, never cut anywhere.
	coop := f.Coops["ethix"][0] + "@" + f.EthiX.Host
	open(t, ctx, f.SoberaniaX.URL+"/lang/es?next=/coops/"+coop)
	waitJS(t, ctx, "the co-op page in Spanish", `document.documentElement.lang === "es" && !!document.querySelector(".handle-full")`)
	if got := evalJS[string](t, ctx, `document.querySelector(".handle-full").textContent.trim()`); got != "@"+coop {
		t.Errorf("follow card handle %q, want @%s", got, coop)
	}
	if !evalJS[bool](t, ctx, `(e => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().right <= 390)(document.querySelector(".handle-full"))`) {
		t.Error("the handle overflows its card")
	}
	cut := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll(".coop-page h1, .coop-page .summary, .facts-list dd, .job h3, .org"))
		.map(e => getComputedStyle(e)).filter(s => s.overflowWrap === "anywhere" || s.wordBreak === "break-all" || s.hyphens !== "auto").map(s => s.overflowWrap + "/" + s.wordBreak + "/" + s.hyphens)`)
	if len(cut) > 0 {
		t.Errorf("text on the co-op page may be cut mid-word: %q", cut)
	}
	if w := evalJS[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the co-op page is %d px wide", w)
	}
	// A word (links aside: addresses may break) laid out on two lines
	// was cut.
	split := evalJS[[]string](t, ctx, `(() => {
		const out = [];
		for (const el of document.querySelectorAll(".coop-page h1, .coop-page .summary, .facts-list dt, .facts-list dd, .job h3, .follow-box p")) {
			const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
			for (let n = walk.nextNode(); n; n = walk.nextNode()) {
				if (n.parentElement.closest("a, code")) continue;
				const re = /[^\s\-\u2010]+/g;
				for (let m = re.exec(n.data); m; m = re.exec(n.data)) {
					const r = document.createRange();
					r.setStart(n, m.index);
					r.setEnd(n, m.index + m[0].length);
					const tops = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top)));
					if (tops.size > 1) out.push(m[0]);
				}
			}
		}
		return out;
	})()`)
	if len(split) > 0 {
		t.Errorf("words cut across lines on the co-op page: %q", split)
	}
	screenshot(t, ctx, "phone-coop-es")
	open(t, ctx, f.SoberaniaX.URL+"/lang/en?next=/")

	// Without JavaScript: the same order, the button a link to the filters.
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	open(t, ctx, search)
	if evalJS[bool](t, ctx, `document.documentElement.classList.contains("js")`) {
		t.Fatal("scripts still ran")
	}
	if top := evalJS[float64](t, ctx, firstCardTop); top <= 0 || top > 700 {
		t.Errorf("without JavaScript the first result starts %.0f px down", top)
	}
	if href := evalJS[string](t, ctx, `document.querySelector(".filters-toggle").getAttribute("href")`); href != "#filters" {
		t.Errorf("without JavaScript the button links to %q, want #filters", href)
	}
	if !evalJS[bool](t, ctx, `document.querySelector("#filters").getBoundingClientRect().top > document.querySelector(".job-list .job").getBoundingClientRect().top`) {
		t.Error("without JavaScript the filters do not follow the results")
	}
	click(t, ctx, ".filters-toggle")
	waitJS(t, ctx, "the filters in view", `location.hash === "#filters" && Math.abs(document.querySelector("#filters").getBoundingClientRect().top) < 80`)
	screenshot(t, ctx, "phone-search-nojs-filters")
}
