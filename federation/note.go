package federation

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"

	"github.com/colmena-coop/colmena/directory"
)

var remoteLabels = map[string]string{directory.RemoteFull: "Remote", directory.RemoteHybrid: "Hybrid", directory.RemoteOnsite: "On-site"}

var employmentLabels = map[string]string{
	directory.FullTime: "Full-time", directory.PartTime: "Part-time", directory.Contract: "Contract", directory.Internship: "Internship",
}

var periodLabels = map[string]string{directory.PerHour: "hour", directory.PerMonth: "month", directory.PerYear: "year"}

// schema.org spellings.
var sdoEmployment = map[string]string{
	directory.FullTime: "FULL_TIME", directory.PartTime: "PART_TIME", directory.Contract: "CONTRACTOR", directory.Internship: "INTERN",
}

var sdoPeriod = map[string]string{directory.PerHour: "HOUR", directory.PerMonth: "MONTH", directory.PerYear: "YEAR"}

func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SalaryText renders a salary for people: "USD 2,500–3,500 / month".
func SalaryText(s *directory.Salary) string {
	if s == nil {
		return ""
	}
	amount := groupDigits(s.Min)
	if s.Max != s.Min {
		amount += "–" + groupDigits(s.Max)
	}
	return s.Currency + " " + amount + " / " + periodLabels[s.Period]
}

// Hashtag turns a skill into a hashtag name Mastodon accepts (letters,
// digits and _): "c++" → "cpp", "node.js" → "nodejs".
func Hashtag(skill string) string {
	switch skill {
	case "c++":
		return "cpp"
	case "c#":
		return "csharp"
	case "f#":
		return "fsharp"
	case ".net":
		return "dotnet"
	}
	var b strings.Builder
	for _, r := range skill {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (f *Federation) jobTags(j *directory.Job) []Tag {
	tags := []Tag{{Type: "Hashtag", Name: "#jobs", Href: f.links.Base() + "/"}}
	seen := map[string]bool{"jobs": true}
	add := func(name, href string) {
		if name != "" && !seen[name] {
			seen[name] = true
			tags = append(tags, Tag{Type: "Hashtag", Name: "#" + name, Href: href})
		}
	}
	add("coop", f.links.Base()+"/coops")
	for _, s := range j.Skills {
		add(Hashtag(s), f.links.Base()+"/?skill="+url.QueryEscape(s))
	}
	if j.Remote == directory.RemoteFull {
		add("remote", f.links.Base()+"/?remote=remote")
	}
	return tags
}

// markdown renders a job description to HTML that keeps only what
// Mastodon keeps (p br a strong em ul ol li code pre blockquote).
type markdown struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

func newMarkdown() *markdown {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "code", "pre", "blockquote", "del", "s")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return &markdown{md: goldmark.New(), policy: p}
}

// HTML renders Markdown to sanitised HTML.
func (m *markdown) HTML(src string) string {
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		return paragraphs(src)
	}
	return strings.TrimSpace(m.policy.Sanitize(buf.String()))
}

