package federation

import (
	"encoding/json"
	"errors"
	"html"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"github.com/colmena-coop/colmena/directory"
)

// Remote documents become directory rows here. Remote HTML never reaches
// the directory as HTML: a co-op's summary is reduced to text by an
// allow-nothing policy, a job's description to Markdown of the elements
// an allow-list keeps (richtext.go), rendered as local ones are.

var textOnly = bluemonday.StrictPolicy()

// htmlToText turns remote HTML into plain text, keeping paragraph breaks.
func htmlToText(s string) string {
	r := strings.NewReplacer("</p>", "\n\n", "<br>", "\n", "<br/>", "\n", "<br />", "\n", "</li>", "\n")
	t := html.UnescapeString(textOnly.Sanitize(r.Replace(s)))
	return strings.TrimSpace(t)
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

// isCoopActor reports whether a remote actor is a Colmena co-op: an
// Organization that publishes co-op data (its number of workers) and
// lists no members. Only such actors become co-op rows; a Person or a
// bot followed or named by a federation never does.
func isCoopActor(a *directory.RemoteActor) bool {
	var d remoteCoopDoc
	return a.Type == "Organization" && json.Unmarshal(a.Document, &d) == nil && d.Members == "" && d.Employees != nil
}

// isFederationActor reports whether a remote actor is a Colmena
// federation: a Service (as nodes publish it now) or an Organization (as
// they did before) that lists members.
func isFederationActor(a *directory.RemoteActor) bool {
	return (a.Type == "Organization" || a.Type == "Service") && isFederation(a.Document)
}

// isInstanceActor reports whether a remote actor is a server's own actor,
// as Mastodon and Colmena publish one: an Application or Service whose
// username is its host's name.
func isInstanceActor(a *directory.RemoteActor) bool {
	if a.Type != "Application" && a.Type != "Service" || isFederation(a.Document) {
		return false
	}
	name := a.Host
	if h, _, err := net.SplitHostPort(a.Host); err == nil {
		name = h
	}
	return a.Username != "" && strings.EqualFold(a.Username, name)
}

// errNotACoop refuses to store as a co-op an actor that is not one.
func errNotACoop(a *directory.RemoteActor) error {
	return directory.Invalid("actor", directory.CodeNotColmena, a.APID, a.Type)
}

// coopFromActor maps a remote actor to a co-op row, by the rules local
// co-ops follow (directory.CleanRemoteCoop): a field that breaks its rule
// is cleared, and a username that is not one refuses the co-op
// (KindInvalid). The profile URL must be on the actor's own host.
func coopFromActor(a *directory.RemoteActor, now time.Time) (*directory.Coop, error) {
	var d remoteCoopDoc
	if err := json.Unmarshal(a.Document, &d); err != nil {
		return nil, directory.Invalidf("actor", "the actor document is not a co-op's: %v", err)
	}
	c := &directory.Coop{APID: a.APID, Handle: d.PreferredUsername, Host: a.Host, Name: d.Name,
		Summary: htmlToText(d.Summary), URL: a.APID, Workers: 1, CreatedAt: now, UpdatedAt: now,
		Governance: d.Governance, Suspended: d.Suspended, Email: d.Email, Website: d.Website,
		Skills: d.Skills, Languages: d.Languages}
	if u, ok := d.URL.(string); ok && hostOf(u) == a.Host {
		c.URL = u
	}
	if t, err := time.Parse(time.RFC3339, d.Published); err == nil {
		c.CreatedAt = t.UTC()
	}
	if d.Employees != nil {
		c.Workers = d.Employees.Value
	}
	if d.Address != nil {
		c.Country, c.City = d.Address.Country, d.Address.Locality
	}
	if y, err := strconv.Atoi(d.Founding); err == nil {
		c.Founded = y
	}
	if err := directory.CleanRemoteCoop(c, now); err != nil {
		return nil, err
	}
	return c, nil
}

// remoteNote is what the node reads of a remote job Note.
type remoteNote struct {
	ID           string         `json:"id"`
	Type         string         `json:"type"`
	AttributedTo string         `json:"attributedTo"`
	Content      string         `json:"content"`
	Published    string         `json:"published"`
	Updated      string         `json:"updated"`
	JobPosting   *JobPosting    `json:"jobPosting"`
	Source       *lenientSource `json:"source"`
}

// lenientSource is a Note's source; one that cannot be read is empty.
type lenientSource struct {
	Content   LenientString `json:"content"`
	MediaType LenientString `json:"mediaType"`
}

// UnmarshalJSON never fails.
func (s *lenientSource) UnmarshalJSON(b []byte) error {
	type plain lenientSource
	var p plain
	if json.Unmarshal(b, &p) == nil {
		*s = lenientSource(p)
	}
	return nil
}

// description is a remote job's description as Markdown: the Note's
// source when it is Markdown (as Colmena nodes send it), else its
// jobPosting's description, else its content, HTML kept through the
// allow-list of htmlToMarkdown.
func (n *remoteNote) description() string {
	if s := n.Source; s != nil && strings.EqualFold(strings.TrimSpace(string(s.MediaType)), "text/markdown") &&
		strings.TrimSpace(string(s.Content)) != "" {
		return string(s.Content)
	}
	if d := htmlToMarkdown(n.JobPosting.Description); strings.TrimSpace(directory.Storable(d, len(d))) != "" {
		return d
	}
	return htmlToMarkdown(n.Content)
}

var fromSdoEmployment = map[string]string{"FULL_TIME": directory.FullTime, "PART_TIME": directory.PartTime,
	"CONTRACTOR": directory.Contract, "INTERN": directory.Internship}

var fromSdoPeriod = map[string]string{"HOUR": directory.PerHour, "MONTH": directory.PerMonth, "YEAR": directory.PerYear}

// errNotAJob is a Note that carries no job opening: nothing to aggregate.
var errNotAJob = errors.New("the object is not a job opening")

// jobFromNote maps a remote Note with a jobPosting to a job row, by the
// rules local jobs follow (directory.CleanRemoteJob). A Note without one
// is not a job (errNotAJob); a job whose required fields break their
// rules is refused (KindInvalid).
func jobFromNote(raw []byte) (*directory.Job, error) {
	var n remoteNote
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, errNotAJob
	}
	jp := n.JobPosting
	if n.Type != "Note" || jp == nil || n.ID == "" || n.AttributedTo == "" {
		return nil, errNotAJob
	}
	j := &directory.Job{APID: n.ID, Coop: directory.CoopRef{APID: n.AttributedTo}, Title: jp.Title,
		Description: n.description(), Remote: jp.Remote,
		EmploymentType: fromSdoEmployment[jp.EmploymentType], ApplyURL: jp.ApplyURL, ApplyEmail: jp.ApplyEmail,
		Skills: jp.Skills, Languages: jp.InLanguage}
	if j.EmploymentType == "" {
		j.EmploymentType = directory.FullTime
	}
	if jp.JobLocation != nil {
		j.Country, j.City = jp.JobLocation.Address.Country, jp.JobLocation.Address.Locality
	}
	if j.Remote == directory.RemoteFull {
		j.Eligible = eligibleFrom(jp.ApplicantLocation)
		if len(j.Eligible) == 1 && j.Country == "" {
			j.Country = directory.EligibleCountry(j.Eligible[0])
		}
	}
	factsFrom(j, jp)
	// A hybrid or on-site job whose country cannot be read is listed as
	// remote rather than dropped.
	if _, err := directory.NormalizeCountry("country", j.Country, true); err != nil &&
		(j.Remote == directory.RemoteHybrid || j.Remote == directory.RemoteOnsite) {
		j.Remote = directory.RemoteFull
	}
	if s := jp.BaseSalary; s != nil {
		j.Salary = &directory.Salary{Min: s.Value.MinValue, Max: s.Value.MaxValue, Currency: s.Currency, Period: fromSdoPeriod[s.Value.UnitText]}
	}
	directory.DropInvalidFacts(j)
	if err := directory.CleanRemoteJob(j); err != nil {
		return nil, err
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
