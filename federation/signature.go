package federation

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// SignRequest signs r as draft-cavage HTTP Signatures, the way Mastodon
// verifies them: Host and Date set first, then (request-target) host date
// for a GET and (request-target) host date digest content-type for a POST,
// with Digest: SHA-256= over body. A new signer is made for every request:
// go-fed/httpsig signers are not safe to share.
func SignRequest(r *http.Request, body []byte, keyID string, key *rsa.PrivateKey, now time.Time) error {
	if key == nil {
		return errors.New("no key to sign with")
	}
	r.Host = r.URL.Host
	r.Header.Set("Host", r.URL.Host)
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	headers := []string{httpsig.RequestTarget, "host", "date"}
	if body != nil {
		r.Header.Del("Digest")
		headers = append(headers, "digest")
		if r.Header.Get("Content-Type") != "" {
			headers = append(headers, "content-type")
		}
	}
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256, headers, httpsig.Signature, 0)
	if err != nil {
		return fmt.Errorf("making a signer: %w", err)
	}
	if err := signer.SignRequest(key, keyID, r, body); err != nil {
		return fmt.Errorf("signing: %w", err)
	}
	return nil
}

// SignatureParams is a parsed draft-cavage Signature header. Created and
// Expires are the created and expires parameters, zero when absent.
type SignatureParams struct {
	KeyID     string
	Algorithm string
	Headers   []string
	Signature string
	Created   int64
	Expires   int64
}

// ErrNoSignature is returned for a request without a Signature header.
var ErrNoSignature = errors.New("the request is not signed: a draft-cavage Signature header is required")

// ParseSignature parses a Signature header: comma-separated key="value"
// pairs. It rejects anything it does not understand.
func ParseSignature(h string) (*SignatureParams, error) {
	if strings.TrimSpace(h) == "" {
		return nil, ErrNoSignature
	}
	if len(h) > 8192 {
		return nil, errors.New("the Signature header is too long")
	}
	p := &SignatureParams{}
	rest := h
	seen := map[string]bool{}
	for strings.TrimSpace(rest) != "" {
		rest = strings.TrimLeft(rest, " \t,")
		eq := strings.IndexByte(rest, '=')
		if eq <= 0 {
			return nil, errors.New("the Signature header is malformed")
		}
		name := strings.ToLower(strings.TrimSpace(rest[:eq]))
		rest = rest[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return nil, errors.New("the Signature header has an unterminated quote")
			}
			val, rest = rest[1:end+1], rest[end+2:]
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			val, rest = strings.TrimSpace(rest[:end]), rest[end:]
		}
		if seen[name] {
			return nil, fmt.Errorf("the Signature header repeats %q", name)
		}
		seen[name] = true
		switch name {
		case "keyid":
			p.KeyID = val
		case "algorithm":
			p.Algorithm = strings.ToLower(val)
		case "headers":
			p.Headers = strings.Fields(strings.ToLower(val))
		case "signature":
			p.Signature = val
		case "created", "expires":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("the signature's %s is not a time", name)
			}
			if name == "created" {
				p.Created = n
			} else {
				p.Expires = n
			}
		}
		rest = strings.TrimLeft(rest, " \t")
		if rest != "" && rest[0] != ',' {
			return nil, errors.New("the Signature header is malformed")
		}
	}
	if p.KeyID == "" || p.Signature == "" {
		return nil, errors.New("the Signature header needs keyId and signature")
	}
	if p.Algorithm != "" && p.Algorithm != "rsa-sha256" && p.Algorithm != "hs2019" {
		return nil, fmt.Errorf("the signature algorithm %q is not supported; use rsa-sha256 or hs2019", p.Algorithm)
	}
	if len(p.Headers) == 0 {
		// The draft's defaults, as Mastodon reads them.
		p.Headers = []string{"(created)"}
		if p.Algorithm == "rsa-sha256" {
			p.Headers = []string{"date"}
		}
	}
	return p, nil
}

// hs2019 reports whether the signature is hs2019, the algorithm assumed
// when none is named: only it may cover (created) and (expires).
func (p *SignatureParams) hs2019() bool {
	return p.Algorithm == "" || p.Algorithm == "hs2019"
}

func (p *SignatureParams) covers(h string) bool {
	for _, x := range p.Headers {
		if x == h {
			return true
		}
	}
	return false
}

// The time window of a signed request, Mastodon's: it is refused when it
// was created more than ClockSkew ahead of this server's clock, or when
// ClockSkew has passed since it expired. It expires when its (expires)
// says, DefaultExpiry after it was created when it does not say, and
// MaxExpiry after it was created at the latest.
const (
	ClockSkew     = time.Hour
	DefaultExpiry = 5 * time.Minute
	MaxExpiry     = 12 * time.Hour
)

