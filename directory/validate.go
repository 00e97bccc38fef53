package directory

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
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
		return Invalid(field, CodeRequired)
	}
	if !ValidHandle(h) {
		return Invalid(field, CodeHandle)
	}
	return nil
}

func checkText(field, s string, max int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return Invalid(field, CodeRequired)
	}
	if !utf8.ValidString(s) {
		return Invalid(field, CodeUTF8)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Invalid(field, CodeTooLong, n, max)
	}
	for _, r := range s {
		if r == 0 {
			return Invalid(field, CodeNul)
		}
	}
	return nil
}

// checkLine checks a single-line text, such as a title, a name or a
// city, like checkText and refuses it with a bidi control in it
// (bidiControl): on one line such a character only serves to show text in
// another order than it is stored, as "gnp.exe" shown as "exe.png".
func checkLine(field, s string, max int, required bool) error {
	if err := checkText(field, s, max, required); err != nil {
		return err
	}
	if i := strings.IndexFunc(s, bidiControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return Invalid(field, CodeBidi, fmt.Sprintf("U+%04X", r))
	}
	return nil
}

// NormalizeCountry upper-cases a country code and checks it is an ISO
// 3166-1 alpha-2 code of a country (not a grouping or a reserved code).
func NormalizeCountry(field, code string, required bool) (string, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		if required {
			return "", Invalid(field, CodeRequired)
		}
		return "", nil
	}
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return "", Invalid(field, CodeCountry, code)
	}
	if !IsCountry(code) {
		return "", Invalid(field, CodeCountry, code)
	}
	return code, nil
}

// NormalizeLanguages checks and canonicalises BCP 47 tags, dropping repeats.
func NormalizeLanguages(field string, tags []string) ([]string, error) {
	if len(tags) > MaxLanguages {
		return nil, Invalid(field, CodeTooMany, len(tags), MaxLanguages)
	}
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || len(t) > 35 {
			return nil, Invalid(field, CodeLanguage, t)
		}
		tag, err := language.Parse(t)
		if err != nil || tag == language.Und {
			return nil, Invalid(field, CodeLanguage, t)
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
		return "", Invalid(field, CodeRequired)
	}
	u, err := currency.ParseISO(code)
	if err != nil || len(code) != 3 || u.String() != code {
		return "", Invalid(field, CodeCurrency, code)
	}
	return code, nil
}

// NormalizeTags lower-cases, trims and de-duplicates skill tags, checks
// each is a short tag of letters, digits and + # . - _, and saves a skill
// of the synonym table under its canonical name ("golang" as "go", "k8s"
// as "kubernetes"), so that filters and facets count it once. A name the
// table spells is taken as it is, even when it is no tag (".net").
func NormalizeTags(field string, tags []string) ([]string, error) {
	if len(tags) > MaxTags {
		return nil, Invalid(field, CodeTooMany, len(tags), MaxTags)
	}
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			return nil, Invalid(field, CodeTagEmpty)
		}
		if utf8.RuneCountInString(t) > MaxTag {
			return nil, Invalid(field, CodeTagLong, t, MaxTag)
		}
		if syn, ok := synonyms.spelled[t]; ok {
			t = syn.tag
		}
		for i, r := range t {
			ok := unicode.IsLetter(r) || unicode.IsDigit(r) || (i > 0 && strings.ContainsRune("+#.-_ ", r))
			if !ok {
				return nil, Invalid(field, CodeTagChars, t)
			}
		}
		t = CanonicalTag(t)
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
			return Invalid(field, CodeRequired)
		}
		return nil
	}
	if len(s) > MaxURL {
		return Invalid(field, CodeLonger, MaxURL)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return Invalid(field, CodeURL, s)
	}
	return nil
}

func checkEmail(field, s string) error {
	if s == "" {
		return nil
	}
	if len(s) > MaxEmail {
		return Invalid(field, CodeLonger, MaxEmail)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return Invalid(field, CodeEmail, s)
	}
	return nil
}

// ValidateCoop checks a co-op profile and normalises its codes and tags.
// It answers the first problem, as the API reports one field at a time;
// CoopProblems has them all.
func ValidateCoop(c *Coop, now time.Time) error { return first(CoopProblems(c, now)) }

