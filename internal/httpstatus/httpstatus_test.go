package httpstatus

import (
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

func TestOf(t *testing.T) {
	for k, want := range map[directory.Kind]int{
		directory.KindInvalid: 400, directory.KindUnauthorized: 401, directory.KindForbidden: 403,
		directory.KindNotFound: 404, directory.KindConflict: 409, directory.KindInternal: 500,
	} {
		if got := Of(k); got != want {
			t.Errorf("%v: %d, want %d", k, got, want)
		}
	}
}
