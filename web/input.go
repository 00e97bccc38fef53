package web

import (
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/colmena-coop/colmena/directory"
)

// readableInput refuses (400, naming the parameter) a request whose path
// variables, query parameters or posted form fields hold a NUL byte or
// invalid UTF-8, before any handler passes them to a store: PostgreSQL
// cannot take either in text, and no handle, id, search or form field
// needs them.
func (s *Server) readableInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := unreadableInput(r); err != nil {
			if strings.HasPrefix(r.URL.Path, apiPrefix+"/") || !strings.Contains(r.Header.Get("Accept"), "text/html") {
				s.fail(w, r, err)
			} else {
				s.pageError(w, r, err)
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

// unreadableInput is the first NUL byte or invalid UTF-8 of r's path
// variables, query and urlencoded form, as an error naming where it is.
func unreadableInput(r *http.Request) error {
	// Without an escape, the path (which holds the variables) and the
	// query read as they are written: one look at each is enough.
	if r.Method != http.MethodPost && plainReadable(r.URL.EscapedPath()) && plainReadable(r.URL.RawQuery) {
		return nil
	}
	vars := mux.Vars(r)
	for _, name := range slices.Sorted(maps.Keys(vars)) {
		// The router matches the escaped path: a variable is read
		// unescaped. A bad escape is the handler's to refuse.
		v, err := url.PathUnescape(vars[name])
		if err != nil {
			continue
		}
		if err := readable(name, v); err != nil {
			return err
		}
	}
	// Errors in the query's own syntax leave out the bad pair, as
	// r.URL.Query does for every handler.
	query, _ := url.ParseQuery(r.URL.RawQuery)
	if err := readableValues(query); err != nil {
		return err
	}
	if r.Method == http.MethodPost {
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" {
			// Parsed here as the handler would: the handler reads
			// r.PostForm as it is left.
			_ = r.ParseForm()
			return readableValues(r.PostForm)
		}
	}
	return nil
}

// plainReadable reports whether s has no escape, no NUL byte and only
// valid UTF-8.
func plainReadable(s string) bool {
	return strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}

func readableValues(vs url.Values) error {
	for _, k := range slices.Sorted(maps.Keys(vs)) {
		if !utf8.ValidString(k) || strings.IndexByte(k, 0) >= 0 {
			return directory.Invalid(fmt.Sprintf("%q", k), codeOf(k))
		}
		for _, v := range vs[k] {
			if err := readable(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// readable refuses a NUL byte or invalid UTF-8 in the value of name.
func readable(name, v string) error {
	if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
		return directory.Invalid(name, codeOf(v))
	}
	return nil
}

func codeOf(v string) directory.Code {
	if !utf8.ValidString(v) {
		return directory.CodeUTF8
	}
	return directory.CodeNul
}
