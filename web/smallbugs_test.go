package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/internal/teststore"
)

// TestWorkersBounds: a number of worker-members out of range is told the
// real bounds, in the reader's language, on the profile and the admin's
// co-op form; nothing is stored.
func TestWorkersBounds(t *testing.T) {
	n, admin, ana := formsNode(t, teststore.SQLite)
	for _, c := range []struct{ lang, want string }{
		{"en", "between 1 and 1,000,000"}, {"es", "entre 1 y 1.000.000"},
	} {
		for _, workers := range []string{"100000000", "0", "-3", "99999999999999999999"} {
			resp, body := ana.post("/dashboard/profile", url.Values{"name": {"Hornero"}, "country": {"AR"}, "workers": {workers}},
				"Accept-Language", c.lang)
			if sum := summaryOf(body); resp.StatusCode != http.StatusBadRequest || !strings.Contains(sum, c.want) || !strings.Contains(sum, `href="#p-workers"`) {
				t.Errorf("%s, %s workers: %d, want %q in the summary:\n%s", c.lang, workers, resp.StatusCode, c.want, sum)
			}
		}
		resp, body := admin.post("/admin/coops", url.Values{"handle": {"nueva"}, "name": {"Nueva"}, "country": {"AR"}, "workers": {"100000000"}},
			"Accept-Language", c.lang)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(summaryOf(body), c.want) {
			t.Errorf("%s admin co-op: %d, want %q:\n%s", c.lang, resp.StatusCode, c.want, summaryOf(body))
		}
	}
	if c, _ := n.Svc.Coop(t.Context(), "hornero"); c.Workers != 26 {
		t.Errorf("the profile changed: %d workers", c.Workers)
	}
}
