package web

import (
	"fmt"
	"net/http"

	"github.com/colmena-coop/colmena/directory"
)

// chart is a horizontal bar chart drawn as SVG on the server: no script,
// readable by screen readers through its title, description and the
// table printed beside it.
type chart struct {
	ID     string
	Title  string
	Desc   string
	Width  int
	Height int
	Bars   []bar
}

// bar is one bar of a chart, positioned in the chart's user units.
type bar struct {
	Label  string
	Value  string
	Y      int
	TextY  int
	W      int
	LabelW int
	ValueX int
}

const (
	chartWidth  = 640
	chartLabelW = 200
	chartBarH   = 26
	chartGap    = 10
)

// newChart lays out bars whose lengths are proportional to values.
func newChart(id, title, desc string, labels []string, values []float64, shown []string) chart {
	c := chart{ID: id, Title: title, Desc: desc, Width: chartWidth}
	maxV := 0.0
	for _, v := range values {
		maxV = max(maxV, v)
	}
	room := chartWidth - chartLabelW - 70
	for i, label := range labels {
		w := 0
		if maxV > 0 {
			w = int(values[i] / maxV * float64(room))
		}
		if values[i] > 0 && w < 2 {
			w = 2
		}
		y := i * (chartBarH + chartGap)
		c.Bars = append(c.Bars, bar{Label: label, Value: shown[i], Y: y, TextY: y + chartBarH/2 + 5, W: w,
			LabelW: chartLabelW - 8, ValueX: chartLabelW + w + 6})
	}
	c.Height = max(len(labels)*(chartBarH+chartGap)-chartGap, chartBarH)
	return c
}

// statRow is one row of a statistics table, formatted.
type statRow struct {
	Name, Href, Coops, Workers, Avg, Jobs string
}

type statsPage struct {
	pageBase
	Stats       *directory.Stats
	Federations []statRow
	Countries   []statRow
	Totals      statRow
	Charts      []chart
	Map         worldMap
	// MapJobs is true when the map shades open jobs rather than co-ops;
	// MapCoopsHref and MapJobsHref switch between the two.
	MapJobs                   bool
	MapCoopsHref, MapJobsHref string
	// ByFederation holds each federation's figures per country.
	ByFederation []fedCountries
}

// fedCountries is one federation's table of figures per country.
type fedCountries struct {
	ID, Name, Href string
	Rows           []statRow
}

func (l *Locale) statRow(name, href string, f directory.Figures) statRow {
	return statRow{Name: name, Href: href, Coops: l.Num(f.Coops), Workers: l.Num(f.Workers), Avg: l.Dec(f.AvgWorkers()), Jobs: l.Num(f.Jobs)}
}

// countryRow is a country's row, linked to the search of its jobs.
func (l *Locale) countryRow(c directory.CountryStats) statRow {
	if c.Country == "" {
		return l.statRow(l.T("stats.no_country"), "", c.Figures)
	}
	return l.statRow(l.Country(c.Country), "/?country="+c.Country, c.Figures)
}

func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) error {
	b, err := s.newBase(r, "stats", "")
	if err != nil {
		return err
	}
	st, err := s.svc.Stats(r.Context())
	if err != nil {
		return err
	}
	l := b.L
	b.Title = l.T("stats.title")
	b.Description = l.T("stats.description", "Site", b.Site.Name)
	p := &statsPage{pageBase: b, Stats: st, Totals: l.statRow(l.T("stats.total"), "", st.Totals.Figures)}
	var fedNames []string
	var coops, workers, avg, jobs []float64
	var coopsS, workersS, avgS, jobsS []string
	for _, f := range st.Federations {
		row := l.statRow(f.Federation.Name, s.fedHref(f.Federation), f.Figures)
		p.Federations = append(p.Federations, row)
		fedNames = append(fedNames, f.Federation.Name)
		coops, coopsS = append(coops, float64(f.Coops)), append(coopsS, row.Coops)
		workers, workersS = append(workers, float64(f.Workers)), append(workersS, row.Workers)
		avg, avgS = append(avg, f.AvgWorkers()), append(avgS, row.Avg)
		jobs, jobsS = append(jobs, float64(f.Jobs)), append(jobsS, row.Jobs)
	}
	for i, f := range st.Federations {
		fc := fedCountries{ID: fmt.Sprintf("fed-%d", i+1), Name: f.Federation.Name, Href: s.fedHref(f.Federation)}
		for _, c := range f.Countries {
			fc.Rows = append(fc.Rows, l.countryRow(c))
		}
		p.ByFederation = append(p.ByFederation, fc)
	}
	p.MapJobs = r.URL.Query().Get("map") == "jobs"
	p.MapCoopsHref, p.MapJobsHref = "/stats#world", "/stats?map=jobs#world"
	if p.MapJobs {
		p.Map = newWorldMap(l, s.world, "world", l.T("map.jobs_title"), l.T("map.jobs_desc"), "#by-country", mapJobs, st.Countries,
			func(code string) string { return "/?country=" + code })
	} else {
		p.Map = newWorldMap(l, s.world, "world", l.T("map.coops_title"), l.T("map.coops_desc"), "#by-country", mapCoops, st.Countries,
			func(code string) string { return "/coops?country=" + code })
	}
	var countryNames []string
	var cJobs []float64
	var cJobsS []string
	for _, c := range st.Countries {
		row := l.countryRow(c)
		p.Countries = append(p.Countries, row)
		countryNames = append(countryNames, row.Name)
		cJobs, cJobsS = append(cJobs, float64(c.Jobs)), append(cJobsS, row.Jobs)
	}
	if len(fedNames) > 0 {
		p.Charts = append(p.Charts,
			newChart("chart-coops", l.T("stats.chart.coops"), l.T("stats.chart.by_federation"), fedNames, coops, coopsS),
			newChart("chart-workers", l.T("stats.chart.workers"), l.T("stats.chart.by_federation"), fedNames, workers, workersS),
			newChart("chart-avg", l.T("stats.chart.avg"), l.T("stats.chart.by_federation"), fedNames, avg, avgS),
			newChart("chart-jobs", l.T("stats.chart.jobs"), l.T("stats.chart.by_federation"), fedNames, jobs, jobsS))
	}
	if len(countryNames) > 0 {
		p.Charts = append(p.Charts, newChart("chart-country-jobs", l.T("stats.chart.country_jobs"), l.T("stats.chart.by_country"),
			countryNames, cJobs, cJobsS))
	}
	s.render(w, r, http.StatusOK, "stats", p)
	return nil
}
