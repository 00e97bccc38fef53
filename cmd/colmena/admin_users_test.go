package main

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// setPassword sends a one-time link's form as its owner would and returns
// their logged-in client.
func setPassword(t *testing.T, link, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"token": {u.Query().Get("token")}, "password": {password}, "confirm": {password}}
	resp, err := client.PostForm(u.Scheme+"://"+u.Host+"/password", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("setting a password through %s: %d", link, resp.StatusCode)
	}
	return client
}

// TestUserCommands: `colmena admin user list|disable|enable|reset` on
// the database a running node uses; a disabled account's session ends at
// once and its reset link is refused.
func TestUserCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	port := freePort(t)
	base := "http://127.0.0.1:" + port
	pub := []string{"COLMENA_PUBLIC_URL=" + base}
	if r := colmena(t, dir, pub, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	root := colmena(t, dir, pub, "admin", "user", "create", "--email", "root@example.org", "--admin")
	ops := colmena(t, dir, pub, "admin", "user", "create", "--email", "ops@example.org", "--admin")
	if root.code != 0 || ops.code != 0 {
		t.Fatalf("user create: %+v %+v", root, ops)
	}
	startServeOn(t, port, dir, pub)
	setPassword(t, root.lastLine(), "correct horse battery")
	opsClient := setPassword(t, ops.lastLine(), "another long password")

	r := colmena(t, dir, nil, "admin", "user", "list")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "E-MAIL") || strings.Fields(lines[1])[0] != "ops@example.org" ||
		strings.Join(strings.Fields(lines[2])[:4], " ") != "root@example.org admin - active" {
		t.Fatalf("list: %+v", r)
	}

	// Disabling ends the session at once; the account's links are refused.
	resetOps := colmena(t, dir, pub, "admin", "user", "reset", "ops@example.org")
	if resetOps.code != 0 || !strings.HasPrefix(resetOps.lastLine(), base+"/password?token=") {
		t.Fatalf("reset: %+v", resetOps)
	}
	if r := colmena(t, dir, nil, "admin", "user", "disable", "OPS@example.org"); r.code != 0 || !strings.Contains(r.stdout, "ops@example.org is disabled") {
		t.Fatalf("disable: %+v", r)
	}
	resp, err := opsClient.Get(base + "/admin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("a disabled admin's session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = http.Get(resetOps.lastLine())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a disabled account's reset link: %d", resp.StatusCode)
	}
	if r := colmena(t, dir, nil, "admin", "user", "list"); !strings.Contains(r.stdout, "disabled") {
		t.Errorf("list after disabling: %+v", r)
	}
	if r := colmena(t, dir, pub, "admin", "user", "reset", "ops@example.org"); r.code == 0 || !strings.Contains(r.stderr, "disabled") {
		t.Errorf("reset of a disabled account: %+v", r)
	}
	// The last active admin stays; bad lines say what is wrong.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"disable", "root@example.org"}, "last active admin"},
		{[]string{"disable", "nobody@example.org"}, "no account has the e-mail nobody@example.org"},
		{[]string{"disable"}, "e-mail is required"},
		{[]string{"reset", "not an address"}, "is not an e-mail address"},
		{[]string{"enable", "a@example.org", "b@example.org"}, "unexpected argument"},
		{[]string{"frobnicate"}, "usage"},
	} {
		r := colmena(t, dir, nil, append([]string{"admin", "user"}, c.args...)...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: %+v, want %q on stderr", c.args, r, c.want)
		}
	}

	// Enabled again, a new reset link (flags after the e-mail) works.
	if r := colmena(t, dir, nil, "admin", "user", "enable", "ops@example.org", "--database", "sqlite:colmena-data/colmena.db"); r.code != 0 {
		t.Fatalf("enable: %+v", r)
	}
	r = colmena(t, dir, nil, "admin", "user", "reset", "--public-url", base, "ops@example.org")
	if r.code != 0 || !strings.HasPrefix(r.lastLine(), base+"/password?token=") {
		t.Fatalf("reset after enabling: %+v", r)
	}
	setPassword(t, r.lastLine(), "a third long password")
}
