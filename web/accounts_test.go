package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/storetest"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// browser is an HTTP client with cookies that posts forms as a page of
// the node itself would.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values, header ...string) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(b.t.Context(), method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", b.base)
	}
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

func (b *browser) get(path string) (*http.Response, string) { return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, form url.Values, header ...string) (*http.Response, string) {
	return b.do(http.MethodPost, path, form, header...)
}

var linkRE = regexp.MustCompile(`/password\?token=([A-Za-z0-9_-]+)`)

// acceptInvite sets a password through the one-time link in text, as the
// invited person does, and returns their logged-in browser.
func acceptInvite(t *testing.T, base, text, password string) *browser {
	t.Helper()
	m := linkRE.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no one-time link in:\n%s", text)
	}
	b := newBrowser(t, base)
	if resp, body := b.get("/password?token=" + m[1]); resp.StatusCode != 200 || !strings.Contains(body, `name="token" value="`+m[1]+`"`) {
		t.Fatalf("password form: %d", resp.StatusCode)
	}
	resp, _ := b.post("/password", url.Values{"token": {m[1]}, "password": {password}, "confirm": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("setting a password: %d", resp.StatusCode)
	}
	return b
}

func expect(t *testing.T, what string, resp *http.Response, status int, body, want string) {
	t.Helper()
	if resp.StatusCode != status || !strings.Contains(body, want) {
		t.Fatalf("%s: %d (want %d), looking for %q in:\n%.3000s", what, resp.StatusCode, status, want, body)
	}
}

