package web_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/internal/teststore"
)

var quickRE = regexp.MustCompile(`<a class="chip add" href="([^"]+)"><span aria-hidden="true">\+</span> ([^<]+)</a>`)

// quick returns the one-tap filters of a search page: label to link.
func quick(body string) map[string]string {
	out := map[string]string{}
	for _, m := range quickRE.FindAllStringSubmatch(body, -1) {
		out[html.UnescapeString(m[2])] = html.UnescapeString(m[1])
	}
	return out
}

// TestQuickFilters: above the results, one tap adds remote work, a skill
// the results ask for, or "open to people in" the reader's country (from
// the region of their browser's language); a filter already set is not
// offered again, and a kept page never shows one reader's country to
// another.
func TestQuickFilters(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		_, body := page(t, n.URL, "/", "Accept-Language", "es-AR,es;q=0.9")
		q := quick(body)
		if q["Remoto"] != "/?remote=remote" || q["go"] == "" && q["Go"] == "" || q["Abiertas a quien vive en Argentina"] != "/?live_in=AR" {
			t.Fatalf("quick filters for a reader in Argentina: %v", q)
		}
		if !strings.Contains(body, `<nav class="quick-filters in-results" aria-label="Sumá un filtro con un toque">`) {
			t.Error("the quick filters are not a named navigation")
		}
		// Following one keeps the others, not itself.
		_, body = page(t, n.URL, "/?remote=remote", "Accept-Language", "es-AR,es;q=0.9")
		q = quick(body)
		if _, ok := q["Remoto"]; ok || q["Abiertas a quien vive en Argentina"] != "/?live_in=AR&remote=remote" {
			t.Errorf("after remote: %v", q)
		}
		// The same address for a reader in Spain: their country, not the
		// page kept for Argentina.
		_, body = page(t, n.URL, "/", "Accept-Language", "es-ES,es;q=0.9")
		q = quick(body)
		if q["Abiertas a quien vive en España"] != "/?live_in=ES" || q["Abiertas a quien vive en Argentina"] != "" {
			t.Errorf("quick filters for a reader in Spain: %v", q)
		}
		// No region, or a country already said: nothing about where.
		for _, c := range []struct{ path, accept string }{{"/", "es"}, {"/?live_in=UY", "es-AR"}} {
			_, body = page(t, n.URL, c.path, "Accept-Language", c.accept)
			for label := range quick(body) {
				if strings.HasPrefix(label, "Abiertas a quien vive en") {
					t.Errorf("%s with %q offers %q", c.path, c.accept, label)
				}
			}
		}
	})
}
