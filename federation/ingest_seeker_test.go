package federation

import (
	"reflect"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

func noteWith(posting string) []byte {
	return []byte(`{"id": "https://a.example/jobs/1", "type": "Note", "attributedTo": "https://a.example/coops/a",
		"published": "2026-05-01T10:00:00Z", "content": "<p>Job</p>",
		"jobPosting": {"@type": "sdo:JobPosting", "sdo:title": "Job", "sdo:employmentType": "FULL_TIME",
			"colmena:remote": "remote", "sdo:jobLocationType": "TELECOMMUTE"` + posting + `}}`)
}

// TestRemoteSeekerFacts: eligibility and facts from other nodes are read
// from schema.org items and Colmena's terms, checked like local input;
// what does not validate is dropped, not the job.
func TestRemoteSeekerFacts(t *testing.T) {
	cases := []struct {
		name, posting string
		check         func(j *directory.Job) bool
	}{
		{"an older node's one country", `, "sdo:applicantLocationRequirements": {"@type": "sdo:Country", "sdo:name": "AR"}`,
			func(j *directory.Job) bool { return reflect.DeepEqual(j.Eligible, []string{"AR"}) && j.Country == "AR" }},
		{"no requirement", ``, func(j *directory.Job) bool { return reflect.DeepEqual(j.Eligible, []string{"anywhere"}) }},
		{"countries and regions", `, "sdo:applicantLocationRequirements": [
			{"@type": "sdo:Country", "sdo:name": "Namibia", "sdo:identifier": "NA"},
			{"@type": "sdo:AdministrativeArea", "sdo:name": "Latin America", "sdo:identifier": "latam"},
			{"@type": "sdo:AdministrativeArea", "sdo:name": "Mars", "sdo:identifier": "MARS"},
			{"@type": "sdo:Country", "sdo:name": "Narnia"}, 7, "x"]`,
			func(j *directory.Job) bool {
				return reflect.DeepEqual(j.Eligible, []string{"NAM", "LATAM"}) && j.Country == ""
			}},
		{"nothing known", `, "sdo:applicantLocationRequirements": [{"@type": "sdo:Country", "sdo:name": "Narnia"}]`,
			func(j *directory.Job) bool { return reflect.DeepEqual(j.Eligible, []string{"anywhere"}) }},
		{"facts", `, "colmena:coreHours": {"colmena:timeZone": "Europe/London", "colmena:start": "09:00", "colmena:end": "17:30"},
			"colmena:hoursPerWeek": 32, "colmena:seniority": "lead", "colmena:decisions": "elected_board",
			"colmena:membership": {"colmena:leadsToMembership": true, "colmena:trialMonths": 3,
				"colmena:capitalContribution": {"@type": "sdo:MonetaryAmount", "sdo:currency": "eur", "sdo:value": 500}},
			"colmena:payPolicy": {"colmena:kind": "equal"}`,
			func(j *directory.Job) bool {
				return reflect.DeepEqual(j.Hours, &directory.Hours{Zone: "Europe/London", Start: 540, End: 1050}) && j.HoursPerWeek == 32 &&
					j.Seniority == "lead" && j.Decisions == "elected_board" && j.PayPolicy.Kind == "equal" &&
					reflect.DeepEqual(j.Membership, &directory.Membership{LeadsToMembership: true, TrialMonths: 3,
						Capital: &directory.Capital{Amount: 500, Currency: "EUR"}})
			}},
		{"bad facts dropped one by one", `, "colmena:coreHours": {"colmena:timeZone": "Mars/Olympus", "colmena:start": "09:00", "colmena:end": "17:00"},
			"colmena:hoursPerWeek": "many", "colmena:seniority": "guru", "colmena:decisions": "elected_board",
			"colmena:membership": {"colmena:leadsToMembership": false, "colmena:trialMonths": 3},
			"colmena:payPolicy": {"colmena:kind": "ratio", "colmena:ratio": 0.5}`,
			func(j *directory.Job) bool {
				return j.Hours == nil && j.HoursPerWeek == 0 && j.Seniority == "" && j.Decisions == "elected_board" &&
					j.Membership == nil && j.PayPolicy == nil
			}},
		{"wrong types", `, "colmena:coreHours": "10-15", "colmena:membership": [], "colmena:payPolicy": 3, "colmena:seniority": 4,
			"sdo:applicantLocationRequirements": "AR"`,
			func(j *directory.Job) bool {
				return j.Hours == nil && j.Membership == nil && j.PayPolicy == nil && j.Seniority == "" &&
					reflect.DeepEqual(j.Eligible, []string{"anywhere"})
			}},
		{"a window backwards", `, "colmena:coreHours": {"colmena:timeZone": "UTC", "colmena:start": "15:00", "colmena:end": "10:00"}`,
			func(j *directory.Job) bool { return j.Hours == nil }},
	}
	for _, tc := range cases {
		j, err := jobFromNote(noteWith(tc.posting))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !tc.check(j) {
			t.Errorf("%s: %+v (hours %+v, membership %+v, pay %+v)", tc.name, j, j.Hours, j.Membership, j.PayPolicy)
		}
	}
}
