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
}

// ErrForbiddenAddress is returned for targets on loopback, private or
// link-local addresses when those are not allowed.
var ErrForbiddenAddress = errors.New("the address is loopback, private or link-local")

// publicOnly refuses connections to addresses that are not globally
// routable. It runs at connect time, after DNS, so a name that resolves to
// a private address is refused too.
func publicOnly(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	ip = ip.Unmap()
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() || cgnat.Contains(ip) {
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
			dialer.Control = publicOnly
		}
		rt = &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
		}
	}
	c := &Client{ua: cfg.UserAgent, now: cfg.Now, signer: cfg.Signer}
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
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", false, &FetchError{URL: raw, Err: err}
	}
	req.Header.Set("Accept", `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if c.signer != nil {
		keyID, key, err := c.signer(ctx)
		if err != nil {
			return nil, "", false, &FetchError{URL: raw, Err: err}
		}
		if err := SignRequest(req, nil, keyID, key, c.now()); err != nil {
			return nil, "", false, &FetchError{URL: raw, Err: err}
		}
	}
	req.Header.Set("User-Agent", c.ua)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, "", false, &FetchError{URL: raw, Err: err}
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

// Post delivers a signed activity to an inbox and returns the status.
func (c *Client) Post(ctx context.Context, inbox string, body []byte, keyID string, key *rsa.PrivateKey) (int, error) {
	u, err := checkURL(inbox)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", ContentTypeAS)
	req.Header.Set("Accept", ContentTypeAS)
	req.Header.Set("User-Agent", c.ua)
	if err := SignRequest(req, body, keyID, key, c.now()); err != nil {
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
