package web_test

import (
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

var optionRE = regexp.MustCompile(`<option value="([^"]*)"( selected)?>([^<]*)</option>`)

// selectOptions returns the labels of the options of the <select> with
// id, in page order, and the values chosen.
func selectOptions(t *testing.T, body, id string) (labels, chosen []string) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<select id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</select>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no select %s", id)
	}
	for _, o := range optionRE.FindAllStringSubmatch(m[1], -1) {
		labels = append(labels, o[3])
		if o[2] != "" {
			chosen = append(chosen, o[1])
		}
	}
	return labels, chosen
}

var checkRE = regexp.MustCompile(`<label class="choice"><input type="checkbox" name="[^"]+" value="([^"]*)"( checked)?> ([^<]*)</label>`)

// checkOptions does the same for a list of checkboxes.
func checkOptions(t *testing.T, body, id string) (labels, chosen []string) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<fieldset class="field choices" id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</fieldset>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no list %s", id)
	}
	for _, o := range checkRE.FindAllStringSubmatch(m[1], -1) {
		labels = append(labels, o[3])
		if o[2] != "" {
			chosen = append(chosen, o[1])
		}
	}
	return labels, chosen
}

// before reports whether a comes before b in labels, both present.
func before(labels []string, a, b string) bool {
	i, j := slices.Index(labels, a), slices.Index(labels, b)
	return i >= 0 && j >= 0 && i < j
}

