package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/smtptest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

var (
	confirmRE = regexp.MustCompile(`/alerts/confirm\?token=([A-Za-z0-9_-]+)`)
	unsubRE   = regexp.MustCompile(`/alerts/unsubscribe\?token=([A-Za-z0-9_-]+)`)
)

// laterClock is the real time moved on by what the test adds: a node on
// it keeps federating, and a digest's day can pass at once.
type laterClock struct {
	mu    sync.Mutex
	ahead time.Duration
}

func (c *laterClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

func (c *laterClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ahead += d
}

// postAlert sends POST /api/v1/alerts and returns the status and answer.
func postAlert(t *testing.T, base, body string, header ...string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/api/v1/alerts", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("alert answer %d is not JSON: %s", resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

// waitTo waits until n mails reached addr and returns them.
func waitTo(t *testing.T, srv *smtptest.Server, addr string, n int) []smtptest.Message {
	t.Helper()
	var ms []smtptest.Message
	nodetest.Eventually(t, addr+" has "+string(rune('0'+n))+" mails", func() bool {
		ms = srv.To(addr)
		return len(ms) >= n
	})
	return ms
}

func token(t *testing.T, re *regexp.Regexp, text string) string {
	t.Helper()
	m := re.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no %s link in:\n%s", re, text)
	}
	return m[1]
}

// TestEmailAlerts: the "done when" by e-mail. Node B aggregates
// node A and mails through a real SMTP server on 127.0.0.1. Through the
// API, Ana (Spanish, one mail per job) and Bob (a daily digest) subscribe
// to "remote Go jobs open to Argentina, at least USD 1,500 a month" (each
// named in their own language), Eve to every job; each confirms by the mailed link (which works once). A
// matching job published on A reaches Ana at once and Bob in his next
// digest, a day later; a job that does not match reaches nobody; Ana's
// one-click unsubscribe stops her mails; Eve, never confirmed, gets none.
func TestEmailAlerts(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		srv := smtptest.Start(t)
		a := nodetest.New(t, open, "SoberaniaX", "soberaniax")
		clock := &laterClock{}
		b := nodetest.NewWith(t, open, "EthiX", "ethix", nodetest.Options{SMTPURL: srv.URL(), Now: clock.Now})
		a.Coop(t, directory.Coop{Handle: "gcoop", Name: "Gcoop", Country: "AR", City: "Rosario", Workers: 26,
			Website: "https://gcoop.example", Languages: []string{"es"}, Summary: "Cooperativa de software."})
		b.Follow(t, a.Acct())
		nodetest.Eventually(t, "B follows A", func() bool { return b.Accepted(t) })

		query := "remote=remote&skill=go&live_in=AR&salary_min=1500&salary_currency=USD"
		body := func(email, query, freq string) string {
			raw, _ := json.Marshal(map[string]string{"email": email, "query": query, "frequency": freq})
			return string(raw)
		}

		// Bad input: 400 naming the field; nothing mailed.
		for _, c := range []struct{ body, field string }{
			{body("not an address", query, "daily"), "email"},
			{body("ana@example.org", query, "hourly"), "frequency"},
			{body("ana@example.org", "remote=sometimes", "daily"), "query"},
			{body("ana@example.org", "%zz", "daily"), "query"},
		} {
			if st, got := postAlert(t, b.URL, c.body); st != 400 || got["field"] != c.field || got["error"] == "" {
				t.Fatalf("%s: %d %v, want 400 naming %s", c.body, st, got, c.field)
			}
		}
		// An empty query is every job, and the answer says so.
		st, eve := postAlert(t, b.URL, body("eve@example.org", "", "weekly"))
		if st != 202 || eve["search"] != "All jobs on EthiX" || eve["status"] != "pending" {
			t.Fatalf("every job: %d %v", st, eve)
		}
		st, ana := postAlert(t, b.URL, body("Ana@Example.org", "?"+query, "instant"), "Accept-Language", "es")
		if st != 202 || ana["search"] != "Empleos remotos de Go abiertos a Argentina, desde USD 1.500 por mes" {
			t.Fatalf("ana: %d %v", st, ana)
		}
		st, bob := postAlert(t, b.URL, body("bob@example.org", "salary_currency=usd&live_in=ar&skill=Go&remote=remote&salary_min=1500", "daily"))
		if st != 202 || bob["query"] != ana["query"] || bob["search"] != "Remote Go jobs open to Argentina, at least USD 1,500 a month" {
			t.Fatalf("bob, the same search written another way: %d %v (ana's %v)", st, bob, ana)
		}

		// Confirmation mails, in each one's language; links work once.
		anaConfirm := waitTo(t, srv, "ana@example.org", 1)[0]
		if anaConfirm.Subject != "Confirma tu alerta de empleos en EthiX" || !strings.Contains(anaConfirm.Text, "un correo por cada empleo nuevo") ||
			!strings.Contains(anaConfirm.HTML, "Confirmar mi alerta") {
			t.Fatalf("ana's confirmation: %s\n%s", anaConfirm.Subject, anaConfirm.Text)
		}
		bobConfirm := waitTo(t, srv, "bob@example.org", 1)[0]
		if bobConfirm.Subject != "Confirm your job alert on EthiX" || !strings.Contains(bobConfirm.Text, "in a daily digest") {
			t.Fatalf("bob's confirmation: %s\n%s", bobConfirm.Subject, bobConfirm.Text)
		}
		waitTo(t, srv, "eve@example.org", 1)
		browser := newBrowser(t, b.URL)
		anaToken := token(t, confirmRE, anaConfirm.Text)
		resp, page := browser.get("/alerts/confirm?token=" + anaToken)
		expect(t, "ana's link asks", resp, 200, page, `action="/alerts/confirm"`)
		resp, page = browser.get("/alerts/confirm?token=" + anaToken) // opening it twice uses nothing up
		expect(t, "ana's link asks again", resp, 200, page, "ana@example.org")
		resp, page = browser.post("/alerts/confirm", url.Values{"token": {anaToken}})
		expect(t, "ana confirms", resp, 200, page, "ana@example.org gets the new jobs of this search by e-mail")
		resp, page = browser.get("/alerts/confirm?token=" + anaToken)
		expect(t, "ana's link again", resp, 410, page, "This link has expired or was used already")
		resp, page = browser.post("/alerts/confirm", url.Values{"token": {anaToken}})
		expect(t, "ana's link posted again", resp, 410, page, "This link has expired or was used already")
		resp, page = browser.post("/alerts/confirm", url.Values{"token": {token(t, confirmRE, bobConfirm.Text)}})
		expect(t, "bob confirms", resp, 200, page, "bob@example.org")
		resp, page = browser.get("/alerts/confirm?token=nothing")
		expect(t, "a made-up link", resp, 410, page, "expired or was used already")

		// A confirmed address asking again gets the same answer, and no mail.
		if st, again := postAlert(t, b.URL, body("bob@example.org", query, "daily")); st != 202 || again["message"] != bob["message"] {
			t.Fatalf("bob again: %d %v", st, again)
		}

		// Jobs on A, aggregated by B: one that does not match, one that does.
		job := func(title string, skills []string, min int64) *directory.Job {
			t.Helper()
			j := a.Job(t, "gcoop", directory.Job{Title: title, Description: "APIs.", Skills: skills, Remote: "remote",
				Eligible: []string{"latam"}, EmploymentType: "full_time", ApplyEmail: "jobs@gcoop.example",
				Salary: &directory.Salary{Min: min, Max: min + 500, Currency: "USD", Period: "month"}})
			nodetest.Eventually(t, "B has "+title, func() bool {
				got, err := b.Store.JobByAPID(t.Context(), j.APID)
				return err == nil && got.Title == title
			})
			return j
		}
		job("Rust firmware", []string{"rust"}, 3000)
		goJob := job("Go backend", []string{"go"}, 2000)

		// Ana's instant mail: the job, its co-op, its pay, its link, and a
		// one-click unsubscribe in the text and the headers.
		ms := waitTo(t, srv, "ana@example.org", 2)
		m := ms[1]
		if m.Subject != "Empleo nuevo: Go backend" || !strings.Contains(m.Text, "\u201cEmpleos remotos de Go abiertos a Argentina, desde USD 1.500 por mes\u201d") || !strings.Contains(m.Text, "Go backend, Gcoop, USD 2.000\u20132.500 al mes") || !strings.Contains(m.Text, goJob.APID) ||
			!strings.Contains(m.HTML, `href="`+goJob.APID+`"`) || strings.Contains(m.Text, "Rust") {
			t.Fatalf("ana's job mail: %s\n%s\n%s", m.Subject, m.Text, m.HTML)
		}
		anaUnsub := token(t, unsubRE, m.Text)
		if got := m.Header.Get("List-Unsubscribe"); got != "<"+b.URL+"/alerts/unsubscribe?token="+anaUnsub+">" {
			t.Fatalf("List-Unsubscribe: %q", got)
		}
		if got := m.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
			t.Fatalf("List-Unsubscribe-Post: %q", got)
		}
		// Bob's digest is not due before a day has passed.
		if got := srv.To("bob@example.org"); len(got) != 1 {
			t.Fatalf("bob got a digest before its day: %d mails", len(got))
		}

		// The one-click unsubscribe of RFC 8058: a POST to the header's URL.
		resp, page = browser.get("/alerts/unsubscribe?token=" + anaUnsub)
		expect(t, "the unsubscribe page asks", resp, 200, page, `action="/alerts/unsubscribe"`)
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, b.URL+"/alerts/unsubscribe?token="+anaUnsub,
			strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		oneClick, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		oneClick.Body.Close()
		if oneClick.StatusCode != 200 {
			t.Fatalf("one-click unsubscribe: %d", oneClick.StatusCode)
		}
		resp, page = browser.get("/alerts/unsubscribe?token=" + anaUnsub)
		expect(t, "unsubscribed", resp, 200, page, "ana@example.org gets no more mails")

		// Another matching job: in Bob's digest a day later, not to Ana.
		second := job("Go platform", []string{"go", "kubernetes"}, 1800)
		// B stores a job, then matches it: wait for the match before the day
		// passes, as a day would.
		nodetest.Eventually(t, "B's search finds Go platform", func() bool {
			ss, err := b.Store.SearchesAnnounced(t.Context(), second.APID)
			for _, s := range ss {
				if s.Query == ana["query"] {
					return true
				}
			}
			return err == nil && false
		})
		clock.Advance(25 * time.Hour)
		ms = waitTo(t, srv, "bob@example.org", 2)
		d := ms[1]
		if d.Subject != "New jobs for \u201cRemote Go jobs open to Argentina, at least USD 1,500 a month\u201d: 2" ||
			!strings.Contains(d.Text, goJob.APID) || !strings.Contains(d.Text, second.APID) || !strings.Contains(d.Text, "USD 1,800\u20132,300 a month") ||
			strings.Contains(d.Text, "Rust") || !strings.Contains(d.Text, "/alerts/unsubscribe?token=") || d.Header.Get("List-Unsubscribe") == "" {
			t.Fatalf("bob's digest: %s\n%s", d.Subject, d.Text)
		}
		if got := srv.To("ana@example.org"); len(got) != 2 {
			t.Fatalf("ana got %d mails after unsubscribing", len(got)-2)
		}
		if got := srv.To("eve@example.org"); len(got) != 1 {
			t.Fatalf("eve, never confirmed, got %d mails", len(got))
		}
	})
}

