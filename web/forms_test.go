package web_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// formsNode is a node with a co-op, its member ana and the admin, each
// logged in.
func formsNode(t *testing.T, open teststore.Opener) (n *nodetest.Node, admin, ana *browser) {
	t.Helper()
	n = nodetest.New(t, open, "SoberaniaX", "soberaniax")
	n.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26})
	_, raw, err := n.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "ana@hornero.example", false, "hornero")
	if err != nil {
		t.Fatal(err)
	}
	ana = acceptInvite(t, n.URL, "/password?token="+raw, "una clave larga")
	_, raw, err = n.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "admin@soberaniax.example", true, "")
	if err != nil {
		t.Fatal(err)
	}
	admin = acceptInvite(t, n.URL, "/password?token="+raw, "correct horse battery")
	return n, admin, ana
}

var summaryRE = regexp.MustCompile(`(?s)<div class="error-summary"[^>]*>.*?</div>`)

// summaryOf is the error summary of a page, empty when it has none.
func summaryOf(body string) string { return summaryRE.FindString(body) }

// TestJobFormShowsEveryProblem: a job sent with three mistakes comes back
// with all three in a summary at the top that takes focus and links to
// each field, each field with its own message, and what was typed kept;
// in both languages, on publishing and on editing.
func TestJobFormShowsEveryProblem(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, ana := formsNode(t, open)
		bad := url.Values{"title": {""}, "description": {"Phoenix y Elixir."}, "skills": {"elixir, bad tag!"},
			"remote": {"remote"}, "employment_type": {"full_time"}, "apply_email": {"ana-at-hornero"}}
		job := n.Job(t, "hornero", directory.Job{Title: "Go", Description: "d", Remote: "remote", EmploymentType: "full_time",
			ApplyEmail: "jobs@hornero.example"})
		for _, c := range []struct{ lang, heading, path string }{
			{"en", "There is a problem", "/dashboard/jobs"},
			{"es", "Hay un problema", "/dashboard/jobs"},
			{"en", "There is a problem", "/dashboard/jobs/" + url.PathEscape(job.APID)},
		} {
			resp, body := ana.post(c.path, bad, "Accept-Language", c.lang)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("%s %s: %d", c.lang, c.path, resp.StatusCode)
			}
			sum := summaryOf(body)
			if sum == "" || !strings.Contains(sum, c.heading) || !strings.Contains(sum, `tabindex="-1"`) || !strings.Contains(sum, "autofocus") {
				t.Fatalf("%s %s: no summary that takes focus:\n%s", c.lang, c.path, sum)
			}
			for _, id := range []string{"job-title", "job-skills", "job-apply-email"} {
				if !strings.Contains(sum, `href="#`+id+`"`) {
					t.Errorf("%s %s: the summary does not link to #%s:\n%s", c.lang, c.path, id, sum)
				}
				if !strings.Contains(body, `id="`+id+`-error"`) || !strings.Contains(body, `id="`+id+`"`) {
					t.Errorf("%s %s: the field %s has no message of its own", c.lang, c.path, id)
				}
			}
			if got := strings.Count(sum, "<li>"); got != 3 {
				t.Errorf("%s %s: %d problems in the summary, want 3:\n%s", c.lang, c.path, got, sum)
			}
			for _, typed := range []string{`value="elixir, bad tag!"`, `value="ana-at-hornero"`, `>Phoenix y Elixir.</textarea>`} {
				if !strings.Contains(body, typed) {
					t.Errorf("%s %s: what was typed is lost: %s", c.lang, c.path, typed)
				}
			}
		}
		// The summary names each field by its label, in the page's
		// language.
		_, body := ana.post("/dashboard/jobs", bad, "Accept-Language", "es")
		if sum := summaryOf(body); !strings.Contains(sum, "Habilidades: ") || strings.Contains(sum, "skills: ") {
			t.Errorf("the summary does not name the field by its Spanish label:\n%s", sum)
		}
		if res, _ := n.Svc.SearchJobs(t.Context(), directory.JobQuery{}); res.Total != 1 {
			t.Errorf("a job with mistakes was stored: %d jobs", res.Total)
		}
	})
}

