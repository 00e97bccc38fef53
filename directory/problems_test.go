package directory_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

func fieldsOf(errs []error) []string {
	var out []string
	for _, err := range errs {
		var de *directory.Error
		if !errors.As(err, &de) {
			out = append(out, "?")
			continue
		}
		out = append(out, de.Field)
	}
	return out
}

// TestJobProblems: every field's problem at once, in the form's order,
// one per field; ValidateJob, the API's check, answers the first.
func TestJobProblems(t *testing.T) {
	j := directory.Job{Title: "", Description: "d", Skills: []string{"go", "bad tag!"}, Remote: "remote",
		EmploymentType: "full_time", ApplyEmail: "nope", ApplyURL: "ftp://x",
		Salary: &directory.Salary{Min: 10, Max: 5, Currency: "usd", Period: "month"}}
	errs := directory.JobProblems(&j)
	want := []string{"title", "skills", "salary.max", "apply_url", "apply_email"}
	if got := fieldsOf(errs); !slices.Equal(got, want) {
		t.Errorf("problems in %v, want %v", got, want)
	}
	if first := directory.ValidateJob(&j); first == nil || first.Error() != errs[0].Error() {
		t.Errorf("ValidateJob: %v, want %v", first, errs[0])
	}
	// A bad remote value does not also ask for a country.
	j = directory.Job{Title: "T", Description: "d", Remote: "moon", EmploymentType: "x", ApplyEmail: "a@b.example"}
	if got := fieldsOf(directory.JobProblems(&j)); !slices.Equal(got, []string{"remote", "employment_type"}) {
		t.Errorf("problems in %v", got)
	}
	// No way to apply is one problem, named once.
	j = directory.Job{Title: "T", Description: "d", Remote: "hybrid", EmploymentType: "full_time"}
	if got := fieldsOf(directory.JobProblems(&j)); !slices.Equal(got, []string{"country", "apply_url"}) {
		t.Errorf("problems in %v", got)
	}
	// A good job has none, and is normalised as before.
	j = directory.Job{Title: "T", Description: "d", Skills: []string{"Go"}, Remote: "onsite", Country: "ar",
		EmploymentType: "full_time", ApplyEmail: "a@b.example", Languages: []string{"es"}}
	if errs := directory.JobProblems(&j); len(errs) != 0 || j.Country != "AR" || j.Skills[0] != "go" {
		t.Errorf("a good job: %v, %+v", errs, j)
	}
}

// TestCoopProblems: every field of a co-op profile at once.
func TestCoopProblems(t *testing.T) {
	c := directory.Coop{Handle: "hornero", Name: "", Country: "XX", Workers: 0, Website: "javascript:x", Email: "nope",
		Skills: []string{"ok", "bad tag!"}}
	errs := directory.CoopProblems(&c, time.Now())
	want := []string{"name", "country", "workers", "website", "email", "skills"}
	if got := fieldsOf(errs); !slices.Equal(got, want) {
		t.Errorf("problems in %v, want %v", got, want)
	}
	if first := directory.ValidateCoop(&c, time.Now()); first == nil || first.Error() != errs[0].Error() {
		t.Errorf("ValidateCoop: %v", first)
	}
}
