package federation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// Search actors: a job search people follow from the fediverse. Each
// distinct search (directory.CanonicalSearch) is one Service actor, made
// on first request or follow, that boosts each new or newly matching job,
// local or aggregated, once. Nobody following it for SearchConfig.Idle,
// it is collected and its handle answers 410.

// SearchConfig bounds the search actors of a node; zero values take the
// defaults.
type SearchConfig struct {
	// Limit is how many live search actors the node keeps
	// (directory.DefaultSearchLimit).
	Limit int
	// Idle is how long a search actor nobody follows lives after it was
	// last asked for or followed (directory.DefaultSearchIdle).
	Idle time.Duration
}

func (c SearchConfig) withDefaults() SearchConfig {
	if c.Limit <= 0 {
		c.Limit = directory.DefaultSearchLimit
	}
	if c.Idle <= 0 {
		c.Idle = directory.DefaultSearchIdle
	}
	return c
}

// searchesPath is where search actors live.
const searchesPath = "/searches/"

func (f *Federation) mountSearches(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc(searchesPath+"{handle}", f.getSearchActor).Methods(get...)
	r.HandleFunc(searchesPath+"{handle}/inbox", f.postInbox).Methods(http.MethodPost)
	r.HandleFunc(searchesPath+"{handle}/{collection:outbox|followers|following}", f.getCollection(f.searchCollection)).Methods(get...)
	r.HandleFunc(searchesPath+"{handle}/announces/{key:[0-9a-f]+}", f.getSearchAnnounce).Methods(get...)
}