// TestCoopProblemsAll: a co-op profile with several mistakes is told of
// them all; the API's check still answers the first.
func TestCoopProblemsAll(t *testing.T) {
	n, _, ana := formsNode(t, teststore.SQLite)
	resp, body := ana.post("/dashboard/profile", url.Values{"name": {""}, "country": {"XX"}, "workers": {"3"},
		"website": {"javascript:alert(1)"}, "email": {"nope"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("profile: %d", resp.StatusCode)
	}
	sum := summaryOf(body)
	for _, id := range []string{"p-name", "p-country", "p-website", "p-email"} {
		if !strings.Contains(sum, `href="#`+id+`"`) {
			t.Errorf("the summary lacks #%s:\n%s", id, sum)
		}
	}
	if !strings.Contains(body, `value="javascript:alert(1)"`) {
		t.Error("the website typed is lost")
	}
	if c, _ := n.Svc.Coop(t.Context(), "hornero"); c.Name != "Hornero" {
		t.Errorf("the profile changed: %+v", c)
	}
}

// TestPageErrorsNameLabels: no form's error carries the API's field
// prefix ("skills: ", "logo: ", "domain: "); each is a sentence with the
// field named by its label, in the summary.
func TestPageErrorsNameLabels(t *testing.T) {
	n, admin, ana := formsNode(t, teststore.SQLite)
	wide := &bytes.Buffer{}
	if err := png.Encode(wide, image.NewGray(image.Rect(0, 0, 4000, 300))); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		who   *browser
		path  string
		form  url.Values
		field string // the API's name of the field at fault
		label string // its label on the page, in English
		href  string
	}{
		{"job skills", ana, "/dashboard/jobs", url.Values{"title": {"Go"}, "description": {"d"}, "skills": {"bad tag!"},
			"remote": {"remote"}, "employment_type": {"full_time"}, "apply_email": {"a@b.example"}}, "skills", "Skills", "#job-skills"},
		{"profile website", ana, "/dashboard/profile", url.Values{"name": {"Hornero"}, "country": {"AR"}, "workers": {"3"},
			"website": {"ftp://x"}}, "website", "Website", "#p-website"},
		{"logo", ana, "/dashboard/logo", nil, "logo", "Image file", "#logo"},
		{"dashboard invite", ana, "/dashboard/invite", url.Values{"email": {"nope"}}, "email", "E-mail", "#invite-email"},
		{"dashboard follow", ana, "/dashboard/follow", url.Values{"target": {"nobody"}}, "target", "", "#follow-target"},
		{"token", ana, "/account/tokens", url.Values{"label": {strings.Repeat("x", 300)}}, "label", "", "#token-label"},
		{"password", ana, "/account/password", url.Values{"current": {"una clave larga"}, "password": {"short"}, "confirm": {"short"}},
			"password", "", "#password"},
		{"block", admin, "/admin/blocks", url.Values{"domain": {"not a domain"}}, "domain", "", "#b-domain"},
		{"admin follow", admin, "/admin/follows", url.Values{"target": {"nobody"}}, "target", "", "#f-target"},
		{"admin invite", admin, "/admin/invite", url.Values{"email": {"nope"}, "coop": {"hornero"}}, "email", "E-mail", "#i-email"},
		{"admin co-op", admin, "/admin/coops", url.Values{"handle": {"Bad Handle"}, "name": {""}, "country": {"AR"}, "workers": {"2"}},
			"handle", "Handle", "#c-handle"},
		{"rates", admin, "/admin/rates", url.Values{"base": {"QQQ"}, "date": {"2026-01-02"}, "rates": {"EUR 0.9"}}, "base", "", "#r-base"},
		{"settings", admin, "/admin/settings", url.Values{"name": {"S"}, "languages": {"es, xx!"}}, "languages", "", "#s-languages"},
		{"login", newBrowser(t, n.URL), "/login", url.Values{"email": {"nobody@x.example"}, "password": {"wrong"}}, "email", "", ""},
	}
	for _, c := range cases {
		var resp *http.Response
		var body string
		if c.form == nil {
			resp, body = c.who.upload(c.path, "logo", "wide.png", wide.Bytes())
		} else {
			resp, body = c.who.post(c.path, c.form)
		}
		if resp.StatusCode < 400 {
			t.Errorf("%s: %d", c.name, resp.StatusCode)
			continue
		}
		sum := summaryOf(body)
		if sum == "" {
			t.Errorf("%s: no error summary:\n%.3000s", c.name, body)
			continue
		}
		if strings.Contains(body, ">"+c.field+": ") || strings.Contains(body, ">"+c.field+" ") {
			t.Errorf("%s: an API prefix %q on the page:\n%s", c.name, c.field+": ", sum)
		}
		if c.label != "" && !strings.Contains(sum, c.label+": ") {
			t.Errorf("%s: the summary does not name the field %q:\n%s", c.name, c.label, sum)
		}
		if c.href != "" && !strings.Contains(sum, `href="`+c.href+`"`) {
			t.Errorf("%s: the summary does not link to %s:\n%s", c.name, c.href, sum)
		}
	}
}

// TestNumbersInViewerLanguage: figures in messages and pages are written
// the way the viewer's language writes numbers.
func TestNumbersInViewerLanguage(t *testing.T) {
	n, _, ana := formsNode(t, teststore.SQLite)
	n.Job(t, "hornero", directory.Job{Title: "Go", Description: "d", Remote: "remote", EmploymentType: "full_time",
		ApplyEmail: "jobs@hornero.example", Salary: &directory.Salary{Min: 1500, Max: 2500, Currency: "EUR", Period: "month"}})
	wide := &bytes.Buffer{}
	if err := png.Encode(wide, image.NewGray(image.Rect(0, 0, 4000, 300))); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("a", directory.MaxDescription+1)
	for _, c := range []struct {
		lang                        string
		salary, pixels, side, chars string
	}{
		{"en", "1,500", "4,000×300", "2,048", "20,001"},
		{"es", "1.500", "4.000×300", "2.048", "20.001"},
	} {
		_, body := page(t, n.URL, "/", "Accept", "text/html", "Accept-Language", c.lang)
		if !strings.Contains(body, c.salary) {
			t.Errorf("%s: the salary is not written %s", c.lang, c.salary)
		}
		_, body = ana.upload("/dashboard/logo", "logo", "wide.png", wide.Bytes(), "Accept-Language", c.lang)
		if sum := summaryOf(body); !strings.Contains(sum, c.pixels) || !strings.Contains(sum, c.side) {
			t.Errorf("%s: the logo's size is not written %s, %s:\n%s", c.lang, c.pixels, c.side, sum)
		}
		_, body = ana.post("/dashboard/jobs", url.Values{"title": {"Go"}, "description": {long}, "remote": {"remote"},
			"employment_type": {"full_time"}, "apply_email": {"a@b.example"}}, "Accept-Language", c.lang)
		if sum := summaryOf(body); !strings.Contains(sum, c.chars) {
			t.Errorf("%s: the length is not written %s:\n%s", c.lang, c.chars, sum)
		}
	}
}

// upload posts a file as a multipart form, as the logo form does.
func (b *browser) upload(path, field, name string, data []byte, header ...string) (*http.Response, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequestWithContext(b.t.Context(), http.MethodPost, b.base+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept", "text/html")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}
