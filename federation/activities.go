package federation

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// The activities this node sent answer a GET at their ids, as servers
// that check an activity by fetching it (an Undo, a boost opened from a
// timeline) need. A job's Create and the federation's Announce of a live
// local job are made afresh from the job; every other activity is the
// one recorded when its deliveries were queued (Store.SentActivity).
// Once gone, an activity answers 410 with a Tombstone: a Follow undone,
// or any activity about an object deleted since (a Create, Update or
// Announce of a closed job, an Add of a deleted co-op) but the Delete
// and Undo that say so, which stand. An id never sent answers 404.

// ActivityRetention is how long a sent activity answers at its id. Servers
// fetch an activity when it arrives (an Undo, a boost) or soon after, and
// deliveries give up within days; a Follow still in force is kept as
// long as the follow, and a live job's Create and Announce are made from
// the job, so they do not depend on it.
const ActivityRetention = 90 * 24 * time.Hour

// getActivity serves /activities/{type}/{key}.
func (f *Federation) getActivity(w http.ResponseWriter, r *http.Request) {
	id := f.links.Base() + r.URL.EscapedPath()
	if !f.serveSent(w, r, id) {
		f.fail(w, r, directory.NotFoundf("no activity has that id here"))
	}
}

// getCreate serves a local job's Create, /jobs/{key}/activity.
func (f *Federation) getCreate(w http.ResponseWriter, r *http.Request) {
	job := f.links.Job(mux.Vars(r)["key"])
	id := createID(job)
	j, err := f.store.JobByAPID(r.Context(), job)
	if err == nil && j.Local {
		writeAS(w, r, http.StatusOK, f.wrap("Create", id, j.Coop.APID, j.Published, f.note(j)))
		return
	}
	if err != nil && directory.KindOf(err) != directory.KindNotFound {
		f.fail(w, r, err)
		return
	}
	if !f.goneWith(w, r, id, "Create", job) {
		f.fail(w, r, directory.NotFoundf("no activity has that id here"))
	}
}

// getAnnounce serves the federation's Announce of a job,
// /federation/announces/{key}: made from a live local job of a member,
// else the one sent (of a member's job hosted elsewhere).
func (f *Federation) getAnnounce(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	fed, err := f.store.LocalFederation(ctx)
	if err != nil {
		f.fail(w, r, err)
		return
	}
	key := mux.Vars(r)["key"]
	id := fed.APID + "/announces/" + key
	job := f.links.Job(key)
	j, err := f.store.JobByAPID(ctx, job)
	if err == nil && j.Local && slices.ContainsFunc(j.Federations, func(x directory.FederationRef) bool { return x.APID == fed.APID }) {
		writeAS(w, r, http.StatusOK, f.announce(fed.APID, j))
		return
	}
	if err != nil && directory.KindOf(err) != directory.KindNotFound {
		f.fail(w, r, err)
		return
	}
	if f.serveSent(w, r, id) || f.goneWith(w, r, id, "Announce", job) {
		return
	}
	f.fail(w, r, directory.NotFoundf("no activity has that id here"))
}

// serveSent answers with the recorded activity id, or 410 when it is
// gone; it reports false, having written nothing, when id was never
// recorded (or was pruned).
func (f *Federation) serveSent(w http.ResponseWriter, r *http.Request, id string) bool {
	a, err := f.store.SentActivity(r.Context(), id)
	if directory.KindOf(err) == directory.KindNotFound {
		return false
	}
	if err != nil {
		f.fail(w, r, err)
		return true
	}
	var head struct {
		Type   string          `json:"type"`
		Object json.RawMessage `json:"object"`
	}
	if err := json.Unmarshal(a.Body, &head); err != nil {
		f.fail(w, r, directory.Internal("reading a sent activity", err))
		return true
	}
	if !a.GoneAt.IsZero() {
		writeAS(w, r, http.StatusGone, &Tombstone{Context: asContext, ID: id, Type: "Tombstone", FormerType: head.Type, Deleted: asTime(a.GoneAt)})
		return true
	}
	if head.Type != "Delete" && head.Type != "Undo" {
		if obj := objectIDOf(head.Object); obj != "" && f.goneWith(w, r, id, head.Type, obj) {
			return true
		}
	}
	writeAS(w, r, http.StatusOK, json.RawMessage(a.Body))
	return true
}

// goneWith answers 410 for the activity id of type typ when its object
// has a tombstone, and reports whether it did.
func (f *Federation) goneWith(w http.ResponseWriter, r *http.Request, id, typ, object string) bool {
	ts, err := f.store.Tombstone(r.Context(), object)
	if err != nil {
		return false
	}
	writeAS(w, r, http.StatusGone, &Tombstone{Context: asContext, ID: id, Type: "Tombstone", FormerType: typ, Deleted: asTime(ts.DeletedAt)})
	return true
}

// objectIDOf is the id of an activity's object, given as an id or as an
// object with one.
func objectIDOf(raw json.RawMessage) string {
	var id string
	if json.Unmarshal(raw, &id) == nil {
		return id
	}
	var o struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &o) == nil {
		return o.ID
	}
	return ""
}

// pruneActivities forgets the sent activities older than
// ActivityRetention; pruneSeen calls it on its own schedule.
func (f *Federation) pruneActivities(ctx context.Context, now time.Time) {
	n, err := f.store.PruneActivities(ctx, now.Add(-ActivityRetention))
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("forgetting old sent activities", slog.Any("error", err))
		}
		return
	}
	if n > 0 {
		f.log.Info("forgot old sent activities", slog.Int("activities", n))
	}
}
