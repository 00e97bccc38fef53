package directory

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Co-ops and jobs read from other servers follow the rules local ones do
// (ValidateCoop, ValidateJob), but a remote server cannot be asked to fix
// its data: what breaks an optional field's rule is cleared, and only a
// broken required field refuses the record. Text is made storable first:
// bytes that are not UTF-8 and NUL characters are dropped, bidi controls
// are dropped from single-line fields, and it is cut to its field's
// limit.

// MaxRemoteHandle bounds a remote actor's username, in bytes.
const MaxRemoteHandle = 64

// remoteHandleRE is the username other servers may have, as Mastodon
// accepts them: letters, digits and _, with . or - only between them.
// It holds no @, space or slash, so that handle@host names one account
// and never looks like another.
var remoteHandleRE = regexp.MustCompile(`^[A-Za-z0-9_]+([.-]+[A-Za-z0-9_]+)*$`)

// ValidRemoteHandle reports whether h is a username this node accepts
// from another server.
func ValidRemoteHandle(h string) bool {
	return len(h) <= MaxRemoteHandle && remoteHandleRE.MatchString(h)
}

// CleanRemoteCoop fits a co-op (or a federation's names, read the same
// way) read from another server to the rules of local ones. Text is made
// storable and cut to its limit; a name left empty is the handle; a
// country, founding year, website, e-mail or profile URL that breaks its
// rule is cleared, a number of workers out of range is 1, and tags and
// languages that break theirs are left out. A handle that is not a
// username (ValidRemoteHandle) refuses the co-op (KindInvalid).
func CleanRemoteCoop(c *Coop, now time.Time) error {
	if !ValidRemoteHandle(c.Handle) {
		return Invalidf("handle", "%q is not a username", Clip(Storable(c.Handle, MaxRemoteHandle*4), MaxRemoteHandle))
	}
	c.Name = cleanLine(c.Name, MaxName)
	if c.Name == "" {
		c.Name = c.Handle
	}
	c.Summary = cleanText(c.Summary, MaxSummary)
	c.City = cleanLine(c.City, MaxCity)
	c.Governance = cleanText(c.Governance, MaxGovernance)
	if cc, err := NormalizeCountry("country", c.Country, false); err == nil {
		c.Country = cc
	} else {
		c.Country = ""
	}
	if c.Founded != 0 && (c.Founded < 1800 || c.Founded > now.Year()) {
		c.Founded = 0
	}
	if c.Workers < 1 || c.Workers > MaxWorkers {
		c.Workers = 1
	}
	if checkURL("website", c.Website, false) != nil {
		c.Website = ""
	}
	if checkEmail("email", c.Email) != nil {
		c.Email = ""
	}
	if c.URL == "" || checkURL("url", c.URL, true) != nil {
		c.URL = c.APID
	}
	c.Skills = validTags(c.Skills)
	c.Languages = validLanguages(c.Languages)
	return nil
}

// CleanRemoteJob fits a job read from another server to the rules of
// local ones. Text is made storable and cut to its limit; a country,
// salary, apply URL or apply e-mail that breaks its rule is cleared, and
// tags and languages that break theirs are left out; a job left with no
// way to apply is applied for at its own page, its id. What ValidateJob
// still refuses then (no title or description, an unknown remote mode or
// employment type, a hybrid or on-site job without a country) refuses the
// job (KindInvalid).
func CleanRemoteJob(j *Job) error {
	j.Title = cleanLine(j.Title, MaxTitle)
	j.Description = cleanText(j.Description, MaxDescription)
	j.City = cleanLine(j.City, MaxCity)
	if cc, err := NormalizeCountry("country", j.Country, false); err == nil {
		j.Country = cc
	} else {
		j.Country = ""
	}
	if j.Salary != nil && checkSalary(j.Salary, hoursPerWeek(j)) != nil {
		j.Salary = nil
	}
	if checkURL("apply_url", j.ApplyURL, false) != nil {
		j.ApplyURL = ""
	}
	if checkEmail("apply_email", j.ApplyEmail) != nil {
		j.ApplyEmail = ""
	}
	if j.ApplyURL == "" && j.ApplyEmail == "" && checkURL("apply_url", j.APID, true) == nil {
		j.ApplyURL = j.APID
	}
	j.Skills = validTags(j.Skills)
	j.Languages = validLanguages(j.Languages)
	return ValidateJob(j)
}

// cleanText is s made storable, trimmed and cut to at most max
// characters.
func cleanText(s string, max int) string {
	s = strings.TrimSpace(Storable(s, len(s)))
	if utf8.RuneCountInString(s) > max {
		s = strings.TrimSpace(string([]rune(s)[:max]))
	}
	return s
}

// cleanLine is a single-line text (a name, a title, a city) made like
// cleanText, without the bidi controls a local one may not hold
// (checkLine): a remote record is not refused for them, they are taken
// out.
func cleanLine(s string, max int) string {
	return cleanText(StripBidi(s), max)
}

// validTags keeps the tags NormalizeTags accepts, normalised, up to
// MaxTags.
func validTags(tags []string) []string {
	out := []string{}
	for _, t := range tags {
		if len(out) == MaxTags {
			break
		}
		if n, err := NormalizeTags("skills", append(out, t)); err == nil {
			out = n
		}
	}
	return out
}

// validLanguages keeps the tags NormalizeLanguages accepts, canonical, up
// to MaxLanguages.
func validLanguages(tags []string) []string {
	out := []string{}
	for _, t := range tags {
		if len(out) == MaxLanguages {
			break
		}
		if n, err := NormalizeLanguages("languages", append(out, t)); err == nil {
			out = n
		}
	}
	return out
}
