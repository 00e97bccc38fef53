package federation

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// Pages are the web's HTML pages for URLs that are also ActivityStreams
// ids: a browser gets the page, a server the JSON.
type Pages struct {
	Federation http.Handler
	Coop       http.Handler
	Job        http.Handler
}

// Mount adds the ActivityPub and discovery routes to r.
func (f *Federation) Mount(r *mux.Router, pages Pages) {
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/.well-known/webfinger", f.webfinger).Methods(get...)
	r.HandleFunc("/.well-known/host-meta", f.hostMeta).Methods(get...)
	r.HandleFunc("/.well-known/nodeinfo", f.nodeInfoLinks).Methods(get...)
	r.HandleFunc("/nodeinfo/{version:2\\.[01]}", f.nodeInfo).Methods(get...)
	r.HandleFunc("/api/v1/instance", f.instance).Methods(get...)
	r.HandleFunc("/ns", f.namespace).Methods(get...)
	r.HandleFunc(avatarPath, f.avatar).Methods(get...)

	r.HandleFunc("/inbox", f.postInbox).Methods(http.MethodPost)
	r.HandleFunc("/actor", f.getInstanceActor).Methods(get...)
	r.HandleFunc("/actor/inbox", f.postInbox).Methods(http.MethodPost)
	r.HandleFunc("/actor/{collection:outbox|followers|following|featured}", f.getCollection(f.instanceCollection)).Methods(get...)

	r.Handle("/federation", f.negotiate(http.HandlerFunc(f.getFederationActor), pages.Federation)).Methods(get...)
	r.HandleFunc("/federation/inbox", f.postInbox).Methods(http.MethodPost)
	r.HandleFunc("/federation/followers_synchronization", f.getFollowersSync).Methods(get...)
	r.HandleFunc("/federation/{collection:outbox|followers|following|featured|members}", f.getCollection(f.federationCollection)).Methods(get...)

	r.Handle("/coops/{handle}", f.negotiate(http.HandlerFunc(f.getCoopActor), pages.Coop)).Methods(get...)
	r.HandleFunc("/coops/{handle}/inbox", f.postInbox).Methods(http.MethodPost)
	r.HandleFunc("/coops/{handle}/followers_synchronization", f.getFollowersSync).Methods(get...)
	r.HandleFunc("/coops/{handle}/{collection:outbox|followers|following|featured}", f.getCollection(f.coopCollection)).Methods(get...)

	r.Handle("/jobs/{key}", f.negotiate(http.HandlerFunc(f.getNote), pages.Job)).Methods(get...)

	// The activities this node sent (activities.go).
	r.HandleFunc("/jobs/{key}/activity", f.getCreate).Methods(get...)
	r.HandleFunc("/federation/announces/{key}", f.getAnnounce).Methods(get...)
	r.HandleFunc("/activities/{type:[a-z]+}/{key:[0-9a-f]+}", f.getActivity).Methods(get...)
	f.mountAnswers(r)
	f.mountSearches(r)
}

// WantsActivityStreams reports whether the Accept header prefers
// ActivityStreams JSON (activity+json or ld+json) to HTML.
func WantsActivityStreams(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	// What servers send most, answered without parsing.
	switch accept {
	case ContentTypeAS, ContentTypeLD, "application/ld+json":
		return true
	case "", "text/html":
		return false
	}
	var as, html float64 = -1, -1
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if p, err := strconv.ParseFloat(v, 64); err == nil {
				q = p
			}
		}
		switch mt {
		case "application/activity+json", "application/ld+json":
			as = max(as, q)
		case "text/html", "application/xhtml+xml":
			html = max(html, q)
		}
	}
	return as > 0 && as >= html
}

// negotiate serves ActivityStreams to servers and the page to browsers.
func (f *Federation) negotiate(as, page http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept")
		if WantsActivityStreams(r) || page == nil {
			as.ServeHTTP(w, r)
			return
		}
		page.ServeHTTP(w, r)
	})
}

// writeAS sends an ActivityStreams document, as ld+json when the request
// asked for that form, with an ETag so that other servers can refresh it
// with a conditional GET (304 when unchanged).
func writeAS(w http.ResponseWriter, r *http.Request, status int, v any) {
	writeDoc(w, r, status, encodeDoc(v))
}

// doc is a document rendered as JSON once, with its ETag.
type doc struct {
	body []byte
	etag string
}