// TestFormChoices: country, currency and language fields are lists sorted
// by the names in the page's language (Spanish collation in Spanish); what
// is submitted is stored, a value not on the list is refused with the
// field named and kept in the form; fields of several values are
// checkboxes.
func TestFormChoices(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n := nodetest.New(t, open, "SoberaniaX", "soberaniax")
		ctx := t.Context()
		n.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26, Languages: []string{"es", "pt-BR"}})
		_, raw, err := n.Svc.InviteUser(ctx, directory.Principal{Admin: true}, "ana@hornero.example", false, "hornero")
		if err != nil {
			t.Fatal(err)
		}
		ana := acceptInvite(t, n.URL, "/password?token="+raw, "una clave larga")

		_, es := ana.do(http.MethodGet, "/dashboard/profile", nil, "Accept-Language", "es")
		_, en := ana.do(http.MethodGet, "/dashboard/profile", nil, "Accept-Language", "en")
		_, esJob := ana.do(http.MethodGet, "/dashboard/openings", nil, "Accept-Language", "es")
		esCountries, chosen := selectOptions(t, es, "p-country")
		if !reflect.DeepEqual(chosen, []string{"AR"}) {
			t.Errorf("profile country chosen: %v", chosen)
		}
		for _, pair := range [][2]string{{"Alemania", "Argentina"}, {"Argentina", "Austria"}, {"España", "Estados Unidos"},
			{"Islandia", "Islas Feroe"}, {"Perú", "Polonia"}} {
			if !before(esCountries, pair[0], pair[1]) {
				t.Errorf("Spanish countries: %q not before %q", pair[0], pair[1])
			}
		}
		enCountries, _ := selectOptions(t, en, "p-country")
		if !before(enCountries, "Argentina", "Germany") || !before(enCountries, "Spain", "United States") || len(enCountries) != len(esCountries) {
			t.Errorf("English countries out of order: %d and %d", len(enCountries), len(esCountries))
		}
		// Accents sort with their letters in Spanish: árabe among the a's.
		esLangs, chosen := checkOptions(t, es, "p-languages")
		if !before(esLangs, "alemán", "árabe") || !before(esLangs, "árabe", "armenio") || !before(esLangs, "inglés", "italiano") {
			t.Errorf("Spanish languages out of order: %v", esLangs[:12])
		}
		if !reflect.DeepEqual(chosen, []string{"pt-BR", "es"}) {
			t.Errorf("profile languages chosen: %v (a stored variant kept)", chosen)
		}
		enLangs, _ := checkOptions(t, en, "p-languages")
		if !before(enLangs, "Arabic", "German") || !before(enLangs, "English", "Spanish") {
			t.Errorf("English languages out of order")
		}
		cur, _ := selectOptions(t, esJob, "job-salary-currency")
		if !before(cur, "ARS · Argentina", "EUR · Unión Europea") || !before(cur, "GBP · Reino Unido", "USD · Estados Unidos") {
			t.Errorf("currencies: %v", cur[:5])
		}
		elig, _ := checkOptions(t, esJob, "job-eligible")
		if len(elig) < 250 || elig[0] != "cualquier lugar" || !slices.Contains(elig, "Namibia") {
			t.Errorf("eligibility list: %d entries, first %q", len(elig), elig[0])
		}

		// The chosen values are stored.
		profile := url.Values{"name": {"Hornero"}, "country": {"UY"}, "workers": {"26"}, "languages": {"es", "pt"},
			"summary": {"Somos **libres**.\n\n<script>alert(1)</script>"}}
		if resp, body := ana.post("/dashboard/profile", profile); resp.StatusCode >= 400 {
			t.Fatalf("profile: %d\n%.2000s", resp.StatusCode, body)
		}
		c, err := n.Svc.Coop(ctx, "hornero")
		if err != nil {
			t.Fatal(err)
		}
		if c.Country != "UY" || !reflect.DeepEqual(c.Languages, []string{"es", "pt"}) {
			t.Errorf("stored: %s %v", c.Country, c.Languages)
		}
		// The About is Markdown, sanitised.
		_, body := page(t, n.URL, "/coops/hornero")
		if !strings.Contains(body, `<div class="about prose" dir="auto"><p>Somos <strong>libres</strong>.</p>`) || strings.Contains(body, "alert(1)") {
			t.Errorf("co-op page About:\n%s", body)
		}
		if strings.Contains(body, "**") {
			t.Error("literal ** on the co-op page")
		}

		// A value not on the list is refused, the field named, and kept.
		bad := url.Values{"name": {"Hornero"}, "country": {"ZZ"}, "workers": {"26"}, "languages": {"es"}}
		resp, body := ana.post("/dashboard/profile", bad, "Accept-Language", "es")
		expect(t, "bad country", resp, 400, body, `id="p-country-error"`)
		if _, chosen := selectOptions(t, body, "p-country"); !reflect.DeepEqual(chosen, []string{"ZZ"}) {
			t.Errorf("bad country not kept: %v", chosen)
		}
		bad.Set("country", "AR")
		bad["languages"] = []string{"es", "not a language"}
		resp, body = ana.post("/dashboard/profile", bad)
		expect(t, "bad language", resp, 400, body, `id="p-languages-error"`)
		if _, chosen := checkOptions(t, body, "p-languages"); !reflect.DeepEqual(chosen, []string{"not a language", "es"}) {
			t.Errorf("bad language not kept: %v", chosen)
		}

		// A job: country, currency, languages and eligibility chosen.
		job := url.Values{"title": {"Desarrolladora Go"}, "description": {"APIs."}, "remote": {"remote"}, "employment_type": {"full_time"},
			"country": {"AR"}, "salary_min": {"1000"}, "salary_max": {"2000"}, "salary_currency": {"USD"}, "salary_period": {"month"},
			"languages": {"es", "en"}, "eligible": {"AR", "UY", "LATAM"}, "apply_email": {"jobs@hornero.example"}}
		badJob := url.Values{}
		for k, v := range job {
			badJob[k] = v
		}
		badJob.Set("salary_currency", "ABC")
		resp, body = ana.post("/dashboard/jobs", badJob)
		expect(t, "bad currency", resp, 400, body, `id="job-salary-currency-error"`)
		if _, chosen := checkOptions(t, body, "job-eligible"); !reflect.DeepEqual(chosen, []string{"LATAM", "AR", "UY"}) {
			t.Errorf("eligibility not kept: %v", chosen)
		}
		if resp, body := ana.post("/dashboard/jobs", job); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d\n%.2000s", resp.StatusCode, body)
		}
		res, err := n.Svc.SearchJobs(ctx, directory.JobQuery{})
		if err != nil || res.Total != 1 {
			t.Fatalf("published: %v %+v", err, res)
		}
		j := res.Items[0]
		if j.Country != "AR" || j.Salary == nil || j.Salary.Currency != "USD" || !reflect.DeepEqual(j.Languages, []string{"es", "en"}) ||
			!reflect.DeepEqual(j.Eligible, []string{"AR", "UY", "LATAM"}) {
			t.Errorf("stored job: %s %+v %v %v", j.Country, j.Salary, j.Languages, j.Eligible)
		}
	})
}

