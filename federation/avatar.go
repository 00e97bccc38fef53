package federation

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
)

// The federation actor's avatar. A federation has no logo of its own, so
// the node draws Colmena's hexagon (web/static/icon.svg) as a PNG:
// Mastodon takes PNG, JPEG, GIF or WebP avatars, not SVG.

// avatarPath is where the node serves the federation's avatar.
const avatarPath = "/federation/avatar.png"

// avatarSize is the avatar's width and height in pixels; Mastodon shows
// avatars at up to 400.
const avatarSize = 400

// avatarPNG draws the hexagon: an amber hexagon holding a pale one, on a
// transparent square.
func avatarPNG() ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, avatarSize, avatarSize))
	outer := color.NRGBA{0xb4, 0x53, 0x09, 0xff}
	inner := color.NRGBA{0xfe, 0xf3, 0xc7, 0xff}
	for y := 0; y < avatarSize; y++ {
		for x := 0; x < avatarSize; x++ {
			// In the icon's 32-unit square, centred at (16, 16).
			px, py := (float64(x)+0.5)*32/avatarSize-16, (float64(y)+0.5)*32/avatarSize-16
			switch {
			case inHexagon(px, py, 8, 7):
				img.SetNRGBA(x, y, inner)
			case inHexagon(px, py, 14, 12):
				img.SetNRGBA(x, y, outer)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// inHexagon reports whether (x, y) lies in a pointy-topped hexagon centred
// at the origin: tips at (0, ±h), upright sides at x = ±w from y = -h/2
// to h/2.
func inHexagon(x, y, h, w float64) bool {
	if x < 0 {
		x = -x
	}
	if y < 0 {
		y = -y
	}
	// The flat sides, then the slanted edges from (w, h/2) to (0, h).
	return x <= w && y <= h-x*h/(2*w)
}

// avatar serves the federation's avatar.
func (f *Federation) avatar(w http.ResponseWriter, r *http.Request) {
	b, err := avatarPNG()
	if err != nil {
		f.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(b)
}
