package federation_test

import (
	"bufio"
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/federation"
)

type cavageVectors struct {
	Request struct {
		Body string `json:"body"`
	} `json:"request"`
	Cases []struct {
		Name      string  `json:"name"`
		Headers   *string `json:"headers"`
		Signature string  `json:"signature"`
	} `json:"cases"`
}

func cavageRequest(t *testing.T) *http.Request {
	t.Helper()
	raw, err := os.ReadFile("testdata/cavage/request.http")
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func cavageKey(t *testing.T) (*rsa.PublicKey, *rsa.PrivateKey) {
	t.Helper()
	pubPEM, _ := os.ReadFile("testdata/cavage/test-key-public.pem")
	pub, err := federation.ParsePublicKey(string(pubPEM))
	if err != nil {
		t.Fatal(err)
	}
	privPEM, _ := os.ReadFile("testdata/cavage/test-key-private.pem")
	priv, err := federation.ParsePrivateKeyPEM(string(privPEM))
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

// TestCavageVectors verifies the draft's Appendix C signatures with the
// verifier the inbox uses, and refuses them once altered.
func TestCavageVectors(t *testing.T) {
	var v cavageVectors
	raw, _ := os.ReadFile("testdata/cavage/vectors.json")
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	pub, _ := cavageKey(t)
	for _, c := range v.Cases {
		headers := "date"
		if c.Headers != nil {
			headers = *c.Headers
		}
		if strings.Contains(headers, "(created)") {
			// The draft prints C.3 over the headers without (created) and
			// (expires); that is what its signature covers.
			headers = "(request-target) host date content-type digest content-length"
		}
		req := cavageRequest(t)
		req.Header.Set("Signature", `keyId="Test",algorithm="rsa-sha256",headers="`+headers+`",signature="`+c.Signature+`"`)
		p, err := federation.ParseSignature(req.Header.Get("Signature"))
		if err != nil || p.KeyID != "Test" {
			t.Fatalf("%s: parse: %+v %v", c.Name, p, err)
		}
		if err := federation.VerifySignature(req, pub); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		req.Header.Set("Date", "Mon, 06 Jan 2014 21:31:40 GMT")
		if err := federation.VerifySignature(req, pub); err == nil {
			t.Errorf("%s: verified with an altered Date", c.Name)
		}
	}
	// The body's digest is the one in the vectors.
	req := cavageRequest(t)
	if err := federation.CheckDigest(req.Header.Values("Digest"), []byte(v.Request.Body)); err != nil {
		t.Fatal(err)
	}
	if err := federation.CheckDigest(req.Header.Values("Digest"), []byte(`{"hello": "mars"}`)); err == nil {
		t.Fatal("a digest of another body was accepted")
	}
}

// TestSignRequest signs as deliveries are signed and checks what Mastodon
// checks: the covered headers, Host, Date, Digest, and that it verifies.
func TestSignRequest(t *testing.T) {
	pub, priv := cavageKey(t)
	body := []byte(`{"type":"Create"}`)
	req, _ := http.NewRequest(http.MethodPost, "https://mastodon.example/inbox?x=1", bytes.NewReader(body))
	req.Header.Set("Content-Type", federation.ContentTypeAS)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	if err := federation.SignRequest(req, body, "https://colmena.example/coops/gcoop#main-key", priv, now); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get("Host") != "mastodon.example" || req.Header.Get("Date") != "Fri, 27 Nov 2026 10:00:00 GMT" {
		t.Fatalf("headers: %v", req.Header)
	}
	p, err := federation.ParseSignature(req.Header.Get("Signature"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Headers, " ") != "(request-target) host date digest content-type" {
		t.Fatalf("covered headers: %v", p.Headers)
	}
	if err := federation.CheckSigned(req, p, body, now.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := federation.CheckSigned(req, p, body, now.Add(2*time.Hour)); err == nil {
		t.Fatal("a two-hour-old Date passed")
	}
	// The server side sees the request as it arrives.
	srvReq, _ := http.NewRequest(http.MethodPost, "/inbox?x=1", bytes.NewReader(body))
	srvReq.Host = "mastodon.example"
	srvReq.Header = req.Header.Clone()
	if err := federation.VerifySignature(srvReq, pub); err != nil {
		t.Fatal(err)
	}
	srvReq.URL.RawQuery = "x=2"
	if err := federation.VerifySignature(srvReq, pub); err == nil {
		t.Fatal("verified with another request target")
	}
	get, _ := http.NewRequest(http.MethodGet, "https://mastodon.example/users/ana", nil)
	if err := federation.SignRequest(get, nil, "https://colmena.example/actor#main-key", priv, now); err != nil {
		t.Fatal(err)
	}
	if p, _ := federation.ParseSignature(get.Header.Get("Signature")); strings.Join(p.Headers, " ") != "(request-target) host date" {
		t.Fatalf("GET covers %v", p.Headers)
	}
}

func TestParseSignature(t *testing.T) {
	good := []string{
		`keyId="https://m.example/users/a#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="abc="`,
		`keyId="k", algorithm="hs2019", headers="(request-target) host date", signature="abc="`,
		`signature="abc=",keyId="k"`,
	}
	for _, h := range good {
		if _, err := federation.ParseSignature(h); err != nil {
			t.Errorf("%s: %v", h, err)
		}
	}
	bad := []string{``, `keyId="k"`, `signature="x"`, `keyId="k",signature="x",algorithm="ed25519"`, `keyId="k,signature="x"`,
		`keyId="k",keyId="j",signature="x"`, `garbage`, `keyId="k" signature="x"`}
	for _, h := range bad {
		if _, err := federation.ParseSignature(h); err == nil {
			t.Errorf("%q parsed", h)
		}
	}
}

func FuzzParseSignature(f *testing.F) {
	f.Add(`keyId="k",algorithm="rsa-sha256",headers="(request-target) host date",signature="abc="`)
	f.Add(`keyId="k", signature="x", headers="date"`)
	f.Add(`a=b,c="d`)
	f.Fuzz(func(t *testing.T, h string) {
		p, err := federation.ParseSignature(h)
		if err == nil && (p.KeyID == "" || p.Signature == "" || len(p.Headers) == 0) {
			t.Fatalf("accepted without keyId, signature or headers: %q", h)
		}
	})
}
