package directory

import (
	"testing"
)

// FuzzCheckLogo feeds uploads to the logo check: whatever the bytes, it
// answers without panicking, and what it accepts is an image it names.
func FuzzCheckLogo(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("GIF89a\x01\x00\x01\x00"))
	f.Add([]byte("\xff\xd8\xff\xe0"))
	f.Add([]byte(`<svg onload="alert(1)"/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ct, err := CheckLogo(data)
		if err == nil && ct != "image/png" && ct != "image/jpeg" && ct != "image/gif" {
			t.Fatalf("accepted %q", ct)
		}
		if err != nil && KindOf(err) != KindInvalid {
			t.Fatalf("error of kind %v: %v", KindOf(err), err)
		}
	})
}
