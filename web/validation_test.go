package web

import (
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// TestValidationMessagesTranslated runs real domain validations and checks
// that forms show each failure in Spanish, not the API's English.
func TestValidationMessagesTranslated(t *testing.T) {
	locs, err := loadLocales()
	if err != nil {
		t.Fatal(err)
	}
	es := locs.byCode["es"]
	l := locs.locale(es)
	valid := func() directory.Job {
		return directory.Job{Title: "T", Description: "d", Remote: "remote", EmploymentType: "full_time", ApplyEmail: "a@b.example"}
	}
	cases := map[string]func(j *directory.Job){
		"title":           func(j *directory.Job) { j.Title = "" },
		"remote":          func(j *directory.Job) { j.Remote = "" },
		"employment_type": func(j *directory.Job) { j.EmploymentType = "" },
		"country":         func(j *directory.Job) { j.Remote, j.Country = "onsite", "" },
		"apply":           func(j *directory.Job) { j.ApplyEmail = "" },
		"email":           func(j *directory.Job) { j.ApplyEmail = "nope" },
		"url":             func(j *directory.Job) { j.ApplyURL = "ftp://x" },
		"languages":       func(j *directory.Job) { j.Languages = []string{"!!"} },
		"currency":        func(j *directory.Job) { j.Salary = &directory.Salary{Min: 1, Max: 2, Currency: "XX1", Period: "month"} },
		"salary":          func(j *directory.Job) { j.Salary = &directory.Salary{Min: 5, Max: 2, Currency: "USD", Period: "month"} },
		"long":            func(j *directory.Job) { j.Title = strings.Repeat("x", 1000) },
	}
	for name, spoil := range cases {
		j := valid()
		spoil(&j)
		err := directory.ValidateJob(&j)
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		got := l.fieldMessage(err)
		if got == directory.SafeMessage(err) || len(l.Missing()) > 0 {
			t.Errorf("%s: %q is not translated (%v)", name, got, l.Missing())
		}
	}
}
