package federation_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/colmena-coop/colmena/federation"
)

func TestDecodeActivity(t *testing.T) {
	ctx := context.Background()
	good := `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://m.example/f/1","type":"Follow",
		"actor":"https://m.example/users/a","object":"https://c.example/coops/x"}`
	in, err := federation.DecodeActivity(ctx, []byte(good))
	if err != nil || in.Type != "Follow" || in.Actor != "https://m.example/users/a" || in.Object.ID != "https://c.example/coops/x" {
		t.Fatalf("%+v %v", in, err)
	}
	embedded := `{"@context":["https://www.w3.org/ns/activitystreams",{"x":"y"}],"id":"https://m.example/u/1","type":"Undo",
		"actor":{"id":"https://m.example/users/a","type":"Person"},
		"object":{"id":"https://m.example/f/1","type":"Follow","actor":"https://m.example/users/a","object":"https://c.example/coops/x"}}`
	in, err = federation.DecodeActivity(ctx, []byte(embedded))
	if err != nil || in.Actor != "https://m.example/users/a" || in.Object.Type != "Follow" || in.Object.Object != "https://c.example/coops/x" {
		t.Fatalf("embedded: %+v %v", in, err)
	}
	unknown := `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://m.example/r/1","type":"EmojiReact","actor":"https://m.example/users/a"}`
	if in, err := federation.DecodeActivity(ctx, []byte(unknown)); err != nil || in.Type != "EmojiReact" {
		t.Fatalf("unknown type: %+v %v", in, err)
	}
	bad := []string{
		`[]`, `{}`, `{"@context":"https://www.w3.org/ns/activitystreams","type":"Follow","actor":"a"}`,
		`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://m.example/1","actor":"https://m.example/a"}`,
		`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://m.example/1","type":"Follow"}`,
		`{"@context":"https://www.w3.org/ns/activitystreams","id":"javascript:1","type":"Follow","actor":"https://m.example/a","object":"x"}`,
		`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://m.example/1","type":"Follow","actor":"https://m.example/a"}`,
		`{"@context":"https://example.com/other","id":"https://m.example/1","type":"Follow","actor":"https://m.example/a","object":"x"}`,
	}
	for _, b := range bad {
		if _, err := federation.DecodeActivity(ctx, []byte(b)); err == nil {
			t.Errorf("accepted %s", b)
		}
	}
}

// FuzzDecodeActivity feeds the inbox's decoder what a hostile server
// might send; it must not panic, and what it accepts has an id, a type
// and an actor.
func FuzzDecodeActivity(f *testing.F) {
	files, _ := filepath.Glob("testdata/activities/*.json")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b)
	}
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://m.example/f/1","type":"Follow","actor":"https://m.example/users/a","object":"https://c.example/coops/x"}`))
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://m.example/c/1","type":"Create","actor":"https://m.example/users/a","object":{"id":"https://m.example/n/1","type":"Note","content":"<p>hi</p>","tag":[{"type":"Hashtag","name":"#go"}]}}`))
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://m.example/u/1","type":"Undo","actor":{"id":"https://m.example/a"},"object":{"id":"https://m.example/f/1","actor":{"id":"https://m.example/a","object":[1]},"object":{"id":"x"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := federation.DecodeActivity(context.Background(), body)
		if err != nil {
			return
		}
		if in.ID == "" || in.Type == "" || in.Actor == "" || in.Object == nil {
			t.Fatalf("accepted an incomplete activity: %+v", in)
		}
		for _, id := range []string{in.ID, in.Actor, in.Object.ID, in.Object.Actor, in.Object.Object} {
			if len(id) > federation.MaxIDLength {
				t.Fatalf("accepted an id of %d bytes", len(id))
			}
		}
	})
}
