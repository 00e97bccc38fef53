package federation

import (
	"encoding/json"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"github.com/colmena-coop/colmena/directory"
)

// Remote documents become directory rows here. Remote HTML never reaches
// the directory as HTML: it is reduced to text by an allow-nothing policy.

var textOnly = bluemonday.StrictPolicy()

// htmlToText turns remote HTML into plain text, keeping paragraph breaks.
func htmlToText(s string) string {
	r := strings.NewReplacer("</p>", "\n\n", "<br>", "\n", "<br/>", "\n", "<br />", "\n", "</li>", "\n")
	t := html.UnescapeString(textOnly.Sanitize(r.Replace(s)))
	return strings.TrimSpace(t)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// remoteCoopDoc is what the node reads of a remote co-op actor.
type remoteCoopDoc struct {
	ID                string `json:"id"`
	PreferredUsername string `json:"preferredUsername"`
	Name              string `json:"name"`
	Summary           string `json:"summary"`
	URL               any    `json:"url"`
	Published         string `json:"published"`
	Members           string `json:"members"`
	Founding          string `json:"sdo:foundingDate"`
	Employees         *struct {
		Value int `json:"sdo:value"`
	} `json:"sdo:numberOfEmployees"`
	Address *struct {
		Country  string `json:"sdo:addressCountry"`
		Locality string `json:"sdo:addressLocality"`
	} `json:"sdo:address"`
	Email      string   `json:"sdo:email"`
	Website    string   `json:"sdo:url"`
	Skills     []string `json:"sdo:knowsAbout"`
	Languages  []string `json:"sdo:knowsLanguage"`
	Governance string   `json:"colmena:governance"`
	Suspended  bool     `json:"suspended"`
}

// isFederation reports whether an actor document is a Colmena federation
// (it lists members).
func isFederation(doc []byte) bool {
	var d remoteCoopDoc
	return json.Unmarshal(doc, &d) == nil && d.Members != ""
}

// coopFromActor maps a remote actor to a co-op row; fields that do not
// validate are dropped rather than refusing the co-op.
func coopFromActor(a *directory.RemoteActor, now time.Time) (*directory.Coop, error) {
	var d remoteCoopDoc
	if err := json.Unmarshal(a.Document, &d); err != nil {
		return nil, err
	}
	c := &directory.Coop{APID: a.APID, Handle: clip(d.PreferredUsername, 64), Host: a.Host, Name: clip(d.Name, directory.MaxName),
		Summary: clip(htmlToText(d.Summary), directory.MaxSummary), URL: a.APID, Workers: 1, CreatedAt: now, UpdatedAt: now,
		Governance: clip(d.Governance, directory.MaxGovernance), Suspended: d.Suspended}
	if c.Name == "" {
		c.Name = c.Handle
	}
	if u, ok := d.URL.(string); ok && hostOf(u) == a.Host {
		c.URL = u
	}
	if t, err := time.Parse(time.RFC3339, d.Published); err == nil {
		c.CreatedAt = t.UTC()
	}
	if d.Employees != nil && d.Employees.Value > 0 && d.Employees.Value <= directory.MaxWorkers {
		c.Workers = d.Employees.Value
	}
	if d.Address != nil {
		if cc, err := directory.NormalizeCountry("country", d.Address.Country, false); err == nil {
			c.Country = cc
		}
		c.City = clip(d.Address.Locality, directory.MaxCity)
	}
	if y, err := strconv.Atoi(d.Founding); err == nil && y >= 1800 && y <= now.Year() {
		c.Founded = y
	}
	if checkURLField(d.Website) {
		c.Website = d.Website
	}
	if len(d.Email) <= directory.MaxEmail && strings.Count(d.Email, "@") == 1 {
		c.Email = d.Email
	}
	if s, err := directory.NormalizeTags("skills", d.Skills); err == nil {
		c.Skills = s
	}
	if l, err := directory.NormalizeLanguages("languages", d.Languages); err == nil {
		c.Languages = l
	}
	return c, nil
}

func checkURLField(s string) bool {
	_, err := checkURL(s)
	return s != "" && err == nil && len(s) <= directory.MaxURL
}

// remoteNote is what the node reads of a remote job Note.
type remoteNote struct {
	ID           string      `json:"id"`
	Type         string      `json:"type"`
	AttributedTo string      `json:"attributedTo"`
	Content      string      `json:"content"`
	Published    string      `json:"published"`
	Updated      string      `json:"updated"`
	JobPosting   *JobPosting `json:"jobPosting"`
}

var fromSdoEmployment = map[string]string{"FULL_TIME": directory.FullTime, "PART_TIME": directory.PartTime,
	"CONTRACTOR": directory.Contract, "INTERN": directory.Internship}

var fromSdoPeriod = map[string]string{"HOUR": directory.PerHour, "MONTH": directory.PerMonth, "YEAR": directory.PerYear}

// jobFromNote maps a remote Note with a jobPosting to a job row. A Note
// without one is not a job and is refused.
func jobFromNote(raw []byte) (*directory.Job, error) {
	var n remoteNote
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, err
	}
	jp := n.JobPosting
	if n.Type != "Note" || jp == nil || n.ID == "" || n.AttributedTo == "" {
		return nil, directory.Invalidf("object", "is not a job opening")
	}
	j := &directory.Job{APID: n.ID, Coop: directory.CoopRef{APID: n.AttributedTo}, Title: clip(jp.Title, directory.MaxTitle),
		Description: clip(htmlToText(jp.Description), directory.MaxDescription), Remote: jp.Remote,
		EmploymentType: fromSdoEmployment[jp.EmploymentType], ApplyURL: jp.ApplyURL, ApplyEmail: jp.ApplyEmail}
	if j.Description == "" {
		j.Description = htmlToText(n.Content)
	}
	if j.EmploymentType == "" {
		j.EmploymentType = directory.FullTime
	}
	if s, err := directory.NormalizeTags("skills", jp.Skills); err == nil {
		j.Skills = s
	}
	if l, err := directory.NormalizeLanguages("languages", jp.InLanguage); err == nil {
		j.Languages = l
	}
	if jp.JobLocation != nil {
		j.Country, j.City = jp.JobLocation.Address.Country, clip(jp.JobLocation.Address.Locality, directory.MaxCity)
	}
	if j.Remote == directory.RemoteFull {
		j.Eligible = eligibleFrom(jp.ApplicantLocation)
		if len(j.Eligible) == 1 && j.Country == "" {
			j.Country = directory.EligibleCountry(j.Eligible[0])
		}
	}
	factsFrom(j, jp)
	if cc, err := directory.NormalizeCountry("country", j.Country, false); err == nil {
		j.Country = cc
	} else {
		j.Country = ""
	}
	if s := jp.BaseSalary; s != nil {
		j.Salary = &directory.Salary{Min: s.Value.MinValue, Max: s.Value.MaxValue, Currency: s.Currency, Period: fromSdoPeriod[s.Value.UnitText]}
	}
	if !checkURLField(j.ApplyURL) {
		j.ApplyURL = ""
	}
	if j.ApplyURL == "" && j.ApplyEmail == "" {
		j.ApplyURL = n.ID
	}
	directory.DropInvalidFacts(j)
	if err := directory.ValidateJob(j); err != nil {
		// A salary or place we cannot read is dropped, not the job.
		j.Salary = nil
		if j.Remote != directory.RemoteFull && j.Country == "" {
			j.Remote = directory.RemoteFull
		}
		if err := directory.ValidateJob(j); err != nil {
			return nil, err
		}
	}
	var err error
	if j.Published, err = time.Parse(time.RFC3339, n.Published); err != nil {
		return nil, directory.Invalidf("published", "is not an RFC 3339 time")
	}
	j.Published = j.Published.UTC()
	j.Updated = j.Published
	if t, err := time.Parse(time.RFC3339, n.Updated); err == nil && t.After(j.Published) {
		j.Updated = t.UTC()
	}
	if t, err := time.Parse(time.RFC3339, jp.ValidThrough); err == nil {
		j.ValidThrough = t.UTC()
	}
	return j, nil
}

