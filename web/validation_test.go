package web

import (
	"regexp"
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

// TestEveryValidationCodeWorded: each code the domain can return has a
// message in every language, and the message uses no argument the code
// does not carry.
func TestEveryValidationCodeWorded(t *testing.T) {
	locs, err := loadLocales()
	if err != nil {
		t.Fatal(err)
	}
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	codes := directory.Codes()
	if len(codes) < 40 {
		t.Fatalf("only %d codes", len(codes))
	}
	for _, tag := range []string{"en", "es"} {
		l := locs.locale(locs.byCode[tag])
		for _, c := range codes {
			english := c.English()
			if english == "" {
				t.Errorf("%s has no English wording", c)
				continue
			}
			args := make([]any, len(verbs.FindAllString(english, -1)))
			kv := []any{}
			for i := range args {
				kv = append(kv, string(rune('A'+i)), "<"+string(rune('A'+i))+">")
			}
			got := l.T(validationID(c), kv...)
			if got == validationID(c) {
				t.Errorf("%s: no %s message for %s", tag, validationID(c), c)
				continue
			}
			if strings.Contains(got, "<no value>") {
				t.Errorf("%s: %s (%q) uses an argument %q does not carry", tag, validationID(c), got, english)
			}
		}
	}
}
