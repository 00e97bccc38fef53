package federation

import (
	"encoding/json"
	"time"
)

// Outgoing ActivityStreams documents are built from these structs, not
// with go-fed's streams: v1.0.0 drops inline @context terms, collapses
// one-element arrays and lacks PropertyValue, Hashtag and sharedInbox,
// all of which Mastodon needs.

// PublicURI is the audience of public activities.
const PublicURI = "https://www.w3.org/ns/activitystreams#Public"

// Media types.
const (
	ContentTypeAS = "application/activity+json"
	ContentTypeLD = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
	// SchemaOrg is the IRI behind the sdo: prefix.
	SchemaOrg = "https://schema.org/"
)

func asTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// actorContext is the @context of actors, Mastodon-style with inline terms.
func (f *Federation) actorContext() []any {
	return []any{
		"https://www.w3.org/ns/activitystreams",
		"https://w3id.org/security/v1",
		"https://w3id.org/security/multikey/v1",
		map[string]any{
			"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
			"toot":                      "http://joinmastodon.org/ns#",
			"discoverable":              "toot:discoverable",
			"indexable":                 "toot:indexable",
			"suspended":                 "toot:suspended",
			"featured":                  map[string]string{"@id": "toot:featured", "@type": "@id"},
			"schema":                    "http://schema.org#",
			"PropertyValue":             "schema:PropertyValue",
			"value":                     "schema:value",
			"sdo":                       SchemaOrg,
			"colmena":                   f.nsIRI(),
			"members":                   map[string]string{"@id": "colmena:members", "@type": "@id"},
		},
	}
}

// objectContext is the @context of Notes and the activities carrying them.
func (f *Federation) objectContext() []any {
	return []any{
		"https://www.w3.org/ns/activitystreams",
		map[string]any{
			"Hashtag":    "as:Hashtag",
			"sensitive":  "as:sensitive",
			"sdo":        SchemaOrg,
			"colmena":    f.nsIRI(),
			"jobPosting": map[string]string{"@id": "colmena:jobPosting"},
		},
	}
}

const asContext = "https://www.w3.org/ns/activitystreams"

// Image is an actor's icon.
type Image struct {
	Type      string `json:"type"`
	MediaType string `json:"mediaType"`
	URL       string `json:"url"`
}

// Actor is an actor document.
type Actor struct {
	Context           any    `json:"@context,omitempty"`
	ID                string `json:"id"`
	Type              string `json:"type"`
	PreferredUsername string `json:"preferredUsername"`
	Name              string `json:"name,omitempty"`
	Summary           string `json:"summary,omitempty"`
	// Icon is the avatar Mastodon and others show.
	Icon                      *Image     `json:"icon,omitempty"`
	URL                       string     `json:"url,omitempty"`
	Published                 string     `json:"published,omitempty"`
	Inbox                     string     `json:"inbox"`
	Outbox                    string     `json:"outbox"`
	Followers                 string     `json:"followers,omitempty"`
	Following                 string     `json:"following,omitempty"`
	Featured                  string     `json:"featured,omitempty"`
	Members                   string     `json:"members,omitempty"`
	Endpoints                 *Endpoints `json:"endpoints,omitempty"`
	ManuallyApprovesFollowers bool       `json:"manuallyApprovesFollowers"`
	Discoverable              bool       `json:"discoverable"`
	Indexable                 bool       `json:"indexable"`
	// Suspended, as Mastodon marks suspended accounts: aggregators hide
	// the co-op and its jobs until an Update says otherwise.
	Suspended  bool            `json:"suspended,omitempty"`
	Attachment []PropertyValue `json:"attachment,omitempty"`
	Tag        []Tag           `json:"tag,omitempty"`
	PublicKey  PublicKey       `json:"publicKey"`
	// AssertionMethod lists the actor's Ed25519 key (FEP-521a).
	AssertionMethod []Multikey `json:"assertionMethod,omitempty"`

	// The structured co-op profile in schema.org terms.
	SdoFoundingDate string       `json:"sdo:foundingDate,omitempty"`
	SdoEmployees    *SdoQuantity `json:"sdo:numberOfEmployees,omitempty"`
	SdoAddress      *SdoAddress  `json:"sdo:address,omitempty"`
	SdoEmail        string       `json:"sdo:email,omitempty"`
	SdoURL          string       `json:"sdo:url,omitempty"`
	SdoKnowsAbout   []string     `json:"sdo:knowsAbout,omitempty"`
	SdoKnowsLang    []string     `json:"sdo:knowsLanguage,omitempty"`
	Governance      string       `json:"colmena:governance,omitempty"`
}

// Endpoints holds the shared inbox.
type Endpoints struct {
	SharedInbox string `json:"sharedInbox"`
}

