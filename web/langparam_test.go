package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/colmena-coop/colmena/internal/teststore"
)

func langCookieOf(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "lang" {
			return c
		}
	}
	return nil
}

// TestLangParameter: ?lang picks the page language for that request over
// the cookie and the browser's languages, remembers it as the language
// switcher does, and the kept anonymous search page answers each language
// in its own words; an unknown ?lang is ignored.
func TestLangParameter(t *testing.T) {
	teststore.Each(t, func(t *testing.T, open teststore.Opener) {
		n, _, _ := pagesNode(t, open)
		for _, p := range []string{"/?lang=es", "/coops?lang=es", "/coops/hornero?lang=es", "/stats?lang=es", "/?skill=go&lang=es"} {
			resp, body := page(t, n.URL, p, "Accept-Language", "en", "Cookie", "lang=en")
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<html lang="es">`) || resp.Header.Get("Content-Language") != "es" {
				t.Errorf("%s: %d, Content-Language %q, want a Spanish page", p, resp.StatusCode, resp.Header.Get("Content-Language"))
			}
			c := langCookieOf(resp)
			if c == nil || c.Value != "es" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge < 86400 {
				t.Errorf("%s: language cookie %+v", p, c)
			}
			// The switcher's way back drops ?lang, or choosing English
			// would land on a Spanish page again.
			if !strings.Contains(body, `href="/lang/en?next=`) || strings.Contains(body, "lang%3Des") {
				t.Errorf("%s: a link keeps ?lang", p)
			}
		}
		// The search page is kept per language and address: asking in
		// turn never serves the other language's page.
		for range 2 {
			for _, tc := range []struct{ path, lang, word string }{
				{"/?lang=es", "es", "Empleos"}, {"/?lang=en", "en", "Jobs"}, {"/", "en", "Jobs"},
			} {
				resp, body := page(t, n.URL, tc.path, "Accept-Language", "en")
				if !strings.Contains(body, `<html lang="`+tc.lang+`">`) || !strings.Contains(body, ">"+tc.word+"</a>") {
					t.Errorf("%s: want %s", tc.path, tc.lang)
				}
				if c := langCookieOf(resp); tc.path != "/" && (c == nil || c.Value != tc.lang) {
					t.Errorf("%s (kept page): language cookie %+v", tc.path, c)
				}
			}
		}
		// An unknown language is ignored and sets nothing.
		resp, body := page(t, n.URL, "/coops?lang=xx", "Accept-Language", "es")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<html lang="es">`) || langCookieOf(resp) != nil {
			t.Errorf("?lang=xx: %d %v", resp.StatusCode, langCookieOf(resp))
		}
	})
}
