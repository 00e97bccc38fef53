package web_test

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/teststore"
)

var svgRe = regexp.MustCompile(`(?s)<svg role="group".*?</svg>`)

// mapLink finds a shaded country's link in a page: its href, accessible
// name and shade class.
func mapLink(body, href string) (label, class string, ok bool) {
	re := regexp.MustCompile(`<a href="` + regexp.QuoteMeta(href) + `" aria-label="([^"]+)"><title>[^<]+</title><path class="(m\d)" d="M`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// TestWorldMap: the figures page and the co-op directory draw a world map
// as inline SVG, well formed and titled; a country with co-ops is shaded
// and links to its search with its figures as the link's name, a country
// with none is neither; the jobs view shades by open jobs; the legend and
// the credit of the map's source are there, in both languages.
func TestWorldMap(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		n.Coop(t, directory.Coop{Handle: "thistle", Name: "Thistle Co-op", Country: "GB", City: "Leeds", Workers: 5,
			Skills: []string{"python"}, Languages: []string{"en"}})

		for _, path := range []string{"/stats", "/coops"} {
			_, body := page(t, n.URL, path, "Accept-Language", "en")
			svg := svgRe.FindString(body)
			if svg == "" {
				t.Fatalf("%s: no map\n%s", path, body)
			}
			d := xml.NewDecoder(strings.NewReader(svg))
			for {
				if _, err := d.Token(); err != nil {
					if err.Error() != "EOF" {
						t.Errorf("%s: the map is not well formed: %v", path, err)
					}
					break
				}
			}
			if !strings.Contains(svg, `<title id="`) || !strings.Contains(svg, "Co-ops per country") {
				t.Errorf("%s: the map has no title", path)
			}
			label, class, ok := mapLink(svg, "/coops?country=AR")
			if !ok || label != "Argentina: 1 co-op, 2 open jobs" || class != "m1" {
				t.Errorf("%s: Argentina: %q %q %v", path, label, class, ok)
			}
			if label, _, ok := mapLink(svg, "/coops?country=GB"); !ok || label != "United Kingdom: 1 co-op, 0 open jobs" {
				t.Errorf("%s: United Kingdom: %q %v", path, label, ok)
			}
			if strings.Contains(svg, "country=FR") || strings.Count(svg, "<a ") != 2 {
				t.Errorf("%s: %d countries linked, want 2", path, strings.Count(svg, "<a "))
			}
			for _, want := range []string{`class="swatch m5"`, "20 or more", "2 to 4", "Natural Earth", `href="` + map[string]string{"/stats": "#by-country", "/coops": "/stats#by-country"}[path] + `"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: no %q", path, want)
				}
			}
		}

		// The jobs view: only Argentina has open jobs; links go to the job
		// search.
		_, body := page(t, n.URL, "/stats?map=jobs", "Accept-Language", "es")
		svg := svgRe.FindString(body)
		if label, class, ok := mapLink(svg, "/?country=AR"); !ok || label != "Argentina: 1 cooperativa, 2 empleos abiertos" || class != "m1" {
			t.Errorf("jobs map: Argentina: %q %q %v", label, class, ok)
		}
		if strings.Contains(svg, "country=GB") || !strings.Contains(svg, "Empleos abiertos por país") {
			t.Errorf("jobs map shades a country without jobs or lacks its title:\n%.300s", svg)
		}
		if !strings.Contains(body, `href="/stats?map=jobs#world" aria-current="true"`) {
			t.Error("the jobs view is not marked current")
		}

		// Each federation's figures per country.
		_, body = page(t, n.URL, "/stats", "Accept-Language", "en")
		i := strings.Index(body, `id="by-federation-country"`)
		if i < 0 {
			t.Fatal("no figures per federation and country")
		}
		sec := body[i:]
		sec = sec[:strings.Index(sec, "</section>")]
		for _, want := range []string{">SoberaniaX</a></h3>", `<a href="/?country=AR">Argentina</a></th><td class="num">1</td><td class="num">26</td><td class="num">26.0</td><td class="num">2</td>`,
			`<a href="/?country=GB">United Kingdom</a></th><td class="num">1</td><td class="num">5</td>`} {
			if !strings.Contains(sec, want) {
				t.Errorf("per federation and country: no %q in\n%s", want, sec)
			}
		}
	})
}
