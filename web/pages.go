package web

import (
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
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

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.tmpl.ExecuteTemplate(w, name, data); err != nil {
		s.log.ErrorContext(r.Context(), "rendering a page", "page", name, "error", err)
	}
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	switch directory.KindOf(err) {
	case directory.KindNotFound:
		http.Error(w, "Not found", http.StatusNotFound)
	default:
		s.log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "error", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
	}
}

type coopPage struct {
	Coop *directory.Coop
	Jobs []directory.Job
}

func (s *Server) coopPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Coop(r.Context(), mux.Vars(r)["handle"])
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	res, err := s.svc.SearchJobs(r.Context(), directory.JobQuery{Coops: []string{c.APID}, Limit: directory.MaxLimit})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	w.Header().Set("Link", `<`+c.APID+`>; rel="alternate"; type="application/activity+json"`)
	s.render(w, r, http.StatusOK, "coop.html", coopPage{Coop: c, Jobs: res.Items})
}

type jobPage struct {
	Job         *directory.Job
	Where       string
	Employment  string
	Salary      string
	Description template.HTML
	JSONLD      template.JS
}

// jobPostingLD is the schema.org JobPosting search engines read.
func jobPostingLD(j *directory.Job, description string) template.JS {
	ld := map[string]any{
		"@context": "https://schema.org/", "@type": "JobPosting", "title": j.Title, "description": description,
		"datePosted": j.Published.Format(time.RFC3339), "url": j.APID,
		"employmentType": map[string]string{directory.FullTime: "FULL_TIME", directory.PartTime: "PART_TIME",
			directory.Contract: "CONTRACTOR", directory.Internship: "INTERN"}[j.EmploymentType],
		"hiringOrganization": map[string]any{"@type": "Organization", "name": j.Coop.Name, "sameAs": j.Coop.APID},
		"skills":             j.Skills,
	}
	if !j.ValidThrough.IsZero() {
		ld["validThrough"] = j.ValidThrough.Format(time.RFC3339)
	}
	if j.Remote == directory.RemoteFull {
		ld["jobLocationType"] = "TELECOMMUTE"
		if j.Country != "" {
			ld["applicantLocationRequirements"] = map[string]any{"@type": "Country", "name": j.Country}
		}
	} else {
		ld["jobLocation"] = map[string]any{"@type": "Place", "address": map[string]any{"@type": "PostalAddress",
			"addressCountry": j.Country, "addressLocality": j.City}}
	}
	if sal := j.Salary; sal != nil {
		ld["baseSalary"] = map[string]any{"@type": "MonetaryAmount", "currency": sal.Currency, "value": map[string]any{
			"@type": "QuantitativeValue", "minValue": sal.Min, "maxValue": sal.Max,
			"unitText": map[string]string{directory.PerHour: "HOUR", directory.PerMonth: "MONTH", directory.PerYear: "YEAR"}[sal.Period]}}
	}
	b, _ := json.Marshal(ld)
	return template.JS(b)
}

func (s *Server) jobPage(w http.ResponseWriter, r *http.Request) {
	j, err := s.svc.Job(r.Context(), mux.Vars(r)["key"])
	if err != nil {
		if directory.KindOf(err) == directory.KindNotFound {
			if _, terr := s.svc.Store().(directory.FederationStore).Tombstone(r.Context(), s.svc.JobID(mux.Vars(r)["key"])); terr == nil {
				http.Error(w, "This job is closed.", http.StatusGone)
				return
			}
		}
		s.pageError(w, r, err)
		return
	}
	desc := s.fed.DescriptionHTML(j.Description)
	w.Header().Set("Link", `<`+j.APID+`>; rel="alternate"; type="application/activity+json"`)
	s.render(w, r, http.StatusOK, "job.html", jobPage{
		Job: j, Where: federation.Where(j), Employment: federation.EmploymentLabel(j.EmploymentType),
		Salary: federation.SalaryText(j.Salary), Description: template.HTML(desc), JSONLD: jobPostingLD(j, desc),
	})
}

type federationPage struct {
	Federation *directory.Federation
	Coops      []directory.Coop
}

func (s *Server) federationPage(w http.ResponseWriter, r *http.Request) {
	fed, err := s.svc.Store().LocalFederation(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	page, err := s.svc.ListCoops(r.Context(), directory.CoopQuery{Federations: []string{fed.APID}, Limit: directory.MaxLimit})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	w.Header().Set("Link", `<`+fed.APID+`>; rel="alternate"; type="application/activity+json"`)
	s.render(w, r, http.StatusOK, "federation.html", federationPage{Federation: fed, Coops: page.Items})
}

type coopsPage struct {
	Total int
	Coops []directory.Coop
}

func (s *Server) coopsPage(w http.ResponseWriter, r *http.Request) {
	page, err := s.svc.ListCoops(r.Context(), directory.CoopQuery{Limit: directory.MaxLimit})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "coops.html", coopsPage{Total: page.Total, Coops: page.Items})
}

func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.Stats(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "stats.html", st)
}
