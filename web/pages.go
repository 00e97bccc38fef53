package web

import (
	"embed"
	"html/template"
	"net/http"

	"github.com/colmena-coop/colmena/directory"
)

//go:embed templates/*.html
var templateFS embed.FS

// parseTemplates parses the embedded templates, once, at start-up.
func parseTemplates() *template.Template {
	return template.Must(template.ParseFS(templateFS, "templates/*.html"))
}

type homePage struct {
	Federation *directory.Federation
	Jobs       []directory.Job
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	fed, err := s.svc.Store().LocalFederation(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.svc.SearchJobs(r.Context(), directory.JobQuery{Limit: 20})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.tmpl.ExecuteTemplate(w, "home.html", homePage{Federation: fed, Jobs: res.Items}); err != nil {
		s.log.ErrorContext(r.Context(), "rendering the home page", "error", err)
	}
}
