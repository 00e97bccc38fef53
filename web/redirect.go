package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// localNext is where to send a browser that asked to come back to next:
// next itself when it is a path on this site, else fallback. Browsers
// drop tabs and newlines from a Location, read a backslash as a slash
// and take a leading "//" as another host, so any of those, a scheme, a
// host, or a control character sends the browser to fallback instead
// (no open redirect).
func localNext(next, fallback string) string {
	if !localPath(next) {
		return fallback
	}
	return next
}

// maxUnescapes bounds how many layers of percent-encoding localPath
// looks through.
const maxUnescapes = 4

// localPath reports whether next is a same-origin path, such as
// "/coops?country=AR", however many times its path is unescaped.
func localPath(next string) bool {
	if !utf8.ValidString(next) || hasControl(next) {
		return false
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	// The path as written, then as each further decoding would read it:
	// a proxy or a later redirect might decode once more.
	p := u.EscapedPath()
	for range maxUnescapes {
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') ||
			hasControl(p) || !utf8.ValidString(p) {
			return false
		}
		dec, err := url.PathUnescape(p)
		if err != nil || dec == p {
			// A stray "%" decodes to nothing else: this is the last form.
			return true
		}
		p = dec
	}
	return false
}

// hasControl reports whether s holds a control character, or a format
// or line-separator character that is invisible in an address.
func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
	}) >= 0
}