// TestAdminChoices: the console's co-op country, the federation's
// languages and the rates' base currency are lists too.
func TestAdminChoices(t *testing.T) {
	n := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	ctx := t.Context()
	_, raw, err := n.Svc.InviteUser(ctx, directory.Principal{Admin: true}, "root@soberaniax.example", true, "")
	if err != nil {
		t.Fatal(err)
	}
	admin := acceptInvite(t, n.URL, "/password?token="+raw, "una clave larga")
	_, body := admin.do(http.MethodGet, "/admin/coops", nil, "Accept-Language", "es")
	countries, _ := selectOptions(t, body, "c-country")
	if !before(countries, "Alemania", "Argentina") {
		t.Error("console countries not in Spanish order")
	}
	_, body = admin.do(http.MethodGet, "/admin/rates", nil, "Accept-Language", "es")
	if _, chosen := selectOptions(t, body, "r-base"); !reflect.DeepEqual(chosen, []string{"USD"}) {
		t.Errorf("rates base chosen: %v", chosen)
	}
	_, body = admin.do(http.MethodGet, "/admin/settings", nil, "Accept-Language", "es")
	checkOptions(t, body, "s-languages")
	resp, body := admin.post("/admin/coops", url.Values{"handle": {"hornero"}, "name": {"Hornero"}, "country": {"XX"}, "workers": {"5"}})
	expect(t, "bad country", resp, 400, body, `id="c-country-error"`)
	if resp, _ := admin.post("/admin/coops", url.Values{"handle": {"hornero"}, "name": {"Hornero"}, "country": {"AR"}, "workers": {"5"}}); resp.StatusCode >= 400 {
		t.Fatalf("create co-op: %d", resp.StatusCode)
	}
	if c, err := n.Svc.Coop(ctx, "hornero"); err != nil || c.Country != "AR" {
		t.Errorf("co-op stored: %v %+v", err, c)
	}
	if resp, _ := admin.post("/admin/settings", url.Values{"name": {"SoberaniaX"}, "summary": {"s"}, "languages": {"es", "en"}}); resp.StatusCode >= 400 {
		t.Fatalf("settings: %d", resp.StatusCode)
	}
	if f, err := n.Svc.LocalFederation(ctx); err != nil || !reflect.DeepEqual(f.Languages, []string{"es", "en"}) {
		t.Errorf("federation languages: %v %+v", err, f)
	}
}

// TestCoopsCountryFilter: the directory's country filter lists the
// countries with co-ops by name in the page's language.
func TestCoopsCountryFilter(t *testing.T) {
	n := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	for _, c := range []directory.Coop{{Handle: "hornero", Country: "AR"}, {Handle: "kollektiv", Country: "DE"}, {Handle: "colibri", Country: "MX"}} {
		c.Name, c.Workers = c.Handle, 5
		n.Coop(t, c)
	}
	for lang, want := range map[string][]string{"es": {"Alemania", "Argentina", "México"}, "en": {"Argentina", "Germany", "Mexico"}} {
		_, body := page(t, n.URL, "/coops?country=DE", "Accept-Language", lang)
		labels, chosen := selectOptions(t, body, "country")
		if !reflect.DeepEqual(labels[1:], want) || !reflect.DeepEqual(chosen, []string{"DE"}) {
			t.Errorf("%s: %v chosen %v, want %v", lang, labels, chosen, want)
		}
	}
}
