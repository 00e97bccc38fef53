package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

var statusRE = regexp.MustCompile(`<p class="notice flash" role="status">([^<]*)</p>`)

// flashOf is the success message a page shows, empty when none.
func flashOf(body string) string {
	if m := statusRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// after posts form to path, expects a redirect, and follows it in lang:
// the page's flash message.
func (b *browser) after(path string, form url.Values, lang string) string {
	b.t.Helper()
	resp, body := b.post(path, form)
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("%s: %d, want a redirect\n%.2000s", path, resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	resp, body = b.do(http.MethodGet, loc, nil, "Accept-Language", lang)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("%s after %s: %d", loc, path, resp.StatusCode)
	}
	return flashOf(body)
}

// TestFlashAfterRedirect: publishing, editing, closing, following,
// blocking and inviting each say what they did on the page they lead to,
// in the viewer's language, once.
func TestFlashAfterRedirect(t *testing.T) {
	keys := &nodetest.KeyPool{Size: 2}
	open := teststore.SQLite
	a := nodetest.NewWith(t, open, "SoberaniaX", "soberaniax", nodetest.Options{Keys: keys})
	b := nodetest.NewWith(t, open, "EthiX", "ethix", nodetest.Options{Keys: keys, Hostname: "localhost"})
	b.Coop(t, directory.Coop{Handle: "larkspur", Name: "Larkspur Collective", Country: "GB", Workers: 9})
	a.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 26})
	ctx := t.Context()
	_, raw, err := a.Svc.InviteUser(ctx, directory.Principal{Admin: true}, "ana@hornero.example", false, "hornero")
	if err != nil {
		t.Fatal(err)
	}
	ana := acceptInvite(t, a.URL, "/password?token="+raw, "una clave larga")
	_, raw, err = a.Svc.InviteUser(ctx, directory.Principal{Admin: true}, "admin@soberaniax.example", true, "")
	if err != nil {
		t.Fatal(err)
	}
	admin := acceptInvite(t, a.URL, "/password?token="+raw, "correct horse battery")

	job := func(title string) url.Values {
		return url.Values{"title": {title}, "description": {"Phoenix."}, "remote": {"remote"}, "employment_type": {"full_time"},
			"apply_email": {"jobs@hornero.example"}}
	}
	for _, c := range []struct {
		lang                                                 string
		published, saved, closed, followed, blocked, invited string
	}{
		{"en", "“Elixir en” is published.", "Your changes to “Elixir en 2” are saved.", "The opening is closed",
			"You follow larkspur@", "spam-en.example is blocked", "Invitation ready"},
		{"es", "«Elixir es» está publicada.", "Los cambios de «Elixir es 2» están guardados.", "La oferta está cerrada",
			"Ahora seguís a larkspur@", "spam-es.example está bloqueado", "Invitación lista"},
	} {
		if got := ana.after("/dashboard/jobs", job("Elixir "+c.lang), c.lang); !strings.Contains(got, c.published) {
			t.Errorf("%s: after publishing %q, want %q", c.lang, got, c.published)
		}
		res, err := a.Svc.SearchJobs(ctx, directory.JobQuery{Text: directory.ParseQuery("Elixir " + c.lang)})
		if err != nil || res.Total != 1 {
			t.Fatalf("%s: the published job: %v %v", c.lang, res, err)
		}
		key := url.PathEscape(res.Items[0].APID)
		if got := ana.after("/dashboard/jobs/"+key, job("Elixir "+c.lang+" 2"), c.lang); !strings.Contains(got, c.saved) {
			t.Errorf("%s: after editing %q, want %q", c.lang, got, c.saved)
		}
		if got := ana.after("/dashboard/jobs/"+key+"/close", url.Values{"confirm": {"1"}}, c.lang); !strings.Contains(got, c.closed) {
			t.Errorf("%s: after closing %q, want %q", c.lang, got, c.closed)
		}
		// Read once: the next page has no message.
		if _, body := ana.do(http.MethodGet, "/dashboard", nil, "Accept-Language", c.lang); flashOf(body) != "" {
			t.Errorf("%s: the message shows twice: %q", c.lang, flashOf(body))
		}
		if got := ana.after("/dashboard/follow", url.Values{"target": {"larkspur@" + b.Host}}, c.lang); !strings.Contains(got, c.followed) {
			t.Errorf("%s: after following %q, want %q", c.lang, got, c.followed)
		}
		follows, err := a.Fed.CoopFollows(ctx, mustCoop(t, a, "hornero"))
		if err != nil || len(follows) != 1 {
			t.Fatalf("follows: %v %v", follows, err)
		}
		if got := ana.after("/dashboard/follows/"+itoa(follows[0].ID)+"/end", url.Values{}, c.lang); got == "" {
			t.Errorf("%s: no message after unfollowing", c.lang)
		}
		if got := admin.after("/admin/blocks", url.Values{"domain": {"spam-" + c.lang + ".example"}, "confirm": {"1"}}, c.lang); !strings.Contains(got, c.blocked) {
			t.Errorf("%s: after blocking %q, want %q", c.lang, got, c.blocked)
		}
		resp, body := ana.post("/dashboard/invite", url.Values{"email": {"pablo-" + c.lang + "@hornero.example"}}, "Accept-Language", c.lang)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<div class="notice" role="status"><p>`+c.invited) {
			t.Errorf("%s: after inviting: %d, no %q", c.lang, resp.StatusCode, c.invited)
		}
	}

	// The console's invitation shows its link in a status notice; a
	// new member's first page says the password is set.
	resp, body := admin.post("/admin/invite", url.Values{"email": {"eva@hornero.example"}, "coop": {"hornero"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<div class="notice" role="status">`) || !strings.Contains(body, "/password?token=") {
		t.Errorf("the console's invitation: %d", resp.StatusCode)
	}
	eva := newBrowser(t, a.URL)
	m := linkRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link")
	}
	if got := eva.after("/password", url.Values{"token": {m[1]}, "password": {"una clave larga"}, "confirm": {"una clave larga"}}, "es"); !strings.Contains(got, "contraseña") {
		t.Errorf("after setting a password: %q", got)
	}

	// A flash is the session's: one forged, or carried to another
	// browser, is dropped.
	resp, _ = ana.post("/dashboard/jobs", job("Elixir robado"))
	var stolen *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "colmena_flash" {
			stolen = ck
		}
	}
	if stolen == nil || !stolen.HttpOnly || stolen.MaxAge <= 0 {
		t.Fatalf("the flash cookie: %+v", stolen)
	}
	u, _ := url.Parse(a.URL)
	admin.client.Jar.SetCookies(u, []*http.Cookie{{Name: "colmena_flash", Value: stolen.Value, Path: "/"}})
	if _, body := admin.get("/admin"); flashOf(body) != "" {
		t.Errorf("another session's flash shows: %q", flashOf(body))
	}
	payload, _, _ := strings.Cut(stolen.Value, ".")
	ana.client.Jar.SetCookies(u, []*http.Cookie{{Name: "colmena_flash", Value: payload + ".forged", Path: "/"}})
	if _, body := ana.get("/dashboard"); flashOf(body) != "" {
		t.Errorf("a forged flash shows: %q", flashOf(body))
	}
}

func mustCoop(t *testing.T, n *nodetest.Node, handle string) *directory.Coop {
	t.Helper()
	c, err := n.Svc.Coop(t.Context(), handle)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
