package federation_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/federation"
)

func TestWebFingerForms(t *testing.T) {
	g := newGoldenNode(t)
	ok := map[string]string{
		"acct:gcoop@soberaniax.example":                           "https://soberaniax.example/coops/gcoop",
		"gcoop@soberaniax.example":                                "https://soberaniax.example/coops/gcoop",
		"@gcoop@soberaniax.example":                               "https://soberaniax.example/coops/gcoop",
		"acct:GCOOP@SOBERANIAX.EXAMPLE":                           "",
		"https://soberaniax.example/coops/gcoop":                  "https://soberaniax.example/coops/gcoop",
		"acct:soberaniax@soberaniax.example":                      "https://soberaniax.example/federation",
		"https://soberaniax.example/federation":                   "https://soberaniax.example/federation",
		"acct:soberaniax.example@soberaniax.example":              "https://soberaniax.example/actor",
		"https://soberaniax.example/actor":                        "https://soberaniax.example/actor",
		"soberaniax.example":                                      "https://soberaniax.example/actor",
		url.QueryEscape("acct:gcoop@soberaniax.example"):          "https://soberaniax.example/coops/gcoop",
		url.QueryEscape("https://soberaniax.example/coops/gcoop"): "https://soberaniax.example/coops/gcoop",
	}
	for res, want := range ok {
		status, h, body := g.get(t, "/.well-known/webfinger?resource="+url.QueryEscape(res), "")
		if want == "" {
			if status != 404 {
				t.Errorf("%s: %d (handles are lower case)", res, status)
			}
			continue
		}
		if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/jrd+json") ||
			!strings.Contains(string(body), `"href":"`+want+`","rel":"self"`) && !strings.Contains(string(body), `"rel":"self","type":"application/activity+json","href":"`+want+`"`) {
			t.Errorf("%s: %d %s", res, status, body)
		}
	}
	bad := map[string]int{"": 400, "acct:": 400, "acct:gcoop@other.example": 404, "acct:nobody@soberaniax.example": 404,
		"https://other.example/coops/gcoop": 404, "acct:../etc@soberaniax.example": 404}
	for res, want := range bad {
		if status, _, body := g.get(t, "/.well-known/webfinger?resource="+url.QueryEscape(res), ""); status != want {
			t.Errorf("%q: %d %s, want %d", res, status, body, want)
		}
	}
	// A deleted co-op is gone, not unknown.
	if err := g.svc.DeleteCoop(t.Context(), directory.Principal{Admin: true}, "gcoop"); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := g.get(t, "/.well-known/webfinger?resource=acct:gcoop@soberaniax.example", ""); status != 410 {
		t.Errorf("deleted co-op: %d", status)
	}
	if status, _, _ := g.get(t, "/coops/gcoop", federation.ContentTypeAS); status != 410 {
		t.Errorf("deleted co-op's actor: %d", status)
	}
}

