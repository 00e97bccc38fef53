package web_test

import (
	"encoding/json"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func seekerJob(title string, spec map[string]any) map[string]any {
	j := goJob()
	j["title"] = title
	delete(j, "country")
	for k, v := range spec {
		j[k] = v
	}
	return j
}

func titlesOf(t *testing.T, r reply) []string {
	t.Helper()
	var page struct {
		Total int `json:"total"`
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, it := range page.Items {
		out = append(out, it.Title)
	}
	sort.Strings(out)
	if page.Total != len(out) {
		t.Fatalf("total %d for %v", page.Total, out)
	}
	return out
}

func TestSeekerFieldsAndSearch(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		n.expect(n.do("POST", "/api/v1/coops", n.admin, gcoop), 201, "")
		full := seekerJob("Full", map[string]any{
			"eligible":       []string{"latam", "ES"},
			"hours":          map[string]any{"zone": "America/Argentina/Buenos_Aires", "start": "10:00", "end": "15:00"},
			"hours_per_week": 30, "seniority": "senior", "decisions": "assembly",
			"membership": map[string]any{"leads_to_membership": true, "trial_months": 6,
				"capital_contribution": map[string]any{"amount": 0, "currency": "ARS"}},
			"pay_policy": map[string]any{"kind": "ratio", "ratio": 3},
		})
		r := n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, full)
		n.expect(r, 201, "")
		got := r.json(t)
		want := map[string]any{
			"eligible":       []any{"LATAM", "ES"},
			"hours":          map[string]any{"zone": "America/Argentina/Buenos_Aires", "start": "10:00", "end": "15:00"},
			"hours_per_week": 30.0, "seniority": "senior", "decisions": "assembly",
			"membership": map[string]any{"leads_to_membership": true, "trial_months": 6.0,
				"capital_contribution": map[string]any{"amount": 0.0, "currency": "ARS"}},
			"pay_policy": map[string]any{"kind": "ratio", "ratio": 3.0},
		}
		for k, w := range want {
			if !reflect.DeepEqual(got[k], w) {
				t.Errorf("%s: got %#v, want %#v", k, got[k], w)
			}
		}
		id := got["id"].(string)
		r = n.do("GET", "/api/v1/jobs/"+url.PathEscape(id), "", nil)
		for k, w := range want {
			if !reflect.DeepEqual(r.json(t)[k], w) {
				t.Errorf("read back %s: got %#v, want %#v", k, r.json(t)[k], w)
			}
		}
		// PATCH: null removes a fact, a value replaces it, the rest stays.
		r = n.do("PATCH", "/api/v1/jobs/"+url.PathEscape(id), n.admin, map[string]any{
			"hours": nil, "membership": nil, "seniority": "lead", "pay_policy": map[string]any{"kind": "equal"}, "eligible": []string{"anywhere"}})
		n.expect(r, 200, "")
		p := r.json(t)
		if p["hours"] != nil || p["membership"] != nil || p["seniority"] != "lead" || p["decisions"] != "assembly" ||
			p["hours_per_week"] != 30.0 || !reflect.DeepEqual(p["pay_policy"], map[string]any{"kind": "equal"}) ||
			!reflect.DeepEqual(p["eligible"], []any{"anywhere"}) {
			t.Fatalf("patched: %s", r.body)
		}
		n.expect(n.do("PATCH", "/api/v1/jobs/"+url.PathEscape(id), n.admin, map[string]any{"eligible": []string{"LATAM"},
			"hours":      map[string]any{"zone": "America/Argentina/Buenos_Aires", "start": "10:00", "end": "15:00"},
			"membership": map[string]any{"leads_to_membership": true}}), 200, "")
		plain := seekerJob("Plain", nil)
		r = n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, plain)
		n.expect(r, 201, "")
		if p := r.json(t); !reflect.DeepEqual(p["eligible"], []any{"anywhere"}) || p["hours"] != nil || p["seniority"] != nil || p["membership"] != nil {
			t.Fatalf("plain: %s", r.body)
		}

		for _, j := range []map[string]any{
			seekerJob("Tokyo", map[string]any{"eligible": []string{"AS"}, "seniority": "junior",
				"hours": map[string]any{"zone": "Asia/Tokyo", "start": "09:00", "end": "18:00"}}),
			seekerJob("Rosario", map[string]any{"remote": "onsite", "country": "AR", "city": "Rosario", "seniority": "senior"}),
			seekerJob("Madrid", map[string]any{"remote": "hybrid", "country": "ES", "city": "Madrid"}),
			seekerJob("EU", map[string]any{"eligible": []string{"EU"}}),
		} {
			n.expect(n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, j), 201, "")
		}
		search := func(q string, want ...string) map[string]any {
			t.Helper()
			r := n.do("GET", "/api/v1/jobs?"+q, "", nil)
			n.expect(r, 200, "")
			if got := titlesOf(t, r); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: got %v, want %v", q, got, want)
			}
			return r.json(t)
		}
		page := search("live_in=AR", "Full", "Plain", "Rosario")
		facets := page["facets"].(map[string]any)
		if !reflect.DeepEqual(facets["eligible"], []any{map[string]any{"value": "LATAM", "count": 1.0}, map[string]any{"value": "anywhere", "count": 1.0}}) {
			t.Errorf("eligible facet: %v", facets["eligible"])
		}
		search("live_in=AR&city=C%C3%B3rdoba", "Full", "Plain")
		search("live_in=JP", "Plain", "Tokyo")
		search("live_in=es&remote=hybrid&remote=remote", "EU", "Madrid", "Plain")
		search("tz=America/Argentina/Buenos_Aires&overlap=4", "EU", "Full", "Madrid", "Plain", "Rosario")
		search("live_in=AR&tz=America/Argentina/Buenos_Aires&overlap=4&posted_within=7d", "Full", "Plain", "Rosario")
		page = search("tz=Asia/Tokyo&overlap=8", "EU", "Madrid", "Plain", "Rosario", "Tokyo")
		if f := page["facets"].(map[string]any)["overlap"].([]any); len(f) != 9 ||
			!reflect.DeepEqual(f[7], map[string]any{"value": "8", "count": 5.0}) || !reflect.DeepEqual(f[0], map[string]any{"value": "1", "count": 5.0}) {
			t.Errorf("overlap facet: %v", f)
		}
		search("tz=America/Argentina/Buenos_Aires&overlap=2&day_start=18:00&day_end=24:00", "EU", "Madrid", "Plain", "Rosario", "Tokyo")
		page = search("seniority=senior&seniority=junior", "Rosario", "Tokyo")
		if f := page["facets"].(map[string]any)["seniority"]; !reflect.DeepEqual(f, []any{
			map[string]any{"value": "junior", "count": 1.0}, map[string]any{"value": "lead", "count": 1.0}, map[string]any{"value": "senior", "count": 1.0}}) {
			t.Errorf("seniority facet: %v", f)
		}
		search("leads_to_membership=true", "Full")

		// Bad input: a 400 naming the field, nothing stored.
		for _, tc := range []struct {
			spec  map[string]any
			field string
		}{
			{map[string]any{"eligible": []string{"MARS"}}, "eligible"},
			{map[string]any{"eligible": []string{"anywhere", "AR"}}, "eligible"},
			{map[string]any{"remote": "onsite", "country": "AR", "eligible": []string{"AR"}}, "eligible"},
			{map[string]any{"hours": map[string]any{"zone": "Mars/Olympus", "start": "10:00", "end": "15:00"}}, "hours.zone"},
			{map[string]any{"hours": map[string]any{"zone": "UTC", "start": "15:00", "end": "10:00"}}, "hours.end"},
			{map[string]any{"hours": map[string]any{"zone": "UTC", "start": "25:00", "end": "26:00"}}, "hours.start"},
			{map[string]any{"hours": map[string]any{"zone": "UTC", "start": "10:00"}}, "hours.end"},
			{map[string]any{"hours": map[string]any{"zone": "UTC", "start": "10:00", "end": "12:00", "tz": "x"}}, "tz"},
			{map[string]any{"hours_per_week": 0}, "hours_per_week"},
			{map[string]any{"hours_per_week": 100}, "hours_per_week"},
			{map[string]any{"seniority": "guru"}, "seniority"},
			{map[string]any{"decisions": "ceo"}, "decisions"},
			{map[string]any{"pay_policy": map[string]any{"kind": "ratio"}}, "pay_policy.ratio"},
			{map[string]any{"pay_policy": map[string]any{"kind": "market"}}, "pay_policy.kind"},
			{map[string]any{"membership": map[string]any{"leads_to_membership": true, "trial_months": 48}}, "membership.trial_months"},
			{map[string]any{"membership": map[string]any{"leads_to_membership": true, "capital_contribution": map[string]any{"amount": 10, "currency": "XXX1"}}}, "membership.capital_contribution.currency"},
			{map[string]any{"membership": map[string]any{"trial_months": 2}}, "membership.trial_months"},
		} {
			r := n.do("POST", "/api/v1/coops/gcoop/jobs", n.admin, seekerJob("Bad", tc.spec))
			n.expect(r, 400, tc.field)
			if f, _ := r.json(t)["field"].(string); f != tc.field && !strings.HasSuffix(f, tc.field) {
				t.Errorf("%v: field %q, want %q (%s)", tc.spec, f, tc.field, r.body)
			}
		}
		n.expect(n.do("PATCH", "/api/v1/jobs/"+url.PathEscape(id), n.admin, map[string]any{"hours": map[string]any{"zone": "UTC", "start": "x", "end": "10:00"}}), 400, "hours.start")
		n.expect(n.do("PATCH", "/api/v1/jobs/"+url.PathEscape(id), n.admin, map[string]any{"membership": map[string]any{"trial_months": "six"}}), 400, "membership.trial_months")
		for q, field := range map[string]string{
			"live_in=XX": "live_in", "live_in=EU": "live_in", "city=Rosario": "city", "tz=Mars/Olympus": "tz",
			"overlap=4": "overlap", "tz=UTC&overlap=many": "overlap", "tz=UTC&overlap=30": "overlap",
			"seniority=guru": "seniority", "leads_to_membership=yes": "leads_to_membership",
			"tz=UTC&overlap=2&day_start=18:00&day_end=09:00": "day_end", "tz=UTC&overlap=2&day_start=9": "day_start",
		} {
			n.expect(n.do("GET", "/api/v1/jobs?"+q, "", nil), 400, field)
		}
		search("", "EU", "Full", "Madrid", "Plain", "Rosario", "Tokyo")
	})
}