func encodeDoc(v any) *doc {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	sum := sha256.Sum256(buf.Bytes())
	return &doc{body: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

// writeDoc answers an ActivityStreams document in the media type asked
// for, or 304 when the client has it.
func writeDoc(w http.ResponseWriter, r *http.Request, status int, d *doc) {
	ct := ContentTypeAS
	if strings.Contains(r.Header.Get("Accept"), "application/ld+json") && !strings.Contains(r.Header.Get("Accept"), "application/activity+json") {
		ct = ContentTypeLD
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "max-age=60, public")
	h.Set("ETag", d.etag)
	if status == http.StatusOK && r.Header.Get("If-None-Match") == d.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write(d.body)
}

func (f *Federation) getInstanceActor(w http.ResponseWriter, r *http.Request) {
	a, err := f.instanceActor(r.Context())
	if err != nil {
		f.fail(w, r, err)
		return
	}
	writeAS(w, r, http.StatusOK, a)
}

func (f *Federation) getFederationActor(w http.ResponseWriter, r *http.Request) {
	a, err := f.federationActor(r.Context())
	if err != nil {
		f.fail(w, r, err)
		return
	}
	writeAS(w, r, http.StatusOK, a)
}

// gone answers 410 with a Tombstone for a deleted local id, and reports
// whether it did.
func (f *Federation) gone(w http.ResponseWriter, r *http.Request, id string) bool {
	ts, err := f.store.Tombstone(r.Context(), id)
	if err != nil {
		return false
	}
	writeAS(w, r, http.StatusGone, &Tombstone{Context: asContext, ID: id, Type: "Tombstone", FormerType: ts.Type, Deleted: asTime(ts.DeletedAt)})
	return true
}

func (f *Federation) getCoopActor(w http.ResponseWriter, r *http.Request) {
	handle := mux.Vars(r)["handle"]
	d, err := f.docs.get(r.Context(), "actor", handle, func() (*doc, error) {
		c, err := f.store.LocalCoop(r.Context(), handle)
		if err != nil {
			return nil, err
		}
		a, err := f.coopActor(r.Context(), c)
		if err != nil {
			return nil, err
		}
		return encodeDoc(a), nil
	})
	if err == nil {
		writeDoc(w, r, http.StatusOK, d)
		return
	}
	c, err := f.store.LocalCoop(r.Context(), handle)
	if directory.KindOf(err) == directory.KindNotFound {
		if !f.gone(w, r, f.links.Coop(handle)) {
			f.fail(w, r, directory.NotFoundf("no co-op has the handle %q here", handle))
		}
		return
	}
	if err != nil {
		f.fail(w, r, err)
		return
	}
	a, err := f.coopActor(r.Context(), c)
	if err != nil {
		f.fail(w, r, err)
		return
	}
	writeAS(w, r, http.StatusOK, a)
}

func (f *Federation) getNote(w http.ResponseWriter, r *http.Request) {
	id := f.links.Job(mux.Vars(r)["key"])
	j, err := f.store.JobByAPID(r.Context(), id)
	if directory.KindOf(err) == directory.KindNotFound {
		if !f.gone(w, r, id) {
			f.fail(w, r, directory.NotFoundf("no job has that id here"))
		}
		return
	}
	if err != nil {
		f.fail(w, r, err)
		return
	}
	n := f.note(j)
	n.Context = f.objectContext()
	writeAS(w, r, http.StatusOK, n)
}

// PageSize is how many items a collection page holds.
const PageSize = 20

// collectionFunc serves one collection of one actor: the root when page is
// false, else the page after cursor.
type collectionFunc func(ctx context.Context, r *http.Request, name string, page bool, cursor string) (any, error)

func (f *Federation) getCollection(fn collectionFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		v, err := fn(r.Context(), r, mux.Vars(r)["collection"], q.Has("page"), q.Get("cursor"))
		if err != nil {
			f.fail(w, r, err)
			return
		}
		writeAS(w, r, http.StatusOK, v)
	}
}

func collectionRoot(id string, total int) *OrderedCollection {
	return &OrderedCollection{Context: asContext, ID: id, Type: "OrderedCollection", TotalItems: total, First: pageOf(id, "")}
}

func collectionPage(id string, total int, items []any, next string) *OrderedCollectionPage {
	p := &OrderedCollectionPage{Context: asContext, ID: pageOf(id, ""), Type: "OrderedCollectionPage", PartOf: id,
		TotalItems: total, OrderedItems: items}
	if items == nil {
		p.OrderedItems = []any{}
	}
	if next != "" {
		p.Next = pageOf(id, next)
	}
	return p
}

func (f *Federation) followersCollection(ctx context.Context, actor string, page bool, cursor string) (any, error) {
	id := followersOf(actor)
	total, err := f.store.CountFollowers(ctx, actor)
	if err != nil {
		return nil, err
	}
	if !page {
		return collectionRoot(id, total), nil
	}
	after := ""
	if cursor != "" {
		c, err := directory.DecodeCursor(cursor)
		if err != nil {
			return nil, err
		}
		after = c.Key
	}
	fs, err := f.store.Followers(ctx, actor, after, PageSize)
	if err != nil {
		return nil, err
	}
	var items []any
	for _, x := range fs {
		items = append(items, x.FollowerAPID)
	}
	next := ""
	if len(fs) == PageSize {
		next = directory.Cursor{Key: fs[len(fs)-1].FollowerAPID, ID: 1}.Encode()
	}
	p := collectionPage(id, total, items, next)
	if cursor != "" {
		p.ID = pageOf(id, cursor)
	}
	return p, nil
}

func emptyCollection(id string, page bool) any {
	if page {
		return collectionPage(id, 0, nil, "")
	}
	return collectionRoot(id, 0)
}

// jobsCollection pages open jobs as activities, newest first.
func (f *Federation) jobsCollection(ctx context.Context, id string, q directory.JobQuery, page bool, cursor string,
	item func(j *directory.Job) any) (any, error) {
	var err error
	if q.After, err = directory.DecodeCursor(cursor); err != nil {
		return nil, err
	}
	q.Sort, q.Limit = directory.SortNewest, PageSize
	res, err := f.svc.SearchJobs(ctx, q)
	if err != nil {
		return nil, err
	}
	if !page {
		return collectionRoot(id, res.Total), nil
	}
	items := make([]any, len(res.Items))
	for i := range res.Items {
		items[i] = item(&res.Items[i])
	}
	next := ""
	if res.Next != nil {
		next = res.Next.Encode()
	}
	p := collectionPage(id, res.Total, items, next)
	if cursor != "" {
		p.ID = pageOf(id, cursor)
	}
	return p, nil
}

func (f *Federation) instanceCollection(ctx context.Context, r *http.Request, name string, page bool, cursor string) (any, error) {
	actor := f.links.InstanceActor()
	switch name {
	case "followers":
		return f.followersCollection(ctx, actor, page, cursor)
	default:
		return emptyCollection(collectionOf(actor, name), page), nil
	}
}

func (f *Federation) federationCollection(ctx context.Context, r *http.Request, name string, page bool, cursor string) (any, error) {
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		return nil, err
	}
	switch name {
	case "followers":
		return f.followersCollection(ctx, fed.APID, page, cursor)
	case "outbox":
		return f.jobsCollection(ctx, outboxOf(fed.APID), directory.JobQuery{Federations: []string{fed.APID}}, page, cursor,
			func(j *directory.Job) any { a := f.announce(fed.APID, j); a.Context = nil; return a })
	case "members":
		return f.membersCollection(ctx, fed.APID, page, cursor)
	default:
		return emptyCollection(collectionOf(fed.APID, name), page), nil
	}
}