// where says where a job is done: "Remote", "Remote (Latin America and
// the Caribbean, Spain)" or "Hybrid · Rosario, Argentina".
func where(j *directory.Job) string {
	if j.Remote == directory.RemoteFull && len(j.Eligible) > 0 {
		var names []string
		for _, code := range j.Eligible {
			if c := directory.EligibleCountry(code); c != "" {
				names = append(names, countryName(c))
			} else if n := directory.RegionName(code); n != "" {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return remoteLabels[j.Remote]
		}
		return remoteLabels[j.Remote] + " (" + strings.Join(names, ", ") + ")"
	}
	place := countryName(j.Country)
	if j.City != "" && place != "" {
		place = j.City + ", " + place
	} else if j.City != "" {
		place = j.City
	}
	if place == "" {
		return remoteLabels[j.Remote]
	}
	if j.Remote == directory.RemoteOnsite {
		return place
	}
	if j.Remote == directory.RemoteFull {
		return "Remote (" + place + ")"
	}
	return remoteLabels[j.Remote] + " · " + place
}

// mention is how Mastodon writes a mention of an account in HTML, so
// that servers link it to the account rather than to a web page.
func mention(href, handle string) string {
	e := html.EscapeString
	return `<span class="h-card" translate="no"><a href="` + e(href) + `" class="u-url mention">@<span>` + e(handle) + `</span></a></span>`
}

// noteContent is the HTML a person reads in their timeline, in the
// language of w: the title (a link to the job's page), the co-op's name
// and a mention of it, where and how the job is done, the description
// (Markdown rendered to the allow-listed HTML Mastodon keeps), how to
// apply and until when, and the hashtags.
func (f *Federation) noteContent(j *directory.Job, tags []Tag, w *noteWords) string {
	e := html.EscapeString
	var b strings.Builder
	// The title links the job's page: Mastodon makes its preview card of
	// the first link that is no mention or hashtag.
	fmt.Fprintf(&b, `<p><strong><a href="%s">%s</a></strong> %s %s (%s)</p>`, e(j.APID), e(j.Title), e(w.at), e(j.Coop.Name),
		mention(j.Coop.APID, j.Coop.Handle))
	facts := []string{w.where(j), w.employment[j.EmploymentType]}
	if s := w.salary(j.Salary); s != "" {
		facts = append(facts, s)
	}
	fmt.Fprintf(&b, "<p>%s</p>", e(strings.Join(facts, " · ")))
	// Line breaks between elements would show as blank lines on some
	// servers.
	b.WriteString(strings.ReplaceAll(f.md().HTML(j.Description), ">\n<", "><"))
	switch {
	case j.ApplyEmail != "":
		fmt.Fprintf(&b, `<p>%s <a href="mailto:%s">%s</a>`, e(w.applyEmail), e(j.ApplyEmail), e(j.ApplyEmail))
	case j.ApplyURL != "":
		fmt.Fprintf(&b, `<p>%s <a href="%s" rel="nofollow noopener" target="_blank">%s</a>`, e(w.applyURL), e(j.ApplyURL), e(j.ApplyURL))
	default:
		b.WriteString("<p>")
	}
	if !j.ValidThrough.IsZero() {
		fmt.Fprintf(&b, "<br>%s %s", e(w.until), e(w.date(j.ValidThrough)))
	}
	b.WriteString("</p>")
	var hs []string
	for _, t := range tags {
		if t.Type == "Hashtag" {
			hs = append(hs, fmt.Sprintf(`<a href="%s" class="mention hashtag" rel="tag">#<span>%s</span></a>`, e(t.Href), e(strings.TrimPrefix(t.Name, "#"))))
		}
	}
	fmt.Fprintf(&b, "<p>%s</p>", strings.Join(hs, " "))
	return strings.ReplaceAll(b.String(), "<p></p>", "")
}

func (f *Federation) jobPosting(j *directory.Job) *JobPosting {
	jp := &JobPosting{
		Type: "sdo:JobPosting", Title: j.Title, Description: f.md().HTML(j.Description),
		DatePosted: asTime(j.Published), EmploymentType: sdoEmployment[j.EmploymentType],
		Skills: nonNil(j.Skills), InLanguage: nonNil(j.Languages),
		HiringOrganization: SdoOrganization{ID: j.Coop.APID, Name: j.Coop.Name},
		URL:                j.APID, ApplyURL: j.ApplyURL, ApplyEmail: j.ApplyEmail, Remote: j.Remote,
	}
	if !j.ValidThrough.IsZero() {
		jp.ValidThrough = asTime(j.ValidThrough)
	}
	if j.Remote == directory.RemoteFull {
		jp.JobLocationType = "TELECOMMUTE"
		jp.ApplicantLocation = applicantLocations(j.Eligible)
	}
	// A remote job may name where the co-op is too: its place travels
	// as for the others, or its city would be lost on the way.
	if j.Remote != directory.RemoteFull || j.Country != "" || j.City != "" {
		jp.JobLocation = &SdoPlace{Type: "sdo:Place", Address: SdoAddress{Type: "sdo:PostalAddress", Country: j.Country, Locality: j.City}}
	}
	if s := j.Salary; s != nil {
		jp.BaseSalary = &SdoSalary{Type: "sdo:MonetaryAmount", Currency: s.Currency,
			Value: SdoSalaryAmount{Type: "sdo:QuantitativeValue", MinValue: s.Min, MaxValue: s.Max, UnitText: sdoPeriod[s.Period]}}
	}
	addFacts(jp, j)
	return jp
}

// applicantLocations are a remote job's eligibility in schema.org terms:
// countries as Country, regions as AdministrativeArea. A job open to
// anywhere states no requirement.
func applicantLocations(eligible []string) SdoLocations {
	var out SdoLocations
	for _, code := range eligible {
		if c := directory.EligibleCountry(code); c != "" {
			out = append(out, SdoLocation{Type: "sdo:Country", Name: c, Identifier: c})
		} else if directory.IsRegion(code) {
			out = append(out, SdoLocation{Type: "sdo:AdministrativeArea", Name: directory.RegionName(code), Identifier: code})
		}
	}
	return out
}

// addFacts writes a job's window of hours and co-op facts.
func addFacts(jp *JobPosting, j *directory.Job) {
	if h := j.Hours; h != nil {
		start, end := directory.Clock(h.Start), directory.Clock(h.End)
		jp.WorkHours = start + "–" + end + " (" + h.Zone + ")"
		jp.CoreHours = &CoreHours{Zone: h.Zone, Start: start, End: end}
	}
	jp.HoursPerWeek = LenientInt(j.HoursPerWeek)
	jp.Seniority = LenientString(j.Seniority)
	jp.Decisions = LenientString(j.Decisions)
	if m := j.Membership; m != nil {
		jp.Membership = &ASMembership{LeadsToMembership: m.LeadsToMembership, TrialMonths: m.TrialMonths}
		if c := m.Capital; c != nil {
			jp.Membership.Capital = &ASAmount{Type: "sdo:MonetaryAmount", Currency: c.Currency, Value: c.Amount}
		}
	}
	if p := j.PayPolicy; p != nil {
		jp.PayPolicy = &ASPayPolicy{Kind: p.Kind, Ratio: p.Ratio}
	}
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// note is a local job as a public Note by its co-op. Its content is in
// the job's first language, and contentMap holds one text per language
// the job is written in, each with labels in that language. The co-op is
// mentioned, so servers link its account; the job's page is the Note's
// url. The description rides as Markdown in source too, as Misskey and
// Mastodon carry a post's source, so Colmena nodes keep it as written.
func (f *Federation) note(j *directory.Job) *Note {
	tags := f.jobTags(j)
	tags = append(tags, Tag{Type: "Mention", Href: j.Coop.APID, Name: "@" + j.Coop.Handle + "@" + hostOf(j.Coop.APID)})
	n := &Note{
		ID: j.APID, Type: "Note", AttributedTo: j.Coop.APID, URL: j.APID, Published: asTime(j.Published),
		To: []string{PublicURI}, Cc: []string{followersOf(j.Coop.APID)}, Tag: tags,
		JobPosting: f.jobPosting(j),
	}
	if strings.TrimSpace(j.Description) != "" {
		n.Source = &Source{Content: j.Description, MediaType: "text/markdown"}
	}
	if j.Updated.After(j.Published) {
		n.Updated = asTime(j.Updated)
	}
	langs := j.Languages
	if len(langs) == 0 {
		n.Content = f.noteContent(j, tags, englishWords)
		return n
	}
	n.ContentMap = map[string]string{}
	for _, l := range langs {
		if _, ok := n.ContentMap[l]; !ok {
			n.ContentMap[l] = f.noteContent(j, tags, wordsFor(l))
		}
	}
	n.Content = n.ContentMap[langs[0]]
	return n
}

// DescriptionHTML renders a job description (Markdown) to sanitised HTML.
func (f *Federation) DescriptionHTML(src string) string { return f.md().HTML(src) }

// Where says where a job is done, for people.
func Where(j *directory.Job) string { return where(j) }

// EmploymentLabel names an employment type for people.
func EmploymentLabel(t string) string { return employmentLabels[t] }
