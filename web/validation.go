package web

import (
	"errors"
	"regexp"

	"github.com/colmena-coop/colmena/directory"
)

// validationMessages turn the domain's validation errors, written in
// English for the API, into messages in the visitor's language for the
// forms, by what they say. An error not listed shows as the domain wrote
// it.
var validationMessages = []struct {
	re *regexp.Regexp
	id string
}{
	{regexp.MustCompile(`^is required: remote, hybrid or onsite`), "validation.remote"},
	{regexp.MustCompile(`^is required: full_time`), "validation.employment_type"},
	{regexp.MustCompile(`^is required: hour, month or year`), "validation.period"},
	{regexp.MustCompile(`^is required for hybrid and onsite jobs`), "validation.country_needed"},
	{regexp.MustCompile(`^is required`), "validation.required"},
	{regexp.MustCompile(`^is (\d+) characters long; at most (\d+) are allowed`), "validation.too_long"},
	{regexp.MustCompile(`^is longer than (\d+) characters`), "validation.longer"},
	{regexp.MustCompile(`is not an ISO 3166-1 alpha-2 country code`), "validation.country"},
	{regexp.MustCompile(`is not a BCP 47 language tag`), "validation.language"},
	{regexp.MustCompile(`is not an ISO 4217 currency code`), "validation.currency"},
	{regexp.MustCompile(`is not an http or https URL`), "validation.url"},
	{regexp.MustCompile(`is not an e-mail address`), "validation.email"},
	{regexp.MustCompile(`^must be 1 to 30 characters of a-z`), "validation.handle"},
	{regexp.MustCompile(`^must be a year between 1800 and (\d+)`), "validation.year"},
	{regexp.MustCompile(`^must be a positive number of worker-members`), "validation.workers"},
	{regexp.MustCompile(`^must be a positive amount`), "validation.amount"},
	{regexp.MustCompile(`^must not be less than salary.min`), "validation.salary_max"},
	{regexp.MustCompile(`^apply_url or apply_email is required`), "validation.apply"},
	{regexp.MustCompile(`^must be in the future`), "validation.future"},
	{regexp.MustCompile(`^has (\d+) entries; at most (\d+) are allowed`), "validation.too_many"},
	{regexp.MustCompile(`already (exists|has an account|the handle)`), "validation.taken"},
}

// fieldMessage says what is wrong with a form field, in l's language.
func (l *Locale) fieldMessage(err error) string {
	var de *directory.Error
	if !errors.As(err, &de) {
		return directory.SafeMessage(err)
	}
	for _, v := range validationMessages {
		if m := v.re.FindStringSubmatch(de.Message); m != nil {
			kv := []any{}
			for i, g := range m[1:] {
				kv = append(kv, []string{"A", "B"}[min(i, 1)], g)
			}
			return l.T(v.id, kv...)
		}
	}
	return directory.SafeMessage(err)
}