// CoopProblems checks a co-op profile like ValidateCoop and answers every
// field's problem (the first of each field), in the order of the fields,
// so that a form can show them all at once. It normalises the fields
// that are valid.
func CoopProblems(c *Coop, now time.Time) []error {
	var p problems
	p.add(checkHandle("handle", c.Handle))
	p.add(checkLine("name", c.Name, MaxName, true))
	p.add(checkText("summary", c.Summary, MaxSummary, false))
	if country, err := NormalizeCountry("country", c.Country, true); !p.add(err) {
		c.Country = country
	}
	p.add(checkLine("city", c.City, MaxCity, false))
	if c.Founded != 0 && (c.Founded < 1800 || c.Founded > now.Year()) {
		p.add(Invalid("founded", CodeYear, now.Year()))
	}
	if c.Workers < 1 || c.Workers > MaxWorkers {
		p.add(Invalid("workers", CodeWorkers, MaxWorkers))
	}
	p.add(checkURL("website", c.Website, false))
	p.add(checkEmail("email", c.Email))
	if langs, err := NormalizeLanguages("languages", c.Languages); !p.add(err) {
		c.Languages = langs
	}
	if skills, err := NormalizeTags("skills", c.Skills); !p.add(err) {
		c.Skills = skills
	}
	p.add(checkText("governance", c.Governance, MaxGovernance, false))
	return p.errs
}

// ValidateJob checks a job opening and normalises its codes and tags. It
// answers the first problem; JobProblems has them all.
func ValidateJob(j *Job) error { return first(JobProblems(j)) }

// JobProblems checks a job opening like ValidateJob and answers every
// field's problem (the first of each field), in the order of the fields.
// A check that depends on a field found wrong is skipped, so that one
// mistake is reported once. It normalises the fields that are valid.
func JobProblems(j *Job) []error {
	var p problems
	p.add(checkLine("title", j.Title, MaxTitle, true))
	p.add(checkText("description", j.Description, MaxDescription, true))
	if skills, err := NormalizeTags("skills", j.Skills); !p.add(err) {
		j.Skills = skills
	}
	remoteOK := false
	switch j.Remote {
	case RemoteFull, RemoteHybrid, RemoteOnsite:
		remoteOK = true
	case "":
		p.add(Invalid("remote", CodeRemote))
	default:
		p.add(Invalid("remote", CodeRemoteValue, j.Remote))
	}
	needCountry := remoteOK && j.Remote != RemoteFull
	cc, err := NormalizeCountry("country", j.Country, needCountry)
	switch {
	case err != nil && needCountry && strings.TrimSpace(j.Country) == "":
		p.add(Invalid("country", CodeCountryNeeded))
	case err != nil:
		p.add(err)
	default:
		j.Country = cc
	}
	p.add(checkLine("city", j.City, MaxCity, false))
	if remoteOK && err == nil {
		p.add(validateEligible(j))
	}
	if j.Hours != nil {
		p.add(ValidateHours("hours", j.Hours))
	}
	p.add(validateFacts(j))
	switch j.EmploymentType {
	case FullTime, PartTime, Contract, Internship:
	case "":
		p.add(Invalid("employment_type", CodeEmploymentType))
	default:
		p.add(Invalid("employment_type", CodeEmploymentTypeValue, j.EmploymentType))
	}
	if s := j.Salary; s != nil {
		p.add(checkSalary(s, hoursPerWeek(j)))
	}
	if langs, err := NormalizeLanguages("languages", j.Languages); !p.add(err) {
		j.Languages = langs
	}
	urlErr, emailErr := checkURL("apply_url", j.ApplyURL, false), checkEmail("apply_email", j.ApplyEmail)
	p.add(urlErr)
	p.add(emailErr)
	if urlErr == nil && emailErr == nil && j.ApplyURL == "" && j.ApplyEmail == "" {
		p.add(Invalid("apply_url", CodeApply))
	}
	return p.errs
}

// problems collects the first problem of each field.
type problems struct {
	errs []error
	seen map[string]bool
}

// add records err, unless nil or its field has a problem already; it
// reports whether err is a problem.
func (p *problems) add(err error) bool {
	if err == nil {
		return false
	}
	var field string
	if de, ok := err.(*Error); ok {
		field = de.Field
	}
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if !p.seen[field] {
		p.seen[field] = true
		p.errs = append(p.errs, err)
	}
	return true
}

