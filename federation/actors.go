package federation

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"html"
	"net"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/colmena-coop/colmena/directory"
)

// instanceUsername is the instance actor's preferredUsername: the host
// name, so that acct:HOST@HOST finds it. A port is left out: GoToSocial
// refuses an actor whose username has a colon.
func (f *Federation) instanceUsername() string {
	if h, _, err := net.SplitHostPort(f.links.Host()); err == nil {
		return h
	}
	return f.links.Host()
}

// publicKeys are an actor's RSA key and its Ed25519 key as a FEP-521a
// Multikey (ownEd25519).
func (f *Federation) publicKeys(ctx context.Context, actor string) (PublicKey, []Multikey, error) {
	k, err := f.ownKey(ctx, actor)
	if err != nil {
		return PublicKey{}, nil, err
	}
	mk := Multikey{ID: ed25519KeyIDOf(actor), Type: "Multikey", Controller: actor,
		PublicKeyMultibase: MultikeyOf(k.ed.Public().(ed25519.PublicKey))}
	return PublicKey{ID: keyIDOf(actor), Owner: actor, PublicKeyPem: k.rec.PublicPEM}, []Multikey{mk}, nil
}

// instanceActor is the node's Application actor. Mastodon serves its own
// unsigned with only these fields, so that anyone can fetch the key that
// signs the node's GETs.
func (f *Federation) instanceActor(ctx context.Context) (*Actor, error) {
	id := f.links.InstanceActor()
	pk, mk, err := f.publicKeys(ctx, id)
	if err != nil {
		return nil, err
	}
	return &Actor{
		Context: f.actorContext(), ID: id, Type: "Application", PreferredUsername: f.instanceUsername(),
		Name: f.links.Host(), URL: f.links.Base() + "/", Inbox: inboxOf(id), Outbox: outboxOf(id),
		Followers: followersOf(id), Following: followingOf(id), Featured: featuredOf(id),
		Endpoints: &Endpoints{SharedInbox: f.sharedInbox()}, ManuallyApprovesFollowers: true, PublicKey: pk, AssertionMethod: mk,
	}, nil
}

// federationActor is the federation's actor. It is a Service, so that
// Mastodon marks it as automated ("bot"): Mastodon derives bot from the
// actor type alone (Application or Service), and an Organization cannot
// be one. Colmena nodes tell it from a co-op by its members collection,
// whatever its type (isFederationActor). Its avatar is the node's
// federation image (avatar.go); its profile fields give its members,
// their countries and its website.
func (f *Federation) federationActor(ctx context.Context) (*Actor, error) {
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return nil, err
	}
	pk, mk, err := f.publicKeys(ctx, fed.APID)
	if err != nil {
		return nil, err
	}
	summary := fed.Summary
	if summary == "" {
		summary = fmt.Sprintf("The federation %s: its member co-ops' job openings, on Colmena.", fed.Name)
	}
	fields, err := f.federationFields(ctx, fed)
	if err != nil {
		return nil, err
	}
	return &Actor{
		Context: f.actorContext(), ID: fed.APID, Type: FederationActorType, PreferredUsername: fed.Handle, Name: fed.Name,
		Summary: "<p>" + html.EscapeString(summary) + "</p>", URL: fed.APID, Published: asTime(fed.CreatedAt),
		Icon:  &Image{Type: "Image", MediaType: "image/png", URL: f.links.Base() + avatarPath},
		Inbox: inboxOf(fed.APID), Outbox: outboxOf(fed.APID), Followers: followersOf(fed.APID),
		Following: followingOf(fed.APID), Featured: featuredOf(fed.APID), Members: membersOf(fed.APID),
		Endpoints: &Endpoints{SharedInbox: f.sharedInbox()}, Discoverable: true, Indexable: true, PublicKey: pk, AssertionMethod: mk,
		Attachment: fields, Tag: []Tag{},
	}, nil
}

// FederationActorType is the type of a federation's actor.
const FederationActorType = "Service"

// maxFieldMembers bounds the members read for the federation's profile
// fields.
const maxFieldMembers = 2000