// isSearchHandle reports whether a username can be a search actor's:
// lower-case letters, digits and hyphens, with a hyphen (co-op handles
// have none).
func isSearchHandle(s string) bool {
	if len(s) == 0 || len(s) > 64 || !strings.Contains(s, "-") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// FollowSearch returns the saved search of a job search's parameters (cur
// is the currency of a salary minimum that names none), making it, and so
// its actor, the first time: the same parameters give the same search.
// Beyond the node's limit it is directory.SearchLimitError.
func (f *Federation) FollowSearch(ctx context.Context, v url.Values, cur string) (*directory.SavedSearch, error) {
	canon, err := directory.CanonicalSearch(v, cur)
	if err != nil {
		return nil, err
	}
	query := canon.Encode()
	name, err := f.searchName(ctx, canon)
	if err != nil {
		return nil, err
	}
	now := f.now()
	handle := directory.SearchHandle(canon)
	s := &directory.SavedSearch{Handle: handle, APID: f.links.SearchActor(handle), Query: query, Name: name, CreatedAt: now, UsedAt: now}
	got, err := f.store.AddSavedSearch(ctx, s, f.searches.Limit)
	if errors.Is(err, directory.ErrSearchHandleTaken) {
		s.Handle = directory.HandleWithHash(handle, query)
		s.APID = f.links.SearchActor(s.Handle)
		got, err = f.store.AddSavedSearch(ctx, s, f.searches.Limit)
	}
	if err != nil {
		return nil, err
	}
	return got, nil
}

// SavedSearch is the live saved search with handle: KindNotFound when
// there is none, a 410 refusal when it was collected.
func (f *Federation) SavedSearch(ctx context.Context, handle string) (*directory.SavedSearch, error) {
	return f.liveSearch(ctx, handle)
}

// SearchPage is the search page a saved search's query opens.
func (f *Federation) SearchPage(s *directory.SavedSearch) string {
	return f.links.Base() + "/?" + s.Query
}

// liveSearch finds a live search actor by handle: 410 for one collected.
func (f *Federation) liveSearch(ctx context.Context, handle string) (*directory.SavedSearch, error) {
	s, err := f.store.SavedSearchByHandle(ctx, handle)
	if directory.KindOf(err) == directory.KindNotFound {
		return nil, directory.NotFoundf("no search has the handle %q here", handle)
	}
	if err != nil {
		return nil, err
	}
	if s.Gone() {
		return nil, refuse(kindGone, "nobody followed that search for a while, so it was removed")
	}
	return s, nil
}

// searchActor is a saved search's actor: a Service (a bot, to Mastodon)
// whose profile gives the search and links to its page.
func (f *Federation) searchActor(ctx context.Context, s *directory.SavedSearch) (*Actor, error) {
	pk, mk, err := f.publicKeys(ctx, s.APID)
	if err != nil {
		return nil, err
	}
	page := f.SearchPage(s)
	summary := "<p>" + html.EscapeString(s.Name) + "</p><p>" + html.EscapeString(searchQueryText(s.Query)) +
		"</p><p><a href=\"" + html.EscapeString(page) + "\">" + html.EscapeString(page) + "</a></p>"
	return &Actor{
		Context: f.actorContext(), ID: s.APID, Type: "Service", PreferredUsername: s.Handle, Name: clipName(s.Name),
		Summary: summary, URL: page, Published: asTime(s.CreatedAt),
		Icon:  &Image{Type: "Image", MediaType: "image/png", URL: f.links.Base() + avatarPath},
		Inbox: inboxOf(s.APID), Outbox: outboxOf(s.APID), Followers: followersOf(s.APID), Following: followingOf(s.APID),
		Endpoints: &Endpoints{SharedInbox: f.sharedInbox()}, Discoverable: true, Indexable: true,
		PublicKey: pk, AssertionMethod: mk, Attachment: []PropertyValue{{Type: "PropertyValue", Name: "Search",
			Value: "<a href=\"" + html.EscapeString(page) + "\" rel=\"nofollow noopener\">" + html.EscapeString(searchQueryText(s.Query)) + "</a>"}},
		Tag: []Tag{},
	}, nil
}

// clipName keeps a display name within what servers keep of one.
func clipName(s string) string { return directory.Clip(s, 100) }

// searchQueryText is a canonical query as a person reads it:
// "remote=remote skill=go live_in=AR", or "all jobs".
func searchQueryText(query string) string {
	v, err := url.ParseQuery(query)
	if err != nil || len(v) == 0 {
		return "all jobs"
	}
	var parts []string
	for _, p := range strings.Split(query, "&") {
		if k, val, ok := strings.Cut(p, "="); ok {
			k, _ = url.QueryUnescape(k)
			val, _ = url.QueryUnescape(val)
			parts = append(parts, k+"="+val)
		}
	}
	return strings.Join(parts, " ")
}

func (f *Federation) getSearchActor(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	s, err := f.liveSearch(r.Context(), mux.Vars(r)["handle"])
	if err != nil {
		if statusOf(err) == http.StatusGone {
			writeAS(w, r, http.StatusGone, &Tombstone{Context: asContext, ID: f.links.SearchActor(mux.Vars(r)["handle"]), Type: "Tombstone", FormerType: "Service"})
			return
		}
		f.fail(w, r, err)
		return
	}
	if !WantsActivityStreams(r) {
		http.Redirect(w, r, f.SearchPage(s), http.StatusSeeOther)
		return
	}
	a, err := f.searchActor(r.Context(), s)
	if err != nil {
		f.fail(w, r, err)
		return
	}
	writeAS(w, r, http.StatusOK, a)
}

func (f *Federation) searchCollection(ctx context.Context, r *http.Request, name string, page bool, cursor string) (any, error) {
	s, err := f.liveSearch(ctx, mux.Vars(r)["handle"])
	if err != nil {
		return nil, err
	}
	if name == "followers" {
		return f.followersCollection(ctx, s.APID, page, cursor)
	}
	return emptyCollection(collectionOf(s.APID, name), page), nil
}

// isSearchActor reports whether id names a live search actor of this
// node.
func (f *Federation) isSearchActor(ctx context.Context, id string) (bool, error) {
	if !strings.HasPrefix(id, f.links.Base()+searchesPath) {
		return false, nil
	}
	s, err := f.store.SavedSearchByAPID(ctx, id)
	if directory.KindOf(err) == directory.KindNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !s.Gone(), nil
}

// touchSearch marks a followed search used, so that it is not collected.
func (f *Federation) touchSearch(ctx context.Context, id string) {
	s, err := f.store.SavedSearchByAPID(ctx, id)
	if err == nil {
		err = f.store.TouchSavedSearch(ctx, s.ID, f.now())
	}
	if err != nil {
		f.log.WarnContext(ctx, "marking a search followed", slog.String("search", id), slog.Any("error", err))
	}
}

// collectSearches marks gone the search actors nobody followed for the
// idle time, at most once per minute (more often when the idle time is
// shorter).
func (f *Federation) collectSearches(ctx context.Context) {
	now := f.now()
	if next := f.nextCollect.Load(); next != 0 && now.UnixNano() < next {
		return
	}
	f.nextCollect.Store(now.Add(min(time.Minute, f.searches.Idle)).UnixNano())
	n, err := f.store.CollectSavedSearches(ctx, now.Add(-f.searches.Idle), now)
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("collecting search actors", slog.Any("error", err))
		}
		return
	}
	if n > 0 {
		f.log.Info("collected search actors nobody follows", slog.Int("searches", n))
	}
}

