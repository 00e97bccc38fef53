package federation_test

import (
	"net/http/httptest"
	"testing"

	"github.com/colmena-coop/colmena/federation"
)

// TestWantsActivityStreams: the Accept values servers send most are
// answered without parsing, the same as the parse answers them; the rest
// are weighed by their q values.
func TestWantsActivityStreams(t *testing.T) {
	for accept, want := range map[string]bool{
		"application/activity+json": true,
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`: true,
		"application/ld+json": true,
		"":                    false,
		"text/html":           false,
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": false,
		"application/activity+json, application/ld+json":                  true,
		"text/html;q=0.9, application/activity+json":                      true,
		"application/activity+json;q=0.5, text/html":                      false,
		"application/activity+json;q=0":                                   false,
		"application/json":                                                false,
	} {
		r := httptest.NewRequest("GET", "/coops/hornero", nil)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		if got := federation.WantsActivityStreams(r); got != want {
			t.Errorf("Accept %q: %v, want %v", accept, got, want)
		}
	}
}