// TestAccountFlow: the admin invites a co-op's first member, who sets a
// password, publishes an opening from the browser, sees it federate to a
// follower node, closes it, invites a colleague and logs out.
func TestAccountFlow(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		keys := &nodetest.KeyPool{Size: 2}
		a := nodetest.NewWith(t, open, "SoberaniaX", "soberaniax", nodetest.Options{Keys: keys})
		follower := nodetest.NewWith(t, open, "EthiX", "ethix", nodetest.Options{Keys: keys})
		follower.Follow(t, a.Acct())
		nodetest.Eventually(t, "the follow accepted", func() bool { return follower.Accepted(t) })

		_, raw, err := a.Svc.InviteUser(t.Context(), directory.Principal{Admin: true}, "admin@soberaniax.example", true, "")
		if err != nil {
			t.Fatal(err)
		}
		admin := acceptInvite(t, a.URL, "/password?token="+raw, "correct horse battery")
		resp, body := admin.get("/admin/people")
		expect(t, "admin console", resp, 200, body, "admin@soberaniax.example")

		resp, body = admin.post("/admin/coops", url.Values{"handle": {"Bad Handle"}, "name": {"X"}, "country": {"AR"}})
		expect(t, "bad handle", resp, 400, body, `aria-invalid="true" aria-describedby="c-handle-error"`)
		resp, body = admin.post("/admin/coops", url.Values{"handle": {"hornero"}, "name": {"Hornero"}, "country": {"AR"}, "workers": {"26"}})
		expect(t, "co-op created", resp, 200, body, "Hornero was added")
		resp, body = admin.post("/admin/invite", url.Values{"email": {"ana@hornero.example"}, "coop": {"hornero"}})
		expect(t, "invitation", resp, 200, body, "/password?token=")

		ana := acceptInvite(t, a.URL, body, "una clave larga")
		resp, body = ana.get("/dashboard")
		expect(t, "dashboard", resp, 200, body, "<h1>Hornero</h1>")

		// Inline errors, next to the field.
		resp, body = ana.post("/dashboard/jobs", url.Values{"title": {""}, "remote": {"remote"}, "employment_type": {"full_time"}})
		expect(t, "job without a title", resp, 400, body, `<p id="job-title-error" class="field-error">This is required.</p>`)
		// In the member's language.
		resp, body = ana.post("/dashboard/jobs", url.Values{"title": {"T"}, "description": {"d"}, "remote": {"onsite"},
			"country": {"ZZ"}, "employment_type": {"full_time"}, "apply_email": {"a@b.example"}}, "Accept-Language", "es")
		expect(t, "bad country, in Spanish", resp, 400, body, `<p id="job-country-error" class="field-error">Usá un código de país de dos letras, como AR, GB o ES.</p>`)

		resp, _ = ana.post("/dashboard/jobs", url.Values{"title": {"Desarrolladora Go"}, "description": {"APIs en **Go**."},
			"skills": {"go, postgresql"}, "remote": {"remote"}, "country": {"AR"}, "employment_type": {"full_time"},
			"salary_min": {"2500"}, "salary_max": {"3200"}, "salary_currency": {"usd"}, "salary_period": {"month"},
			"languages": {"es"}, "apply_email": {"jobs@hornero.example"}, "valid_through": {"2099-01-31"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", resp.StatusCode)
		}
		res, err := a.Svc.SearchJobs(t.Context(), directory.JobQuery{Text: directory.ParseQuery("desarrolladora")})
		if err != nil || res.Total != 1 || res.Items[0].Salary.Currency != "USD" || res.Items[0].ValidThrough.Year() != 2099 {
			t.Fatalf("published job: %+v %v", res, err)
		}
		job := res.Items[0]
		nodetest.Eventually(t, "the job on the follower", func() bool {
			r, err := follower.Svc.SearchJobs(t.Context(), directory.JobQuery{Text: directory.ParseQuery("desarrolladora")})
			return err == nil && r.Total == 1
		})

		// Editing an opening federates as an Update; duplicating fills the
		// form for a new one.
		key := url.PathEscape(job.APID)
		resp, body = ana.get("/dashboard/jobs/" + key + "/edit")
		expect(t, "edit form", resp, 200, body, `value="Desarrolladora Go"`)
		if !strings.Contains(body, `action="/dashboard/jobs/`+key+`?coop=hornero"`) {
			t.Errorf("the edit form does not post to the opening:\n%s", body)
		}
		form := url.Values{"title": {"Desarrolladora Go senior"}, "description": {"APIs en **Go**."}, "skills": {"go"},
			"remote": {"remote"}, "country": {"AR"}, "employment_type": {"full_time"}, "languages": {"es"},
			"apply_email": {"jobs@hornero.example"}, "valid_through": {"2099-01-31"}}
		if resp, _ = ana.post("/dashboard/jobs/"+key, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save edit: %d", resp.StatusCode)
		}
		nodetest.Eventually(t, "the edit on the follower", func() bool {
			r, err := follower.Svc.SearchJobs(t.Context(), directory.JobQuery{Text: directory.ParseQuery("senior")})
			return err == nil && r.Total == 1 && r.Items[0].Salary == nil
		})
		resp, body = ana.get("/dashboard/jobs/" + key + "/edit?copy=1")
		expect(t, "duplicate form", resp, 200, body, `value="Desarrolladora Go senior"`)
		if !strings.Contains(body, `action="/dashboard/jobs?coop=hornero"`) {
			t.Error("the duplicate form does not make a new opening")
		}

		// A logo: checked, served, and the actor's icon.
		upload := func(name string, data []byte) (*http.Response, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("logo", name)
			fw.Write(data)
			mw.Close()
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, a.URL+"/dashboard/logo", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err := ana.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}
		resp, body = upload("evil.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`))
		expect(t, "an SVG posing as PNG", resp, 400, body, `id="logo-error"`)
		resp, body = upload("huge.png", make([]byte, directory.MaxLogoBytes+100<<10))
		expect(t, "a huge upload", resp, 413, body, `id="logo-error"`)
		logo := storetest.PNG(t, 48, 48)
		resp, body = upload("logo.png", logo)
		expect(t, "logo", resp, 200, body, "Logo saved")
		lr, lbody := ana.get("/coops/hornero/logo")
		if lr.StatusCode != 200 || lr.Header.Get("Content-Type") != "image/png" || lbody != string(logo) {
			t.Errorf("served logo: %d %s", lr.StatusCode, lr.Header.Get("Content-Type"))
		}
		areq, _ := http.NewRequest(http.MethodGet, a.URL+"/coops/hornero", nil)
		areq.Header.Set("Accept", "application/activity+json")
		if ar, err := http.DefaultClient.Do(areq); err == nil {
			var actor map[string]any
			_ = json.NewDecoder(ar.Body).Decode(&actor)
			ar.Body.Close()
			icon, _ := actor["icon"].(map[string]any)
			if icon == nil || icon["mediaType"] != "image/png" || !strings.HasPrefix(icon["url"].(string), a.URL+"/coops/hornero/logo") {
				t.Errorf("actor icon: %v", actor["icon"])
			} else if _, page := ana.get("/coops/hornero"); !strings.Contains(page, `src="`+strings.TrimPrefix(icon["url"].(string), a.URL)+`"`) {
				t.Errorf("the co-op's page and its actor name the logo differently: %s", icon["url"])
			}
		}

		// A preview shows the profile as the directory would, without saving.
		resp, body = ana.post("/dashboard/profile", url.Values{"name": {"Hornero Preview"}, "summary": {"Vista previa."},
			"country": {"AR"}, "city": {"Rosario"}, "workers": {"30"}, "preview": {"1"}})
		expect(t, "preview", resp, 200, body, `id="preview"`)
		if !strings.Contains(body, "<h3>Hornero Preview</h3>") {
			t.Error("the preview does not show the new name")
		}
		if c, _ := a.Svc.Coop(t.Context(), "hornero"); c.Name == "Hornero Preview" {
			t.Error("the preview saved the profile")
		}
		resp, body = ana.post("/dashboard/profile", url.Values{"name": {""}, "country": {"AR"}, "workers": {"3"}, "preview": {"1"}})
		expect(t, "preview of an invalid profile", resp, 400, body, `id="p-name-error"`)

		// Profile edits federate as an actor Update.
		resp, body = ana.post("/dashboard/profile", url.Values{"name": {"Hornero Cooperativa"}, "summary": {"Software libre."},
			"country": {"AR"}, "city": {"Rosario"}, "workers": {"27"}, "skills": {"go"}, "languages": {"es"}})
		expect(t, "profile", resp, 200, body, "Profile saved")
		nodetest.Eventually(t, "the new name on the follower", func() bool {
			c, err := follower.Svc.FindCoop(t.Context(), "hornero@"+a.Host)
			return err == nil && c.Name == "Hornero Cooperativa" && c.Workers == 27
		})

		// Closing asks to confirm, then takes it down everywhere.
		resp, body = ana.post("/dashboard/jobs/"+url.PathEscape(job.APID)+"/close", url.Values{})
		expect(t, "close asks to confirm", resp, 200, body, `name="confirm" value="1"`)
		if _, err := a.Svc.Job(t.Context(), job.APID); err != nil {
			t.Fatal("the first step closed the job")
		}
		resp, _ = ana.post("/dashboard/jobs/"+url.PathEscape(job.APID)+"/close", url.Values{"confirm": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("close: %d", resp.StatusCode)
		}
		if resp, _ := ana.get(strings.TrimPrefix(job.APID, a.URL)); resp.StatusCode != http.StatusGone {
			t.Errorf("closed job page: %d", resp.StatusCode)
		}
		nodetest.Eventually(t, "the job gone from the follower", func() bool {
			r, err := follower.Svc.SearchJobs(t.Context(), directory.JobQuery{Text: directory.ParseQuery("desarrolladora")})
			return err == nil && r.Total == 0
		})

		// A member invites a colleague; the audit log shows who did what.
		resp, body = ana.post("/dashboard/invite", url.Values{"email": {"bea@hornero.example"}})
		expect(t, "colleague invited", resp, 200, body, "/password?token=")
		_, people := admin.get("/admin/people")
		_, audit := admin.get("/admin/audit")
		for _, want := range []string{"bea@hornero.example", "job.publish", "job.close", "coop.update", "ana@hornero.example"} {
			if !strings.Contains(people+audit, want) {
				t.Errorf("admin console lacks %q", want)
			}
		}

		// Every page of an account, in both languages, fully translated.
		ids := messageIDs(t)
		for _, lang := range []string{"en", "es"} {
			for _, pg := range []struct {
				b    *browser
				path string
			}{{admin, "/admin"}, {admin, "/admin/people"}, {admin, "/admin/follows"}, {admin, "/admin/followers"},
				{admin, "/admin/blocks"}, {admin, "/admin/deliveries"}, {admin, "/admin/mail"}, {admin, "/admin/rates"},
				{admin, "/admin/settings"}, {admin, "/admin/audit"}, {ana, "/dashboard"}, {ana, "/dashboard/profile"},
				{ana, "/dashboard/questions"}, {ana, "/dashboard/colleagues"}, {ana, "/dashboard/follows"}, {ana, "/account"}} {
				_, body := pg.b.do(http.MethodGet, pg.path, nil, "Accept-Language", lang)
				for _, id := range ids {
					if strings.Contains(body, id) {
						t.Errorf("%s in %s shows the message id %q", pg.path, lang, id)
					}
				}
			}
		}

		// A member makes an API token on the account page, uses it, revokes it.
		resp, body = ana.post("/account/tokens", url.Values{"label": {"deploy bot"}})
		expect(t, "token made", resp, 200, body, `id="new-token"`)
		tok := regexp.MustCompile(`id="new-token"|value="(colmena_[A-Za-z0-9_-]+)"`).FindAllStringSubmatch(body, -1)
		var secret string
		for _, m := range tok {
			if m[1] != "" {
				secret = m[1]
			}
		}
		api := func() int {
			req, _ := http.NewRequest(http.MethodPatch, a.URL+"/api/v1/coops/hornero", strings.NewReader(`{"city":"Rosario"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+secret)
			r, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			return r.StatusCode
		}
		if secret == "" || api() != 200 {
			t.Fatalf("the token from the web does not work (%q)", secret)
		}
		m := regexp.MustCompile(`action="/account/tokens/(\d+)/revoke"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no revoke button")
		}
		ana.post("/account/tokens/"+m[1]+"/revoke", url.Values{})
		if got := api(); got != 401 {
			t.Errorf("a revoked token: %d", got)
		}

		// The follower node shows among the federation's followers; a co-op
		// hosted there joins the federation from the console.
		// It is named by its handle, not by its actor's URL.
		if _, body := admin.get("/admin/followers"); !regexp.MustCompile(`class="handle-line">@[^<@]+@`+regexp.QuoteMeta(follower.Host)+`<`).MatchString(body) ||
			strings.Contains(body, ">"+follower.URL+"/actor") {
			t.Errorf("the console does not list the federation's follower %s:\n%s", follower.URL, body)
		}
		follower.Coop(t, directory.Coop{Handle: "larkspur", Name: "Larkspur Collective", Country: "GB", Workers: 9})
		resp, _ = admin.post("/admin/members", url.Values{"coop": {"larkspur@" + follower.Host}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add member: %d", resp.StatusCode)
		}
		page, err := a.Svc.ListCoops(t.Context(), directory.CoopQuery{Federations: []string{"soberaniax"}, Accounts: []string{"larkspur@" + follower.Host}})
		if err != nil || page.Total != 1 {
			t.Fatalf("the member from another node: %v %v", page, err)
		}
		resp, body = admin.post("/admin/members", url.Values{"coop": {"nobody"}})
		expect(t, "bad member", resp, 400, body, `id="m-coop-error"`)

		// The admin renames the federation; the follower node hears of it.
		resp, body = admin.post("/admin/settings", url.Values{"name": {"SoberaniaX Argentina"}, "summary": {"Federación."}, "languages": {"es, xx!"}})
		expect(t, "bad language", resp, 400, body, `id="s-languages-error"`)
		resp, body = admin.post("/admin/settings", url.Values{"name": {"SoberaniaX Argentina"}, "summary": {"Federación."}, "languages": {"es, en"}})
		expect(t, "settings", resp, 200, body, "Saved.")
		if _, body := newBrowser(t, a.URL).get("/federation"); !strings.Contains(body, `<h1 dir="auto">SoberaniaX Argentina</h1>`) {
			t.Error("the federation page keeps the old name")
		}
		nodetest.Eventually(t, "the new name on the follower", func() bool {
			st, err := follower.Svc.Stats(t.Context())
			if err != nil {
				return false
			}
			for _, f := range st.Federations {
				if f.Federation.Name == "SoberaniaX Argentina" {
					return true
				}
			}
			return false
		})

		// The admin blocks and unblocks a domain from the console, in two
		// steps: what the block purges, then the block.
		resp, body = admin.post("/admin/blocks", url.Values{"domain": {"spam.example"}})
		expect(t, "block asks to confirm", resp, 200, body, "Block spam.example?")
		resp, _ = admin.post("/admin/blocks", url.Values{"domain": {"spam.example"}, "confirm": {"1"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/blocks" {
			t.Fatalf("block: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, body := admin.get("/admin/blocks"); !strings.Contains(body, `name="domain" value="spam.example"`) {
			t.Error("the blocked domain is not listed")
		}
		resp, body = admin.post("/admin/blocks", url.Values{"domain": {"not a domain"}})
		expect(t, "bad domain", resp, 400, body, `id="b-domain-error"`)
		admin.post("/admin/blocks/remove", url.Values{"domain": {"spam.example"}})
		if _, body := admin.get("/admin/blocks"); strings.Contains(body, `value="spam.example"`) {
			t.Error("the domain is still blocked")
		}

		// Suspending a co-op takes it out of search here and on the
		// follower; reinstating brings it back.
		a.Job(t, "hornero", directory.Job{Title: "Analista de datos", Description: "d", Remote: "remote",
			EmploymentType: "contract", ApplyEmail: "jobs@hornero.example"})
		count := func(node *nodetest.Node) int {
			r, err := node.Svc.SearchJobs(t.Context(), directory.JobQuery{Text: directory.ParseQuery("analista")})
			if err != nil {
				t.Fatal(err)
			}
			return r.Total
		}
		nodetest.Eventually(t, "the job on the follower", func() bool { return count(follower) == 1 })
		resp, body = admin.post("/admin/coops/hornero/suspend", url.Values{"suspended": {"1"}})
		expect(t, "suspend", resp, 200, body, "is suspended")
		if count(a) != 0 {
			t.Error("a suspended co-op's job is still in search")
		}
		if resp, _ := admin.get("/coops/hornero"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a suspended co-op's page: %d", resp.StatusCode)
		}
		nodetest.Eventually(t, "the suspension on the follower", func() bool {
			page, err := follower.Svc.ListCoops(t.Context(), directory.CoopQuery{Accounts: []string{"hornero@" + a.Host}})
			return count(follower) == 0 && err == nil && page.Total == 0
		})
		resp, body = admin.post("/admin/coops/hornero/suspend", url.Values{"suspended": {"0"}})
		expect(t, "reinstate", resp, 200, body, "is back")
		nodetest.Eventually(t, "the co-op back on the follower", func() bool { return count(a) == 1 && count(follower) == 1 })
		if resp, _ := ana.post("/admin/coops/hornero/suspend", url.Values{"suspended": {"1"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a member suspends her co-op: %d", resp.StatusCode)
		}

		// Deleting a co-op needs its handle typed again; then its actor is
		// gone (410) and the follower forgets it.
		resp, body = admin.post("/admin/coops/hornero/delete", url.Values{"confirm": {"hornerO"}})
		expect(t, "unconfirmed delete", resp, 400, body, "Nothing was deleted")
		if _, err := a.Svc.Coop(t.Context(), "hornero"); err != nil {
			t.Fatal("deleted without confirmation")
		}
		resp, body = admin.post("/admin/coops/hornero/delete", url.Values{"confirm": {"hornero"}})
		expect(t, "delete", resp, 200, body, "hornero was deleted")
		req, _ := http.NewRequest(http.MethodGet, a.URL+"/coops/hornero", nil)
		req.Header.Set("Accept", "application/activity+json")
		if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != http.StatusGone {
			t.Errorf("deleted co-op's actor: %v %v", err, r)
		} else {
			r.Body.Close()
		}
		nodetest.Eventually(t, "the follower forgets the co-op", func() bool {
			_, err := follower.Svc.FindCoop(t.Context(), "hornero@"+a.Host)
			return directory.KindOf(err) == directory.KindNotFound
		})

		// Logging out ends the session for good.
		cookie := sessionCookie(t, ana, a.URL)
		resp, _ = ana.post("/logout", url.Values{})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", resp.StatusCode)
		}
		replay := newBrowser(t, a.URL)
		resp, _ = replay.do(http.MethodGet, "/dashboard", nil, "Cookie", "colmena_session="+cookie)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("an ended session still works: %d", resp.StatusCode)
		}
	})
}

func messageIDs(t *testing.T) []string {
	t.Helper()
	var en map[string]any
	if _, err := toml.DecodeFile("locales/en.toml", &en); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(en))
	for k := range en {
		ids = append(ids, k)
	}
	return ids
}

func sessionCookie(t *testing.T, b *browser, base string) string {
	t.Helper()
	u, _ := url.Parse(base)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == "colmena_session" {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// TestAccountSecurity: who may open what, cookies, CSRF, rate limits.
func TestAccountSecurity(t *testing.T) {
	a := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	ctx := t.Context()
	admin := directory.Principal{Admin: true}
	for _, h := range []string{"hornero", "tacuara"} {
		a.Coop(t, directory.Coop{Handle: h, Name: h, Country: "AR", Workers: 5})
	}
	other := a.Job(t, "tacuara", directory.Job{Title: "Rust developer", Description: "d", Remote: "remote",
		EmploymentType: "contract", ApplyEmail: "a@tacuara.example"})
	_, raw, err := a.Svc.InviteUser(ctx, admin, "ana@hornero.example", false, "hornero")
	if err != nil {
		t.Fatal(err)
	}
	ana := acceptInvite(t, a.URL, "/password?token="+raw, "una clave larga")

	// The session cookie's attributes.
	anon := newBrowser(t, a.URL)
	resp, _ := anon.post("/login", url.Values{"email": {"ana@hornero.example"}, "password": {"una clave larga"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard" {
		t.Fatalf("login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == "colmena_session" {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure {
		t.Errorf("session cookie: %+v", c)
	}
	// next= stays on this site.
	resp, _ = newBrowser(t, a.URL).post("/login", url.Values{"email": {"ana@hornero.example"}, "password": {"una clave larga"},
		"next": {"//evil.example/"}})
	if loc := resp.Header.Get("Location"); loc != "/dashboard" {
		t.Errorf("login next= redirects to %q", loc)
	}

	// A member of one co-op cannot touch another's.
	resp, body := ana.post("/dashboard/jobs/"+url.PathEscape(other.APID)+"/close", url.Values{})
	expect(t, "closing another co-op's job", resp, 403, body, "")
	if _, err := a.Svc.Job(ctx, other.APID); err != nil {
		t.Fatal("the other co-op's job was closed")
	}
	resp, _ = ana.post("/dashboard/profile?coop=tacuara", url.Values{"name": {"Taken"}, "country": {"AR"}, "workers": {"3"}})
	if c, _ := a.Svc.Coop(ctx, "tacuara"); c.Name != "tacuara" {
		t.Fatalf("a member renamed another co-op (%d)", resp.StatusCode)
	}
	resp, body = ana.get("/admin")
	expect(t, "a member opens the console", resp, 403, body, "Not yours to see")
	resp, _ = ana.post("/admin/coops", url.Values{"handle": {"x"}, "name": {"X"}, "country": {"AR"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a member creates a co-op: %d", resp.StatusCode)
	}
	// Nobody logged in is sent to log in, and back after.
	resp, _ = newBrowser(t, a.URL).get("/dashboard")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Fdashboard" {
		t.Errorf("anonymous dashboard: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Cross-site form posts are refused, same-site ones pass.
	fresh := newBrowser(t, a.URL)
	for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
		req := url.Values{"email": {"ana@hornero.example"}, "password": {"una clave larga"}}
		hdr := []string{h[0], h[1]}
		if h[0] == "Origin" {
			hdr = append(hdr, "Sec-Fetch-Site", "")
		}
		resp, body := fresh.post("/login", req, hdr...)
		expect(t, "cross-site post "+h[0], resp, 403, body, "another site")
	}
	resp, body = ana.post("/account/password", url.Values{"current": {"una clave larga"}, "password": {"otra clave larga"},
		"confirm": {"otra clave larga"}}, "Sec-Fetch-Site", "cross-site")
	expect(t, "cross-site password change", resp, 403, body, "")
	if _, err := a.Svc.Login(ctx, "ana@hornero.example", "una clave larga"); err != nil {
		t.Fatal("a cross-site post changed the password")
	}

	// Unknown e-mails get the same answer as wrong passwords.
	_, wrongBody := newBrowser(t, a.URL).post("/login", url.Values{"email": {"ana@hornero.example"}, "password": {"not it at all"}})
	resp, unknownBody := newBrowser(t, a.URL).post("/login", url.Values{"email": {"nobody@example.org"}, "password": {"not it at all"}})
	if resp.StatusCode != http.StatusUnauthorized || unknownBody != strings.Replace(wrongBody, `value="ana@hornero.example"`, `value="nobody@example.org"`, 1) {
		t.Errorf("an unknown e-mail is answered differently: %d", resp.StatusCode)
	}

	// Repeated failures are slowed down: 429, even for the right password.
	// Every request here comes from 127.0.0.1, whose two failures above
	// count: three more make five.
	guesser := newBrowser(t, a.URL)
	for i := range 3 {
		resp, body := guesser.post("/login", url.Values{"email": {"ana@hornero.example"}, "password": {"guess " + strconv.Itoa(i)}})
		expect(t, "wrong password", resp, 401, body, "do not match")
	}
	resp, body = guesser.post("/login", url.Values{"email": {"ana@hornero.example"}, "password": {"una clave larga"}})
	expect(t, "rate limited", resp, 429, body, "Too many failed attempts")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}

	// The API keeps working for scripts, without Origin headers.
	tok, _ := a.Svc.CreateToken(ctx, "", "")
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/api/v1/coops", strings.NewReader(`{"handle":"ceibo","name":"Ceibo","country":"AR","workers":12}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	r, err := http.DefaultClient.Do(req)
	if err != nil || r.StatusCode != 201 {
		t.Fatalf("API create: %v %v", err, r)
	}
	r.Body.Close()
}