func first(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errs[0]
}

// checkSalary checks a salary and normalises its currency; a missing
// maximum is the minimum.
func checkSalary(s *Salary, hoursPerWeek int) error {
	var err error
	if s.Currency, err = NormalizeCurrency("salary.currency", s.Currency); err != nil {
		return err
	}
	switch s.Period {
	case PerHour, PerMonth, PerYear:
	case "":
		return Invalid("salary.period", CodePeriod)
	default:
		return Invalid("salary.period", CodePeriodValue, s.Period)
	}
	if s.Min <= 0 {
		return Invalid("salary.min", CodeAmount)
	}
	if s.Max == 0 {
		s.Max = s.Min
	}
	if s.Max < s.Min {
		return Invalid("salary.max", CodeSalaryMax)
	}
	// Past a billion a month the amount is a mistake, and the arithmetic
	// of converting it stays far from overflowing.
	limit := int64(MaxMonthlyPay * 100)
	if s.Min > MaxMonthlyPay*12 || MonthlyCents(s.Min, s.Period, hoursPerWeek) > limit {
		return Invalid("salary.min", CodeSalaryLarge)
	}
	if s.Max > MaxMonthlyPay*12 || MonthlyCents(s.Max, s.Period, hoursPerWeek) > limit {
		return Invalid("salary.max", CodeSalaryLarge)
	}
	return nil
}

// validateEligible checks where applicants may work from. A remote job
// that does not say is open to its country when it names one (what a
// remote job's country meant before eligibility was stated apart), and
// anywhere otherwise.
func validateEligible(j *Job) error {
	if j.Remote != RemoteFull {
		if len(j.Eligible) > 0 {
			return Invalid("eligible", CodeEligibleRemote)
		}
		j.Eligible = []string{}
		return nil
	}
	var err error
	if j.Eligible, err = NormalizeEligible("eligible", j.Eligible); err != nil {
		return err
	}
	if len(j.Eligible) == 0 {
		j.Eligible = []string{Anywhere}
		if j.Country != "" {
			j.Eligible = []string{EligibleCode(j.Country)}
		}
	}
	return nil
}

// NormalizeDomain checks a domain to block and returns its canonical
// form: a host name (no scheme, path, port or IP address) of
// dot-separated labels of letters, digits and hyphens, lower-cased, an
// international name in its ASCII (punycode) form, as IDNA's lookup
// profile maps it. Nothing else passes, so a domain is never a pattern.
func NormalizeDomain(field, d string) (string, error) {
	d = strings.TrimSpace(d)
	typed := d
	d = strings.TrimSuffix(d, ".")
	if d == "" {
		return "", Invalid(field, CodeDomainRequired)
	}
	a, err := idna.Lookup.ToASCII(d)
	if err != nil || !hostName(a) {
		return "", Invalid(field, CodeDomain, Clip(typed, MaxDomain))
	}
	return a, nil
}

// MaxDomain is the longest domain name, in bytes.
const MaxDomain = 253

// hostName reports whether a is a host name in ASCII: labels of 1 to 63
// lower-case letters, digits and inner hyphens, at most MaxDomain bytes,
// the last label not all digits (that is an IP address, or the end of
// one).
func hostName(a string) bool {
	if len(a) > MaxDomain {
		return false
	}
	labels := strings.Split(a, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
				return false
			}
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

// DomainSuffixes lists a host (port dropped) and every parent domain of
// it: "a.b.example:8080" gives a.b.example, b.example, example. An
// international host is listed in its ASCII (punycode) form, the form
// NormalizeDomain gives, and then as written; a final dot is dropped.
func DomainSuffixes(host string) []string {
	host = strings.ToLower(host)
	if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.Trim(host[i+1:], "0123456789") == "" {
		host = host[:i]
	}
	host = strings.TrimSuffix(host, ".")
	out := parents(host)
	if a, err := idna.Lookup.ToASCII(host); err == nil && a != host {
		out = append(parents(a), out...)
	}
	return out
}

func parents(host string) []string {
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

// InDomain reports whether host (host[:port]) is domain or under it.
func InDomain(host, domain string) bool {
	return slices.Contains(DomainSuffixes(host), domain)
}

// HostOf returns the host[:port] of a URL, lower-cased, or "".
func HostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