// eligibleFrom reads where applicants to a remote job may work from:
// Country items by their ISO 3166-1 alpha-2 code (sdo:identifier, or
// sdo:name as Colmena nodes wrote it before), AdministrativeArea items by
// region code. Items that name nothing known are left out; a job that
// names nothing known is open to anywhere, as one that states no
// requirement.
func eligibleFrom(locs SdoLocations) []string {
	var out []string
	for _, l := range locs {
		switch l.Type {
		case "sdo:Country", "Country", "https://schema.org/Country":
			for _, c := range []string{l.Identifier, l.Name} {
				if cc, err := directory.NormalizeCountry("country", c, true); err == nil {
					out = append(out, directory.EligibleCode(cc))
					break
				}
			}
		case "sdo:AdministrativeArea", "AdministrativeArea", "https://schema.org/AdministrativeArea":
			if code := strings.ToUpper(strings.TrimSpace(l.Identifier)); directory.IsRegion(code) {
				out = append(out, code)
			}
		}
		if len(out) == directory.MaxEligible {
			break
		}
	}
	if e, err := directory.NormalizeEligible("eligible", out); err == nil && len(e) > 0 {
		return e
	}
	return []string{directory.Anywhere}
}

// factsFrom reads a job's window of hours and co-op facts; those that do
// not validate are dropped later, one by one.
func factsFrom(j *directory.Job, jp *JobPosting) {
	if h := jp.CoreHours; h != nil {
		start, err1 := directory.ParseClock("hours.start", h.Start)
		end, err2 := directory.ParseClock("hours.end", h.End)
		if err1 == nil && err2 == nil {
			j.Hours = &directory.Hours{Zone: h.Zone, Start: start, End: end}
		}
	}
	j.HoursPerWeek = int(jp.HoursPerWeek)
	j.Seniority = string(jp.Seniority)
	j.Decisions = string(jp.Decisions)
	if m := jp.Membership; m != nil && !m.unread {
		j.Membership = &directory.Membership{LeadsToMembership: m.LeadsToMembership, TrialMonths: m.TrialMonths}
		if c := m.Capital; c != nil {
			j.Membership.Capital = &directory.Capital{Amount: c.Value, Currency: c.Currency}
		}
	}
	if p := jp.PayPolicy; p != nil {
		j.PayPolicy = &directory.PayPolicy{Kind: p.Kind, Ratio: p.Ratio}
	}
}
