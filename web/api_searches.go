package web

import (
	"net/http"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// searchFollowJSON answers GET /api/v1/jobs/follow: the fediverse handle
// of a search, its actor and its readable name.
type searchFollowJSON struct {
	Handle string `json:"handle"`
	Actor  string `json:"actor"`
	Name   string `json:"name"`
}

// followSearch gives the search actor of GET /api/v1/jobs's parameters,
// making it on first request: the same parameters, the same handle.
func (s *Server) followSearch(w http.ResponseWriter, r *http.Request) error {
	if s.fed == nil {
		return directory.NotFoundf("this node does not federate, so searches cannot be followed")
	}
	ss, err := s.fed.FollowSearch(r.Context(), r.URL.Query(), s.currency)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, searchFollowJSON{Handle: ss.Handle + "@" + s.svc.Links().Host(), Actor: ss.APID, Name: ss.Name})
	return nil
}

// searchActorJSON is one search actor in GET /api/v1/admin/searches.
type searchActorJSON struct {
	Handle    string    `json:"handle"`
	Actor     string    `json:"actor"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	Followers int       `json:"followers"`
	Created   time.Time `json:"created"`
	Used      time.Time `json:"used"`
}

// listSearchActors: GET /api/v1/admin/searches lists the live search
// actors with their follower counts.
func (s *Server) listSearchActors(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	as, err := s.fed.SearchActors(r.Context(), principal(r))
	if err != nil {
		return err
	}
	items := make([]searchActorJSON, len(as))
	for i, a := range as {
		items[i] = searchActorJSON{Handle: a.Search.Handle + "@" + s.svc.Links().Host(), Actor: a.Search.APID, Name: a.Search.Name,
			Query: a.Search.Query, Followers: a.Followers, Created: a.Search.CreatedAt, Used: a.Search.UsedAt}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// deleteSearchActor: DELETE /api/v1/admin/searches/{handle} removes a
// search actor: its handle answers 410 after.
func (s *Server) deleteSearchActor(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	h, err := pathVar(r, "handle")
	if err != nil {
		return err
	}
	if err := s.fed.RemoveSearchActor(r.Context(), principal(r), h); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