// PublicKey is an actor's signing key.
type PublicKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// Multikey is a FEP-521a key: an Ed25519 public key as multibase.
type Multikey struct {
	ID                 string `json:"id"`
	Type               string `json:"type"`
	Controller         string `json:"controller"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
}

// PropertyValue is a profile field.
type PropertyValue struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SdoQuantity is a schema.org QuantitativeValue.
type SdoQuantity struct {
	Type  string `json:"@type"`
	Value int    `json:"sdo:value"`
}

// SdoAddress is a schema.org PostalAddress.
type SdoAddress struct {
	Type     string `json:"@type"`
	Country  string `json:"sdo:addressCountry,omitempty"`
	Locality string `json:"sdo:addressLocality,omitempty"`
}

// Tag is a Hashtag or a Mention.
type Tag struct {
	Type string `json:"type"`
	Name string `json:"name"`
	Href string `json:"href"`
}

// Note is a job opening as Mastodon and GoToSocial show it.
type Note struct {
	Context      any    `json:"@context,omitempty"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	AttributedTo string `json:"attributedTo"`
	// InReplyTo is the post a co-op's answer replies to; jobs have none.
	InReplyTo  string            `json:"inReplyTo,omitempty"`
	URL        string            `json:"url"`
	Published  string            `json:"published"`
	Updated    string            `json:"updated,omitempty"`
	To         []string          `json:"to"`
	Cc         []string          `json:"cc"`
	Content    string            `json:"content"`
	ContentMap map[string]string `json:"contentMap,omitempty"`
	// Source is the description as written (Markdown).
	Source     *Source     `json:"source,omitempty"`
	Tag        []Tag       `json:"tag"`
	JobPosting *JobPosting `json:"jobPosting,omitempty"`
}

// Source is what a post was written as, before it became content.
type Source struct {
	Content   string `json:"content"`
	MediaType string `json:"mediaType"`
}

// Tombstone stands for a deleted object.
type Tombstone struct {
	Context    any    `json:"@context,omitempty"`
	ID         string `json:"id"`
	Type       string `json:"type"`
	FormerType string `json:"formerType,omitempty"`
	Deleted    string `json:"deleted,omitempty"`
}

// Activity is an activity with its object embedded or referenced.
type Activity struct {
	Context   any      `json:"@context,omitempty"`
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Actor     string   `json:"actor"`
	Published string   `json:"published,omitempty"`
	To        []string `json:"to,omitempty"`
	Cc        []string `json:"cc,omitempty"`
	Object    any      `json:"object"`
	Target    string   `json:"target,omitempty"`
}

// OrderedCollection is a paged collection's root.
type OrderedCollection struct {
	Context    any    `json:"@context,omitempty"`
	ID         string `json:"id"`
	Type       string `json:"type"`
	TotalItems int    `json:"totalItems"`
	First      string `json:"first,omitempty"`
}

