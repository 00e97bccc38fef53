package web

import (
	"net/http"

	"github.com/colmena-coop/colmena/directory"
)

func (s *Server) createCoop(w http.ResponseWriter, r *http.Request) error {
	var in coopCreateJSON
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.svc.CreateCoop(r.Context(), principal(r), in.coop())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/coops/"+c.Handle)
	writeJSON(w, http.StatusCreated, coopOut(c))
	return nil
}

// getCoop answers a co-op by its handle (a local one) or by its
// handle@host, the "acct" the list gives, local or aggregated.
func (s *Server) getCoop(w http.ResponseWriter, r *http.Request) error {
	handle, err := pathVar(r, "handle")
	if err != nil {
		return err
	}
	c, err := s.svc.FindCoop(r.Context(), handle)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, coopOut(c))
	return nil
}

func (s *Server) updateCoop(w http.ResponseWriter, r *http.Request) error {
	handle, err := pathVar(r, "handle")
	if err != nil {
		return err
	}
	var in coopPatchJSON
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Handle != nil && *in.Handle != handle {
		return directory.Invalid("handle", directory.CodeHandleFixed)
	}
	c, err := s.svc.UpdateCoop(r.Context(), principal(r), handle, in.patch())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, coopOut(c))
	return nil
}

func (s *Server) deleteCoop(w http.ResponseWriter, r *http.Request) error {
	handle, err := pathVar(r, "handle")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteCoop(r.Context(), principal(r), handle); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listCoops(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := directory.CoopQuery{
		Text:        directory.ParseQuery(v.Get("q")),
		Countries:   directory.UpperAll(v["country"]),
		Skills:      directory.LowerAll(v["skill"]),
		Federations: v["federation"],
	}
	var err error
	if q.Limit, err = directory.LimitParam(v.Get("limit")); err != nil {
		return err
	}
	if q.After, err = directory.DecodeCursor(v.Get("cursor")); err != nil {
		return err
	}
	page, err := s.svc.ListCoops(r.Context(), q)
	if err != nil {
		return err
	}
	out := coopPageJSON{Total: page.Total, Items: make([]coopJSON, len(page.Items)), NextCursor: cursorOut(page.Next)}
	for i := range page.Items {
		out.Items[i] = coopOut(&page.Items[i])
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
