package web

import (
	"net/http"
	"strconv"
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
func (s *Server) deliveries(w http.ResponseWriter, r *http.Request) error {
	if err := principal(r).CheckAdmin(); err != nil {
		return err
	}
	if s.fed == nil {
		writeJSON(w, http.StatusOK, map[string]any{"items": []deliveryJSON{}})
		return nil
	}
	state := r.URL.Query().Get("state")
	if state == "" {
		state = directory.DeliveryFailed
	}
	limit, err := directory.LimitParam(r.URL.Query().Get("limit"))
	if err != nil {
		return err
	}
	if limit == 0 {
		limit = directory.MaxLimit
	}
	ds, err := s.fed.Deliveries(r.Context(), principal(r), state, limit)
	if err != nil {
		return err
	}
	out := make([]deliveryJSON, len(ds))
	for i, d := range ds {
		out[i] = deliveryJSON{ID: d.ID, Inbox: d.Inbox, Activity: d.ActivityID, Signer: d.Signer, State: d.State,
			Attempts: d.Attempts, LastError: d.LastError, NextAttempt: d.NextAttemptAt, Created: d.CreatedAt, Updated: d.UpdatedAt}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type followJSON struct {
	ID     int64  `json:"id"`
	Target string `json:"target"`
	State  string `json:"state"`
	Via    string `json:"via,omitempty"`
	// Broken is the reason the follow check found the follow broken
	// (key_changed, gone, not_found, not_follower) and since when.
	Broken      string     `json:"broken,omitempty"`
	BrokenSince *time.Time `json:"broken_since,omitempty"`
}

func followOut(f *directory.Follow) followJSON {
	out := followJSON{ID: f.ID, Target: f.Target, State: f.State, Via: f.Via, Broken: f.BrokenReason}
	if f.Broken() {
		since := f.BrokenSince.UTC()
		out.BrokenSince = &since
	}
	return out
}

// adminAPI refuses anyone but the admin, before a body is read, and
// answers 404 on a node that does not federate.
func (s *Server) adminAPI(r *http.Request) error {
	if err := principal(r).CheckAdmin(); err != nil {
		return err
	}
	if s.fed == nil {
		return &httpError{status: http.StatusNotFound, msg: "this node does not federate"}
	}
	return nil
}

// createFollow: POST /api/v1/admin/follows {"target": "handle@host" or an
// actor URL} makes this node follow a federation or co-op elsewhere.
func (s *Server) createFollow(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	var in struct {
		Target string `json:"target"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Target == "" {
		return directory.Invalid("target", directory.CodeTargetRequired)
	}
	f, err := s.fed.Follow(r.Context(), principal(r), in.Target)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, followOut(f))
	return nil
}

// renewFollow: POST /api/v1/admin/follows/{id}/renew sends a new Follow
// for a follow, broken or not -> 202 with the follow, pending again.
func (s *Server) renewFollow(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	raw, err := pathVar(r, "id")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return directory.NotFoundf("no follow has the id %q", raw)
	}
	f, err := s.fed.RenewFollow(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, followOut(f))
	return nil
}

func (s *Server) listFollows(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	fs, err := s.fed.Follows(r.Context(), principal(r))
	if err != nil {
		return err
	}
	out := make([]followJSON, len(fs))
	for i := range fs {
		out[i] = followOut(&fs[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) deleteFollow(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	raw, err := pathVar(r, "id")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return directory.NotFoundf("no follow has the id %q", raw)
	}
	if err := s.fed.Unfollow(r.Context(), principal(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) createBlock(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	var in struct {
		Domain string `json:"domain"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := s.fed.Block(r.Context(), principal(r), in.Domain)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"domain": d})
	return nil
}

func (s *Server) listBlocks(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	ds, err := s.fed.Blocks(r.Context(), principal(r))
	if err != nil {
		return err
	}
	items := make([]map[string]string, len(ds))
	for i, d := range ds {
		items[i] = map[string]string{"domain": d}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) deleteBlock(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	d, err := pathVar(r, "domain")
	if err != nil {
		return err
	}
	if err := s.fed.Unblock(r.Context(), principal(r), d); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// createMember: POST /api/v1/admin/members {"coop": "handle@host"} makes a
// co-op hosted elsewhere a member of this node's federation.
func (s *Server) createMember(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	var in struct {
		Coop string `json:"coop"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Coop == "" {
		return directory.Invalid("coop", directory.CodeTargetRequired)
	}
	c, err := s.fed.AddMember(r.Context(), principal(r), in.Coop)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, coopOut(c))
	return nil
}

// deleteMember: DELETE /api/v1/admin/members/{coop} (handle@host or an
// escaped actor URL) ends that membership.
func (s *Server) deleteMember(w http.ResponseWriter, r *http.Request) error {
	if err := s.adminAPI(r); err != nil {
		return err
	}
	coop, err := pathVar(r, "coop")
	if err != nil {
		return err
	}
	if coop == "" {
		var in struct {
			Coop string `json:"coop"`
		}
		if err := decodeJSON(w, r, &in); err != nil {
			return err
		}
		if coop = in.Coop; coop == "" {
			return directory.Invalid("coop", directory.CodeTargetRequired)
		}
	}
	if err := s.fed.RemoveMember(r.Context(), principal(r), coop); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