// searchAnnounceKey names a search actor's Announce of a job; its id is
// searchAnnounceID.
func searchAnnounceKey(job string) string {
	sum := sha256.Sum256([]byte(job))
	return hex.EncodeToString(sum[:12])
}

func searchAnnounceID(search, key string) string { return search + "/announces/" + key }

// searchAnnounce is a search actor's boost of a job.
func searchAnnounce(search, job, coop string, at time.Time) *Activity {
	return &Activity{Context: asContext, ID: searchAnnounceID(search, searchAnnounceKey(job)), Type: "Announce", Actor: search,
		Published: asTime(at), To: []string{PublicURI}, Cc: []string{followersOf(search), coop}, Object: job}
}

// getSearchAnnounce serves an Announce a search actor sent.
func (f *Federation) getSearchAnnounce(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s, err := f.liveSearch(ctx, mux.Vars(r)["handle"])
	if err != nil {
		f.fail(w, r, err)
		return
	}
	job, at, err := f.store.SearchAnnounce(ctx, s.ID, mux.Vars(r)["key"])
	if err != nil {
		f.fail(w, r, err)
		return
	}
	j, err := f.store.JobByAPID(ctx, job)
	if directory.KindOf(err) == directory.KindNotFound {
		f.fail(w, r, refuse(kindGone, "the job this boosted is closed"))
		return
	}
	if err != nil {
		f.fail(w, r, err)
		return
	}
	writeAS(w, r, http.StatusOK, searchAnnounce(s.APID, j.APID, j.Coop.APID, at))
}

// announceToSearches evaluates the live saved searches against a job just
// stored or changed, local or aggregated, and has each search that finds
// it for the first time boost it to its followers: an Announce of the
// job's own Note id, so that replies go to its co-op. A job that stops
// matching and matches again is not announced again.
func (f *Federation) announceToSearches(ctx context.Context, jobID string) error {
	searches, err := f.store.LiveSavedSearches(ctx)
	if err != nil || len(searches) == 0 {
		return err
	}
	j, err := f.store.JobByAPID(ctx, jobID)
	if directory.KindOf(err) == directory.KindNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	c, err := f.store.CoopByAPID(ctx, j.Coop.APID)
	if directory.KindOf(err) == directory.KindNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	rates, err := f.store.Rates(ctx)
	if err != nil {
		return err
	}
	now := f.now()
	queued := false
	for _, s := range searches {
		q, err := directory.SavedSearchQuery(s.Query, rates, now)
		if err != nil {
			f.log.WarnContext(ctx, "a saved search no longer reads", slog.String("search", s.Handle), slog.Any("error", err))
			continue
		}
		if !directory.MatchJob(&q, j, c, rates, now) {
			continue
		}
		inboxes, err := f.store.FollowerInboxes(ctx, []string{s.APID})
		if err == nil {
			inboxes, err = f.unblockedInboxes(ctx, inboxes)
		}
		if err != nil {
			return err
		}
		act := searchAnnounce(s.APID, j.APID, j.Coop.APID, now)
		body, err := json.Marshal(act)
		if err != nil {
			return err
		}
		ds := make([]directory.Delivery, 0, len(inboxes))
		for _, in := range inboxes {
			ds = append(ds, directory.Delivery{Inbox: in, Signer: s.APID, ActivityID: act.ID, Body: body, NextAttemptAt: now, CreatedAt: now})
		}
		fresh, err := f.store.AnnounceOnce(ctx, s.ID, j.APID, searchAnnounceKey(j.APID), now, ds)
		if err != nil {
			return err
		}
		if fresh && len(ds) > 0 {
			queued = true
			f.log.InfoContext(ctx, "search announces a job", slog.String("search", s.Handle), slog.String("job", j.APID), slog.Int("inboxes", len(ds)))
		}
	}
	if queued {
		f.Nudge()
	}
	return nil
}

