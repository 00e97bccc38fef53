package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/teststore"
	"github.com/colmena-coop/colmena/web"
)

// clock is a test's clock, moved by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// limitNode is a node behind a reverse proxy on 127.0.0.0/8 (when
// trusted) with two members, ana and beto, whose password is "una clave
// larga".
func limitNode(t *testing.T, trusted ...netip.Prefix) (string, *clock) {
	t.Helper()
	st := teststore.SQLite(t)
	srv := httptest.NewUnstartedServer(nil)
	links, err := directory.NewLinks("http://" + srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	svc := directory.NewService(st, links, time.Now)
	svc.SetPasswordCost(4)
	ctx := t.Context()
	if _, err := svc.Init(ctx, directory.FederationSettings{Name: "EthiX", Handle: "ethix"}); err != nil {
		t.Fatal(err)
	}
	admin := directory.Principal{Admin: true}
	if _, err := svc.CreateCoop(ctx, admin, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 5}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []string{"ana@hornero.example", "beto@hornero.example"} {
		_, raw, err := svc.InviteUser(ctx, admin, e, false, "hornero")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AcceptLink(ctx, raw, "una clave larga"); err != nil {
			t.Fatal(err)
		}
	}
	c := &clock{now: time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)}
	srv.Config.Handler = web.New(web.Config{Service: svc, Version: "test", TrustedProxies: trusted, Now: c.Now}).Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, c
}

// loginAs posts the login form through b as a proxy would forward it
// with the given header.
func loginAs(t *testing.T, b *browser, email, password string, header ...string) (*http.Response, string) {
	t.Helper()
	return b.post("/login", url.Values{"email": {email}, "password": {password}}, header...)
}

