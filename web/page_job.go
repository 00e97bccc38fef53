package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

type jobPage struct {
	pageBase
	View        jobView
	Description template.HTML
	JSONLD      template.JS
	Languages   []string
	Handle      string
	// Apply says how to apply; nil when the job gives no usable way.
	Apply *applyView
	Open  bool
	// Facts are where applicants may work from, the hours and the co-op
	// facts the job states.
	Facts []fact
	// Reactions are the job's reply, favourite and boost counts from the
	// fediverse, those that are not zero.
	Reactions []string
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
		var where []any
		for _, code := range j.Eligible {
			if c := directory.EligibleCountry(code); c != "" {
				where = append(where, map[string]any{"@type": "Country", "name": c})
			} else if directory.IsRegion(code) {
				where = append(where, map[string]any{"@type": "AdministrativeArea", "name": directory.RegionName(code), "identifier": code})
			}
		}
		if len(where) > 0 {
			ld["applicantLocationRequirements"] = where
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

// toJobHref sends the reader to the job's address on this node when
// asked for it by another: an aggregated job by its escaped object id
// (its address before readable ones), or with an old title in its slug.
func (s *Server) toJobHref(w http.ResponseWriter, r *http.Request, j *directory.Job) bool {
	href := jobHref(j)
	if href == r.URL.EscapedPath() || href == r.URL.Path {
		return false
	}
	if r.URL.RawQuery != "" {
		href += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, href, http.StatusMovedPermanently)
	return true
}

func (s *Server) jobPage(w http.ResponseWriter, r *http.Request) error {
	key, err := pathVar(r, "key")
	if err != nil {
		return err
	}
	var j *directory.Job
	if id, ok := readableJob(key); ok {
		j, err = s.svc.JobByID(r.Context(), id)
	} else {
		j, err = s.svc.Job(r.Context(), key)
	}
	if err == nil && s.toJobHref(w, r, j) {
		return nil
	}
	if err != nil {
		if directory.KindOf(err) == directory.KindNotFound {
			if _, terr := s.svc.Tombstone(r.Context(), s.svc.JobID(key)); terr == nil {
				l := s.locales.forRequest(r)
				s.showError(w, r, http.StatusGone, l.T("error.gone.heading"), l.T("error.gone.body"))
				return nil
			}
		}
		return err
	}
	b, err := s.newBase(r, "jobs", j.Title+" · "+j.Coop.Name)
	if err != nil {
		return err
	}
	pv, err := s.payView(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	desc := ""
	if s.fed != nil {
		desc = s.fed.DescriptionHTML(j.Description)
	}
	s.describe(&b, "website", j.Title+" · "+j.Coop.Name, j.APID, desc)
	asLink(w, j.APID)
	p := &jobPage{pageBase: b, View: b.L.withPay(b.L.jobView(j), pv), Description: template.HTML(desc), JSONLD: jobPostingLD(j, desc),
		Handle: "@" + j.Coop.Handle + "@" + j.Coop.Host, Open: j.Open(time.Now())}
	for _, code := range j.Languages {
		p.Languages = append(p.Languages, b.L.Language(code))
	}
	// A seeker's zone, when the search passed it on, shows the hours in
	// theirs too.
	viewer, _ := directory.LoadZone("tz", r.URL.Query().Get("tz"))
	p.Facts = b.L.jobFacts(j, viewer, time.Now())
	p.Apply = b.L.newApplyView(j, b.Site.Name)
	if counts, err := s.svc.JobInteractions(r.Context(), j); err == nil {
		for _, c := range []struct {
			id string
			n  int
		}{{"job.replies", counts.Replies}, {"job.favourites", counts.Likes}, {"job.boosts", counts.Boosts}} {
			if c.n > 0 {
				p.Reactions = append(p.Reactions, b.L.N(c.id, c.n))
			}
		}
	}
	s.render(w, r, http.StatusOK, "job", p)
	return nil
}
