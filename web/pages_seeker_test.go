package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestPagesSeeker: the search page asks where the seeker lives, their
// zone and the hours of overlap they need, with counts, works without
// JavaScript (plain GET parameters), and the job page shows where
// applicants may work from, the hours (in the seeker's zone too) and the
// co-op facts, in English and Spanish.
func TestPagesSeeker(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		latam := n.Job(t, "hornero", directory.Job{Title: "Latam backend", Description: "APIs.", Remote: directory.RemoteFull,
			Eligible: []string{"LATAM"}, EmploymentType: directory.FullTime, ApplyEmail: "jobs@hornero.example",
			Hours:        &directory.Hours{Zone: "Europe/Madrid", Start: 14 * 60, End: 18 * 60},
			HoursPerWeek: 30, Seniority: directory.Senior, Decisions: directory.DecideAssembly,
			Membership: &directory.Membership{LeadsToMembership: true, TrialMonths: 6, Capital: &directory.Capital{Amount: 0, Currency: "ARS"}},
			PayPolicy:  &directory.PayPolicy{Kind: directory.PayRatio, Ratio: 3}})
		n.Job(t, "hornero", directory.Job{Title: "EU designer", Description: "Design.", Remote: directory.RemoteFull,
			Eligible: []string{"EU"}, EmploymentType: directory.FullTime, ApplyEmail: "jobs@hornero.example",
			Hours: &directory.Hours{Zone: "Asia/Tokyo", Start: 9 * 60, End: 18 * 60}})

		resp, body := page(t, n.URL, "/?live_in=AR&tz=America/Argentina/Buenos_Aires&overlap=2&leads_to_membership=true")
		if resp.StatusCode != 200 || !strings.Contains(body, ">Latam backend</a>") || strings.Contains(body, ">EU designer</a>") {
			t.Fatalf("seeker search: %d\n%s", resp.StatusCode, body)
		}
		for _, want := range []*regexp.Regexp{
			regexp.MustCompile(`<option value="AR" selected>Argentina</option>`),
			regexp.MustCompile(`<option value="America/Argentina/Buenos_Aires" selected>`),
			regexp.MustCompile(`<option value="2" selected>at least 2 hours \(1\)</option>`),
			regexp.MustCompile(`id="leads-to-membership" name="leads_to_membership" value="true" class="autosubmit" checked>`),
			regexp.MustCompile(`Remote jobs open to: Latin America and the Caribbean <span class="count">1</span>`),
			regexp.MustCompile(`<li class="where">Remote, from Latin America and the Caribbean</li>`),
			regexp.MustCompile(`<li class="hours">14:00–18:00 \(Europe/Madrid\) · \d\d:00–\d\d:00 in your zone \(America/Argentina/Buenos_Aires\)</li>`),
			regexp.MustCompile(`href="/jobs/[a-z0-9]+\?tz=America%2FArgentina%2FBuenos_Aires"`),
			regexp.MustCompile(`class="chip" href="[^"]*"[^>]*><span class="legend">I live in:</span> Argentina`),
			regexp.MustCompile(`<select id="tz" name="tz" data-guess-zone>`),
		} {
			if !want.MatchString(body) {
				t.Errorf("search page lacks %s", want)
			}
		}
		// The seniority facet counts, and filters.
		_, body = page(t, n.URL, "/?seniority=senior")
		if !regexp.MustCompile(`name="seniority" value="senior" checked>\s*<label for="seniority-\d+">Senior <span class="count">1</span>`).MatchString(body) ||
			!strings.Contains(body, ">Latam backend</a>") || strings.Contains(body, ">EU designer</a>") {
			t.Errorf("seniority facet:\n%s", body)
		}
		// In Spanish.
		_, body = page(t, n.URL, "/?live_in=ES", "Accept-Language", "es")
		if !strings.Contains(body, "Vivo en") || !strings.Contains(body, "Remoto, desde la Unión Europea") || !strings.Contains(body, ">EU designer</a>") {
			t.Errorf("Spanish search page:\n%s", body)
		}
		// Bad seeker input: a 400 page saying why.
		for _, q := range []string{"live_in=XX", "overlap=4", "tz=Mars/Olympus", "city=Rosario", "seniority=guru", "leads_to_membership=maybe"} {
			if resp, body := page(t, n.URL, "/?"+q); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="notice error"`) {
				t.Errorf("/?%s: %d", q, resp.StatusCode)
			}
		}

		// The job page, in the seeker's zone.
		key, _ := n.Svc.Links().JobKey(latam.APID)
		_, body = page(t, n.URL, "/jobs/"+key+"?tz=America/Argentina/Buenos_Aires")
		for _, want := range []string{
			"<dt>Open to applicants in</dt><dd>Latin America and the Caribbean</dd>",
			"<dt>Working hours</dt><dd>14:00–18:00 (Europe/Madrid) · ",
			"in your zone (America/Argentina/Buenos_Aires)</dd>",
			"<dt>Hours per week</dt><dd>30 hours</dd>",
			"<dt>Seniority</dt><dd>Senior</dd>",
			"<dt>Membership</dt><dd>Leads to membership after 6 months</dd>",
			"<dt>Capital contribution</dt><dd>None</dd>",
			"<dt>Pay policy</dt><dd>The highest pay is at most 3 times the lowest</dd>",
			"<dt>How the co-op decides</dt><dd>Assembly</dd>",
			`"applicantLocationRequirements":[{"@type":"AdministrativeArea","identifier":"LATAM","name":"Latin America and the Caribbean"}]`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("job page lacks %q", want)
			}
		}
		_, body = page(t, n.URL, "/jobs/"+key, "Accept-Language", "es")
		for _, want := range []string{"<dt>Horario</dt><dd>14:00–18:00 (Europe/Madrid)</dd>", "Lleva a asociarse después de 6 meses", "Asamblea"} {
			if !strings.Contains(body, want) {
				t.Errorf("Spanish job page lacks %q", want)
			}
		}
	})
}