// TestLoginLimitsBehindProxy: behind a trusted proxy each client counts
// on its own, so one client's failures lock nobody else out; strangers
// failing on an account slow down attempts on it from unknown places for
// a short time only, never from where its owner logged in before, nor
// from the owner's logged-in browser; an address is still refused (429)
// after five failures, whatever it writes in forwarding headers.
func TestLoginLimitsBehindProxy(t *testing.T) {
	base, clk := limitNode(t, netip.MustParsePrefix("127.0.0.0/8"))
	xff := func(a string) []string { return []string{"X-Forwarded-For", a} }
	const ana, beto, pw = "ana@hornero.example", "beto@hornero.example", "una clave larga"

	// Ana logs in at home.
	anaHome := newBrowser(t, base)
	if resp, body := loginAs(t, anaHome, ana, pw, xff("198.51.100.1")...); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("ana at home: %d\n%.2000s", resp.StatusCode, body)
	}
	// Strangers from many addresses guess her password, each once.
	var resp *http.Response
	var body string
	tries := 0
	for i := 1; i <= 30; i++ {
		resp, body = loginAs(t, newBrowser(t, base), ana, "guess "+strconv.Itoa(i), xff("203.0.113."+strconv.Itoa(i))...)
		if resp.StatusCode != http.StatusUnauthorized {
			break
		}
		tries++
	}
	if tries < 5 || resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "for this account") {
		t.Errorf("after %d failures from as many addresses: %d, want a wait for this account", tries, resp.StatusCode)
	}
	wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if wait < 1 || wait > 300 {
		t.Errorf("an account waits %q seconds", resp.Header.Get("Retry-After"))
	}
	// Ana is not locked out: from home, from her logged-in browser
	// anywhere, and elsewhere once the short wait is over.
	if resp, body := loginAs(t, newBrowser(t, base), ana, pw, xff("198.51.100.1")...); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("ana at home after strangers' failures: %d\n%.3000s", resp.StatusCode, body)
	}
	if resp, body := loginAs(t, anaHome, ana, pw, xff("192.0.2.50")...); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("ana's logged-in browser elsewhere: %d\n%.3000s", resp.StatusCode, body)
	}
	for i := 1; i <= 30; i++ {
		loginAs(t, newBrowser(t, base), ana, "guess again "+strconv.Itoa(i), xff("203.0.113."+strconv.Itoa(100+i))...)
	}
	resp, _ = loginAs(t, newBrowser(t, base), ana, pw, xff("192.0.2.77")...)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("ana from a new place while strangers guess: %d, want a short wait", resp.StatusCode)
	}
	wait, _ = strconv.Atoi(resp.Header.Get("Retry-After"))
	clk.advance(time.Duration(wait) * time.Second)
	if resp, body := loginAs(t, newBrowser(t, base), ana, pw, xff("192.0.2.77")...); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("ana from a new place after waiting %d s: %d\n%.3000s", wait, resp.StatusCode, body)
	}

	// Every request came from the proxy's 127.0.0.1; beto, another
	// client, logs in all the same.
	if resp, body := loginAs(t, newBrowser(t, base), beto, pw, xff("198.51.100.2")...); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("beto behind the same proxy: %d\n%.3000s", resp.StatusCode, body)
	}

	// One address failing five times is refused, even the right password,
	// and what it writes to the left of the proxy's hop changes nothing.
	guesser := newBrowser(t, base)
	for i := range 5 {
		resp, body := loginAs(t, guesser, "nobody"+strconv.Itoa(i)+"@example.org", "x", xff("203.0.113.250")...)
		expect(t, "a guess", resp, http.StatusUnauthorized, body, "do not match")
	}
	resp, body = loginAs(t, guesser, beto, pw, xff("203.0.113.250")...)
	expect(t, "the sixth try from one address", resp, http.StatusTooManyRequests, body, "Too many failed attempts")
	if ra, _ := strconv.Atoi(resp.Header.Get("Retry-After")); ra < 60 || ra > 180 {
		t.Errorf("an address waits %q seconds", resp.Header.Get("Retry-After"))
	}
	resp, _ = loginAs(t, guesser, beto, pw, xff("198.51.100.2, 203.0.113.250")...)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a client that forges a hop: %d", resp.StatusCode)
	}
	resp, _ = loginAs(t, guesser, beto, pw, "Forwarded", "for=198.51.100.2", "X-Forwarded-For", "203.0.113.250")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a client that adds a Forwarded header: %d", resp.StatusCode)
	}
	clk.advance(3 * time.Minute)
	if resp, body := loginAs(t, guesser, beto, pw, xff("203.0.113.250")...); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("three minutes later: %d\n%.3000s", resp.StatusCode, body)
	}

	// Forwarded (RFC 7239); an IPv6 client is its /64.
	fwd := func(a string) []string { return []string{"Forwarded", `for="` + a + `";proto=https`} }
	for i := range 5 {
		loginAs(t, newBrowser(t, base), "nobody"+strconv.Itoa(i)+"@example.org", "x", fwd("[2001:db8:0:1::"+strconv.Itoa(i+1)+"]:4711")...)
	}
	if resp, _ := loginAs(t, newBrowser(t, base), beto, pw, fwd("[2001:db8:0:1::99]")...); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the same /64: %d", resp.StatusCode)
	}
	if resp, _ := loginAs(t, newBrowser(t, base), beto, pw, fwd("[2001:db8:0:2::1]")...); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another /64: %d", resp.StatusCode)
	}
}

// TestLoginForwardingHeadersIgnored: with no trusted proxy, forwarding
// headers are anyone's to write and count for nothing.
func TestLoginForwardingHeadersIgnored(t *testing.T) {
	base, _ := limitNode(t)
	b := newBrowser(t, base)
	for i := range 5 {
		resp, body := loginAs(t, b, "nobody"+strconv.Itoa(i)+"@example.org", "x", "X-Forwarded-For", "203.0.113."+strconv.Itoa(i),
			"Forwarded", "for=203.0.113."+strconv.Itoa(i))
		expect(t, "a guess", resp, http.StatusUnauthorized, body, "do not match")
	}
	resp, body := loginAs(t, b, "beto@hornero.example", "una clave larga", "X-Forwarded-For", "198.51.100.2")
	expect(t, "a forged address", resp, http.StatusTooManyRequests, body, "Too many failed attempts")
}
