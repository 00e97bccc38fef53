package federation

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// TestAddressFilter: every address that is not globally reachable is
// refused, however it is written; public addresses pass.
func TestAddressFilter(t *testing.T) {
	a := newAddressFilter()
	refused := []string{
		// IPv4 special-purpose blocks, at their edges.
		"0.0.0.0", "0.255.255.255", "10.0.0.1", "10.255.255.255", "100.64.0.0", "100.127.255.255",
		"127.0.0.1", "127.255.255.254", "169.254.0.1", "169.254.169.254", "172.16.0.1", "172.31.255.255",
		"192.0.0.1", "192.0.0.170", "192.0.2.1", "192.88.99.1", "192.168.0.1", "192.168.255.255",
		"198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9",
		"224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.254", "255.255.255.255",
		// IPv6 outside global unicast, and special blocks inside it.
		"::", "::1", "::127.0.0.1", "::a00:1", "100::1", "100::ffff:ffff:ffff:ffff", "100:0:0:1::1",
		"64:ff9b:1::808:808", "5f00::1", "fc00::1", "fd12:3456:789a::1", "fe80::1", "febf::1", "fec0::1",
		"ff02::1", "ff0e::1", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:2::1", "2001:1ff::1",
		"2001:db8::1", "2001:db8:ffff::1", "3fff::1", "3fff:fff::1",
		// Zones are no way around.
		"fe80::1%eth0", "fe80::1%lo", "::1%1", "fd00::1%eth0",
		// IPv4-mapped IPv6 is judged as IPv4.
		"::ffff:127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:ffff:a00:1", "::ffff:169.254.169.254", "::ffff:0.0.0.0",
		"::ffff:100.64.0.1", "::ffff:192.0.2.1", "::ffff:255.255.255.255",
		// NAT64 and 6to4 by the IPv4 address they embed.
		"64:ff9b::127.0.0.1", "64:ff9b::a00:1", "64:ff9b::c0a8:101", "64:ff9b::a9fe:a9fe", "64:ff9b::c612:1",
		"2002:7f00:1::1", "2002:a00:1::", "2002:c0a8:101::1", "2002:a9fe:a9fe::1", "2002:c000:201::1",
		"2002:ffff:ffff::1",
	}
	allowed := []string{
		"8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
		"128.0.0.0", "169.253.255.255", "172.15.255.255", "172.32.0.0", "192.0.1.255", "192.0.3.0",
		"192.167.255.255", "198.17.255.255", "198.20.0.0", "203.0.112.255", "223.255.255.255",
		"2606:4700:4700::1111", "2a01:4f8::1", "2001:200::1", "2001:4860:4860::8888", "2003::1", "3ffe::1",
		"2a01:4f8::1%eth0", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "64:ff9b::101:101", "2002:808:808::1",
	}
	for _, s := range refused {
		ip := netip.MustParseAddr(s)
		if a.allowed(ip) {
			t.Errorf("%s is allowed", s)
		}
		if err := a.control("tcp", net.JoinHostPort(s, "443"), nil); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("connecting to %s: %v", s, err)
		}
	}
	for _, s := range allowed {
		if !a.allowed(netip.MustParseAddr(s)) {
			t.Errorf("%s is refused", s)
		}
		if err := a.control("tcp", net.JoinHostPort(s, "443"), nil); err != nil {
			t.Errorf("connecting to %s: %v", s, err)
		}
	}
}

// TestLegacyIPv4Spellings: decimal, octal and hexadecimal forms of an
// IPv4 address are not IP addresses to Go, so a URL naming one is
// resolved, and a C library's resolver reads them as inet_aton does. The
// filter judges the address the resolver gives, at connect time, so the
// spelling is no way around it.
func TestLegacyIPv4Spellings(t *testing.T) {
	a := newAddressFilter()
	for spelling, want := range map[string]string{
		"2130706433":          "127.0.0.1",
		"0x7f000001":          "127.0.0.1",
		"0X7F000001":          "127.0.0.1",
		"017700000001":        "127.0.0.1",
		"0177.0.0.1":          "127.0.0.1",
		"0177.1":              "127.0.0.1",
		"127.1":               "127.0.0.1",
		"127.0.1":             "127.0.0.1",
		"0x7f.0.0.0x1":        "127.0.0.1",
		"0x7f.1":              "127.0.0.1",
		"10.0x1":              "10.0.0.1",
		"012.1":               "10.0.0.1",
		"167772161":           "10.0.0.1",
		"0xa9.0xfe.0xa9.0xfe": "169.254.169.254",
		"2852039166":          "169.254.169.254",
		"0251.0376.0251.0376": "169.254.169.254",
		"0300.0250.1.1":       "192.168.1.1",
		"3232235777":          "192.168.1.1",
		"0xc0a80101":          "192.168.1.1",
		"100.0x400001":        "100.64.0.1",
		"0":                   "0.0.0.0",
		"4294967295":          "255.255.255.255",
	} {
		u, err := url.Parse("http://" + spelling + ":8080/inbox")
		if err != nil {
			t.Fatalf("%s: %v", spelling, err)
		}
		if _, err := netip.ParseAddr(u.Hostname()); err == nil {
			t.Errorf("%s is an IP address to Go", spelling)
		}
		ip, ok := inetAton(spelling)
		if !ok || ip.String() != want {
			t.Fatalf("inet_aton(%s) = %v %v, want %s", spelling, ip, ok, want)
		}
		if err := a.control("tcp", net.JoinHostPort(ip.String(), "8080"), nil); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s (%s) let through: %v", spelling, ip, err)
		}
	}
}

// inetAton reads an IPv4 address as the C library's inet_aton does: one
// to four parts, each decimal, octal (a leading 0) or hexadecimal (0x),
// the last part filling the bytes that remain.
func inetAton(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var vals []uint64
	for _, p := range parts {
		v, err := strconv.ParseUint(p, 0, 32)
		if err != nil {
			return netip.Addr{}, false
		}
		vals = append(vals, v)
	}
	var b [4]byte
	for i, v := range vals[:len(vals)-1] {
		if v > 255 {
			return netip.Addr{}, false
		}
		b[i] = byte(v)
	}
	last, room := vals[len(vals)-1], 5-len(vals)
	if last >= 1<<(8*room) {
		return netip.Addr{}, false
	}
	for i := 3; i >= 4-room; i-- {
		b[i] = byte(last)
		last >>= 8
	}
	return netip.AddrFrom4(b), true
}

// TestAddressFilterAtDial: the client refuses, before connecting, a host
// that is a name resolving to loopback ("localhost") or a spelling of a
// forbidden address; the server on 127.0.0.1 never hears of it.
func TestAddressFilterAtDial(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	strict := NewClient(ClientConfig{UserAgent: "test"})
	for _, host := range []string{"localhost", "127.0.0.1", "127.0.0.2", "0.0.0.0", "[::1]", "[::]",
		"[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]", "[::127.0.0.1]",
		"[64:ff9b::7f00:1]", "[64:ff9b::127.0.0.1]", "[2002:7f00:1::1]", "[fe80::1%25lo]", "[fd00::1]"} {
		_, err := strict.GetJSON(t.Context(), "http://"+host+":"+port+"/.well-known/webfinger", "application/json")
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s: %v", host, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the server on 127.0.0.1 was reached %d times", n)
	}
	open := NewClient(ClientConfig{UserAgent: "test", AllowPrivateNetwork: true})
	if _, err := open.GetJSON(t.Context(), "http://localhost:"+port+"/", "application/json"); err != nil || hits.Load() != 1 {
		t.Fatalf("with private networks allowed: %v", err)
	}
}
