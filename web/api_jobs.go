package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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

func upper(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.ToUpper(strings.TrimSpace(v)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func lower(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.ToLower(strings.TrimSpace(v)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func trimmed(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func limitParam(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > directory.MaxLimit {
		return 0, directory.Invalid("limit", directory.CodeLimit, directory.MaxLimit)
	}
	return n, nil
}

// parseWithin reads posted_within: a number of days ("7d", or just "7") or
// a Go duration ("12h").
func parseWithin(s string) (time.Duration, error) {
	bad := directory.Invalid("posted_within", directory.CodePostedWithin, s)
	if n, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil {
		if n < 1 || n > 3650 {
			return 0, bad
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, bad
	}
	return d, nil
}

// payFloor reads a seeker's minimum pay: salary_min, in salary_currency
// (else view_currency, else cur) per salary_period (else a month). A
// currency or period given without a minimum is still checked.
func payFloor(v url.Values, cur string) (*directory.PayFloor, error) {
	if c := v.Get("view_currency"); c != "" {
		cur = c
	}
	if c := v.Get("salary_currency"); c != "" {
		if _, err := directory.NormalizeCurrency("salary_currency", c); err != nil {
			return nil, err
		}
		cur = c
	}
	switch p := v.Get("salary_period"); p {
	case "", directory.PerHour, directory.PerMonth, directory.PerYear:
	default:
		return nil, directory.Invalid("salary_period", directory.CodePeriodValue, p)
	}
	m := strings.TrimSpace(v.Get("salary_min"))
	if m == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(m, 10, 64)
	if err != nil || n <= 0 {
		return nil, directory.Invalid("salary_min", directory.CodeAmount)
	}
	f := &directory.PayFloor{Amount: n, Currency: cur, Period: v.Get("salary_period")}
	return f, directory.CheckPayFloor(f)
}

// jobQuery reads a job search from URL parameters, as the API, the search
// page and the feeds take them; cur is the currency a salary minimum is in
// when the parameters name none.
func jobQuery(v url.Values, cur string) (directory.JobQuery, error) {
	for _, m := range v["remote"] {
		switch m {
		case directory.RemoteFull, directory.RemoteHybrid, directory.RemoteOnsite:
		default:
			return directory.JobQuery{}, directory.Invalid("remote", directory.CodeRemoteValue, m)
		}
	}
	for _, t := range v["type"] {
		switch t {
		case directory.FullTime, directory.PartTime, directory.Contract, directory.Internship:
		default:
			return directory.JobQuery{}, directory.Invalid("type", directory.CodeEmploymentTypeValue, t)
		}
	}
	q := directory.JobQuery{
		Text:            directory.ParseQuery(v.Get("q")),
		Countries:       upper(v["country"]),
		Skills:          lower(v["skill"]),
		Remote:          v["remote"],
		Languages:       trimmed(v["language"]),
		Federations:     trimmed(v["federation"]),
		Coops:           trimmed(v["coop"]),
		Currencies:      upper(v["currency"]),
		EmploymentTypes: v["type"],
		Sort:            v.Get("sort"),
		LiveIn:          strings.TrimSpace(v.Get("live_in")),
		City:            strings.TrimSpace(v.Get("city")),
		Zone:            strings.TrimSpace(v.Get("tz")),
		Seniority:       lower(v["seniority"]),
	}
	var err error
	if err := seekerParams(v, &q); err != nil {
		return q, err
	}
	if pw := v.Get("posted_within"); pw != "" {
		if q.PostedWithin, err = parseWithin(pw); err != nil {
			return q, err
		}
	}
	if q.Limit, err = limitParam(v.Get("limit")); err != nil {
		return q, err
	}
	if q.After, err = directory.DecodeCursor(v.Get("cursor")); err != nil {
		return q, err
	}
	if q.Pay, err = payFloor(v, cur); err != nil {
		return q, err
	}
	return q, nil
}

// seekerParams reads the hours and membership a seeker asks for:
// overlap (whole hours), day_start and day_end (HH:MM, the seeker's
// working day) and leads_to_membership=true.
func seekerParams(v url.Values, q *directory.JobQuery) error {
	if o := strings.TrimSpace(v.Get("overlap")); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 || n > 24 {
			return directory.Invalid("overlap", directory.CodeOverlap, directory.Clip(o, 20))
		}
		q.Overlap = n
	}
	ds, de := strings.TrimSpace(v.Get("day_start")), strings.TrimSpace(v.Get("day_end"))
	if ds != "" || de != "" {
		q.DayStart, q.DayEnd = directory.DefaultDayStart, directory.DefaultDayEnd
		var err error
		if ds != "" {
			if q.DayStart, err = directory.ParseClock("day_start", ds); err != nil {
				return err
			}
		}
		if de != "" {
			if q.DayEnd, err = directory.ParseClock("day_end", de); err != nil {
				return err
			}
		}
		if q.DayEnd <= q.DayStart {
			return directory.Invalid("day_end", directory.CodeWorkingDay)
		}
	}
	switch m := strings.TrimSpace(v.Get("leads_to_membership")); m {
	case "":
	case "true":
		q.LeadsToMembership = true
	default:
		return directory.Invalid("leads_to_membership", directory.CodeTrue, directory.Clip(m, 20))
	}
	return nil
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
