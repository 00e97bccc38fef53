package federation

import (
	"errors"
	"fmt"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

func TestStatusOf(t *testing.T) {
	for err, want := range map[error]int{
		directory.Invalidf("", "the activity has no id"):             400,
		directory.Unauthorizedf("not signed"):                        401,
		directory.Forbiddenf("only %s can delete it", "x"):           403,
		directory.NotFoundf("no such co-op"):                         404,
		directory.Conflictf("handle", "taken"):                       409,
		refuse(kindGone, "deleted"):                                  410,
		refuse(kindTooLarge, "too large"):                            413,
		refuse(kindMediaType, "send activity+json"):                  415,
		refuse(kindTooMany, "try again later"):                       429,
		fmt.Errorf("importing: %w", directory.Forbiddenf("blocked")): 403,
		errors.New("connection refused"):                             500,
		directory.Internal("reading", errors.New("disk")):            500,
	} {
		if got := statusOf(err); got != want {
			t.Errorf("statusOf(%v) = %d, want %d", err, got, want)
		}
	}
	if m := safeMessage(errors.New("dial tcp 10.0.0.1: refused")); m != "internal error" {
		t.Errorf("an internal error's detail reaches the requester: %q", m)
	}
}
