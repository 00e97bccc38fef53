package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/internal/nodetest"
	"github.com/colmena-coop/colmena/internal/teststore"
)

// hostileNext are next= values, spelled as they would appear in a link's
// query, that a browser could follow to another site: schemes, a second
// slash made of tabs, newlines or backslashes, and the same again
// percent-encoded once more.
var hostileNext = []string{
	"//evil.example/",
	"///evil.example",
	"%2F%2Fevil.example",
	"/%2F/evil.example",
	"/%252F/evil.example",
	"/%252F%252Fevil.example",
	"/%09/evil.example",
	"/%2509/evil.example",
	"%09//evil.example",
	"/%0A/evil.example",
	"/%0D%0A/evil.example",
	"/%0D/evil.example",
	"/%00/evil.example",
	"/%0B/evil.example",
	"/%7F/evil.example",
	"/\\evil.example",
	"/%5Cevil.example",
	"/%255Cevil.example",
	"%5C%5Cevil.example",
	"/%5C%5Cevil.example",
	"/%09%5Cevil.example",
	"%20//evil.example",
	"https:evil.example",
	"https://evil.example/",
	"http:/evil.example",
	"HTTPS://evil.example",
	"javascript:alert(1)",
	"//evil.example%40127.0.0.1/",
	"/%E2%80%8B/evil.example",
	"/%FF/evil.example",
	"evil.example",
	"",
}

// safeNext are next= values that stay on this site, and where each
// leads.
var safeNext = map[string]string{
	"%2Fcoops%3Fcountry%3DAR":    "/coops?country=AR",
	"/jobs.atom":                 "/jobs.atom",
	"%2F%3Fq%3D100%2525":         "/?q=100%25",
	"%2F%3Fq%3Dc%252B%252B":      "/?q=c%2B%2B",
	"/account%23tokens":          "/account#tokens",
	"/coops/hornero%40a.example": "/coops/hornero@a.example",
}

// TestRedirectsStayHere: the language switch and the login form send the
// browser back where next= says only when that is a path on this site;
// anything a browser could read as another host leads to the default.
func TestRedirectsStayHere(t *testing.T) {
	a := nodetest.New(t, teststore.SQLite, "SoberaniaX", "soberaniax")
	a.Coop(t, directory.Coop{Handle: "hornero", Name: "Hornero", Country: "AR", Workers: 5})
	_, raw, err := a.Svc.InviteUser(t.Context(), a.Admin, "ana@hornero.example", false, "hornero")
	if err != nil {
		t.Fatal(err)
	}
	acceptInvite(t, a.URL, "/password?token="+raw, "una clave larga")

	// A hostile value may also be refused outright (400): a NUL byte or
	// invalid UTF-8 is bad input anywhere.
	check := func(t *testing.T, rawNext, want string) {
		t.Helper()
		refusable := want == "/"
		resp := roundTrip(t, http.MethodGet, a.URL+"/lang/es?next="+rawNext, nil)
		if refusable && resp.StatusCode == http.StatusBadRequest {
			// refused
		} else if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("/lang/es?next=%s: %d to %q, want %q", rawNext, resp.StatusCode, resp.Header.Get("Location"), want)
		}
		wantLogin := want
		if want == "/" {
			wantLogin = "/dashboard"
		}
		value, err := url.QueryUnescape(rawNext)
		if err != nil {
			t.Fatal(err)
		}
		// The login page carries next= in its form; the form posts it.
		if resp := roundTrip(t, http.MethodGet, a.URL+"/login?next="+rawNext, nil); resp.StatusCode != http.StatusOK &&
			!(refusable && resp.StatusCode == http.StatusBadRequest) {
			t.Fatalf("login page with next=%s: %d", rawNext, resp.StatusCode)
		}
		resp = roundTrip(t, http.MethodPost, a.URL+"/login",
			url.Values{"email": {"ana@hornero.example"}, "password": {"una clave larga"}, "next": {value}})
		if refusable && resp.StatusCode == http.StatusBadRequest {
			return
		}
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != wantLogin {
			t.Errorf("login with next=%s: %d to %q, want %q", rawNext, resp.StatusCode, resp.Header.Get("Location"), wantLogin)
		}
	}
	for _, n := range hostileNext {
		check(t, n, "/")
	}
	for n, want := range safeNext {
		check(t, n, want)
	}
}

// roundTrip sends one request as a page of the node would and returns the
// answer as is: a client would refuse to read some hostile Location
// headers, which is what this looks at.
func roundTrip(t *testing.T, method, target string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}
