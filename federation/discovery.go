package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// JRD is a WebFinger document.
type JRD struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []JRDLink `json:"links"`
}

// JRDLink is one link of a JRD.
type JRDLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

func writeJSON(w http.ResponseWriter, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "max-age=300, public")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// webfingerUser turns a resource (acct:u@h, u@h, @u@h, or an actor URL)
// into a local username, or reports why not.
func (f *Federation) webfingerUser(resource string) (string, error) {
	resource = strings.TrimSpace(resource)
	// Some clients escape the resource twice; undo the second layer.
	if strings.Contains(resource, "%") && !strings.Contains(resource, "@") {
		if u, err := url.QueryUnescape(resource); err == nil {
			resource = u
		}
	}
	if resource == "" {
		return "", directory.Invalidf("", "the resource parameter is required, such as acct:name@%s", f.links.Host())
	}
	if strings.HasPrefix(resource, "http://") || strings.HasPrefix(resource, "https://") {
		u, err := url.Parse(resource)
		if err != nil || !strings.EqualFold(u.Host, f.links.Host()) {
			return "", directory.NotFoundf("that URL is not on this server")
		}
		switch p := strings.TrimSuffix(u.Path, "/"); {
		case p == "/actor" || p == "":
			return f.instanceUsername(), nil
		case p == "/federation":
			return "\x00federation", nil
		case strings.HasPrefix(p, "/coops/") && !strings.Contains(p[len("/coops/"):], "/"):
			return p[len("/coops/"):], nil
		case strings.HasPrefix(p, searchesPath) && isSearchHandle(p[len(searchesPath):]):
			return p[len(searchesPath):], nil
		case strings.HasPrefix(p, "/@"):
			return p[2:], nil
		}
		return "", directory.NotFoundf("that URL is not an actor of this server")
	}
	acct := strings.TrimPrefix(strings.TrimPrefix(resource, "acct:"), "@")
	user, host, ok := strings.Cut(acct, "@")
	if !ok || user == "" || host == "" {
		if strings.EqualFold(acct, f.links.Host()) {
			return f.instanceUsername(), nil
		}
		return "", directory.Invalidf("", "the resource must look like acct:name@%s", f.links.Host())
	}
	if !strings.EqualFold(host, f.links.Host()) {
		return "", directory.NotFoundf("that account is not on this server")
	}
	return user, nil
}

func (f *Federation) webfinger(w http.ResponseWriter, r *http.Request) {
	user, err := f.webfingerUser(r.URL.Query().Get("resource"))
	if err != nil {
		f.fail(w, r, err)
		return
	}
	ctx := r.Context()
	var d *doc
	if isSearchHandle(user) {
		// Search actors come and go apart from the listings' version.
		d, err = f.jrd(ctx, user)
	} else {
		d, err = f.docs.get(ctx, "webfinger", user, func() (*doc, error) { return f.jrd(ctx, user) })
	}
	if err != nil {
		f.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/jrd+json; charset=utf-8")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "max-age=300, public")
	_, _ = w.Write(d.body)
}

// jrd is the WebFinger document of a local account.
func (f *Federation) jrd(ctx context.Context, user string) (*doc, error) {
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return nil, err
	}
	var id, page, name string
	switch {
	case strings.EqualFold(user, f.instanceUsername()) || strings.EqualFold(user, f.links.Host()):
		id, page, name = f.links.InstanceActor(), f.links.Base()+"/", f.instanceUsername()
	case user == "\x00federation" || user == fed.Handle:
		id, page, name = fed.APID, fed.APID, fed.Handle
	case isSearchHandle(user):
		s, err := f.liveSearch(ctx, user)
		if err != nil {
			return nil, err
		}
		id, page, name = s.APID, f.SearchPage(s), s.Handle
	default:
		if !directory.ValidHandle(user) {
			return nil, directory.NotFoundf("no account has that name here")
		}
		c, err := f.store.LocalCoop(ctx, user)
		if directory.KindOf(err) == directory.KindNotFound {
			if _, err := f.store.Tombstone(ctx, f.links.Coop(user)); err == nil {
				return nil, refuse(kindGone, "that co-op was deleted")
			}
			return nil, directory.NotFoundf("no account has that name here")
		}
		if err != nil {
			return nil, err
		}
		id, page, name = c.APID, c.URL, c.Handle
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err = enc.Encode(JRD{
		Subject: "acct:" + name + "@" + f.links.Host(),
		Aliases: []string{id},
		Links: []JRDLink{
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: page},
			{Rel: "self", Type: ContentTypeAS, Href: id},
		},
	})
	return &doc{body: buf.Bytes()}, err
}

