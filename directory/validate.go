package directory

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
)

// Length limits on text fields, in characters.
const (
	MaxName        = 100
	MaxSummary     = 5000
	MaxCity        = 100
	MaxGovernance  = 2000
	MaxTitle       = 200
	MaxDescription = 20000
	MaxEmail       = 254
	MaxURL         = 2000
	MaxTag         = 40
	MaxTags        = 30
	MaxLanguages   = 20
	MaxWorkers     = 1_000_000
)

var handleRE = regexp.MustCompile(`^[a-z0-9_]{1,30}$`)

// ValidHandle reports whether h is a valid local handle.
func ValidHandle(h string) bool { return handleRE.MatchString(h) }

func checkHandle(field, h string) error {
	if h == "" {
		return Invalidf(field, "is required")
	}
	if !ValidHandle(h) {
		return Invalidf(field, "must be 1 to 30 characters of a-z, 0-9 and _")
	}
	return nil
}

func checkText(field, s string, max int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return Invalidf(field, "is required")
	}
	if !utf8.ValidString(s) {
		return Invalidf(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Invalidf(field, "is %d characters long; at most %d are allowed", n, max)
	}
	for _, r := range s {
		if r == 0 {
			return Invalidf(field, "contains a NUL character")
		}
	}
	return nil
}

// NormalizeCountry upper-cases a country code and checks it is an ISO
// 3166-1 alpha-2 code of a country (not a grouping or a reserved code).
func NormalizeCountry(field, code string, required bool) (string, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		if required {
			return "", Invalidf(field, "is required")
		}
		return "", nil
	}
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return "", Invalidf(field, "%q is not an ISO 3166-1 alpha-2 country code such as AR or GB", code)
	}
	if !IsCountry(code) {
		return "", Invalidf(field, "%q is not an ISO 3166-1 alpha-2 country code such as AR or GB", code)
	}
	return code, nil
}

// NormalizeLanguages checks and canonicalises BCP 47 tags, dropping repeats.
func NormalizeLanguages(field string, tags []string) ([]string, error) {
	if len(tags) > MaxLanguages {
		return nil, Invalidf(field, "has %d entries; at most %d are allowed", len(tags), MaxLanguages)
	}
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || len(t) > 35 {
			return nil, Invalidf(field, "%q is not a BCP 47 language tag such as es or en-GB", t)
		}
		tag, err := language.Parse(t)
		if err != nil || tag == language.Und {
			return nil, Invalidf(field, "%q is not a BCP 47 language tag such as es or en-GB", t)
		}
		c := tag.String()
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out, nil
}

// NormalizeCurrency upper-cases and checks an ISO 4217 currency code.
func NormalizeCurrency(field, code string) (string, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return "", Invalidf(field, "is required")
	}
	u, err := currency.ParseISO(code)
	if err != nil || len(code) != 3 || u.String() != code {
		return "", Invalidf(field, "%q is not an ISO 4217 currency code such as ARS, USD or GBP", code)
	}
	return code, nil
}