func TestContentNegotiation(t *testing.T) {
	g := newGoldenNode(t)
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	mastodonSearch := `application/ld+json; profile="https://www.w3.org/ns/activitystreams", application/activity+json, text/html;q=0.1`
	for _, path := range []string{"/coops/gcoop", "/jobs/" + g.key, "/federation"} {
		status, h, body := g.get(t, path, browser)
		if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Fatalf("%s for a browser: %d %s", path, status, h.Get("Content-Type"))
		}
		id := "https://soberaniax.example" + path
		if !strings.Contains(string(body), `<link rel="alternate" type="application/activity+json" href="`+id+`">`) ||
			!strings.Contains(h.Get("Link"), `<`+id+`>; rel="alternate"; type="application/activity+json"`) {
			t.Errorf("%s: no alternate link to %s", path, id)
		}
		if !strings.Contains(h.Get("Vary"), "Accept") {
			t.Errorf("%s: no Vary: Accept", path)
		}
		for _, accept := range []string{federation.ContentTypeAS, mastodonSearch, federation.ContentTypeLD} {
			status, h, body := g.get(t, path, accept)
			if status != 200 || !federation.IsASContentType(h.Get("Content-Type")) || !strings.Contains(string(body), `"id":"`+id+`"`) {
				t.Errorf("%s with Accept %s: %d %s", path, accept, status, h.Get("Content-Type"))
			}
		}
	}
	// Documents carry an ETag; a conditional GET of an unchanged one is 304.
	_, h, _ := g.get(t, "/coops/gcoop", federation.ContentTypeAS)
	req := httptest.NewRequest(http.MethodGet, "https://soberaniax.example/coops/gcoop", nil)
	req.Header.Set("Accept", federation.ContentTypeAS)
	req.Header.Set("If-None-Match", h.Get("ETag"))
	rec := httptest.NewRecorder()
	g.h.ServeHTTP(rec, req)
	if h.Get("ETag") == "" || rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("conditional GET: etag %q, %d", h.Get("ETag"), rec.Code)
	}
	_, _, page := g.get(t, "/jobs/"+g.key, browser)
	if !strings.Contains(string(page), `<script type="application/ld+json">{"@context":"https://schema.org/","@type":"JobPosting"`) {
		t.Errorf("the job page has no JobPosting JSON-LD:\n%s", page)
	}
	// The instance actor is served unsigned, to anyone.
	if status, _, _ := g.get(t, "/actor", ""); status != 200 {
		t.Errorf("/actor: %d", status)
	}
}

// TestClientRefusals checks the outbound client: private addresses
// refused unless allowed, the size cap, and the content type.
func TestClientRefusals(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Header().Set("Content-Type", federation.ContentTypeAS)
			_, _ = w.Write([]byte(`{"x":"` + strings.Repeat("a", federation.MaxDocument) + `"}`))
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<p>hi</p>"))
		default:
			w.Header().Set("Content-Type", federation.ContentTypeAS)
			_, _ = w.Write([]byte(`{"id":"x"}`))
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	strict := federation.NewClient(federation.ClientConfig{UserAgent: "test"})
	if _, err := strict.GetActivity(ctx, srv.URL+"/ok"); !errors.Is(err, federation.ErrForbiddenAddress) {
		t.Fatalf("loopback fetched without --allow-private-network: %v", err)
	}
	key, _ := testKeys.Key()
	if _, err := strict.Post(ctx, srv.URL+"/inbox", []byte("{}"), "k", key); !errors.Is(err, federation.ErrForbiddenAddress) {
		t.Fatal("posted to loopback without --allow-private-network")
	}
	open := federation.NewClient(federation.ClientConfig{UserAgent: "test", AllowPrivateNetwork: true})
	if _, err := open.GetActivity(ctx, srv.URL+"/ok"); err != nil {
		t.Fatal(err)
	}
	if _, err := open.GetActivity(ctx, srv.URL+"/big"); err == nil {
		t.Fatal("read a document over 1 MiB")
	}
	if _, err := open.GetActivity(ctx, srv.URL+"/html"); err == nil {
		t.Fatal("took HTML for ActivityStreams")
	}
	for _, bad := range []string{"file:///etc/passwd", "gopher://x", "http://user:pw@example.com/"} {
		if _, err := open.GetActivity(ctx, bad); err == nil {
			t.Fatalf("fetched %s", bad)
		}
	}
}

// TestInstanceActorOnAPort: GoToSocial refuses a username with a colon, so
// the instance actor of a node on a port is named by its host alone, and
// WebFinger finds it by either form.
func TestInstanceActorOnAPort(t *testing.T) {
	n := newNode(t, engines()["sqlite"], "EthiX", "ethix")
	a := getAS(t, n.srv.URL+"/actor")
	name, _ := a["preferredUsername"].(string)
	if name != "127.0.0.1" {
		t.Fatalf("preferredUsername %q", name)
	}
	for _, res := range []string{"acct:127.0.0.1@" + n.host(), "acct:" + n.host() + "@" + n.host()} {
		status, _, body := get(t, n.srv.URL+"/.well-known/webfinger?resource="+url.QueryEscape(res), "")
		if status != 200 || !strings.Contains(string(body), n.srv.URL+"/actor") {
			t.Errorf("%s: %d %s", res, status, body)
		}
	}
}
