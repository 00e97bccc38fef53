package storetest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/colmena-coop/colmena/directory"
)

// PNG returns a w×h PNG image, for tests.
func PNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{R: 180, G: 83, B: 9, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// testLogo: a co-op's members and the admin set its logo; only real
// images of a sane size pass, whatever the upload claims.
func testLogo(t *testing.T, open Opener) {
	e := NewEnv(t, open)
	c := e.Coop(t, "gcoop", "AR", 40)
	other := e.Coop(t, "fiqus", "AR", 12)
	if _, err := e.Svc.CoopLogo(e.Context, c); directory.KindOf(err) != directory.KindNotFound {
		t.Fatalf("no logo yet: %v", err)
	}
	img := PNG(t, 64, 64)
	member := directory.Principal{CoopID: c.ID}
	if err := e.Svc.SetLogo(e.Context, member, "gcoop", img); err != nil {
		t.Fatal(err)
	}
	l, err := e.Svc.CoopLogo(e.Context, c)
	if err != nil || l.ContentType != "image/png" || !bytes.Equal(l.Data, img) {
		t.Fatalf("logo: %v %v", l, err)
	}
	mustKind(t, e.Svc.SetLogo(e.Context, directory.Principal{CoopID: other.ID}, "gcoop", img), directory.KindForbidden)
	for name, data := range map[string][]byte{
		"empty":    nil,
		"svg":      []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`),
		"html":     []byte(`<html><script>alert(1)</script></html>`),
		"too big":  append(append([]byte{}, img...), make([]byte, directory.MaxLogoBytes)...),
		"too wide": PNG(t, directory.MaxLogoSide+1, 1),
		"broken":   img[:40],
	} {
		if err := e.Svc.SetLogo(e.Context, e.Admin, "gcoop", data); directory.KindOf(err) != directory.KindInvalid {
			t.Errorf("%s logo: %v", name, err)
		}
	}
	l, _ = e.Svc.CoopLogo(e.Context, c)
	eq(t, "the good logo stays", bytes.Equal(l.Data, img), true)

	// A remote co-op's logo is cached; a local one is not taken that way.
	rc := remoteCoop("https://ethix.example/coops/outlandish", "outlandish", "ethix.example")
	if err := e.Store.UpsertRemoteCoop(e.Context, rc); err != nil {
		t.Fatal(err)
	}
	small := PNG(t, 16, 16)
	if err := e.Store.PutRemoteLogo(e.Context, rc.ID, &directory.Logo{ContentType: "image/png", Data: small, UpdatedAt: Start}); err != nil {
		t.Fatal(err)
	}
	if rl, err := e.Store.Logo(e.Context, rc.ID); err != nil || !bytes.Equal(rl.Data, small) || !rl.UpdatedAt.Equal(Start) {
		t.Fatalf("remote logo: %v %v", rl, err)
	}
	mustKind(t, e.Store.PutRemoteLogo(e.Context, c.ID, &directory.Logo{ContentType: "image/png", Data: small, UpdatedAt: Start}), directory.KindForbidden)
	times, err := e.Store.LogoTimes(e.Context, []int64{c.ID, other.ID, rc.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, hasOther := times[other.ID]
	eq(t, "logo times", len(times) == 2 && times[rc.ID].Equal(Start) && times[c.ID].Equal(l.UpdatedAt) && !hasOther, true)
}