// CheckSigned checks what a signature must cover and what the headers
// must say, before any key is fetched. These are Mastodon's rules: date or
// (created) signed; (request-target) or digest signed; host signed on a
// GET (and a HEAD); digest signed on a POST; (created) and (expires) only
// with hs2019 and with their parameters. Every signed time, the Date
// header and (created), must be within the time window, and (expires)
// must not have passed. Unlike Mastodon, created and expires parameters
// that the signature does not cover are not read. A signed Digest must
// equal the body's SHA-256.
//
// Whether the request names this node is left to the caller: the host a
// signature covers is the Host the request arrived with.
func CheckSigned(r *http.Request, p *SignatureParams, body []byte, now time.Time) error {
	switch {
	case !p.covers("date") && !p.covers("(created)"):
		return errors.New("the signature must cover date or (created)")
	case !p.covers("(request-target)") && !p.covers("digest"):
		return errors.New("the signature must cover (request-target) or digest")
	case (r.Method == http.MethodGet || r.Method == http.MethodHead) && !p.covers("host"):
		return errors.New("the signature must cover host on a GET")
	case r.Method == http.MethodPost && !p.covers("digest"):
		return errors.New("the signature must cover digest on a POST")
	}
	// The signed times, each with the name it is refused under.
	type signed struct {
		name string
		t    time.Time
	}
	var created, expires []signed
	var signedExpiry time.Time
	if p.covers("(created)") || p.covers("(expires)") {
		if !p.hs2019() {
			return errors.New("(created) and (expires) may only be signed with hs2019")
		}
		if p.covers("(created)") {
			if p.Created == 0 {
				return errors.New("the signature covers (created) without a created parameter")
			}
			created = append(created, signed{"(created)", time.Unix(p.Created, 0)})
		}
		if p.covers("(expires)") {
			if p.Expires == 0 {
				return errors.New("the signature covers (expires) without an expires parameter")
			}
			signedExpiry = time.Unix(p.Expires, 0)
			expires = append(expires, signed{"(expires)", signedExpiry})
		}
	}
	if p.covers("date") {
		date, err := http.ParseTime(r.Header.Get("Date"))
		if err != nil {
			return errors.New("the Date header is missing or malformed")
		}
		created = append(created, signed{"the Date header", date})
	}
	for _, c := range created {
		if d := c.t.Sub(now); d > ClockSkew {
			return fmt.Errorf("%s is %v ahead of this server's clock; at most %v is accepted", c.name, d.Round(time.Second), ClockSkew)
		}
		exp := c.t.Add(DefaultExpiry)
		if !signedExpiry.IsZero() {
			exp = signedExpiry
		}
		if latest := c.t.Add(MaxExpiry); exp.After(latest) {
			exp = latest
		}
		expires = append(expires, signed{c.name, exp})
	}
	for _, e := range expires {
		if d := now.Sub(e.t); d > ClockSkew {
			return fmt.Errorf("%s puts the signature's expiry %v in the past; at most %v is accepted", e.name, d.Round(time.Second), ClockSkew)
		}
	}
	if p.covers("digest") {
		return CheckDigest(r.Header.Values("Digest"), body)
	}
	return nil
}

// CheckDigest checks a Digest header's SHA-256 against the body.
func CheckDigest(values []string, body []byte) error {
	sum := sha256.Sum256(body)
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			alg, val, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok || !strings.EqualFold(alg, "sha-256") {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(val)
			if err != nil || subtle.ConstantTimeCompare(got, sum[:]) != 1 {
				return errors.New("the Digest does not match the body")
			}
			return nil
		}
	}
	return errors.New("a Digest header with SHA-256 is required")
}

// VerifySignature checks the signature itself with the signer's key: an
// RSA-SHA256 signature over the covered headers in the order named, with
// (request-target) read with the query string, then, as Mastodon also
// accepts, without it.
func VerifySignature(r *http.Request, key *rsa.PublicKey) error {
	p, err := ParseSignature(r.Header.Get("Signature"))
	if err != nil {
		return fmt.Errorf("reading the signature: %w", err)
	}
	sig, err := base64.StdEncoding.DecodeString(p.Signature)
	if err != nil {
		return errors.New("the signature is not base64")
	}
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	targets := []string{path}
	if r.URL.RawQuery != "" {
		targets = []string{path + "?" + r.URL.RawQuery, path}
	}
	for _, target := range targets {
		s, err := signingString(r, p, target)
		if err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(s))
		if rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig) == nil {
			return nil
		}
	}
	return errors.New("the signature does not verify")
}

// signingString is the text a draft-cavage signature signs.
func signingString(r *http.Request, p *SignatureParams, target string) (string, error) {
	var b strings.Builder
	for i, h := range p.Headers {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(h)
		b.WriteString(": ")
		switch h {
		case "(request-target)":
			b.WriteString(strings.ToLower(r.Method) + " " + target)
		case "(created)", "(expires)":
			v := p.Created
			if h == "(expires)" {
				v = p.Expires
			}
			if v == 0 {
				return "", fmt.Errorf("the signature covers %s without its parameter", h)
			}
			b.WriteString(strconv.FormatInt(v, 10))
		case "host":
			host := r.Host
			if host == "" {
				host = r.Header.Get("Host")
			}
			b.WriteString(host)
		default:
			vs := r.Header.Values(h)
			if len(vs) == 0 {
				return "", fmt.Errorf("the signature covers %s, which the request does not have", h)
			}
			for j, v := range vs {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(strings.TrimSpace(v))
			}
		}
	}
	return b.String(), nil
}
