package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// MaxDocument is the largest body the node reads from another server, and
// accepts in its inbox.
const MaxDocument = 1 << 20

// ClientConfig wires a Client.
type ClientConfig struct {
	AllowPrivateNetwork bool
	Transport           http.RoundTripper
	UserAgent           string
	Now                 func() time.Time
	// Signer returns the key that signs GETs: the instance actor's.
	Signer func(ctx context.Context) (keyID string, key *rsa.PrivateKey, err error)
}

// Client is the one outbound HTTP client: fetches and deliveries share its
// timeouts, size cap and refusal of private addresses.
type Client struct {
	http   *http.Client
	ua     string
	now    func() time.Time
	signer func(ctx context.Context) (string, *rsa.PrivateKey, error)
	// schemes remembers the hosts that take draft-cavage signatures only
	// (sigscheme.go).
	schemes *schemeMemory
}

// ErrForbiddenAddress is returned for targets on addresses that are not
// globally reachable (loopback, private, link-local, reserved...) when
// those are not allowed.
var ErrForbiddenAddress = errors.New("the address is loopback, private, link-local or otherwise not globally reachable")

// addressFilter refuses connections to addresses that are not globally
// reachable. Its control runs at connect time, after DNS and on every
// redirect, so a name that resolves to such an address is refused too.
// Its tables are built once, by newAddressFilter, and only read after.
type addressFilter struct {
	// refused are the blocks of the IANA IPv4 and IPv6 special-purpose
	// address registries that are not globally reachable, and the
	// multicast and reserved ranges.
	refused []netip.Prefix
	// global is IPv6 global unicast: any IPv6 address outside it is
	// reserved or special.
	global netip.Prefix
	// nat64 and sixToFour embed an IPv4 address, which decides.
	nat64, sixToFour netip.Prefix
}

func newAddressFilter() *addressFilter {
	blocks := []string{
		// IPv4 (RFC 6890 and its updates).
		"0.0.0.0/8",       // "this network"
		"10.0.0.0/8",      // private
		"100.64.0.0/10",   // shared address space (carrier-grade NAT)
		"127.0.0.0/8",     // loopback
		"169.254.0.0/16",  // link-local (cloud metadata services live here)
		"172.16.0.0/12",   // private
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // documentation, TEST-NET-1
		"192.88.99.0/24",  // 6to4 relay anycast, deprecated
		"192.168.0.0/16",  // private
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // documentation, TEST-NET-2
		"203.0.113.0/24",  // documentation, TEST-NET-3
		"224.0.0.0/4",     // multicast
		"240.0.0.0/4",     // reserved, and the limited broadcast 255.255.255.255
		// IPv6. Outside 2000::/3 everything is refused anyway; the
		// blocks there are listed to say what they are.
		"::/128",         // unspecified
		"::1/128",        // loopback
		"::/96",          // IPv4-compatible, deprecated
		"64:ff9b:1::/48", // local-use IPv4/IPv6 translation
		"100::/64",       // discard-only
		"100:0:0:1::/64", // dummy prefix
		"2001::/23",      // IETF protocol assignments: Teredo 2001::/32, benchmarking 2001:2::/48... (its few anycast services serve no ActivityPub)
		"2001:db8::/32",  // documentation
		"3fff::/20",      // documentation
		"5f00::/16",      // segment routing SIDs
		"fc00::/7",       // unique local
		"fe80::/10",      // link-local
		"fec0::/10",      // site-local, deprecated
		"ff00::/8",       // multicast
	}
	a := &addressFilter{global: netip.MustParsePrefix("2000::/3"), nat64: netip.MustParsePrefix("64:ff9b::/96"),
		sixToFour: netip.MustParsePrefix("2002::/16")}
	for _, b := range blocks {
		a.refused = append(a.refused, netip.MustParsePrefix(b))
	}
	return a
}

