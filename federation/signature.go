package federation

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
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

// SignatureParams is a parsed draft-cavage Signature header.
type SignatureParams struct {
	KeyID     string
	Algorithm string
	Headers   []string
	Signature string
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
		p.Headers = []string{"date"}
	}
	return p, nil
}

func (p *SignatureParams) covers(h string) bool {
	for _, x := range p.Headers {
		if x == h {
			return true
		}
	}
	return false
}

// ClockSkew is how far a signed request's Date may be from now.
const ClockSkew = time.Hour

// CheckSigned checks what a signature must cover and what the headers
// must say, before any key is fetched: (request-target), host and date
// signed, digest too on a POST, Date within ClockSkew of now, and Digest
// equal to the body's SHA-256.
func CheckSigned(r *http.Request, p *SignatureParams, body []byte, now time.Time) error {
	required := []string{"(request-target)", "host", "date"}
	if r.Method == http.MethodPost {
		required = append(required, "digest")
	}
	for _, h := range required {
		if !p.covers(h) {
			return fmt.Errorf("the signature must cover %s", h)
		}
	}
	date, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		return errors.New("the Date header is missing or malformed")
	}
	if d := now.Sub(date); d > ClockSkew || d < -ClockSkew {
		return fmt.Errorf("the Date header is %v away from this server's clock; at most %v is accepted", d.Round(time.Second), ClockSkew)
	}
	if r.Method == http.MethodPost {
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

// VerifySignature checks the signature itself with the signer's key.
func VerifySignature(r *http.Request, key *rsa.PublicKey) error {
	v, err := httpsig.NewVerifier(r)
	if err != nil {
		return fmt.Errorf("reading the signature: %w", err)
	}
	if err := v.Verify(key, httpsig.RSA_SHA256); err != nil {
		return errors.New("the signature does not verify")
	}
	return nil
}
