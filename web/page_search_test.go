package web_test

import (
	"html"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// searchClock is a node's clock that a test moves on.
type searchClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *searchClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *searchClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestSearchPostedWithin: the search page offers how recently jobs were
// posted, as the API's posted_within, and keeps the choice in its links,
// chips and feeds.
func TestSearchPostedWithin(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		c := &searchClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		n := nodetest.NewWith(t, open, "SoberaniaX", "soberaniax", nodetest.Options{Now: c.Now})
		n.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26, Languages: []string{"es"}})
		job := func(title string) {
			n.Job(t, "hornero", directory.Job{Title: title, Description: "APIs.", Skills: []string{"go"}, Remote: directory.RemoteFull,
				EmploymentType: directory.FullTime, ApplyEmail: "jobs@hornero.example"})
		}
		job("Old Go job")
		c.advance(20 * 24 * time.Hour)
		job("Mid Go job")
		c.advance(10 * 24 * time.Hour)
		job("New Go job")
		c.advance(time.Hour)

		titles := regexp.MustCompile(`>((?:Old|Mid|New) Go job)</a>`)
		found := func(body string) string {
			var out []string
			for _, m := range titles.FindAllStringSubmatch(body, -1) {
				out = append(out, m[1])
			}
			return strings.Join(out, ", ")
		}
		selected := regexp.MustCompile(`<option value="([^"]*)" selected>([^<]*)</option>`)
		for _, tc := range []struct {
			query, jobs, value, label string
		}{
			{"/", "New Go job, Mid Go job, Old Go job", "", "Any time"},
			{"/?posted_within=", "New Go job, Mid Go job, Old Go job", "", "Any time"},
			{"/?posted_within=24h", "New Go job", "24h", "In the last 24 hours"},
			{"/?posted_within=7d", "New Go job", "7d", "In the last 7 days"},
			{"/?posted_within=14d", "New Go job, Mid Go job", "14d", "In the last 14d"},
			{"/?posted_within=30d", "New Go job, Mid Go job", "30d", "In the last 30 days"},
		} {
			resp, body := page(t, n.URL, tc.query)
			if resp.StatusCode != 200 || found(body) != tc.jobs {
				t.Errorf("%s: %d, jobs %q, want %q", tc.query, resp.StatusCode, found(body), tc.jobs)
			}
			form := body[strings.Index(body, `<select id="posted_within"`):]
			form = form[:strings.Index(form, "</select>")]
			if m := selected.FindStringSubmatch(form); m == nil || m[1] != tc.value || html.UnescapeString(m[2]) != tc.label {
				t.Errorf("%s: selected %q, want %q %q", tc.query, m, tc.value, tc.label)
			}
			if strings.Count(form, "<option") < 4 || !strings.Contains(body, `<label for="posted_within"`) {
				t.Errorf("%s: the choices are missing:\n%s", tc.query, form)
			}
		}

		// Chips, feeds and pages keep the choice; its chip drops it.
		_, body := page(t, n.URL, "/?posted_within=30d&skill=go&limit=1")
		for _, want := range []string{
			`href="/?limit=1&amp;posted_within=30d"`,                       // the skill's chip
			`href="/?limit=1&amp;skill=go"`,                                // the chip of the choice
			`href="/jobs.atom?limit=1&amp;posted_within=30d&amp;skill=go"`, // the feeds
			`<span class="legend">Posted:</span> In the last 30 days`,      // the chip's words
		} {
			if !strings.Contains(body, want) {
				t.Errorf("no %s in the page", want)
			}
		}
		next := regexp.MustCompile(`href="(/\?[^"]*)" rel="next"`).FindStringSubmatch(body)
		if next == nil || !strings.Contains(next[1], "posted_within=30d") {
			t.Errorf("the next page drops the choice: %q", next)
		}
		if resp, body := page(t, n.URL, "/jobs.atom?posted_within=7d"); resp.StatusCode != 200 ||
			!strings.Contains(body, "New Go job") || strings.Contains(body, "Mid Go job") {
			t.Errorf("feed posted within 7 days: %d\n%s", resp.StatusCode, body)
		}

		// In Spanish, and a bad value is an error naming it.
		_, body = page(t, n.URL, "/?posted_within=7d", "Accept-Language", "es")
		if !strings.Contains(body, ` selected>En los últimos 7 días</option>`) || !strings.Contains(body, "<legend>Publicado</legend>") {
			t.Errorf("Spanish choices:\n%s", body)
		}
		if resp, body := page(t, n.URL, "/?posted_within=soon"); resp.StatusCode != 400 || !strings.Contains(body, `class="notice error"`) ||
			!strings.Contains(body, `<select id="posted_within"`) {
			t.Errorf("a bad choice: %d\n%s", resp.StatusCode, body)
		}
	})
}

// TestSearchSkillNames: a skill filter by another name shows as its
// skill, checked, with a chip that removes it.
func TestSearchSkillNames(t *testing.T) {
	n, goJob, _ := pagesNode(t, teststore.SQLite)
	resp, body := page(t, n.URL, "/?skill=Golang&skill=go")
	if resp.StatusCode != 200 || !strings.Contains(body, ">"+goJob.Title+"</a>") {
		t.Fatalf("skill=golang: %d\n%s", resp.StatusCode, body)
	}
	if !regexp.MustCompile(`name="skill" value="go" checked>\s*<label for="skill-\d+">go <span class="count">1</span>`).MatchString(body) ||
		strings.Contains(body, `value="golang"`) {
		t.Errorf("the skill go is not the one checked:\n%s", body)
	}
	if !strings.Contains(body, `class="chip" href="/"`) || !strings.Contains(body, `href="/jobs.atom?skill=go"`) {
		t.Errorf("chip or feed not by the skill's name:\n%s", body)
	}
}
