package federation

import "fmt"

// MaxDepth is how deeply a remote JSON document may nest objects and
// arrays. Real activities nest a handful of levels (an Announce of a
// Create of a Note with tags is six); anything deeper is refused before
// it is decoded, so that no document costs more than a pass over its
// bytes.
const MaxDepth = 32

// MaxIDLength bounds, in bytes, every id the node takes from another
// server: an activity's, its actor's and its object's, a key id, and any
// URL it fetches. Ids are kept (the inbox remembers activity ids to apply
// each once), so their length is what a sender could make this node
// store. Real ids are well under 200 bytes; 2,048 is the length browsers
// and proxies commonly take for a URL, and below the roughly 2,700 bytes
// PostgreSQL can index, which is what bounds the ids Mastodon stores.
const MaxIDLength = 2048

// checkDepth refuses a JSON document that nests objects and arrays more
// than max levels. It reads the bytes once, skipping strings, and checks
// nothing else: decoding still validates the document.
func checkDepth(doc []byte, max int) error {
	depth := 0
	inString, escaped := false, false
	for i, c := range doc {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > max {
				return fmt.Errorf("the document nests deeper than %d levels (at byte %d)", max, i)
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}