// federationFields are the federation's profile fields, as Mastodon
// shows them: its number of member co-ops, their countries and its
// website.
func (f *Federation) federationFields(ctx context.Context, fed *directory.Federation) ([]PropertyValue, error) {
	q := directory.CoopQuery{Federations: []string{fed.APID}, Limit: PageSize}
	total := 0
	seen := map[string]bool{}
	var countries []string
	for read := 0; read < maxFieldMembers; {
		res, err := f.svc.ListCoops(ctx, q)
		if err != nil {
			return nil, err
		}
		total = res.Total
		for _, c := range res.Items {
			if c.Country != "" && !seen[c.Country] {
				seen[c.Country] = true
				countries = append(countries, countryName(c.Country))
			}
		}
		read += len(res.Items)
		if res.Next == nil || len(res.Items) == 0 {
			break
		}
		q.After = res.Next
	}
	sort.Strings(countries)
	out := []PropertyValue{{Type: "PropertyValue", Name: "Members", Value: fmt.Sprintf("%d co-ops", total)}}
	if total == 1 {
		out[0].Value = "1 co-op"
	}
	if len(countries) > 0 {
		out = append(out, PropertyValue{Type: "PropertyValue", Name: "Countries", Value: html.EscapeString(strings.Join(countries, ", "))})
	}
	site := f.links.Base() + "/"
	if fed.URL != "" && fed.URL != fed.APID {
		site = fed.URL
	}
	w := html.EscapeString(site)
	out = append(out, PropertyValue{Type: "PropertyValue", Name: "Website",
		Value: `<a href="` + w + `" rel="me nofollow noopener" target="_blank">` + w + `</a>`})
	return out, nil
}

// countryName is a country's English name, or its code.
func countryName(code string) string {
	if code == "" {
		return ""
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.English.Regions().Name(r); n != "" {
		return n
	}
	return code
}

// aboutHTML renders a co-op's About (Markdown) as a job description is
// rendered: the same Markdown and sanitiser, one line.
func (f *Federation) aboutHTML(src string) string {
	return strings.ReplaceAll(f.md().HTML(src), ">\n<", "><")
}

// coopActor is a local co-op's Organization actor.
func (f *Federation) coopActor(ctx context.Context, c *directory.Coop) (*Actor, error) {
	pk, mk, err := f.publicKeys(ctx, c.APID)
	if err != nil {
		return nil, err
	}
	a := &Actor{
		Context: f.actorContext(), ID: c.APID, Type: "Organization", PreferredUsername: c.Handle, Name: c.Name,
		Summary: f.aboutHTML(c.Summary), URL: c.URL, Published: asTime(c.CreatedAt),
		Inbox: inboxOf(c.APID), Outbox: outboxOf(c.APID), Followers: followersOf(c.APID),
		Following: followingOf(c.APID), Featured: featuredOf(c.APID),
		Endpoints: &Endpoints{SharedInbox: f.sharedInbox()}, Discoverable: true, Indexable: true, PublicKey: pk, AssertionMethod: mk,
		Attachment: coopFields(c), Tag: []Tag{},
		SdoEmployees: &SdoQuantity{Type: "sdo:QuantitativeValue", Value: c.Workers},
		SdoAddress:   &SdoAddress{Type: "sdo:PostalAddress", Country: c.Country, Locality: c.City},
		SdoEmail:     c.Email, SdoURL: c.Website, SdoKnowsAbout: c.Skills, SdoKnowsLang: c.Languages,
		Governance: c.Governance,
	}
	if c.Suspended {
		a.Suspended, a.Discoverable, a.Indexable = true, false, false
	}
	if l, err := f.store.Logo(ctx, c.ID); err == nil {
		a.Icon = &Image{Type: "Image", MediaType: l.ContentType, URL: f.links.Logo(c.Handle, l.UpdatedAt)}
	} else if directory.KindOf(err) != directory.KindNotFound {
		return nil, err
	}
	if c.Founded != 0 {
		a.SdoFoundingDate = fmt.Sprintf("%04d", c.Founded)
	}
	return a, nil
}

// coopFields are the at most four profile fields Mastodon shows: website
// (rel="me", so Mastodon can verify it), country, workers, skills.
func coopFields(c *directory.Coop) []PropertyValue {
	var out []PropertyValue
	if c.Website != "" {
		w := html.EscapeString(c.Website)
		out = append(out, PropertyValue{Type: "PropertyValue", Name: "Website",
			Value: `<a href="` + w + `" rel="me nofollow noopener" target="_blank">` + w + `</a>`})
	}
	where := countryName(c.Country)
	if c.City != "" {
		where = c.City + ", " + where
	}
	out = append(out, PropertyValue{Type: "PropertyValue", Name: "Location", Value: html.EscapeString(where)})
	out = append(out, PropertyValue{Type: "PropertyValue", Name: "Workers", Value: fmt.Sprint(c.Workers)})
	if len(c.Skills) > 0 {
		out = append(out, PropertyValue{Type: "PropertyValue", Name: "Skills", Value: html.EscapeString(strings.Join(c.Skills, ", "))})
	}
	return out
}

// paragraphs turns plain text into escaped HTML paragraphs.
func paragraphs(s string) string {
	var b strings.Builder
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>") + "</p>")
		}
	}
	return b.String()
}

// hostOf returns the host[:port] of a URL, lower-cased.
func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
