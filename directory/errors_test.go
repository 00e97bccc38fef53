package directory

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestValidationErrorsCarryCodes runs the validators over bad input and
// checks that each failure names its field and code, and that the English
// message was filled in with every argument.
func TestValidationErrorsCarryCodes(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	coop := func(spoil func(c *Coop)) error {
		c := Coop{Handle: "gcoop", Name: "Gcoop", Country: "AR", Workers: 10}
		spoil(&c)
		return ValidateCoop(&c, now)
	}
	job := func(spoil func(j *Job)) error {
		j := Job{Title: "T", Description: "d", Remote: RemoteFull, EmploymentType: FullTime, ApplyEmail: "a@b.example"}
		spoil(&j)
		return ValidateJob(&j)
	}
	errOf := func(_ any, err error) error { return err }
	cases := []struct {
		err   error
		field string
		code  Code
	}{
		{coop(func(c *Coop) { c.Handle = "" }), "handle", CodeRequired},
		{coop(func(c *Coop) { c.Handle = "Gcoop!" }), "handle", CodeHandle},
		{coop(func(c *Coop) { c.Name = strings.Repeat("n", MaxName+1) }), "name", CodeTooLong},
		{coop(func(c *Coop) { c.Name = "a\x00b" }), "name", CodeNul},
		{coop(func(c *Coop) { c.Name = "\xff" }), "name", CodeUTF8},
		{coop(func(c *Coop) { c.Country = "XX" }), "country", CodeCountry},
		{coop(func(c *Coop) { c.Founded = 1700 }), "founded", CodeYear},
		{coop(func(c *Coop) { c.Workers = -1 }), "workers", CodeWorkers},
		{coop(func(c *Coop) { c.Website = "ftp://x" }), "website", CodeURL},
		{coop(func(c *Coop) { c.Email = "nope" }), "email", CodeEmail},
		{coop(func(c *Coop) { c.Skills = []string{""} }), "skills", CodeTagEmpty},
		{coop(func(c *Coop) { c.Skills = []string{strings.Repeat("g", MaxTag+1)} }), "skills", CodeTagLong},
		{coop(func(c *Coop) { c.Skills = []string{"-go"} }), "skills", CodeTagChars},
		{coop(func(c *Coop) { c.Languages = []string{"!!"} }), "languages", CodeLanguage},
		{job(func(j *Job) { j.Remote = "" }), "remote", CodeRemote},
		{job(func(j *Job) { j.Remote = "mars" }), "remote", CodeRemoteValue},
		{job(func(j *Job) { j.Remote = RemoteOnsite }), "country", CodeCountryNeeded},
		{job(func(j *Job) { j.EmploymentType = "" }), "employment_type", CodeEmploymentType},
		{job(func(j *Job) { j.EmploymentType = "gig" }), "employment_type", CodeEmploymentTypeValue},
		{job(func(j *Job) { j.Salary = &Salary{Min: 1, Max: 2, Currency: "USD"} }), "salary.period", CodePeriod},
		{job(func(j *Job) { j.Salary = &Salary{Min: 1, Max: 2, Currency: "USD", Period: "week"} }), "salary.period", CodePeriodValue},
		{job(func(j *Job) { j.Salary = &Salary{Min: -1, Max: 2, Currency: "USD", Period: PerMonth} }), "salary.min", CodeAmount},
		{job(func(j *Job) { j.Salary = &Salary{Min: 5, Max: 2, Currency: "USD", Period: PerMonth} }), "salary.max", CodeSalaryMax},
		{job(func(j *Job) { j.Salary = &Salary{Min: 5, Max: 6, Currency: "XYZ1", Period: PerMonth} }), "salary.currency", CodeCurrency},
		{job(func(j *Job) { j.ApplyEmail = "" }), "apply_url", CodeApply},
		{errOf(NormalizeDomain("domain", "")), "domain", CodeDomainRequired},
		{errOf(NormalizeDomain("domain", "http://x/y")), "domain", CodeDomain},
		{errOf(CheckLogo(nil)), "logo", CodeLogoMissing},
		{errOf(CheckLogo([]byte("GIF89a not really"))), "logo", CodeLogoPixels},
		{errOf(CheckLogo([]byte("plain text, not an image"))), "logo", CodeLogoType},
		{errOf(DecodeCursor("!!")), "cursor", CodeCursor},
	}
	for _, tc := range cases {
		var de *Error
		if tc.err == nil || !errors.As(tc.err, &de) {
			t.Errorf("%s/%s: got %v", tc.field, tc.code, tc.err)
			continue
		}
		if de.Field != tc.field || de.Code != tc.code {
			t.Errorf("got %s/%s (%s), want %s/%s", de.Field, de.Code, de.Message, tc.field, tc.code)
		}
		if de.Message == "" || strings.Contains(de.Message, "%!") {
			t.Errorf("%s: message %q", de.Code, de.Message)
		}
	}
}