// allowed reports whether ip may be connected to: an IPv4-mapped address
// is judged as the IPv4 address, a NAT64 (64:ff9b::/96) or 6to4
// (2002::/16) address by the IPv4 address it embeds, and a zone is
// ignored.
func (a *addressFilter) allowed(ip netip.Addr) bool {
	ip = ip.WithZone("").Unmap()
	if !ip.IsValid() {
		return false
	}
	if ip.Is6() {
		b := ip.As16()
		switch {
		case a.nat64.Contains(ip):
			return a.allowed(netip.AddrFrom4([4]byte(b[12:16])))
		case a.sixToFour.Contains(ip):
			return a.allowed(netip.AddrFrom4([4]byte(b[2:6])))
		case !a.global.Contains(ip):
			return false
		}
	}
	for _, p := range a.refused {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// control is a net.Dialer Control hook: it refuses to connect to an
// address that is not allowed.
func (a *addressFilter) control(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	if !a.allowed(ip) {
		return fmt.Errorf("%s: %w", host, ErrForbiddenAddress)
	}
	return nil
}

// NewClient builds the client.
func NewClient(cfg ClientConfig) *Client {
	rt := cfg.Transport
	if rt == nil {
		dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
		if !cfg.AllowPrivateNetwork {
			dialer.Control = newAddressFilter().control
		}
		rt = &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			// A fan-out reaches many hosts once each: keeping every
			// connection would hold tens of kilobytes per host for
			// nothing, so only the busiest stay open.
			MaxIdleConns:        128,
			MaxIdleConnsPerHost: 4,
			IdleConnTimeout:     90 * time.Second,
		}
	}
	c := &Client{ua: cfg.UserAgent, now: cfg.Now, signer: cfg.Signer, schemes: newSchemeMemory()}
	if c.now == nil {
		c.now = time.Now
	}
	c.http = &http.Client{
		Transport: rt,
		Timeout:   30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("more than 3 redirects")
			}
			return nil
		},
	}
	return c
}

// FetchError is a failed fetch with the status the server gave, if any.
type FetchError struct {
	URL    string
	Status int
	Err    error
}

func (e *FetchError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("fetching %s: %d %s", e.URL, e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("fetching %s: %v", e.URL, e.Err)
}

func (e *FetchError) Unwrap() error { return e.Err }

func checkURL(raw string) (*url.URL, error) {
	if len(raw) > MaxIDLength {
		return nil, fmt.Errorf("the URL is longer than %d bytes", MaxIDLength)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return u, nil
}

func readCapped(r io.Reader, limit int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, fmt.Errorf("the document is larger than %d bytes", limit)
	}
	// Every document read from another server is checked here, so that
	// nothing downstream decodes one nested deeper than MaxDepth.
	if err := checkDepth(b, MaxDepth); err != nil {
		return nil, err
	}
	return b, nil
}

// IsASContentType reports whether a Content-Type is ActivityStreams JSON.
func IsASContentType(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch mt {
	case "application/activity+json":
		return true
	case "application/ld+json":
		p := params["profile"]
		return p == "" || strings.Contains(p, "https://www.w3.org/ns/activitystreams")
	}
	return false
}

// GetActivity fetches an ActivityStreams document with a GET signed as the
// instance actor. It checks the status, the content type and the size.
func (c *Client) GetActivity(ctx context.Context, raw string) ([]byte, error) {
	body, _, _, err := c.GetActivityIfChanged(ctx, raw, "")
	return body, err
}

// GetActivityIfChanged is GetActivity with If-None-Match: when etag is
// given and the server answers 304, it reports notModified and no body.
// It also returns the server's new ETag.
func (c *Client) GetActivityIfChanged(ctx context.Context, raw, etag string) (body []byte, newETag string, notModified bool, err error) {
	return c.getActivity(ctx, raw, etag, MaxDocument)
}

// getActivity is GetActivityIfChanged reading at most limit bytes.
func (c *Client) getActivity(ctx context.Context, raw, etag string, limit int) (body []byte, newETag string, notModified bool, err error) {
	u, err := checkURL(raw)
	if err != nil {
		return nil, "", false, &FetchError{URL: raw, Err: err}
	}
	var keyID string
	var key *rsa.PrivateKey
	signed := c.signer != nil
	if signed {
		if keyID, key, err = c.signer(ctx); err != nil {
			return nil, "", false, &FetchError{URL: raw, Err: err}
		}
	}
	send := func(cavage bool) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		if signed {
			if err := c.sign(req, nil, keyID, key, cavage); err != nil {
				return nil, err
			}
		}
		req.Header.Set("User-Agent", c.ua)
		return c.http.Do(req)
	}
	cavage := signed && c.schemes.useCavage(u.Host, c.now())
	resp, err := send(cavage)
	if err != nil {
		return nil, "", false, &FetchError{URL: raw, Err: err}
	}
	if signed && !cavage && refusedSignature(resp.StatusCode) {
		// Perhaps the server does not read RFC 9421: ask again signed
		// as draft-cavage.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if resp, err = send(true); err != nil {
			return nil, "", false, &FetchError{URL: raw, Err: err}
		}
		if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusNotModified {
			c.schemes.rememberCavage(u.Host, c.now())
		}
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified && etag != "" {
		return nil, etag, true, nil
	}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, "", false, &FetchError{URL: raw, Status: resp.StatusCode, Err: fmt.Errorf("status %d", resp.StatusCode)}
	}
	if resp.ContentLength > int64(limit) {
		return nil, "", false, &FetchError{URL: raw, Err: fmt.Errorf("the document is %d bytes, more than %d", resp.ContentLength, limit)}
	}
	if ct := resp.Header.Get("Content-Type"); !IsASContentType(ct) {
		return nil, "", false, &FetchError{URL: raw, Err: fmt.Errorf("the content type %q is not ActivityStreams", ct)}
	}
	b, err := readCapped(resp.Body, limit)
	if err != nil {
		return nil, "", false, &FetchError{URL: raw, Err: err}
	}
	return b, resp.Header.Get("ETag"), false, nil
}

