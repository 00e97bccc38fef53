package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// proxies are the reverse proxies whose forwarding headers are believed.
// Anyone else may write X-Forwarded-For or Forwarded to look like someone
// else, so without a trusted proxy the peer's own address counts.
type proxies []netip.Prefix

// trusts reports whether a is one of the proxies.
func (p proxies) trusts(a netip.Addr) bool {
	for _, pre := range p {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the address a request comes from. When the peer is a
// trusted proxy it is the right-most address of the forwarding header
// that is not itself a trusted proxy: each proxy appends the address it
// was called from, so hops to the left of the first untrusted one were
// written by the client and prove nothing. X-Forwarded-For is read when
// present, else Forwarded (RFC 7239): a proxy must set the one it sets
// and not pass on the other from clients.
func (p proxies) clientAddr(r *http.Request) netip.Addr {
	peer, ok := parseHop(r.RemoteAddr)
	if !ok || !p.trusts(peer) {
		return peer
	}
	hops := forwardedXFF(r.Header)
	if len(hops) == 0 {
		hops = forwardedFor(r.Header)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			// "unknown", an obfuscated name or garbage: nothing to its
			// left can be told apart, and the hop that wrote it is the
			// last one known.
			break
		}
		client = a
		if !p.trusts(a) {
			break
		}
	}
	return client
}

// forwardedXFF lists the X-Forwarded-For hops, left to right, over every
// line of the header.
func forwardedXFF(h http.Header) []string {
	var hops []string
	for _, line := range h.Values("X-Forwarded-For") {
		for hop := range strings.SplitSeq(line, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	return hops
}

// forwardedFor lists the for= values of the Forwarded header's elements,
// left to right; an element without one counts as an unknown hop.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, line := range h.Values("Forwarded") {
		for _, elem := range splitOutsideQuotes(line, ',') {
			hop := "unknown"
			for _, pair := range splitOutsideQuotes(elem, ';') {
				k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "for") {
					hop = strings.Trim(strings.TrimSpace(v), `"`)
				}
			}
			hops = append(hops, hop)
		}
	}
	return hops
}

// splitOutsideQuotes splits s at each sep that is not inside a quoted
// string.
func splitOutsideQuotes(s string, sep byte) []string {
	var parts []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && quoted:
			i++
		case s[i] == '"':
			quoted = !quoted
		case s[i] == sep && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// parseHop reads an address as peers and proxies write it: "192.0.2.1",
// "192.0.2.1:4711", "2001:db8::1", "[2001:db8::1]" or "[2001:db8::1]:4711".
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// addrKey is what a client address counts as for rate limits: an IPv6
// client holds a whole /64, so the /64 counts as one.
func addrKey(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