func (f *Federation) hostMeta(w http.ResponseWriter, r *http.Request) {
	tmpl := f.links.Base() + "/.well-known/webfinger?resource={uri}"
	if strings.Contains(r.Header.Get("Accept"), "json") {
		writeJSON(w, "application/json", map[string]any{"links": []JRDLink{{Rel: "lrdd", Template: tmpl}}})
		return
	}
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="%s"/>
</XRD>
`, html.EscapeString(tmpl))
}

const nodeInfoSchema = "http://nodeinfo.diaspora.software/ns/schema/"

func (f *Federation) nodeInfoLinks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, "application/json", map[string]any{"links": []JRDLink{
		{Rel: nodeInfoSchema + "2.1", Href: f.links.Base() + "/nodeinfo/2.1"},
		{Rel: nodeInfoSchema + "2.0", Href: f.links.Base() + "/nodeinfo/2.0"},
	}})
}

// usage counts the federation's member co-ops (its accounts) and their
// open jobs (its posts).
func (f *Federation) usage(r *http.Request) (*directory.Federation, int, int, error) {
	ctx := r.Context()
	// The figures change with the store's data version (federations,
	// co-ops and jobs) and as jobs expire (by the minute): under that
	// key one query answers, whichever replica made the last write.
	v, err := f.store.Version(ctx)
	if err != nil {
		return nil, 0, 0, err
	}
	key := v + "\x00" + f.now().Truncate(time.Minute).String()
	if u, ok := f.usageCache.Load().(*usage); ok && u.key == key {
		return u.fed, u.coops, u.jobs, nil
	}
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return nil, 0, 0, err
	}
	coops, err := f.svc.ListCoops(ctx, directory.CoopQuery{Federations: []string{fed.APID}, Limit: 1})
	if err != nil {
		return nil, 0, 0, err
	}
	jobs, err := f.svc.SearchJobs(ctx, directory.JobQuery{Federations: []string{fed.APID}, Limit: 1})
	if err != nil {
		return nil, 0, 0, err
	}
	f.usageCache.Store(&usage{key: key, fed: fed, coops: coops.Total, jobs: jobs.Total})
	return fed, coops.Total, jobs.Total, nil
}

// usage is what NodeInfo and /api/v1/instance report, as of a data
// version and minute (key).
type usage struct {
	key         string
	fed         *directory.Federation
	coops, jobs int
}

func (f *Federation) nodeInfo(w http.ResponseWriter, r *http.Request) {
	version := strings.TrimPrefix(r.URL.Path, "/nodeinfo/")
	// Rendered once per data version and minute (the figures' key).
	minute := f.now().Truncate(time.Minute).String()
	d, err := f.docs.get(r.Context(), "nodeinfo", version+"\x00"+minute, func() (*doc, error) {
		fed, coops, jobs, err := f.usage(r)
		if err != nil {
			return nil, err
		}
		software := map[string]any{"name": "colmena", "version": f.version}
		if version == "2.1" {
			software["homepage"] = f.links.Base() + "/"
		}
		users := coops + 1 // the co-ops and the federation itself
		return encodeDoc(map[string]any{
			"version":           version,
			"software":          software,
			"protocols":         []string{"activitypub"},
			"services":          map[string]any{"inbound": []string{}, "outbound": []string{}},
			"openRegistrations": false,
			"usage": map[string]any{
				"users":      map[string]int{"total": users, "activeMonth": users, "activeHalfyear": users},
				"localPosts": jobs,
			},
			"metadata": map[string]any{
				"nodeName":        fed.Name,
				"nodeDescription": fed.Summary,
				"federation":      map[string]string{"id": fed.APID, "handle": fed.Handle},
			},
		}), nil
	})
	if err != nil {
		f.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", `application/json; profile="`+nodeInfoSchema+version+`#"`)
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "max-age=300, public")
	_, _ = w.Write(d.body)
}

// instance is the part of Mastodon's /api/v1/instance that other servers
// (GoToSocial among them) read for a server's title.
func (f *Federation) instance(w http.ResponseWriter, r *http.Request) {
	fed, coops, jobs, err := f.usage(r)
	if err != nil {
		f.fail(w, r, err)
		return
	}
	writeJSON(w, "application/json; charset=utf-8", map[string]any{
		"uri":               f.links.Host(),
		"title":             fed.Name,
		"short_description": fed.Summary,
		"description":       fed.Summary,
		"email":             "",
		"version":           "4.0.0 (compatible; Colmena " + f.version + ")",
		"urls":              map[string]string{},
		"stats":             map[string]int{"user_count": coops + 1, "status_count": jobs, "domain_count": 0},
		"languages":         nonNil(fed.Languages),
		"registrations":     false,
		"approval_required": false,
		"invites_enabled":   false,
		"contact_account":   nil,
		"rules":             []string{},
	})
}
