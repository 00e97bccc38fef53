package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// today is the date of rates made now.
func today() string { return time.Now().UTC().Format("2006-01-02") }

func TestRatesAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		n.expect(n.do("GET", "/api/v1/rates", "", nil), 404, "no exchange rates")
		doc := map[string]any{"base": "USD", "date": today(), "source": "test table",
			"rates": map[string]any{"ARS": 1000, "GBP": 0.8, "EUR": 0.9}}
		n.expect(n.do("PUT", "/api/v1/admin/rates", "", doc), 401, "")
		r := n.do("PUT", "/api/v1/admin/rates", n.admin, doc)
		n.expect(r, 200, "")
		got := n.do("GET", "/api/v1/rates", "", nil)
		n.expect(got, 200, "")
		m := got.json(t)
		if m["base"] != "USD" || m["date"] != today() || m["source"] != "test table" ||
			fmt.Sprint(m["rates"]) != "map[ARS:1000 EUR:0.9 GBP:0.8]" {
			t.Fatalf("rates: %s", got.body)
		}

		// Bad documents: 400 naming the field, and the rates stay.
		old := time.Now().UTC().Add(-20 * 24 * time.Hour).Format("2006-01-02")
		future := time.Now().UTC().Add(72 * time.Hour).Format("2006-01-02")
		for _, c := range []struct {
			body  any
			field string
		}{
			{map[string]any{"base": "USD", "date": today(), "rates": map[string]any{"ARS": 0}}, "rates.ARS"},
			{map[string]any{"base": "USD", "date": today(), "rates": map[string]any{"ARS": -1}}, "rates.ARS"},
			{map[string]any{"base": "USD", "date": today(), "rates": map[string]any{"ZZZ": 1}}, "rates.ZZZ"},
			{map[string]any{"base": "USD", "date": today(), "rates": map[string]any{"ARS": "lots"}}, "rates"},
			{map[string]any{"base": "USD", "date": today(), "rates": map[string]any{"USD": 2}}, "rates.USD"},
			{map[string]any{"base": "XX", "date": today(), "rates": map[string]any{"ARS": 1}}, "base"},
			{map[string]any{"base": "USD", "date": "28/11/2026", "rates": map[string]any{"ARS": 1}}, "date"},
			{map[string]any{"base": "USD", "rates": map[string]any{"ARS": 1}}, "date"},
			{map[string]any{"base": "USD", "date": old, "rates": map[string]any{"ARS": 1}}, "date"},
			{map[string]any{"base": "USD", "date": future, "rates": map[string]any{"ARS": 1}}, "date"},
			{map[string]any{"base": "USD", "date": today(), "rates": map[string]any{"ARS": 1}, "extra": 1}, "extra"},
			{`{"base": "USD", "date": "` + today() + `", "rates": {"ARS": 1e999}}`, "rates"},
		} {
			r := n.do("PUT", "/api/v1/admin/rates", n.admin, c.body)
			n.expect(r, 400, c.field)
			if f, _ := r.json(t)["field"].(string); !strings.HasPrefix(f, c.field) {
				t.Fatalf("%v: field %q, want %q", c.body, f, c.field)
			}
		}
		if again := n.do("GET", "/api/v1/rates", "", nil); string(again.body) != string(got.body) {
			t.Fatalf("rates changed by refused documents: %s", again.body)
		}
	})
}

