package web

import (
	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/web/worldmap"
)

// worldMap is a choropleth of the world drawn as inline SVG: the country
// paths come ready from the embedded map, a request only picks each
// country's shade class, link and accessible name.
type worldMap struct {
	ID, Title, Desc string
	Width, Height   int
	Land            []string   // paths of countries without figures
	Shaded          []mapShape // countries with figures, each a link
	Legend          []mapClass
	// TableHref points to the table holding the same figures.
	TableHref, TableLabel string
	Hint, Credit          string
}

type mapShape struct{ Path, Class, Href, Label string }

type mapClass struct{ Class, Label string }

// mapMeasure is what a map shades by: co-ops or open jobs.
type mapMeasure int

const (
	mapCoops mapMeasure = iota
	mapJobs
)

// Lower bounds of the shade classes m1 to m5, fixed so that a legend
// reads the same on every node.
var mapBounds = map[mapMeasure][5]int{
	mapCoops: {1, 2, 5, 10, 20},
	mapJobs:  {1, 3, 10, 30, 100},
}

func (m mapMeasure) of(f directory.Figures) int {
	if m == mapJobs {
		return f.Jobs
	}
	return f.Coops
}

// newWorldMap shades countries by measure; href gives a country's link.
// Countries the map has no shape for are left to the table.
func newWorldMap(l *Locale, world *worldmap.Map, id, title, desc, tableHref string, m mapMeasure,
	countries []directory.CountryStats, href func(code string) string) worldMap {
	wm := worldMap{ID: id, Title: title, Desc: desc, Width: world.Width, Height: world.Height, TableHref: tableHref,
		TableLabel: l.T("map.table"), Hint: l.T("map.hint"), Credit: l.T("map.credit", "Source", worldmap.Attribution)}
	bounds := mapBounds[m]
	figures := make(map[string]directory.Figures, len(countries))
	for _, c := range countries {
		if c.Country != "" && m.of(c.Figures) > 0 {
			figures[c.Country] = c.Figures
		}
	}
	for _, c := range world.Countries {
		f, ok := figures[c.Code]
		if !ok {
			wm.Land = append(wm.Land, c.Path)
			continue
		}
		class := 1
		for k, b := range bounds {
			if m.of(f) >= b {
				class = k + 1
			}
		}
		label := l.Country(c.Code) + ": " + l.N("coops.count", f.Coops) + ", " + l.N("map.jobs", f.Jobs)
		wm.Shaded = append(wm.Shaded, mapShape{Path: c.Path, Class: mapClassName(class), Href: href(c.Code), Label: label})
	}
	for k, b := range bounds {
		label := l.Num(b)
		switch {
		case k == len(bounds)-1:
			label = l.T("map.or_more", "N", l.Num(b))
		case bounds[k+1]-1 > b:
			label = l.T("map.range", "Min", l.Num(b), "Max", l.Num(bounds[k+1]-1))
		}
		wm.Legend = append(wm.Legend, mapClass{Class: mapClassName(k + 1), Label: label})
	}
	return wm
}

func mapClassName(k int) string { return "m" + string(rune('0'+k)) }