// GetJSON fetches a JSON document (WebFinger, NodeInfo) without signing.
func (c *Client) GetJSON(ctx context.Context, raw, accept string) ([]byte, error) {
	u, err := checkURL(raw)
	if err != nil {
		return nil, &FetchError{URL: raw, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &FetchError{URL: raw, Err: err}
	}
	req.Header.Set("Accept", accept)
	body, status, _, err := c.do(req)
	if err != nil {
		return nil, &FetchError{URL: raw, Status: status, Err: err}
	}
	return body, nil
}

// do sends req and reads a 200 answer of at most MaxDocument bytes.
func (c *Client) do(req *http.Request) ([]byte, int, string, error) {
	req.Header.Set("User-Agent", c.ua)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, resp.StatusCode, "", fmt.Errorf("status %d", resp.StatusCode)
	}
	if resp.ContentLength > MaxDocument {
		return nil, resp.StatusCode, "", fmt.Errorf("the document is %d bytes, more than %d", resp.ContentLength, MaxDocument)
	}
	b, err := readCapped(resp.Body, MaxDocument)
	return b, resp.StatusCode, resp.Header.Get("Content-Type"), err
}

// Post delivers a signed activity to an inbox and returns the status. It
// is signed as RFC 9421 unless the host is known to take draft-cavage
// only, and sent again signed as draft-cavage when the host refuses the
// RFC 9421 one with 400, 401 or 403 (sigscheme.go). The status returned
// is the last answer's.
func (c *Client) Post(ctx context.Context, inbox string, body []byte, keyID string, key *rsa.PrivateKey) (int, error) {
	u, err := checkURL(inbox)
	if err != nil {
		return 0, err
	}
	cavage := c.schemes.useCavage(u.Host, c.now())
	status, err := c.post(ctx, u, body, keyID, key, cavage)
	if cavage || !refusedSignature(status) {
		return status, err
	}
	status, err = c.post(ctx, u, body, keyID, key, true)
	if err == nil {
		c.schemes.rememberCavage(u.Host, c.now())
	}
	return status, err
}

// post sends one signed POST.
func (c *Client) post(ctx context.Context, u *url.URL, body []byte, keyID string, key *rsa.PrivateKey, cavage bool) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", ContentTypeAS)
	req.Header.Set("Accept", ContentTypeAS)
	req.Header.Set("User-Agent", c.ua)
	if err := c.sign(req, body, keyID, key, cavage); err != nil {
		return 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("%s answered %d %s", u.Host, resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return resp.StatusCode, nil
}

// sign signs req as draft-cavage or as RFC 9421.
func (c *Client) sign(req *http.Request, body []byte, keyID string, key *rsa.PrivateKey, cavage bool) error {
	if cavage {
		return SignRequest(req, body, keyID, key, c.now())
	}
	return SignMessage(req, body, keyID, key, c.now())
}
