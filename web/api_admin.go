package web

import (
	"net/http"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

type deliveryJSON struct {
	ID          int64     `json:"id"`
	Inbox       string    `json:"inbox"`
	Activity    string    `json:"activity"`
	Signer      string    `json:"signer"`
	State       string    `json:"state"`
	Attempts    int       `json:"attempts"`
	LastError   string    `json:"last_error"`
	NextAttempt time.Time `json:"next_attempt"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

// deliveries lists queued (state=pending) or dead-lettered (state=failed)
// deliveries: GET /api/v1/admin/deliveries?state=failed, admin only.
func (s *Server) deliveries(w http.ResponseWriter, r *http.Request) {
	if !principal(r).Admin {
		s.fail(w, r, directory.Forbiddenf("only the node's admin may do this"))
		return
	}
	if s.fed == nil {
		writeJSON(w, http.StatusOK, map[string]any{"items": []deliveryJSON{}})
		return
	}
	state := r.URL.Query().Get("state")
	if state == "" {
		state = directory.DeliveryFailed
	}
	limit, err := limitParam(r.URL.Query().Get("limit"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if limit == 0 {
		limit = directory.MaxLimit
	}
	ds, err := s.fed.Deliveries(r.Context(), state, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]deliveryJSON, len(ds))
	for i, d := range ds {
		out[i] = deliveryJSON{ID: d.ID, Inbox: d.Inbox, Activity: d.ActivityID, Signer: d.Signer, State: d.State,
			Attempts: d.Attempts, LastError: d.LastError, NextAttempt: d.NextAttemptAt, Created: d.CreatedAt, Updated: d.UpdatedAt}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}