func TestSalaryNormalized(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		n.expect(n.do("POST", "/api/v1/coops", n.admin, gcoop), 201, "")
		post := func(title string, salary any) string {
			t.Helper()
			job := map[string]any{"title": title, "description": "Trabajo.", "remote": "remote",
				"employment_type": "full_time", "apply_url": "https://gcoop.example/jobs"}
			if salary != nil {
				job["salary"] = salary
			}
			r := n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job)
			n.expect(r, 201, "")
			return r.json(t)["id"].(string)
		}
		ars := post("ARS job", map[string]any{"min": 2_000_000, "currency": "ARS", "period": "month"})
		post("USD hourly", map[string]any{"min": 15, "max": 20, "currency": "USD", "period": "hour"})
		post("GBP yearly", map[string]any{"min": 24000, "currency": "GBP", "period": "year"})
		post("UYU job", map[string]any{"min": 90000, "currency": "UYU", "period": "month"})
		post("Unpaid", nil)

		// Without rates nothing is converted.
		if s := n.do("GET", "/api/v1/jobs/"+url.PathEscape(ars), "", nil).json(t)["salary"].(map[string]any); s["normalized"] != nil {
			t.Fatalf("converted without rates: %v", s)
		}
		n.expect(n.do("PUT", "/api/v1/admin/rates", n.admin, map[string]any{"base": "USD", "date": today(), "source": "t",
			"rates": map[string]any{"ARS": 1000, "GBP": 0.8}}), 200, "")

		norm := func(path string) map[string]any {
			t.Helper()
			s := n.do("GET", path, "", nil).json(t)["salary"].(map[string]any)
			m, _ := s["normalized"].(map[string]any)
			return m
		}
		got := norm("/api/v1/jobs/" + url.PathEscape(ars))
		want := fmt.Sprintf("map[currency:USD month:2000 month_min:2000 rates_date:%s year:24000 year_min:24000]", today())
		if fmt.Sprint(got) != want {
			t.Fatalf("ARS job normalized: %v, want %v", got, want)
		}
		got = norm("/api/v1/jobs/" + url.PathEscape(ars) + "?view_currency=gbp")
		if got["currency"] != "GBP" || got["month"] != 1600.0 || got["year"] != 19200.0 {
			t.Fatalf("in GBP: %v", got)
		}
		// A view currency without a rate converts nothing; one that does
		// not exist is a 400.
		if got := norm("/api/v1/jobs/" + url.PathEscape(ars) + "?view_currency=EUR"); got != nil {
			t.Fatalf("in EUR without a rate: %v", got)
		}
		n.expect(n.do("GET", "/api/v1/jobs/"+url.PathEscape(ars)+"?view_currency=EURO", "", nil), 400, "view_currency")

		search := func(query string) []string {
			t.Helper()
			r := n.do("GET", "/api/v1/jobs?"+query, "", nil)
			n.expect(r, 200, "")
			var out []string
			for _, it := range r.json(t)["items"].([]any) {
				out = append(out, it.(map[string]any)["title"].(string))
			}
			return out
		}
		eqs := func(what string, got []string, want ...string) {
			t.Helper()
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("%s: got %v, want %v", what, got, want)
			}
		}
		// USD hourly reaches 20 × 173.33 = 3,467; GBP 2,000 is USD 2,500.
		eqs("by salary", search("sort=salary"), "USD hourly", "GBP yearly", "ARS job", "Unpaid", "UYU job")
		eqs("USD 2,100", search("sort=salary&salary_min=2100&salary_currency=USD&salary_period=month"), "USD hourly", "GBP yearly")
		eqs("ARS 3,000,000", search("sort=salary&salary_min=3000000&salary_currency=ARS"), "USD hourly")
		eqs("GBP 24,000 a year", search("sort=salary&salary_min=24000&salary_currency=GBP&salary_period=year"), "USD hourly", "GBP yearly")
		eqs("default currency", search("salary_min=3000"), "USD hourly")
		eqs("view currency", search("salary_min=2700&view_currency=GBP"), "USD hourly")
		eqs("no rate", search("salary_min=50000&salary_currency=UYU"), "UYU job")

		for _, c := range []struct{ query, field string }{
			{"salary_min=-5", "salary_min"},
			{"salary_min=0", "salary_min"},
			{"salary_min=lots", "salary_min"},
			{"salary_min=2000000000", "salary_min"},
			{"salary_min=10&salary_currency=DOLLARS", "salary_currency"},
			{"salary_currency=ZZZ", "salary_currency"},
			{"salary_min=10&salary_period=week", "salary_period"},
			{"view_currency=XYZW", "view_currency"},
			{"sort=pay", "sort"},
		} {
			r := n.do("GET", "/api/v1/jobs?"+c.query, "", nil)
			n.expect(r, 400, c.field)
			if f := r.json(t)["field"]; f != c.field {
				t.Fatalf("%s: field %v, want %s", c.query, f, c.field)
			}
		}

		// Absurd salaries are refused naming the field.
		job := map[string]any{"title": "Too much", "description": "x", "remote": "remote", "employment_type": "full_time",
			"apply_url": "https://gcoop.example/jobs", "salary": map[string]any{"min": 10_000_000, "currency": "USD", "period": "hour"}}
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "salary.min")
		job["salary"] = map[string]any{"min": 1, "max": 2_000_000_000, "currency": "USD", "period": "month"}
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "salary.max")
		job["salary"] = map[string]any{"min": 1, "currency": "USD", "period": "fortnight"}
		n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, job), 400, "salary.period")
	})
}