// TestAlertFormAndBounce: the follow page's form starts an alert in the
// page's language; a recipient's server refusing the alert's mail for
// good (550) marks it bounced, and it gets nothing more; requests beyond
// the limit get 429.
func TestAlertFormAndBounce(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		srv := smtptest.Start(t)
		n := nodetest.NewWith(t, open, "EthiX", "ethix", nodetest.Options{SMTPURL: srv.URL()})
		n.Coop(t, directory.Coop{Handle: "gcoop", Name: "Gcoop", Country: "AR", City: "Rosario", Workers: 26,
			Website: "https://gcoop.example", Languages: []string{"es"}, Summary: "Cooperativa de software."})
		browser := newBrowser(t, n.URL)
		resp, page := browser.get("/follow?skill=go")
		expect(t, "the follow page offers alerts", resp, 200, page, "Get these jobs by e-mail")
		if !strings.Contains(page, `name="query" value="skill=go"`) {
			t.Fatalf("the form does not carry the search:\n%s", page)
		}
		resp, page = browser.post("/alerts", url.Values{"email": {"nadie@example.org"}, "query": {"skill=go"}, "frequency": {"instant"}},
			"Accept-Language", "es")
		expect(t, "subscribed from the form", resp, 200, page, "le llega un enlace para confirmar")
		resp, page = browser.post("/alerts", url.Values{"email": {"x"}, "query": {"skill=go"}, "frequency": {"instant"}})
		expect(t, "a bad address from the form", resp, 400, page, "Back to the search")
		resp, page = browser.post("/alerts", url.Values{"email": {"otra@example.org"}, "query": {"skill=go"}, "frequency": {"instant"}})
		expect(t, "another from the form", resp, 200, page, "a link to confirm the alert is on its way")

		m := waitTo(t, srv, "nadie@example.org", 1)[0]
		if m.Subject != "Confirma tu alerta de empleos en EthiX" {
			t.Fatalf("confirmation: %s", m.Subject)
		}
		resp, page = browser.post("/alerts/confirm", url.Values{"token": {token(t, confirmRE, m.Text)}})
		expect(t, "confirmed", resp, 200, page, "nadie@example.org")
		m = waitTo(t, srv, "otra@example.org", 1)[0]
		resp, page = browser.post("/alerts/confirm", url.Values{"token": {token(t, confirmRE, m.Text)}})
		expect(t, "confirmed", resp, 200, page, "otra@example.org")

		// Nadie's address stops existing: her first alert mail bounces.
		srv.Reject("nadie@example.org")
		job := func(title string) {
			n.Job(t, "gcoop", directory.Job{Title: title, Description: "APIs.", Skills: []string{"go"}, Remote: "remote",
				Eligible: []string{"latam"}, EmploymentType: "full_time", ApplyEmail: "jobs@gcoop.example"})
		}
		job("Go backend")
		waitTo(t, srv, "otra@example.org", 2)
		nodetest.Eventually(t, "the alert bounces", func() bool {
			ms, err := n.Store.Mails(t.Context(), directory.MailFailed, 10)
			return err == nil && len(ms) == 1 && ms[0].To == "nadie@example.org" && strings.Contains(ms[0].LastError, "550")
		})
		// The next job goes to Otra, and to nobody else: nothing waits, and
		// no more failures.
		job("Go platform")
		if got := waitTo(t, srv, "otra@example.org", 3)[2]; got.Subject != "New job: Go platform" {
			t.Fatalf("otra's second job: %s", got.Subject)
		}
		// (Otra's last mail may still wait to be marked sent.)
		pending, err := n.Store.Mails(t.Context(), directory.MailPending, 10)
		failed, err2 := n.Store.Mails(t.Context(), directory.MailFailed, 10)
		if err != nil || err2 != nil || len(failed) != 1 {
			t.Fatalf("after the bounce: %d failed (%v %v)", len(failed), err, err2)
		}
		for _, m := range pending {
			if m.To == "nadie@example.org" {
				t.Fatalf("a mail queued for a bounced alert: %+v", m)
			}
		}

		// Requests beyond the limit from one address: 429 with Retry-After.
		var last *http.Response
		for i := range 5 {
			last, _ = browser.post("/alerts", url.Values{"email": {"p" + string(rune('a'+i)) + "@example.org"}, "query": {"skill=go"}, "frequency": {"daily"}})
		}
		if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
			t.Fatalf("beyond the limit: %d", last.StatusCode)
		}
	})
}
