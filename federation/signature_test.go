package federation_test

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
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

// signAs replaces req's signature with one by keyID over headers, as another
// server might sign: alg is the algorithm parameter ("" for none),
// created and expires its parameters (0 for none). Date and Digest are
// set from now and body.
func signAs(t *testing.T, req *http.Request, body []byte, keyID string, priv *rsa.PrivateKey, alg string, headers []string, now time.Time, created, expires int64) {
	t.Helper()
	req.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	sum := sha256.Sum256(body)
	req.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
	var lines []string
	for _, h := range headers {
		switch h {
		case "(request-target)":
			lines = append(lines, h+": "+strings.ToLower(req.Method)+" "+req.URL.RequestURI())
		case "(created)":
			lines = append(lines, h+": "+strconv.FormatInt(created, 10))
		case "(expires)":
			lines = append(lines, h+": "+strconv.FormatInt(expires, 10))
		case "host":
			lines = append(lines, h+": "+req.Host)
		default:
			lines = append(lines, h+": "+req.Header.Get(h))
		}
	}
	digest := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	params := `keyId="` + keyID + `"`
	if alg != "" {
		params += `,algorithm="` + alg + `"`
	}
	if created != 0 {
		params += `,created=` + strconv.FormatInt(created, 10)
	}
	if expires != 0 {
		params += `,expires=` + strconv.FormatInt(expires, 10)
	}
	req.Header.Set("Signature", params+`,headers="`+strings.Join(headers, " ")+`",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
}

const testKeyID = "https://mastodon.example/users/ana#main-key"

// TestMastodonSignatureRules: the covered headers and times Mastodon
// accepts are accepted, and what it refuses is refused.
func TestMastodonSignatureRules(t *testing.T) {
	pub, priv := cavageKey(t)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) int64 { return now.Add(d).Unix() }
	body := []byte(`{"type":"Follow"}`)
	cases := []struct {
		name    string
		method  string
		alg     string
		headers string
		date    time.Duration // the Date header's offset from now
		created int64
		expires int64
		ok      bool
	}{
		{"POST without host", "POST", "rsa-sha256", "(request-target) date digest", 0, 0, 0, true},
		{"POST with (created) for date", "POST", "hs2019", "(request-target) host (created) digest", 0, at(0), 0, true},
		{"POST with (created), no algorithm", "POST", "", "(request-target) host (created) digest", 0, at(0), 0, true},
		{"POST as Mastodon signs", "POST", "rsa-sha256", "host date content-type digest (request-target)", 0, 0, 0, true},
		{"POST with digest, no request-target", "POST", "rsa-sha256", "host date digest", 0, 0, 0, true},
		{"GET as Mastodon signs", "GET", "rsa-sha256", "host date (request-target)", 0, 0, 0, true},
		{"GET without host", "GET", "rsa-sha256", "(request-target) date", 0, 0, 0, false},
		{"POST without digest", "POST", "rsa-sha256", "(request-target) host date", 0, 0, 0, false},
		{"neither date nor (created)", "POST", "hs2019", "(request-target) host digest", 0, at(0), 0, false},
		{"(created) with rsa-sha256", "POST", "rsa-sha256", "(request-target) host (created) digest", 0, at(0), 0, false},
		{"(created) without created", "POST", "hs2019", "(request-target) host (created) digest", 0, 0, 0, false},
		{"(created) two hours ahead", "POST", "hs2019", "(request-target) host (created) digest", 0, at(2 * time.Hour), 0, false},
		{"(created) fifty minutes ahead", "POST", "hs2019", "(request-target) host (created) digest", 0, at(50 * time.Minute), 0, true},
		{"(created) an hour ago", "POST", "hs2019", "(request-target) host (created) digest", 0, at(-time.Hour), 0, true},
		{"(created) two hours ago", "POST", "hs2019", "(request-target) host (created) digest", 0, at(-2 * time.Hour), 0, false},
		{"(expires) passed two hours ago", "POST", "hs2019", "(request-target) host (created) (expires) digest", 0, at(-3 * time.Hour), at(-2 * time.Hour), false},
		{"(expires) in an hour", "POST", "hs2019", "(request-target) host (created) (expires) digest", 0, at(-3 * time.Hour), at(time.Hour), true},
		{"(expires) past the twelve hours", "POST", "hs2019", "(request-target) host (created) (expires) digest", 0, at(-14 * time.Hour), at(time.Hour), false},
		{"Date two hours old", "POST", "rsa-sha256", "(request-target) host date digest", -2 * time.Hour, 0, 0, false},
		{"Date two hours ahead", "POST", "rsa-sha256", "(request-target) host date digest", 2 * time.Hour, 0, 0, false},
		{"Date old, unsigned created fresh", "POST", "hs2019", "(request-target) host date digest", -2 * time.Hour, at(0), 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b []byte
			if c.method == http.MethodPost {
				b = body
			}
			req, _ := http.NewRequest(c.method, "https://colmena.example/inbox?page=1", bytes.NewReader(b))
			req.Header.Set("Content-Type", federation.ContentTypeAS)
			signAs(t, req, b, testKeyID, priv, c.alg, strings.Fields(c.headers), now.Add(c.date), c.created, c.expires)
			// As the server sees it.
			srv, _ := http.NewRequest(c.method, "/inbox?page=1", bytes.NewReader(b))
			srv.Host = "colmena.example"
			srv.Header = req.Header.Clone()
			p, err := federation.ParseSignature(srv.Header.Get("Signature"))
			if err != nil {
				t.Fatal(err)
			}
			err = federation.CheckSigned(srv, p, b, now)
			if err == nil {
				err = federation.VerifySignature(srv, pub)
			}
			if c.ok && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !c.ok && err == nil {
				t.Error("accepted")
			}
		})
	}
	// A signature whose signed host names another node does not verify
	// for the request this node received.
	req, _ := http.NewRequest(http.MethodPost, "https://elsewhere.example/inbox", bytes.NewReader(body))
	req.Header.Set("Content-Type", federation.ContentTypeAS)
	signAs(t, req, body, testKeyID, priv, "hs2019", strings.Fields("(request-target) host (created) digest"), now, now.Unix(), 0)
	srv, _ := http.NewRequest(http.MethodPost, "/inbox", bytes.NewReader(body))
	srv.Host = "colmena.example"
	srv.Header = req.Header.Clone()
	if err := federation.VerifySignature(srv, pub); err == nil {
		t.Error("a signature for elsewhere.example verified at colmena.example")
	}
	// A request signed without its query string, as older Mastodons do.
	req, _ = http.NewRequest(http.MethodGet, "https://colmena.example/coops", nil)
	signAs(t, req, nil, testKeyID, priv, "rsa-sha256", strings.Fields("(request-target) host date"), now, 0, 0)
	srv, _ = http.NewRequest(http.MethodGet, "/coops?page=2", nil)
	srv.Host = "colmena.example"
	srv.Header = req.Header.Clone()
	if err := federation.VerifySignature(srv, pub); err != nil {
		t.Errorf("without the query: %v", err)
	}
}
