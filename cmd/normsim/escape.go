package main

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// escapeWriter escapes, in everything a command prints, the characters a
// terminal acts on instead of showing: control characters (C0 but newline
// and tab, DEL, and C1, whose U+009B is a CSI) and the bidirectional
// overrides that reorder the text around them. A scenario's title, info
// text or hints, or a file's name, cannot then clear the screen, set the
// window title or hide text: they show as \x1b, \u009b, \u202e. A rune
// split between two writes is held until the next.
type escapeWriter struct {
	w       io.Writer
	pending []byte
}

func (e *escapeWriter) Write(p []byte) (int, error) {
	data := append(e.pending, p...)
	cut := len(data)
	for i := max(0, len(data)-utf8.UTFMax+1); i < len(data); i++ {
		if utf8.RuneStart(data[i]) && !utf8.FullRune(data[i:]) {
			cut = i // an incomplete rune at the end: wait for the rest
			break
		}
	}
	e.pending = append([]byte(nil), data[cut:]...)
	if _, err := e.w.Write(escapeControls(data[:cut])); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush writes what is held, escaped as it is.
func (e *escapeWriter) flush() {
	if len(e.pending) > 0 {
		e.w.Write(escapeControls(e.pending))
		e.pending = nil
	}
}

// escapeControls returns b with the characters a terminal acts on escaped;
// b itself when there are none.
func escapeControls(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if esc := escapeRune(r, n, b[i]); esc != "" {
			if out == nil {
				out = append(make([]byte, 0, len(b)+8), b[:i]...)
			}
			out = append(out, esc...)
		} else if out != nil {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return b
	}
	return out
}

// escapeRune returns the escape of a rune a terminal would act on, or "".
func escapeRune(r rune, n int, first byte) string {
	switch {
	case r == utf8.RuneError && n == 1:
		return fmt.Sprintf(`\x%02x`, first) // not UTF-8: shown as a byte
	case r == '\n' || r == '\t':
		return ""
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf(`\x%02x`, r)
	case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return fmt.Sprintf(`\u%04x`, r)
	}
	return ""
}
