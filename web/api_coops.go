package web

import (
	"net/http"

	"github.com/colmena-coop/colmena/directory"
)

func (s *Server) createCoop(w http.ResponseWriter, r *http.Request) {
	var in coopCreateJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.svc.CreateCoop(r.Context(), principal(r), in.coop())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/coops/"+c.Handle)
	writeJSON(w, http.StatusCreated, coopOut(c))
}

func (s *Server) getCoop(w http.ResponseWriter, r *http.Request) {
	handle, err := pathVar(r, "handle")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.svc.Coop(r.Context(), handle)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, coopOut(c))
}

func (s *Server) updateCoop(w http.ResponseWriter, r *http.Request) {
	handle, err := pathVar(r, "handle")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in coopPatchJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Handle != nil && *in.Handle != handle {
		s.fail(w, r, directory.Invalidf("handle", "cannot be changed: it is part of the co-op's fediverse address"))
		return
	}
	c, err := s.svc.UpdateCoop(r.Context(), principal(r), handle, in.patch())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, coopOut(c))
}

func (s *Server) deleteCoop(w http.ResponseWriter, r *http.Request) {
	handle, err := pathVar(r, "handle")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.DeleteCoop(r.Context(), principal(r), handle); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listCoops(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := directory.CoopQuery{
		Text:        directory.ParseQuery(v.Get("q")),
		Countries:   upper(v["country"]),
		Skills:      lower(v["skill"]),
		Federations: v["federation"],
	}
	var err error
	if q.Limit, err = limitParam(v.Get("limit")); err != nil {
		s.fail(w, r, err)
		return
	}
	if q.After, err = directory.DecodeCursor(v.Get("cursor")); err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.svc.ListCoops(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := coopPageJSON{Total: page.Total, Items: make([]coopJSON, len(page.Items)), NextCursor: cursorOut(page.Next)}
	for i := range page.Items {
		out.Items[i] = coopOut(&page.Items[i])
	}
	writeJSON(w, http.StatusOK, out)
}
