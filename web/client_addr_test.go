package web

import (
	"net/http"
	"net/netip"
	"testing"
)

// TestClientAddr: forwarding headers count only from trusted proxies,
// and then only up to the right-most hop that is not one.
func TestClientAddr(t *testing.T) {
	trusted := proxies{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		name    string
		p       proxies
		peer    string
		headers []string
		want    string
	}{
		{"no proxy trusted", nil, "127.0.0.1:5000", []string{"X-Forwarded-For", "203.0.113.1"}, "127.0.0.1"},
		{"an untrusted peer", trusted, "198.51.100.7:5000", []string{"X-Forwarded-For", "203.0.113.1"}, "198.51.100.7"},
		{"no header", trusted, "127.0.0.1:5000", nil, "127.0.0.1"},
		{"one hop", trusted, "127.0.0.1:5000", []string{"X-Forwarded-For", "203.0.113.1"}, "203.0.113.1"},
		{"forged hops to the left", trusted, "127.0.0.1:5000", []string{"X-Forwarded-For", "198.51.100.1, 10.1.1.1, 203.0.113.1"}, "203.0.113.1"},
		{"two proxies", trusted, "127.0.0.1:5000", []string{"X-Forwarded-For", "198.51.100.1, 203.0.113.1, 10.1.1.1"}, "203.0.113.1"},
		{"only proxies", trusted, "127.0.0.1:5000", []string{"X-Forwarded-For", "10.2.2.2, 10.1.1.1"}, "10.2.2.2"},
		{"hop with a port", trusted, "127.0.0.1:5000", []string{"X-Forwarded-For", "203.0.113.1:4711"}, "203.0.113.1"},
		{"IPv6 hop", trusted, "[::1]:5000", []string{"X-Forwarded-For", "[2001:db8::1]:4711"}, "2001:db8::1"},
		{"IPv4-mapped peer", trusted, "[::ffff:127.0.0.1]:5000", []string{"X-Forwarded-For", "203.0.113.1"}, "203.0.113.1"},
		{"garbage at the right", trusted, "127.0.0.1:5000", []string{"X-Forwarded-For", "203.0.113.1, garbage"}, "127.0.0.1"},
		{"garbage behind the client", trusted, "127.0.0.1:5000", []string{"X-Forwarded-For", "garbage, 203.0.113.1"}, "203.0.113.1"},
		{"Forwarded", trusted, "127.0.0.1:5000", []string{"Forwarded", `for=198.51.100.1, for="[2001:db8:cafe::17]:4711";proto=https`}, "2001:db8:cafe::17"},
		{"Forwarded with a proxy", trusted, "127.0.0.1:5000", []string{"Forwarded", `for=203.0.113.1;by=x, For=10.0.0.2`}, "203.0.113.1"},
		{"Forwarded unknown", trusted, "127.0.0.1:5000", []string{"Forwarded", `for=unknown`}, "127.0.0.1"},
		{"Forwarded quoted comma", trusted, "127.0.0.1:5000", []string{"Forwarded", `for=203.0.113.1;x="a,b"`}, "203.0.113.1"},
		{"X-Forwarded-For first", trusted, "127.0.0.1:5000", []string{"Forwarded", "for=198.51.100.1", "X-Forwarded-For", "203.0.113.1"}, "203.0.113.1"},
	}
	for _, c := range cases {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.peer
		for i := 0; i+1 < len(c.headers); i += 2 {
			r.Header.Set(c.headers[i], c.headers[i+1])
		}
		if got := c.p.clientAddr(r); got.String() != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	// Several X-Forwarded-For lines read as one list.
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "127.0.0.1:1"
	r.Header.Add("X-Forwarded-For", "203.0.113.1")
	r.Header.Add("X-Forwarded-For", "203.0.113.2, 10.0.0.1")
	if got := trusted.clientAddr(r); got.String() != "203.0.113.2" {
		t.Errorf("two header lines: %s", got)
	}
	if k := addrKey(netip.MustParseAddr("2001:db8:1:2:3:4:5:6")); k != "2001:db8:1:2::/64" {
		t.Errorf("an IPv6 client counts as %s", k)
	}
}
