package federation

import "testing"

func TestIconURL(t *testing.T) {
	for doc, want := range map[string]string{
		`{"icon": {"type": "Image", "mediaType": "image/png", "url": "https://a.example/logo.png"}}`:                   "https://a.example/logo.png",
		`{"icon": "https://a.example/bare.png"}`:                                                                       "https://a.example/bare.png",
		`{"icon": [{"type": "Image", "url": "https://a.example/first.png"}, {"url": "https://a.example/second.png"}]}`: "https://a.example/first.png",
		`{"icon": {"type": "Image", "url": {"type": "Link", "href": "https://a.example/link.png"}}}`:                   "https://a.example/link.png",
		`{"icon": [[[[["https://a.example/deep.png"]]]]]}`:                                                             "",
		`{"icon": []}`:     "",
		`{"icon": 42}`:     "",
		`{"name": "none"}`: "",
		`not json`:         "",
	} {
		if got := iconURL([]byte(doc)); got != want {
			t.Errorf("iconURL(%s) = %q, want %q", doc, got, want)
		}
	}
}
