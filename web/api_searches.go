package web

import (
	"net/http"

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