func (f *Federation) membersCollection(ctx context.Context, fedID string, page bool, cursor string) (any, error) {
	id := membersOf(fedID)
	q := directory.CoopQuery{Federations: []string{fedID}, Limit: PageSize}
	var err error
	if q.After, err = directory.DecodeCursor(cursor); err != nil {
		return nil, err
	}
	res, err := f.svc.ListCoops(ctx, q)
	if err != nil {
		return nil, err
	}
	if !page {
		return collectionRoot(id, res.Total), nil
	}
	var items []any
	for _, c := range res.Items {
		items = append(items, c.APID)
	}
	next := ""
	if res.Next != nil {
		next = res.Next.Encode()
	}
	return collectionPage(id, res.Total, items, next), nil
}

func (f *Federation) coopCollection(ctx context.Context, r *http.Request, name string, page bool, cursor string) (any, error) {
	c, err := f.store.LocalCoop(ctx, mux.Vars(r)["handle"])
	if err != nil {
		return nil, err
	}
	switch name {
	case "followers":
		return f.followersCollection(ctx, c.APID, page, cursor)
	case "following":
		follows, err := f.store.CoopFollows(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		var ids []any
		for _, fl := range follows {
			if fl.State == directory.FollowAccepted {
				ids = append(ids, fl.Target)
			}
		}
		if !page {
			return collectionRoot(followingOf(c.APID), len(ids)), nil
		}
		return collectionPage(followingOf(c.APID), len(ids), ids, ""), nil
	case "outbox":
		return f.jobsCollection(ctx, outboxOf(c.APID), directory.JobQuery{Coops: []string{c.APID}}, page, cursor,
			func(j *directory.Job) any {
				a := f.wrap("Create", createID(j.APID), j.Coop.APID, j.Published, f.note(j))
				a.Context = nil
				return a
			})
	default:
		return emptyCollection(collectionOf(c.APID, name), page), nil
	}
}
