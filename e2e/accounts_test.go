package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestBrowserCoopMember: the admin invites a co-op's first member; she
// sets her password, publishes an opening from her dashboard, sees it on
// a follower node, closes it, and nobody else can touch her co-op.
func TestBrowserCoopMember(t *testing.T) {
	ctx := newBrowser(t)
	keys := &nodetest.KeyPool{Size: 2}
	a := nodetest.NewWith(t, teststore.SQLite, "SoberaniaX", "soberaniax", nodetest.Options{Keys: keys})
	follower := nodetest.NewWith(t, teststore.SQLite, "EthiX", "ethix", nodetest.Options{Keys: keys})
	follower.Follow(t, a.Acct())
	nodetest.Eventually(t, "the follow accepted", func() bool { return follower.Accepted(t) })
	a.Coop(t, directory.Coop{Handle: "tacuara", Name: "Tacuara", Country: "AR", Workers: 12})
	_, raw, err := a.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "admin@soberaniax.example", true, "")
	if err != nil {
		t.Fatal(err)
	}

	type step struct {
		what string
		act  chromedp.Action[chromedp.Void]
	}
	run := func(steps ...step) {
		t.Helper()
		for _, s := range steps {
			if err := chromedp.Do(ctx, s.act); err != nil {
				t.Fatalf("%s: %v", s.what, err)
			}
		}
	}
	setPassword := func(link, pw string) {
		t.Helper()
		open(t, ctx, link)
		run(step{"password", chromedp.SendKeys(chromedp.CSS("#password"), pw)},
			step{"confirm", chromedp.SendKeys(chromedp.CSS("#confirm"), pw)},
			step{"submit", chromedp.Submit(chromedp.CSS("#confirm"))})
	}

	// The admin sets a password and adds the co-op and its first member.
	setPassword(a.URL+"/password?token="+raw, "correct horse battery")
	waitJS(t, ctx, "the admin console", `location.pathname === "/admin"`)
	run(step{"handle", chromedp.SendKeys(chromedp.CSS("#c-handle"), "hornero")},
		step{"name", chromedp.SendKeys(chromedp.CSS("#c-name"), "Hornero Cooperativa")},
		step{"country", chromedp.SendKeys(chromedp.CSS("#c-country"), "AR")},
		step{"workers", chromedp.SendKeys(chromedp.CSS("#c-workers"), "26")},
		step{"add", chromedp.Submit(chromedp.CSS("#c-workers"))})
	waitJS(t, ctx, "the co-op added", `document.body.innerText.includes("Hornero Cooperativa was added")`)
	run(step{"to people", chromedp.Click(chromedp.CSS(`.section-nav a[href="/admin/people"]`))})
	waitJS(t, ctx, "the people section", `location.pathname === "/admin/people" && !!document.querySelector("#i-email")`)
	run(step{"email", chromedp.SendKeys(chromedp.CSS("#i-email"), "ana@hornero.example")},
		step{"coop", chromedp.SendKeys(chromedp.CSS("#i-coop"), "hornero")},
		step{"invite", chromedp.Submit(chromedp.CSS("#i-coop"))})
	waitJS(t, ctx, "the invitation link", `!!document.querySelector(".link-box")`)
	link := evalJS[string](t, ctx, `document.querySelector(".link-box").value`)
	screenshot(t, ctx, "admin-console")
	run(step{"log out", chromedp.Click(chromedp.CSS(".user-nav button"))})
	waitJS(t, ctx, "logged out", `!!document.querySelector('.user-nav a[href="/login"]')`)

	// Ana accepts, lands on her dashboard and publishes an opening.
	setPassword(link, "una clave larga")
	waitJS(t, ctx, "her dashboard", `location.pathname === "/dashboard"`)
	run(step{"submit an empty form", chromedp.Submit(chromedp.CSS("#job-title"))})
	waitJS(t, ctx, "the error next to the title", `document.querySelector("#job-title").getAttribute("aria-invalid") === "true" && !!document.querySelector("#job-title-error")`)
	run(step{"title", chromedp.SendKeys(chromedp.CSS("#job-title"), "Desarrolladora Go")},
		step{"description", chromedp.SendKeys(chromedp.CSS("#job-description"), "APIs en **Go** para cooperativas.")},
		step{"skills", chromedp.SendKeys(chromedp.CSS("#job-skills"), "go, postgresql")},
		step{"salary", chromedp.SendKeys(chromedp.CSS("#job-salary-min"), "2500")},
		step{"currency", chromedp.SendKeys(chromedp.CSS("#job-salary-currency"), "USD")},
		step{"apply", chromedp.SendKeys(chromedp.CSS("#job-apply-email"), "jobs@hornero.example")},
		step{"publish", chromedp.Submit(chromedp.CSS("#job-title"))})
	waitJS(t, ctx, "the opening listed", `document.querySelector(".manage-list") && document.querySelector(".manage-list").innerText.includes("Desarrolladora Go")`)
	screenshot(t, ctx, "dashboard")
	nodetest.Eventually(t, "the opening on the follower", func() bool {
		r, err := follower.Svc.SearchJobs(t.Context(), directory.JobQuery{Skills: []string{"go"}})
		return err == nil && r.Total == 1 && r.Items[0].Title == "Desarrolladora Go"
	})

	// She edits it; the follower sees the change.
	run(step{"edit", chromedp.Click(chromedp.CSS(`.manage-list a[href*="/edit"]:not([href*="copy"])`))})
	waitJS(t, ctx, "the edit form", `document.querySelector("#job-title") && document.querySelector("#job-title").value === "Desarrolladora Go"`)
	evalJS[bool](t, ctx, `(document.querySelector("#job-title").value = "", true)`)
	run(step{"new title", chromedp.SendKeys(chromedp.CSS("#job-title"), "Desarrolladora Go senior")},
		step{"save", chromedp.Submit(chromedp.CSS("#job-title"))})
	waitJS(t, ctx, "the edited opening listed", `document.querySelector(".manage-list") && document.querySelector(".manage-list").innerText.includes("Desarrolladora Go senior")`)
	nodetest.Eventually(t, "the edit on the follower", func() bool {
		r, err := follower.Svc.SearchJobs(t.Context(), directory.JobQuery{Skills: []string{"go"}})
		return err == nil && r.Total == 1 && r.Items[0].Title == "Desarrolladora Go senior"
	})

	// She closes it, confirming on a second page; it leaves the follower
	// too, and stays under "Closed", from where she reopens it.
	run(step{"close", chromedp.Click(chromedp.CSS(`#jobs .manage-list a[href*="/close"]`))})
	waitJS(t, ctx, "the confirmation", `!!document.querySelector("#close-confirm button")`)
	screenshot(t, ctx, "close-confirm")
	run(step{"confirm", chromedp.Click(chromedp.CSS("#close-confirm button"))})
	waitJS(t, ctx, "the opening closed", `!document.querySelector("#jobs .manage-list") && !!document.querySelector("#closed") && document.querySelector("#closed").innerText.includes("Desarrolladora Go senior")`)
	nodetest.Eventually(t, "the opening gone from the follower", func() bool {
		r, err := follower.Svc.SearchJobs(t.Context(), directory.JobQuery{Skills: []string{"go"}})
		return err == nil && r.Total == 0
	})
	run(step{"reopen", chromedp.Click(chromedp.CSS("#closed button"))})
	waitJS(t, ctx, "the opening open again", `!document.querySelector("#closed") && document.querySelector("#jobs .manage-list").innerText.includes("Desarrolladora Go senior")`)
	nodetest.Eventually(t, "the reopened opening on the follower", func() bool {
		r, err := follower.Svc.SearchJobs(t.Context(), directory.JobQuery{Skills: []string{"go"}})
		return err == nil && r.Total == 1 && r.Items[0].Title == "Desarrolladora Go senior"
	})

	// She logs out and back in, and edits the co-op's profile.
	run(step{"log out", chromedp.Click(chromedp.CSS(".user-nav button"))})
	waitJS(t, ctx, "logged out", `!!document.querySelector('.user-nav a[href="/login"]')`)
	run(step{"to login", chromedp.Click(chromedp.CSS(`.user-nav a[href="/login"]`))})
	waitJS(t, ctx, "the login form", `!!document.querySelector("#email")`)
	run(step{"email", chromedp.SendKeys(chromedp.CSS("#email"), "ana@hornero.example")},
		step{"wrong password", chromedp.SendKeys(chromedp.CSS("#password"), "not her password")},
		step{"log in", chromedp.Submit(chromedp.CSS("#password"))})
	waitJS(t, ctx, "the refusal", `document.body.innerText.includes("do not match")`)
	run(step{"password", chromedp.SendKeys(chromedp.CSS("#password"), "una clave larga")},
		step{"log in", chromedp.Submit(chromedp.CSS("#password"))})
	waitJS(t, ctx, "her dashboard again", `location.pathname === "/dashboard"`)
	run(step{"to the profile", chromedp.Click(chromedp.CSS(`.section-nav a[href="/dashboard/profile"]`))})
	waitJS(t, ctx, "the profile section", `location.pathname === "/dashboard/profile" && !!document.querySelector("#p-summary")`)
	evalJS[bool](t, ctx, `(document.querySelector("#p-summary").value = "", true)`)
	run(step{"summary", chromedp.SendKeys(chromedp.CSS("#p-summary"), "Cooperativa de software libre de Rosario.")},
		step{"save profile", chromedp.Submit(chromedp.CSS("#p-summary"))})
	waitJS(t, ctx, "the profile saved", `document.body.innerText.includes("Profile saved")`)
	open(t, ctx, a.URL+"/coops/hornero")
	if !evalJS[bool](t, ctx, `document.body.innerText.includes("Cooperativa de software libre de Rosario.")`) {
		t.Error("the public page does not show the new summary")
	}

	// Another co-op's dashboard is not hers: ?coop= is ignored for members.
	open(t, ctx, a.URL+"/dashboard?coop=tacuara")
	if h1 := evalJS[string](t, ctx, `document.querySelector("h1").textContent`); !strings.Contains(h1, "Hornero") {
		t.Errorf("a member reached another co-op's dashboard: %q", h1)
	}
	open(t, ctx, a.URL+"/admin")
	if h1 := evalJS[string](t, ctx, `document.querySelector("h1").textContent`); h1 != "Not yours to see" {
		t.Errorf("a member opened the admin console: %q", h1)
	}
}
