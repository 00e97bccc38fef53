package directory

import "strings"

// Bidi controls are invisible characters that change the order in which
// text is shown. An override (U+202D, U+202E) shows letters in reverse,
// so that a title stored as "\u202Egnp.exe" reads "exe.png"; embeddings
// (U+202A-U+202C) and isolates (U+2066-U+2069) left open change how what
// follows them is shown. A single-line field (a title, a name, a city, a
// label) has no use for them: the browser orders right-to-left scripts
// without help. The marks (U+200E, U+200F, U+061C) are kept: they place
// punctuation in mixed-direction text and cannot reverse letters.

// bidiControl reports whether r is an embedding, override or isolate
// control.
func bidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// StripBidi is s without its bidi controls (bidiControl).
func StripBidi(s string) string {
	if !strings.ContainsFunc(s, bidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bidiControl(r) {
			return -1
		}
		return r
	}, s)
}
