package web_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestDashboardJobFacts: the job form takes where applicants may work
// from, the hours and the co-op facts, says what is wrong by field, and
// fills them back in to edit.
func TestDashboardJobFacts(t *testing.T) {
	a := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	ctx := t.Context()
	a.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26})
	_, raw, err := a.Svc.InviteUser(ctx, directory.Principal{Admin: true}, "ana@hornero.example", false, "hornero")
	if err != nil {
		t.Fatal(err)
	}
	ana := acceptInvite(t, a.URL, "/password?token="+raw, "una clave larga")
	form := func(extra map[string]string) url.Values {
		v := url.Values{"title": {"Desarrolladora Go"}, "description": {"APIs."}, "remote": {"remote"},
			"employment_type": {"full_time"}, "apply_email": {"jobs@hornero.example"}}
		for k, x := range extra {
			v.Set(k, x)
		}
		return v
	}
	for field, extra := range map[string]map[string]string{
		"job-eligible-error":         {"eligible": "AR, MARS"},
		"job-hours-end-error":        {"hours_zone": "UTC", "hours_start": "15:00", "hours_end": "10:00"},
		"job-hours-zone-error":       {"hours_zone": "Mars/Olympus", "hours_start": "10:00", "hours_end": "15:00"},
		"job-trial-months-error":     {"membership": "yes", "trial_months": "99"},
		"job-pay-ratio-error":        {"pay_policy": "ratio", "pay_ratio": "0.5"},
		"job-capital-currency-error": {"membership": "yes", "capital_amount": "100"},
	} {
		resp, body := ana.post("/dashboard/jobs", form(extra))
		expect(t, field, resp, 400, body, `id="`+field+`"`)
	}
	resp, _ := ana.post("/dashboard/jobs", form(map[string]string{"eligible": "latam, es", "hours_zone": "America/Argentina/Buenos_Aires",
		"hours_start": "10:00", "hours_end": "15:00", "hours_per_week": "30", "seniority": "mid", "decisions": "sociocracy",
		"membership": "yes", "trial_months": "6", "capital_amount": "0", "capital_currency": "ars", "pay_policy": "ratio", "pay_ratio": "2,5"}))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	res, _ := a.Svc.SearchJobs(ctx, directory.JobQuery{})
	if res.Total != 1 {
		t.Fatalf("published %d jobs", res.Total)
	}
	j := res.Items[0]
	if !reflect.DeepEqual(j.Eligible, []string{"LATAM", "ES"}) || j.Hours == nil || j.Hours.Start != 600 || j.HoursPerWeek != 30 ||
		j.Seniority != "mid" || j.Decisions != "sociocracy" || j.Membership == nil || j.Membership.TrialMonths != 6 ||
		j.Membership.Capital == nil || j.Membership.Capital.Currency != "ARS" || j.PayPolicy == nil || j.PayPolicy.Ratio != 2.5 {
		t.Fatalf("published: %+v %+v %+v", j, j.Membership, j.PayPolicy)
	}
	key, _ := a.Svc.Links().JobKey(j.APID)
	_, body := ana.get("/dashboard/jobs/" + key + "/edit")
	for _, want := range []string{`value="LATAM" checked>`, `value="ES" checked>`, `value="America/Argentina/Buenos_Aires"`, `value="10:00"`, `value="15:00"`,
		`<option value="mid" selected>`, `<option value="yes" selected>`, `value="2.5"`, `<option value="sociocracy" selected>`} {
		if !strings.Contains(body, want) {
			t.Errorf("edit form lacks %s", want)
		}
	}
	// Saving the form with the facts cleared removes them.
	resp, _ = ana.post("/dashboard/jobs/"+key, form(nil))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	got, _ := a.Svc.Job(ctx, j.APID)
	if got.Hours != nil || got.Membership != nil || got.PayPolicy != nil || got.Seniority != "" || !reflect.DeepEqual(got.Eligible, []string{"anywhere"}) {
		t.Fatalf("cleared: %+v", got)
	}
}
