package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestBrowserApply: on a 390 px phone and a 1280 px laptop, in English
// and Spanish, a job page shows how to apply on its first screen: the
// co-op's site and a mailto link whose subject names the job and node.
func TestBrowserApply(t *testing.T) {
	ctx := newBrowser(t)
	n := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	n.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero Cooperativa", Country: "AR", Workers: 12})
	j := n.Job(t, "hornero", directory.Job{Title: "Desarrolladora Go", Description: strings.Repeat("APIs en **Go**. ", 40),
		Skills: []string{"go"}, Remote: directory.RemoteFull, Country: "AR", EmploymentType: directory.FullTime,
		ApplyURL: "https://hornero.example/empleo", ApplyEmail: "jobs@hornero.example"})
	for _, c := range []struct {
		device        string
		width, height int64
		lang, subject string
	}{
		{"phone", 390, 844, "es", "Postulación: Desarrolladora Go (vía SoberaniaX)"},
		{"laptop", 1280, 800, "en", "Application: Desarrolladora Go (via SoberaniaX)"},
	} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(c.width, c.height, chromedp.EmulateScale(2))); err != nil {
			t.Fatal(err)
		}
		open(t, ctx, n.URL+"/lang/"+c.lang+"?next=/")
		open(t, ctx, j.APID)
		waitJS(t, ctx, "the apply box", `!!document.querySelector(".apply-box")`)
		if bottom := evalJS[float64](t, ctx, `document.querySelector(".apply-box a.button").getBoundingClientRect().bottom`); bottom > float64(c.height) {
			t.Errorf("%s: the apply button ends at %.0f px, below the first screen", c.device, bottom)
		}
		if href := evalJS[string](t, ctx, `document.querySelector(".apply-box a.button").href`); href != "https://hornero.example/empleo" {
			t.Errorf("%s: apply link %q", c.device, href)
		}
		subject := evalJS[string](t, ctx, `new URL(document.querySelector(".apply-box a.apply-mail").href).searchParams.get("subject")`)
		if subject != c.subject {
			t.Errorf("%s: subject %q, want %q", c.device, subject, c.subject)
		}
		if w := evalJS[int](t, ctx, `document.documentElement.scrollWidth`); w > int(c.width) {
			t.Errorf("%s: the job page is %d px wide", c.device, w)
		}
		screenshot(t, ctx, c.device+"-apply-"+c.lang)
	}
}
