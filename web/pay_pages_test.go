package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestPayPages: the admin sets exchange rates in the console; job pages
// and search results show pay converted with the date of the rates, warn
// when the rates are old and convert nothing without a rate; the search
// form filters by a minimum and sorts by pay.
func TestPayPages(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		a := nodetest.NewWith(t, open, "SoberaniaX", "soberaniax", nodetest.Options{Currency: "USD"})
		_, raw, err := a.Svc.InviteUser(t.Context(), a.Admin, "admin@soberaniax.example", true, "")
		if err != nil {
			t.Fatal(err)
		}
		admin := acceptInvite(t, a.URL, "/password?token="+raw, "correct horse battery")
		resp, body := admin.get("/admin/rates")
		expect(t, "console without rates", resp, 200, body, "No exchange rates are set")

		old := time.Now().UTC().Add(-9 * 24 * time.Hour)
		form := func(date, lines string) url.Values {
			return url.Values{"base": {"USD"}, "date": {date}, "source": {"Banco de pruebas"}, "rates": {lines}}
		}
		day := old.Format("2006-01-02")
		resp, body = admin.post("/admin/rates", form(day, "ARS 1052.6\nGBP zero"))
		expect(t, "a rate that is not a number", resp, 400, body, `<p id="r-rates-error" class="field-error">GBP: `)
		resp, body = admin.post("/admin/rates", form(day, "ARS 1052.6\nGBP 0"))
		expect(t, "a rate of zero", resp, 400, body, `<p id="r-rates-error" class="field-error">GBP: `)
		if !strings.Contains(body, "ARS 1052.6\nGBP 0</textarea>") {
			t.Fatalf("the form lost what was typed:\n%s", body)
		}
		resp, body = admin.post("/admin/rates", form(day, "ARS 1052.6 pesos"))
		expect(t, "a line that cannot be read", resp, 400, body, `id="r-rates-error"`)
		resp, body = admin.post("/admin/rates", form("2026-02-30", "ARS 1052.6"))
		expect(t, "a bad date", resp, 400, body, `id="r-date-error"`)
		if r, _ := a.Svc.Rates(t.Context()); !r.Empty() {
			t.Fatalf("refused forms stored rates: %+v", r)
		}
		resp, body = admin.post("/admin/rates", form(day, "ARS 1052.6\r\nGBP = 0.79\n\n"))
		expect(t, "rates saved", resp, 200, body, "Saved: pay is converted")
		expect(t, "old rates in the console", resp, 200, body, "more than 7 days old")

		a.Coop(t, directory.Coop{Handle: "gcoop", Name: "GCoop", Country: "AR", Workers: 40})
		job := func(title string, s *directory.Salary) *directory.Job {
			return a.Job(t, "gcoop", directory.Job{Title: title, Description: "Trabajo.", Remote: directory.RemoteFull,
				EmploymentType: directory.FullTime, ApplyEmail: "jobs@gcoop.example", Salary: s})
		}
		ars := job("Desarrolladora Go", &directory.Salary{Min: 2_000_000, Currency: "ARS", Period: directory.PerMonth})
		uyu := job("Soporte", &directory.Salary{Min: 90_000, Currency: "UYU", Period: directory.PerMonth})
		job("Voluntariado", nil)
		page := func(b *browser, path string, lang string) string {
			t.Helper()
			resp, body := b.do(http.MethodGet, path, nil, "Accept-Language", lang)
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, body)
			}
			return body
		}
		visitor := newBrowser(t, a.URL)
		path := func(j *directory.Job) string { u, _ := url.Parse(j.APID); return u.Path }
		date := func(lang string) string {
			months := map[string][]string{"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
				"es": {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"}}
			return strings.Join([]string{strconv.Itoa(old.Day()), months[lang][old.Month()-1], strconv.Itoa(old.Year())}, " ")
		}
		body = page(visitor, path(ars), "en")
		for _, want := range []string{"ARS 2,000,000 a month", "about USD 1,900 a month", "(rates of " + date("en") + ")",
			"These exchange rates are more than 7 days old."} {
			if !strings.Contains(body, want) {
				t.Fatalf("the job page lacks %q:\n%s", want, body)
			}
		}
		body = page(visitor, path(ars)+"?view_currency=GBP", "en")
		if !strings.Contains(body, "about GBP 1,500 a month") {
			t.Fatalf("the job page in GBP:\n%s", body)
		}
		body = page(visitor, path(uyu), "en")
		if !strings.Contains(body, "UYU 90,000 a month") || strings.Contains(body, "pay-note") {
			t.Fatalf("a salary without a rate was converted:\n%s", body)
		}

		// Fresh rates: no warning; and in Spanish.
		if _, err := a.Svc.SetRates(t.Context(), a.Admin, directory.Rates{Base: "USD", Date: time.Now().UTC(), Source: "hoy",
			PerBase: map[string]float64{"ARS": 1052.6, "GBP": 0.79}}); err != nil {
			t.Fatal(err)
		}
		body = page(visitor, path(ars), "es")
		if !strings.Contains(body, "ARS 2.000.000 por mes") || !strings.Contains(body, "unos USD 1.900 por mes") ||
			!strings.Contains(body, "cotización del") || strings.Contains(body, "más de 7 días") {
			t.Fatalf("the job page in Spanish with fresh rates:\n%s", body)
		}

		// Search: a minimum in another currency, best paid first.
		body = page(visitor, "/?sort=salary&salary_min=1500000&salary_currency=ARS", "en")
		if !strings.Contains(body, "Desarrolladora Go") || strings.Contains(body, "Soporte") || strings.Contains(body, "Voluntariado") ||
			!strings.Contains(body, "about USD 1,900 a month") || !strings.Contains(body, "Minimum pay:</span> ARS 1,500,000 a month") {
			t.Fatalf("search with a minimum:\n%s", body)
		}
		body = page(visitor, "/?sort=salary&view_currency=GBP", "en")
		i, j, k := strings.Index(body, "Desarrolladora Go"), strings.Index(body, "Soporte"), strings.Index(body, "Voluntariado")
		if i < 0 || j < 0 || k < 0 || i > j || i > k || !strings.Contains(body, "about GBP 1,500 a month") ||
			!strings.Contains(body, `<option value="GBP" selected>GBP</option>`) || !strings.Contains(body, `?view_currency=GBP"`) {
			t.Fatalf("search by salary in GBP:\n%s", body)
		}
		resp, body = visitor.get("/?salary_min=-3")
		expect(t, "a negative minimum", resp, 400, body, "Give an amount greater than zero.")
		resp, body = visitor.get("/?view_currency=pesos")
		expect(t, "a view currency that does not exist", resp, 400, body, "three-letter currency code")
	})
}