// NormalizeTags lower-cases, trims and de-duplicates skill tags and checks
// each is a short tag of letters, digits and + # . - _.
func NormalizeTags(field string, tags []string) ([]string, error) {
	if len(tags) > MaxTags {
		return nil, Invalidf(field, "has %d entries; at most %d are allowed", len(tags), MaxTags)
	}
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			return nil, Invalidf(field, "contains an empty tag")
		}
		if utf8.RuneCountInString(t) > MaxTag {
			return nil, Invalidf(field, "tag %q is longer than %d characters", t, MaxTag)
		}
		for i, r := range t {
			ok := unicode.IsLetter(r) || unicode.IsDigit(r) || (i > 0 && strings.ContainsRune("+#.-_ ", r))
			if !ok {
				return nil, Invalidf(field, "tag %q may hold only letters, digits and + # . - _ (starting with a letter or digit)", t)
			}
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

func checkURL(field, s string, required bool) error {
	if s == "" {
		if required {
			return Invalidf(field, "is required")
		}
		return nil
	}
	if len(s) > MaxURL {
		return Invalidf(field, "is longer than %d characters", MaxURL)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return Invalidf(field, "%q is not an http or https URL", s)
	}
	return nil
}

func checkEmail(field, s string) error {
	if s == "" {
		return nil
	}
	if len(s) > MaxEmail {
		return Invalidf(field, "is longer than %d characters", MaxEmail)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return Invalidf(field, "%q is not an e-mail address", s)
	}
	return nil
}

// ValidateCoop checks a co-op profile and normalises its codes and tags.
func ValidateCoop(c *Coop, now time.Time) error {
	if err := checkHandle("handle", c.Handle); err != nil {
		return err
	}
	if err := checkText("name", c.Name, MaxName, true); err != nil {
		return err
	}
	if err := checkText("summary", c.Summary, MaxSummary, false); err != nil {
		return err
	}
	country, err := NormalizeCountry("country", c.Country, true)
	if err != nil {
		return err
	}
	c.Country = country
	if err := checkText("city", c.City, MaxCity, false); err != nil {
		return err
	}
	if c.Founded != 0 && (c.Founded < 1800 || c.Founded > now.Year()) {
		return Invalidf("founded", "must be a year between 1800 and %d", now.Year())
	}
	if c.Workers < 1 || c.Workers > MaxWorkers {
		return Invalidf("workers", "must be a positive number of worker-members (at most %d)", MaxWorkers)
	}
	if err := checkURL("website", c.Website, false); err != nil {
		return err
	}
	if err := checkEmail("email", c.Email); err != nil {
		return err
	}
	if c.Languages, err = NormalizeLanguages("languages", c.Languages); err != nil {
		return err
	}
	if c.Skills, err = NormalizeTags("skills", c.Skills); err != nil {
		return err
	}
	return checkText("governance", c.Governance, MaxGovernance, false)
}

// ValidateJob checks a job opening and normalises its codes and tags.
func ValidateJob(j *Job) error {
	if err := checkText("title", j.Title, MaxTitle, true); err != nil {
		return err
	}
	if err := checkText("description", j.Description, MaxDescription, true); err != nil {
		return err
	}
	var err error
	if j.Skills, err = NormalizeTags("skills", j.Skills); err != nil {
		return err
	}
	switch j.Remote {
	case RemoteFull, RemoteHybrid, RemoteOnsite:
	case "":
		return Invalidf("remote", "is required: remote, hybrid or onsite")
	default:
		return Invalidf("remote", "%q must be remote, hybrid or onsite", j.Remote)
	}
	cc, err := NormalizeCountry("country", j.Country, j.Remote != RemoteFull)
	if err != nil {
		if j.Remote != RemoteFull && strings.TrimSpace(j.Country) == "" {
			return Invalidf("country", "is required for hybrid and onsite jobs")
		}
		return err
	}
	j.Country = cc
	if err := checkText("city", j.City, MaxCity, false); err != nil {
		return err
	}
	switch j.EmploymentType {
	case FullTime, PartTime, Contract, Internship:
	case "":
		return Invalidf("employment_type", "is required: full_time, part_time, contract or internship")
	default:
		return Invalidf("employment_type", "%q must be full_time, part_time, contract or internship", j.EmploymentType)
	}
	if s := j.Salary; s != nil {
		if s.Currency, err = NormalizeCurrency("salary.currency", s.Currency); err != nil {
			return err
		}
		switch s.Period {
		case PerHour, PerMonth, PerYear:
		case "":
			return Invalidf("salary.period", "is required: hour, month or year")
		default:
			return Invalidf("salary.period", "%q must be hour, month or year", s.Period)
		}
		if s.Min <= 0 {
			return Invalidf("salary.min", "must be a positive amount")
		}
		if s.Max == 0 {
			s.Max = s.Min
		}
		if s.Max < s.Min {
			return Invalidf("salary.max", "must not be less than salary.min")
		}
		if s.Max > 1_000_000_000_000 {
			return Invalidf("salary.max", "is too large")
		}
	}
	if j.Languages, err = NormalizeLanguages("languages", j.Languages); err != nil {
		return err
	}
	if err := checkURL("apply_url", j.ApplyURL, false); err != nil {
		return err
	}
	if err := checkEmail("apply_email", j.ApplyEmail); err != nil {
		return err
	}
	if j.ApplyURL == "" && j.ApplyEmail == "" {
		return Invalidf("apply_url", "apply_url or apply_email is required so that people can apply")
	}
	return nil
}

// NormalizeDomain checks a domain to block: a host name (no scheme, path
// or port), lower-cased.
func NormalizeDomain(field, d string) (string, error) {
	d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
	if d == "" {
		return "", Invalidf(field, "is required, such as spam.example")
	}
	if len(d) > 253 || strings.ContainsAny(d, "/:@ ?#") || strings.HasPrefix(d, ".") || strings.Contains(d, "..") {
		return "", Invalidf(field, "%q is not a domain name such as spam.example", d)
	}
	return d, nil
}

// DomainSuffixes lists a host (port dropped) and every parent domain of it:
// "a.b.example:8080" gives a.b.example, b.example, example.
func DomainSuffixes(host string) []string {
	host = strings.ToLower(host)
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	var out []string
	for host != "" {
		out = append(out, host)
		i := strings.IndexByte(host, '.')
		if i < 0 {
			break
		}
		host = host[i+1:]
	}
	return out
}

// HostOf returns the host[:port] of a URL, lower-cased, or "".
func HostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