// OrderedCollectionPage is one page of a collection.
type OrderedCollectionPage struct {
	Context      any    `json:"@context,omitempty"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	PartOf       string `json:"partOf"`
	TotalItems   int    `json:"totalItems"`
	OrderedItems []any  `json:"orderedItems"`
	Next         string `json:"next,omitempty"`
}

// JobPosting is the schema.org JobPosting riding in a Note's jobPosting.
type JobPosting struct {
	Type               string          `json:"@type"`
	Title              string          `json:"sdo:title"`
	Description        string          `json:"sdo:description,omitempty"`
	DatePosted         string          `json:"sdo:datePosted"`
	ValidThrough       string          `json:"sdo:validThrough,omitempty"`
	EmploymentType     string          `json:"sdo:employmentType"`
	JobLocationType    string          `json:"sdo:jobLocationType,omitempty"`
	JobLocation        *SdoPlace       `json:"sdo:jobLocation,omitempty"`
	ApplicantLocation  SdoLocations    `json:"sdo:applicantLocationRequirements,omitempty"`
	BaseSalary         *SdoSalary      `json:"sdo:baseSalary,omitempty"`
	Skills             []string        `json:"sdo:skills"`
	InLanguage         []string        `json:"sdo:inLanguage"`
	HiringOrganization SdoOrganization `json:"sdo:hiringOrganization"`
	URL                string          `json:"sdo:url"`
	ApplyURL           string          `json:"colmena:applyUrl,omitempty"`
	ApplyEmail         string          `json:"colmena:applyEmail,omitempty"`
	Remote             string          `json:"colmena:remote"`
	// WorkHours words the window of hours for readers of schema.org;
	// CoreHours is the same window for Colmena nodes.
	WorkHours    string        `json:"sdo:workHours,omitempty"`
	CoreHours    *CoreHours    `json:"colmena:coreHours,omitempty"`
	HoursPerWeek LenientInt    `json:"colmena:hoursPerWeek,omitempty"`
	Seniority    LenientString `json:"colmena:seniority,omitempty"`
	Membership   *ASMembership `json:"colmena:membership,omitempty"`
	PayPolicy    *ASPayPolicy  `json:"colmena:payPolicy,omitempty"`
	Decisions    LenientString `json:"colmena:decisions,omitempty"`
}

// SdoPlace is a schema.org Place.
type SdoPlace struct {
	Type    string     `json:"@type"`
	Address SdoAddress `json:"sdo:address"`
}

// SdoLocation is where applicants to a remote job may work from: a
// schema.org Country (sdo:name and sdo:identifier its ISO 3166-1 alpha-2
// code) or AdministrativeArea (a region: sdo:identifier its code, such as
// LATAM, sdo:name its English name).
type SdoLocation struct {
	Type       string `json:"@type"`
	Name       string `json:"sdo:name"`
	Identifier string `json:"sdo:identifier,omitempty"`
}

// SdoSalary is a schema.org MonetaryAmount.
type SdoSalary struct {
	Type     string          `json:"@type"`
	Currency string          `json:"sdo:currency"`
	Value    SdoSalaryAmount `json:"sdo:value"`
}

// SdoSalaryAmount is the range of a salary.
type SdoSalaryAmount struct {
	Type     string `json:"@type"`
	MinValue int64  `json:"sdo:minValue"`
	MaxValue int64  `json:"sdo:maxValue"`
	UnitText string `json:"sdo:unitText"`
}

// SdoOrganization names the hiring co-op.
type SdoOrganization struct {
	ID   string `json:"@id"`
	Name string `json:"sdo:name"`
}

// SdoLocations are a job's applicantLocationRequirements: one is written
// as an object (as Colmena nodes that read one country expect), more as
// an array. Either is read; what cannot be read is left out.
type SdoLocations []SdoLocation

// MarshalJSON writes one location as an object.
func (l SdoLocations) MarshalJSON() ([]byte, error) {
	if len(l) == 1 {
		return json.Marshal(l[0])
	}
	return json.Marshal([]SdoLocation(l))
}

// maxLocations bounds the locations read from one job.
const maxLocations = 100

// UnmarshalJSON reads an object or an array of them, never failing.
func (l *SdoLocations) UnmarshalJSON(b []byte) error {
	var one SdoLocation
	if json.Unmarshal(b, &one) == nil {
		*l = SdoLocations{one}
		return nil
	}
	var many []json.RawMessage
	if json.Unmarshal(b, &many) != nil {
		return nil
	}
	for i, m := range many {
		if i == maxLocations {
			break
		}
		if json.Unmarshal(m, &one) == nil {
			*l = append(*l, one)
		}
	}
	return nil
}

// CoreHours is the window of hours a job needs: times "HH:MM" in an IANA
// zone.
type CoreHours struct {
	Zone  string `json:"colmena:timeZone"`
	Start string `json:"colmena:start"`
	End   string `json:"colmena:end"`
}

// UnmarshalJSON never fails: a window that cannot be read is empty, and
// dropped when the job is checked.
func (c *CoreHours) UnmarshalJSON(b []byte) error {
	type plain CoreHours
	var p plain
	if json.Unmarshal(b, &p) == nil {
		*c = CoreHours(p)
	}
	return nil
}

// ASMembership says whether a job leads to membership of the co-op.
type ASMembership struct {
	LeadsToMembership bool `json:"colmena:leadsToMembership"`
	TrialMonths       int  `json:"colmena:trialMonths"`
	// Capital is a member's capital contribution; a value of 0 is none.
	Capital *ASAmount `json:"colmena:capitalContribution,omitempty"`
	// unread marks a membership that could not be read: it states
	// nothing, not that the job does not lead to membership.
	unread bool
}

// ASAmount is a schema.org MonetaryAmount of one value.
type ASAmount struct {
	Type     string `json:"@type"`
	Currency string `json:"sdo:currency"`
	Value    int64  `json:"sdo:value"`
}

// UnmarshalJSON never fails; see CoreHours.
func (m *ASMembership) UnmarshalJSON(b []byte) error {
	type plain ASMembership
	var p plain
	if json.Unmarshal(b, &p) != nil {
		m.unread = true
		return nil
	}
	*m = ASMembership(p)
	return nil
}

// ASPayPolicy is how a co-op spreads pay: kind "equal", or "ratio" with
// the highest pay over the lowest.
type ASPayPolicy struct {
	Kind  string  `json:"colmena:kind"`
	Ratio float64 `json:"colmena:ratio,omitempty"`
}

// UnmarshalJSON never fails; see CoreHours.
func (p *ASPayPolicy) UnmarshalJSON(b []byte) error {
	type plain ASPayPolicy
	var v plain
	if json.Unmarshal(b, &v) == nil {
		*p = ASPayPolicy(v)
	}
	return nil
}

// LenientInt is a number that reads as 0 when it is not one.
type LenientInt int

// UnmarshalJSON never fails.
func (n *LenientInt) UnmarshalJSON(b []byte) error {
	var v int
	if json.Unmarshal(b, &v) == nil {
		*n = LenientInt(v)
	}
	return nil
}

// LenientString is a string that reads as "" when it is not one.
type LenientString string

// UnmarshalJSON never fails.
func (s *LenientString) UnmarshalJSON(b []byte) error {
	var v string
	if json.Unmarshal(b, &v) == nil {
		*s = LenientString(v)
	}
	return nil
}
