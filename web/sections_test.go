package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

var currentRE = regexp.MustCompile(`<a href="([^"]+)" aria-current="page">`)

// currentSection is the section link the page's section navigation marks
// as current, the only one.
func currentSection(t *testing.T, body, nav string) string {
	t.Helper()
	i := strings.Index(body, `<nav class="section-nav" aria-label="`+nav+`">`)
	if i < 0 {
		t.Fatalf("no %q navigation", nav)
	}
	part := body[i:]
	part = part[:strings.Index(part, "</nav>")]
	m := currentRE.FindAllStringSubmatch(part, -1)
	if len(m) != 1 {
		t.Fatalf("%d current sections in %s", len(m), part)
	}
	return m[0][1]
}

// TestConsoleSections: every section of the console has its own URL,
// reached in one click from a navigation that marks the one shown; /admin
// shows the first; a form's errors show in its section, and its POST
// leads back there.
func TestConsoleSections(t *testing.T) {
	n := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	admin := newAdmin(t, n)
	resp, body := admin.get("/admin")
	expect(t, "the console", resp, 200, body, `id="coops-heading"`)
	if got := currentSection(t, body, "Console sections"); got != "/admin/coops" {
		t.Errorf("/admin marks %s", got)
	}
	sections := map[string]string{"coops": `id="coops-heading"`, "people": `id="people-heading"`, "follows": `id="follows-heading"`,
		"followers": `id="followers-heading"`, "blocks": `id="blocks-heading"`, "deliveries": `id="deliveries-heading"`,
		"mail": `id="mail-heading"`, "rates": `id="rates-heading"`, "settings": `id="settings-heading"`, "audit": `id="audit-heading"`}
	for part, heading := range sections {
		path := "/admin/" + part
		if !strings.Contains(body, `href="`+path+`"`) {
			t.Errorf("the navigation lacks %s", path)
		}
		resp, page := admin.get(path)
		expect(t, path, resp, 200, page, heading)
		if got := currentSection(t, page, "Console sections"); got != path {
			t.Errorf("%s marks %s", path, got)
		}
		for other, h := range sections {
			if other != part && strings.Contains(page, h) {
				t.Errorf("%s shows the %s section too", path, other)
			}
		}
	}
	if resp, _ := admin.get("/admin/nothing"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown section: %d", resp.StatusCode)
	}
	resp, body = admin.post("/admin/settings", url.Values{"name": {""}, "languages": {"es"}})
	expect(t, "a settings error", resp, 400, body, `id="s-name-error"`)
	if got := currentSection(t, body, "Console sections"); got != "/admin/settings" {
		t.Errorf("a settings error shows %s", got)
	}
	resp, _ = admin.post("/admin/deliveries/retry", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/deliveries" {
		t.Errorf("retry leads to %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = admin.do(http.MethodGet, "/admin/blocks", nil, "Accept-Language", "es")
	expect(t, "the Spanish console", resp, 200, body, `aria-label="Secciones de la consola"`)
	if !strings.Contains(body, `aria-current="page">Bloqueos</a>`) {
		t.Error("the Spanish navigation does not mark Bloqueos")
	}
}

// newAdmin is a signed-in admin of node n.
func newAdmin(t *testing.T, n *nodetest.Node) *browser {
	t.Helper()
	_, raw, err := n.Svc.InviteUser(t.Context(), n.Admin, "admin@"+n.Handle+".example", true, "")
	if err != nil {
		t.Fatal(err)
	}
	return acceptInvite(t, n.URL, "/password?token="+raw, "correct horse battery")
}

// TestConsolePaging: the lists that grow page, with links to each page,
// and search.
func TestConsolePaging(t *testing.T) {
	n := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	admin := newAdmin(t, n)
	for i := range 30 {
		n.Coop(t, directory.Coop{Handle: fmt.Sprintf("coop%02d", i), Name: fmt.Sprintf("Cooperativa %02d", i), Country: "AR", Workers: 3})
	}
	resp, body := admin.get("/admin/coops")
	expect(t, "first page", resp, 200, body, "30 co-ops")
	count := func(body string) int { return strings.Count(body, `action="/admin/coops/coop`) / 2 }
	if got := count(body); got != 25 {
		t.Errorf("the first page lists %d co-ops", got)
	}
	for _, want := range []string{`<a href="/admin/coops" aria-current="page">1</a>`, `<a href="/admin/coops?page=2">2</a>`,
		`href="/admin/coops?page=2" rel="next"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the pager lacks %s", want)
		}
	}
	resp, body = admin.get("/admin/coops?page=2")
	expect(t, "second page", resp, 200, body, `href="/admin/coops" rel="prev"`)
	if got := count(body); got != 5 {
		t.Errorf("the second page lists %d co-ops", got)
	}
	if !strings.Contains(body, "Cooperativa 29") && !strings.Contains(body, "Cooperativa 00") {
		t.Error("the second page lacks the last co-ops")
	}
	if _, body = admin.get("/admin/coops?page=99"); count(body) != 5 {
		t.Error("a page past the end does not show the last")
	}
	resp, body = admin.get("/admin/coops?q=" + url.QueryEscape("cooperativa 1"))
	expect(t, "search", resp, 200, body, `value="cooperativa 1"`)
	if got := count(body); got != 10 || strings.Contains(body, "rel=\"next\"") {
		t.Errorf("searching finds %d co-ops", got)
	}
	// The audit log has one entry a co-op: paged, searched.
	resp, body = admin.get("/admin/audit?q=coop.create&page=2")
	expect(t, "audit page 2", resp, 200, body, `aria-current="page">2</a>`)
	if got := strings.Count(body, "<td>coop.create</td>"); got != 5 {
		t.Errorf("the audit log's second page has %d entries", got)
	}
	// So are people.
	for i := range 27 {
		if _, _, err := n.Svc.InviteUser(t.Context(), n.Admin, "person"+strconv.Itoa(i)+"@example.org", false, "coop01"); err != nil {
			t.Fatal(err)
		}
	}
	_, body = admin.get("/admin/people?page=2")
	if got := strings.Count(body, `<tr id="person-`); got != 3 {
		t.Errorf("people's second page lists %d", got)
	}
	_, body = admin.get("/admin/people?q=person2")
	if got := strings.Count(body, `<tr id="person-`); got != 8 { // person2, person20-26
		t.Errorf("searching people finds %d", got)
	}
}

// TestConsoleFollowsBlocks: follows and followers are named by name and
// handle, with their state; the admin unfollows from the console; a
// block first says what it will purge.
func TestConsoleFollowsBlocks(t *testing.T) {
	a := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	b := nodetest.NewWith(t, teststore.SQLite, "EthiX", "ethix", nodetest.Options{Hostname: "localhost"})
	b.Coop(t, directory.Coop{Handle: "outlandish", Name: "Outlandish", Country: "GB", Workers: 20})
	b.Job(t, "outlandish", directory.Job{Title: "Elixir developer", Description: "d", Remote: "remote", EmploymentType: "full_time",
		ApplyEmail: "jobs@outlandish.example"})
	fl := a.Follow(t, b.Acct())
	nodetest.Eventually(t, "A to list B's job", func() bool { return a.Accepted(t) && lists(jobTitles(t, a), "Elixir developer") })

	admin := newAdmin(t, a)
	_, body := admin.get("/admin/follows")
	row := regexp.MustCompile(`(?s)<tr id="follow-` + strconv.FormatInt(fl.ID, 10) + `">.*?</tr>`).FindString(body)
	for _, want := range []string{">EthiX</a>", `<span class="handle-line">@ethix@` + b.Host + `</span>`, "following",
		`action="/admin/follows/` + strconv.FormatInt(fl.ID, 10) + `/end"`, "Unfollow EthiX"} {
		if !strings.Contains(row, want) {
			t.Errorf("the follow's row lacks %q:\n%s", want, row)
		}
	}
	if strings.Contains(row, ">"+b.FederationActor()+"<") {
		t.Error("the follow is shown as its actor's URL")
	}
	bAdmin := newAdmin(t, b)
	_, body = bAdmin.get("/admin/followers")
	if !regexp.MustCompile(`<span class="handle-line">@[^<@]+@` + regexp.QuoteMeta(a.Host) + `</span>`).MatchString(body) {
		t.Errorf("B's followers do not name A by handle:\n%s", body)
	}

	// Blocking B's domain says what goes, and waits for a confirmation.
	resp, body := admin.post("/admin/blocks", url.Values{"domain": {"localhost"}})
	expect(t, "block, first step", resp, 200, body, "Block localhost?")
	for _, want := range []string{"1 co-op from it", "1 job of those co-ops", "2 follows of accounts there", // the federation and its member co-op
		`<input type="hidden" name="confirm" value="1">`} {
		if !strings.Contains(body, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, body[strings.Index(body, "block-confirm"):][:800])
		}
	}
	if bs, _ := a.Fed.Blocks(t.Context(), a.Admin); len(bs) != 0 {
		t.Fatalf("blocked before the confirmation: %v", bs)
	}
	resp, body = admin.post("/admin/blocks", url.Values{"domain": {a.Host}})
	expect(t, "blocking oneself", resp, 400, body, `id="b-domain-error"`)

	// Unfollowing from the console.
	resp, _ = admin.post("/admin/follows/"+strconv.FormatInt(fl.ID, 10)+"/end", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/follows" {
		t.Fatalf("unfollow: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if fs, _ := a.Fed.Follows(t.Context(), a.Admin); len(fs) != 0 {
		t.Errorf("follows after unfollowing: %+v", fs)
	}
	nodetest.Eventually(t, "B to lose its follower", func() bool {
		n, err := b.Svc.CountFollowers(t.Context(), b.FederationActor())
		return err == nil && n == 0
	})
	if _, body = admin.get("/admin/follows"); strings.Contains(body, "EthiX") {
		t.Error("the console still lists the follow")
	}

	resp, _ = admin.post("/admin/blocks", url.Values{"domain": {"localhost"}, "confirm": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("block: %d", resp.StatusCode)
	}
	if bs, _ := a.Fed.Blocks(t.Context(), a.Admin); len(bs) != 1 || bs[0] != "localhost" {
		t.Fatalf("blocks: %v", bs)
	}
}

// TestDashboardSections: the dashboard's sections have their own URLs and
// a navigation; /dashboard shows the openings.
func TestDashboardSections(t *testing.T) {
	n := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	n.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26})
	_, raw, err := n.Svc.InviteUser(t.Context(), n.Admin, "ana@hornero.example", false, "hornero")
	if err != nil {
		t.Fatal(err)
	}
	ana := acceptInvite(t, n.URL, "/password?token="+raw, "una clave larga")
	resp, body := ana.get("/dashboard")
	expect(t, "the dashboard", resp, 200, body, `id="jobs-heading"`)
	if got := currentSection(t, body, "Dashboard sections"); got != "/dashboard/openings" {
		t.Errorf("/dashboard marks %s", got)
	}
	sections := map[string]string{"openings": `id="job-form"`, "profile": `id="profile-form"`, "questions": `id="questions-heading"`,
		"colleagues": `id="invite-heading"`, "follows": `id="following-heading"`}
	for part, mark := range sections {
		path := "/dashboard/" + part
		resp, page := ana.get(path)
		expect(t, path, resp, 200, page, mark)
		if got := currentSection(t, page, "Dashboard sections"); got != path {
			t.Errorf("%s marks %s", path, got)
		}
		for other, m := range sections {
			if other != part && strings.Contains(page, m) {
				t.Errorf("%s shows the %s section too", path, other)
			}
		}
	}
	resp, body = ana.post("/dashboard/profile", url.Values{"name": {"Hornero"}, "country": {"XX"}, "workers": {"26"}})
	expect(t, "a profile error", resp, 400, body, `id="p-country-error"`)
	if got := currentSection(t, body, "Dashboard sections"); got != "/dashboard/profile" {
		t.Errorf("a profile error shows %s", got)
	}
	// The admin's links keep the co-op.
	admin := newAdmin(t, n)
	_, body = admin.get("/dashboard/profile?coop=hornero")
	if got := currentSection(t, body, "Dashboard sections"); got != "/dashboard/profile?coop=hornero" {
		t.Errorf("the admin's dashboard marks %s", got)
	}
}
