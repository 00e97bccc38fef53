package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/colmena-coop/colmena/directory"
)

// testSettings checks node settings and the TLS cache: a missing entry is
// not found, a put replaces, a delete removes and deleting twice is fine.
func testSettings(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	ctx, st := e.Context, e.Store
	if _, err := st.Setting(ctx, directory.SettingPublicURL); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("unset setting: %v", err)
	}
	for _, v := range []string{"http://localhost:8080", "https://ethix.coop"} {
		if err := st.PutSetting(ctx, directory.SettingPublicURL, v, Start); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Setting(ctx, directory.SettingPublicURL); err != nil || got != v {
			t.Fatalf("setting: %q %v, want %q", got, err, v)
		}
	}

	if _, err := st.TLSCacheGet(ctx, "ethix.coop"); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("missing cache entry: %v", err)
	}
	bin := []byte{0, 1, 2, 0xff, 'x'}
	for _, data := range [][]byte{bin, append(bytes.Repeat([]byte("pem"), 3000), 0)} {
		if err := st.TLSCachePut(ctx, "ethix.coop", data, Start.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := st.TLSCacheGet(ctx, "ethix.coop")
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("cache entry: %d bytes, %v; want %d bytes", len(got), err, len(data))
		}
	}
	if err := st.TLSCachePut(ctx, "acme_account+key", bin, Start); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := st.TLSCacheDelete(ctx, "ethix.coop"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.TLSCacheGet(ctx, "ethix.coop"); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("deleted cache entry: %v", err)
	}
	if got, err := st.TLSCacheGet(ctx, "acme_account+key"); err != nil || !bytes.Equal(got, bin) {
		t.Fatalf("another entry after a delete: %v %v", got, err)
	}
}