// SearchActor is a live search actor as the admin sees it.
type SearchActor struct {
	Search    directory.SavedSearch
	Followers int
}

// SearchActors lists the live search actors with their follower counts
// (the admin's).
func (f *Federation) SearchActors(ctx context.Context, p directory.Principal) ([]SearchActor, error) {
	if err := p.CheckAdmin(); err != nil {
		return nil, err
	}
	ss, err := f.store.LiveSavedSearches(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SearchActor, len(ss))
	for i, s := range ss {
		n, err := f.store.CountFollowers(ctx, s.APID)
		if err != nil {
			return nil, err
		}
		out[i] = SearchActor{Search: s, Followers: n}
	}
	return out, nil
}

// RemoveSearchActor collects a search actor at once (the admin's): its
// handle answers 410, its followers are forgotten.
func (f *Federation) RemoveSearchActor(ctx context.Context, p directory.Principal, handle string) error {
	if err := p.CheckAdmin(); err != nil {
		return err
	}
	s, err := f.liveSearch(ctx, handle)
	if err != nil {
		return err
	}
	if err := f.store.RemoveSavedSearch(ctx, s.ID, f.now()); err != nil {
		return err
	}
	f.log.InfoContext(ctx, "search actor removed", slog.String("search", s.Handle))
	return nil
}

// SearchFollowersOf counts, for each job (by id), the followers of the
// live searches that find it: counts only, never who. A person following
// two such searches counts twice.
func (f *Federation) SearchFollowersOf(ctx context.Context, jobs []directory.Job) (map[string]int, error) {
	out := map[string]int{}
	if len(jobs) == 0 {
		return out, nil
	}
	ss, err := f.store.LiveSavedSearches(ctx)
	if err != nil || len(ss) == 0 {
		return out, err
	}
	rates, err := f.store.Rates(ctx)
	if err != nil {
		return nil, err
	}
	coops := map[string]*directory.Coop{}
	for _, j := range jobs {
		if _, ok := coops[j.Coop.APID]; ok {
			continue
		}
		c, err := f.store.CoopByAPID(ctx, j.Coop.APID)
		if err != nil && directory.KindOf(err) != directory.KindNotFound {
			return nil, err
		}
		coops[j.Coop.APID] = c
	}
	now := f.now()
	for _, s := range ss {
		n, err := f.store.CountFollowers(ctx, s.APID)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			continue
		}
		q, err := directory.SavedSearchQuery(s.Query, rates, now)
		if err != nil {
			continue
		}
		for i := range jobs {
			if directory.MatchJob(&q, &jobs[i], coops[jobs[i].Coop.APID], rates, now) {
				out[jobs[i].APID] += n
			}
		}
	}
	return out, nil
}

// undoSearchAnnounces takes back, when a job closes, the Announces of it
// that search actors sent: a follower's server hears the job's Delete
// only if its co-op delivers there, so the boost would stay in timelines.
func (f *Federation) undoSearchAnnounces(ctx context.Context, job string, at time.Time) error {
	ss, err := f.store.SearchesAnnounced(ctx, job)
	if err != nil || len(ss) == 0 {
		return err
	}
	now := f.now()
	var ds []directory.Delivery
	for _, s := range ss {
		inboxes, err := f.store.FollowerInboxes(ctx, []string{s.APID})
		if err == nil {
			inboxes, err = f.unblockedInboxes(ctx, inboxes)
		}
		if err != nil {
			return err
		}
		if len(inboxes) == 0 {
			continue
		}
		ann := searchAnnounceID(s.APID, searchAnnounceKey(job))
		act := &Activity{Context: asContext, ID: f.undoID(ann), Type: "Undo", Actor: s.APID, Published: asTime(at),
			To: []string{PublicURI}, Cc: []string{followersOf(s.APID)}, Object: &Activity{ID: ann, Type: "Announce", Actor: s.APID, Object: job}}
		body, err := json.Marshal(act)
		if err != nil {
			return err
		}
		for _, in := range inboxes {
			ds = append(ds, directory.Delivery{Inbox: in, Signer: s.APID, ActivityID: act.ID, Body: body, NextAttemptAt: now, CreatedAt: now})
		}
	}
	if len(ds) == 0 {
		return nil
	}
	if err := f.store.EnqueueDeliveries(ctx, ds); err != nil {
		return err
	}
	f.Nudge()
	return nil
}
