// Package httpstatus maps the domain's error kinds to HTTP statuses, once
// for every surface that answers HTTP: the JSON API and pages (web) and
// ActivityPub (federation).
package httpstatus

import (
	"net/http"

	"github.com/colmena-coop/colmena/directory"
)

// Of is the status that answers an error of kind k.
func Of(k directory.Kind) int {
	switch k {
	case directory.KindInvalid:
		return http.StatusBadRequest
	case directory.KindNotFound:
		return http.StatusNotFound
	case directory.KindConflict:
		return http.StatusConflict
	case directory.KindForbidden:
		return http.StatusForbidden
	case directory.KindUnauthorized:
		return http.StatusUnauthorized
	default:
		return http.StatusInternalServerError
	}
}
