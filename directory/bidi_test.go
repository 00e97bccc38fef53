package directory

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestBidiControlsInLines: a bidi control (an embedding, override or
// isolate) in a single-line field is refused, naming the field and the
// character; the marks, right-to-left scripts and multi-line text pass;
// a remote record has them taken out instead.
func TestBidiControlsInLines(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	newJob := func() Job {
		return Job{Title: "T", Description: "d", Remote: RemoteFull, EmploymentType: FullTime, ApplyEmail: "a@b.example"}
	}
	newCoop := func() Coop { return Coop{Handle: "gcoop", Name: "Gcoop", Country: "AR", Workers: 10} }
	for _, r := range []rune{0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069} {
		spoof := "Logo \u202Egnp.exe"
		spoof = strings.Replace(spoof, "\u202E", string(r), 1)
		checks := []struct {
			field string
			err   error
		}{
			{"title", func() error { j := newJob(); j.Title = spoof; return ValidateJob(&j) }()},
			{"city", func() error { j := newJob(); j.City = spoof; return ValidateJob(&j) }()},
			{"name", func() error { c := newCoop(); c.Name = spoof; return ValidateCoop(&c, now) }()},
			{"city", func() error { c := newCoop(); c.City = spoof; return ValidateCoop(&c, now) }()},
			{"label", checkLine("label", spoof, MaxName, false)},
		}
		for _, c := range checks {
			var de *Error
			if !errors.As(c.err, &de) || de.Field != c.field || de.Code != CodeBidi || de.Kind != KindInvalid ||
				!strings.Contains(de.Message, fmt.Sprintf("(U+%04X)", r)) {
				t.Errorf("U+%04X in %s: %#v", r, c.field, c.err)
			}
		}
		// A remote job or co-op is kept, without the control.
		j := newJob()
		j.Title, j.City = spoof, spoof
		if err := CleanRemoteJob(&j); err != nil || j.Title != "Logo gnp.exe" || j.City != "Logo gnp.exe" {
			t.Errorf("U+%04X in a remote job: %q %q %v", r, j.Title, j.City, err)
		}
		c := newCoop()
		c.Name, c.City = spoof, spoof
		if err := CleanRemoteCoop(&c, now); err != nil || c.Name != "Logo gnp.exe" || c.City != "Logo gnp.exe" {
			t.Errorf("U+%04X in a remote co-op: %q %q %v", r, c.Name, c.City, err)
		}
	}
	// Marks, Arabic and Hebrew names, and a description with a control
	// pass.
	j := newJob()
	j.Title, j.City, j.Description = "Desarrollador\u200F شركة", "תל אביב\u200E", "texto \u202Eal revés"
	if err := ValidateJob(&j); err != nil {
		t.Errorf("marks and right-to-left text: %v", err)
	}
	if got := ValidateJob(&Job{Title: "\u202E", Description: "d", Remote: RemoteFull, EmploymentType: FullTime, ApplyEmail: "a@b.example"}); got == nil {
		t.Error("a title of a control alone passes")
	}
}
