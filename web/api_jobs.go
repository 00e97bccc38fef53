package web

import (
	"net/http"
	"net/url"

	"github.com/colmena-coop/colmena/directory"
)

func (s *Server) createJob(w http.ResponseWriter, r *http.Request) error {
	handle, err := pathVar(r, "handle")
	if err != nil {
		return err
	}
	var in jobCreateJSON
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	j, err := in.job()
	if err != nil {
		return err
	}
	pv, err := s.payView(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	out, err := s.svc.CreateJob(r.Context(), principal(r), handle, j)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/jobs/"+url.PathEscape(out.APID))
	writeJSON(w, http.StatusCreated, jobOut(out, pv))
	return nil
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathVar(r, "id")
	if err != nil {
		return err
	}
	pv, err := s.payView(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	j, err := s.svc.Job(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, jobOut(j, pv))
	return nil
}

func (s *Server) updateJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathVar(r, "id")
	if err != nil {
		return err
	}
	var in jobPatchJSON
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	patch, err := in.patch()
	if err != nil {
		return err
	}
	pv, err := s.payView(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	j, err := s.svc.UpdateJob(r.Context(), principal(r), id, patch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, jobOut(j, pv))
	return nil
}

func (s *Server) deleteJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathVar(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteJob(r.Context(), principal(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// jobQuery reads a job search from URL parameters, as the API, the search
// page and the feeds take them (directory.ParseJobQuery).
func jobQuery(v url.Values, cur string) (directory.JobQuery, error) {
	return directory.ParseJobQuery(v, cur)
}

func (s *Server) searchJobs(w http.ResponseWriter, r *http.Request) error {
	q, err := jobQuery(r.URL.Query(), s.currency)
	if err != nil {
		return err
	}
	pv, err := s.payView(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	q.Facets = true
	res, err := s.svc.SearchJobs(r.Context(), q)
	if err != nil {
		return err
	}
	out := jobPageJSON{Total: res.Total, Items: make([]jobJSON, len(res.Items)), NextCursor: cursorOut(res.Next)}
	for i := range res.Items {
		out.Items[i] = jobOut(&res.Items[i], pv)
	}
	if f := res.Facets; f != nil {
		out.Facets = facetsJSON{
			Country: facetValues(f.Country, false), Skill: facetValues(f.Skill, false), Remote: facetValues(f.Remote, false),
			Language: facetValues(f.Language, false), Federation: facetValues(f.Federation, true),
			Type: facetValues(f.Type, false), Currency: facetValues(f.Currency, false),
			Eligible: facetValues(f.Eligible, false), Seniority: facetValues(f.Seniority, false),
		}
		if f.Overlap != nil {
			out.Facets.Overlap = facetValues(f.Overlap, false)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request) error {
	st, err := s.svc.Stats(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statsOut(st))
	return nil
}
