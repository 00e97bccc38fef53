package federation

import (
	"encoding/json"
	"strings"
	"testing"
)

func nested(levels int, open, close string) []byte {
	return []byte(`{"type":"Create","object":` + strings.Repeat(open, levels) + `"x"` + strings.Repeat(close, levels) + `}`)
}

func TestCheckDepth(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  []byte
		ok   bool
	}{
		{"flat", []byte(`{"id":"https://a.example/1","type":"Note"}`), true},
		{"at the limit", nested(MaxDepth-1, `{"a":`, `}`), true},
		{"one past", nested(MaxDepth, `{"a":`, `}`), false},
		{"arrays", nested(MaxDepth, `[`, `]`), false},
		{"brackets in strings", []byte(`{"content":"` + strings.Repeat(`[{`, 1000) + `"}`), true},
		{"escaped quotes", []byte(`{"content":"\"` + strings.Repeat(`{`, 100) + `\\"}`), true},
		{"deep after an escaped quote", append([]byte(`{"a":"\"",`+`"b":`), nested(MaxDepth, `[`, `]`)...), false},
		{"attack", nested(9990, `{"object":`, `}`), false},
	} {
		err := checkDepth(tc.doc, MaxDepth)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// FuzzCheckDepth: whatever the bytes, a document checkDepth lets through
// decodes, if it is JSON at all, within MaxDepth levels.
func FuzzCheckDepth(f *testing.F) {
	f.Add([]byte(`{"a":[{"b":"c"}]}`))
	f.Add(nested(40, `[`, `]`))
	f.Add([]byte(`{"a":"\"[[[["}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if checkDepth(doc, MaxDepth) != nil {
			return
		}
		var v any
		if json.Unmarshal(doc, &v) != nil {
			return
		}
		if d := depthOf(v); d > MaxDepth {
			t.Fatalf("checkDepth let through a document %d levels deep", d)
		}
	})
}

func depthOf(v any) int {
	best := 0
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			best = max(best, depthOf(e))
		}
		return best + 1
	case []any:
		for _, e := range x {
			best = max(best, depthOf(e))
		}
		return best + 1
	}
	return 0
}
