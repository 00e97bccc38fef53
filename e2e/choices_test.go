package e2e

import (
	"reflect"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestBrowserChoices: with the script, a member picks her co-op's
// country and languages in Spanish by keyboard alone: the country field
// is a labelled text field with the list's names as suggestions (typed
// without accents, any case), a name not on the list stops the form with
// a message, and the languages' search ticks the first entry shown.
func TestBrowserChoices(t *testing.T) {
	ctx := newBrowser(t)
	n := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	n.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 12, Languages: []string{"es"}})
	_, raw, err := n.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "ana@hornero.example", false, "hornero")
	if err != nil {
		t.Fatal(err)
	}
	do := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	open(t, ctx, n.URL+"/lang/es?next=/")
	open(t, ctx, n.URL+"/password?token="+raw)
	do("password", chromedp.SendKeys(chromedp.CSS("#password"), "una clave larga"))
	do("confirm", chromedp.SendKeys(chromedp.CSS("#confirm"), "una clave larga"+kb.Enter))
	waitJS(t, ctx, "the dashboard", `location.pathname === "/dashboard"`)
	open(t, ctx, n.URL+"/dashboard/profile")
	waitJS(t, ctx, "the profile form", `!!document.querySelector("#p-country")`)

	// The label names the text field; the select is out of the way.
	if !evalJS[bool](t, ctx, `(() => { const i = document.querySelector('label[for="p-country"]').control;
		return i.tagName === "INPUT" && i.list && i.list.options.length > 240 && i.value === "Argentina" &&
			document.querySelector("#p-country-select").hidden })()`) {
		t.Fatal("the country field is not a labelled text field with suggestions")
	}
	// A name not on the list is refused before the form is sent.
	do("clear", chromedp.SendKeys(chromedp.CSS("#p-country"), strings.Repeat(kb.Backspace, 40)))
	do("type Narnia", chromedp.SendKeys(chromedp.CSS("#p-country"), "Narnia"+kb.Enter))
	if msg := evalJS[string](t, ctx, `document.querySelector("#p-country").validationMessage`); msg != "Elegí una de las opciones de la lista." {
		t.Errorf("validation message %q", msg)
	}
	if evalJS[string](t, ctx, `location.pathname`) != "/dashboard/profile" {
		t.Fatal("the form was sent")
	}
	// Typed without the accent, left by Tab: the name is written out.
	do("clear again", chromedp.SendKeys(chromedp.CSS("#p-country"), strings.Repeat(kb.Backspace, 40)))
	do("type peru", chromedp.SendKeys(chromedp.CSS("#p-country"), "peru"+kb.Tab))
	if got := evalJS[[]string](t, ctx, `[document.querySelector("#p-country").value, document.querySelector("#p-country-select").value]`); !reflect.DeepEqual(got, []string{"Perú", "PE"}) {
		t.Errorf("country after typing peru: %v", got)
	}
	// The languages: a search that ticks the first entry shown.
	do("search portugu", chromedp.SendKeys(chromedp.CSS("#p-languages-search"), "portugu"+kb.Enter))
	waitJS(t, ctx, "one language shown for portugu", `Array.from(document.querySelectorAll("#p-languages-list label")).filter(l => !l.hidden).length === 1`)
	waitJS(t, ctx, "the chosen line", `document.querySelector("#p-languages .choice-chosen").textContent === "Elegidos: español, portugués"`)
	screenshot(t, ctx, "choices-profile")
	do("save", chromedp.Submit(chromedp.CSS("#p-name")))
	waitJS(t, ctx, "saved", `!!document.querySelector(".notice")`)
	c, err := n.Svc.Coop(t.Context(), "hornero")
	if err != nil {
		t.Fatal(err)
	}
	if c.Country != "PE" || !reflect.DeepEqual(c.Languages, []string{"es", "pt"}) {
		t.Errorf("stored %s %v", c.Country, c.Languages)
	}
}
