package federation

import "fmt"

// MaxDepth is how deeply a remote JSON document may nest objects and
// arrays. Real activities nest a handful of levels (an Announce of a
// Create of a Note with tags is six); anything deeper is refused before
// it is decoded, so that no document costs more than a pass over its
// bytes.
const MaxDepth = 32

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
