package scenarios

import (
	"strings"
	"unicode/utf8"
)

// position is a 1-based line and column (in runes).
type position struct{ line, col int }

// scanPositions finds where each key of a TOML document is written: table
// headers, keys (including dotted and quoted ones), keys inside inline
// tables and the elements of arrays (the first maxElements of each). The
// TOML library keeps this to itself, so the loader scans the source again.
// It also finds what TOML 1.0 forbids and the library (v1.6.0) accepts: a
// table defined by dotted keys, then by a [table] header. It expects a
// document the library has accepted, but it never panics or loops on any
// input; on a malformed one it simply finds fewer keys. Its memory is
// linear in the size of the document: the paths of a dotted key's
// prefixes share one string.
func scanPositions(src []byte) (map[string]position, []redefinition) {
	s := &scanner{src: src, out: map[string]position{}, aot: map[string]int{}, dotted: map[string]dottedKey{}}
	s.lineStart = []int32{0}
	for i, c := range src {
		if c == '\n' {
			s.lineStart = append(s.lineStart, int32(i+1))
		}
	}
	s.document()
	return s.out, s.redefined
}

// maxElements is the number of elements of an array whose positions are
// recorded; a problem with a later one is located at the array.
const maxElements = 1000

// redefinition is a [table] header for a table that dotted keys defined.
type redefinition struct {
	table string
	at    position  // of the header
	by    dottedKey // the first dotted key that defined it
}

// dottedKey is a dotted key and where it is written.
type dottedKey struct {
	key string
	at  position
}

type scanner struct {
	src       []byte
	i         int
	lineStart []int32
	out       map[string]position
	aot       map[string]int       // arrays of tables: number of elements so far
	table     string               // path of the current table
	dotted    map[string]dottedKey // tables defined by dotted keys, and by which
	redefined []redefinition
}

func (s *scanner) at(off int) position {
	lo, hi := 0, len(s.lineStart)-1
	for lo < hi {
		m := (lo + hi + 1) / 2
		if int(s.lineStart[m]) <= off {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return position{line: lo + 1, col: utf8.RuneCount(s.src[int(s.lineStart[lo]):min(off, len(s.src))]) + 1}
}

func (s *scanner) record(path string, off int) {
	if path == "" {
		return
	}
	if _, ok := s.out[path]; !ok {
		s.out[path] = s.at(off)
	}
}

func (s *scanner) peek(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) skipSpace() {
	for !s.eof() && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
	}
}

// skipBlank skips spaces, newlines and comments (inside arrays).
func (s *scanner) skipBlank() {
	for !s.eof() {
		switch s.src[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		case '#':
			s.skipLine()
		default:
			return
		}
	}
}

func (s *scanner) skipLine() {
	for !s.eof() && s.src[s.i] != '\n' {
		s.i++
	}
}

func (s *scanner) document() {
	for !s.eof() {
		start := s.i
		s.skipBlank()
		if s.eof() {
			return
		}
		switch {
		case s.peek(0) == '[' && s.peek(1) == '[':
			off := s.i
			s.i += 2
			parts := s.key()
			s.skipSpace()
			if s.peek(0) == ']' && s.peek(1) == ']' {
				s.i += 2
			}
			p := s.resolve(parts, true)
			s.record(p, off)
			n := s.aot[p]
			s.aot[p] = n + 1
			s.table = index(p, n)
			s.record(s.table, off)
		case s.peek(0) == '[':
			off := s.i
			s.i++
			parts := s.key()
			s.skipSpace()
			if s.peek(0) == ']' {
				s.i++
			}
			s.table = s.resolve(parts, false)
			s.record(s.table, off)
			if d, ok := s.dotted[s.table]; ok {
				s.redefined = append(s.redefined, redefinition{table: s.table, at: s.at(off), by: d})
			}
		default:
			s.keyValue(s.table)
		}
		s.skipSpace()
		if s.peek(0) == '#' {
			s.skipLine()
		}
		if s.i == start {
			s.i++ // never loop without progress
		}
	}
}

// resolve turns header pieces into a path, adding the current index of any
// array of tables on the way ([[events]] then [events.x] is events[n].x).
func (s *scanner) resolve(parts []string, last bool) string {
	p := ""
	for k, piece := range parts {
		p = join(p, piece)
		if n, ok := s.aot[p]; ok && n > 0 && !(last && k == len(parts)-1) {
			p = index(p, n-1)
		}
	}
	return p
}

// keyValue scans "key = value" in table, recording positions.
func (s *scanner) keyValue(table string) {
	off := s.i
	parts := s.key()
	if len(parts) == 0 {
		s.skipLine()
		return
	}
	var b strings.Builder
	b.WriteString(table)
	ends := make([]int, len(parts))
	for k, piece := range parts {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(quoteKey(piece))
		ends[k] = b.Len()
	}
	p := b.String()
	for k, end := range ends {
		s.record(p[:end], off) // prefixes share p's bytes
		if k < len(ends)-1 {
			if _, ok := s.dotted[p[:end]]; !ok {
				s.dotted[p[:end]] = dottedKey{key: p, at: s.at(off)}
			}
		}
	}
	s.skipSpace()
	if s.peek(0) != '=' {
		s.skipLine()
		return
	}
	s.i++
	s.skipSpace()
	s.value(p, true)
}

// skipKeyValue scans "key = value" of an inline table whose positions are
// not recorded.
func (s *scanner) skipKeyValue() {
	if len(s.key()) == 0 {
		s.skipLine()
		return
	}
	s.skipSpace()
	if s.peek(0) != '=' {
		s.skipLine()
		return
	}
	s.i++
	s.skipSpace()
	s.value("", false)
}

// key scans a possibly dotted key and returns its pieces.
func (s *scanner) key() []string {
	var parts []string
	for {
		s.skipSpace()
		if s.eof() {
			return parts
		}
		c := s.src[s.i]
		switch {
		case c == '"':
			parts = append(parts, s.basicString())
		case c == '\'':
			parts = append(parts, s.literalString())
		case isBareByte(c):
			j := s.i
			for j < len(s.src) && isBareByte(s.src[j]) {
				j++
			}
			parts = append(parts, string(s.src[s.i:j]))
			s.i = j
		default:
			return parts
		}
		s.skipSpace()
		if s.peek(0) != '.' {
			return parts
		}
		s.i++
	}
}

func isBareByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// basicString scans "..." and returns its (roughly) decoded content.
func (s *scanner) basicString() string {
	s.i++ // opening quote
	var b []byte
	for !s.eof() {
		c := s.src[s.i]
		switch c {
		case '"':
			s.i++
			return string(b)
		case '\n':
			return string(b)
		case '\\':
			s.i++
			if s.eof() {
				return string(b)
			}
			switch e := s.src[s.i]; e {
			case 'n':
				b = append(b, '\n')
			case 't':
				b = append(b, '\t')
			case 'r':
				b = append(b, '\r')
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'e':
				b = append(b, 0x1b)
			case 'u', 'U':
				n := 4
				if e == 'U' {
					n = 8
				}
				var r rune
				for k := 0; k < n && s.i+1 < len(s.src); k++ {
					s.i++
					r = r<<4 | rune(hexVal(s.src[s.i]))
				}
				b = utf8.AppendRune(b, r)
			default:
				b = append(b, e)
			}
			s.i++
		default:
			b = append(b, c)
			s.i++
		}
	}
	return string(b)
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return 0
}

func (s *scanner) literalString() string {
	s.i++
	j := s.i
	for j < len(s.src) && s.src[j] != '\'' && s.src[j] != '\n' {
		j++
	}
	v := string(s.src[s.i:j])
	s.i = min(j+1, len(s.src))
	return v
}

// value scans one value; arrays and inline tables record their elements
// when rec is set.
func (s *scanner) value(path string, rec bool) {
	if s.eof() {
		return
	}
	switch c := s.src[s.i]; {
	case c == '"' && s.peek(1) == '"' && s.peek(2) == '"':
		s.multiline(`"""`)
	case c == '\'' && s.peek(1) == '\'' && s.peek(2) == '\'':
		s.multiline(`'''`)
	case c == '"':
		s.basicString()
	case c == '\'':
		s.literalString()
	case c == '[':
		s.i++
		for n := 0; ; n++ {
			s.skipBlank()
			if s.eof() {
				return
			}
			if s.src[s.i] == ']' {
				s.i++
				return
			}
			start := s.i
			if rec && n < maxElements {
				el := index(path, n)
				s.record(el, s.i)
				s.value(el, true)
			} else {
				s.value("", false)
			}
			s.skipBlank()
			if s.peek(0) == ',' {
				s.i++
			}
			if s.i == start {
				s.i++
			}
		}
	case c == '{':
		s.i++
		for {
			s.skipBlank()
			if s.eof() {
				return
			}
			if s.src[s.i] == '}' {
				s.i++
				return
			}
			start := s.i
			if rec {
				s.keyValue(path)
			} else {
				s.skipKeyValue()
			}
			s.skipBlank()
			if s.peek(0) == ',' {
				s.i++
			}
			if s.i == start {
				s.i++
			}
		}
	default:
		for !s.eof() {
			switch s.src[s.i] {
			case ',', ']', '}', '#', '\n', '\r':
				return
			}
			s.i++
		}
	}
}

func (s *scanner) multiline(delim string) {
	s.i += 3
	for !s.eof() {
		if s.src[s.i] == '\\' && delim[0] == '"' {
			s.i += 2
			continue
		}
		if s.i+3 <= len(s.src) && string(s.src[s.i:s.i+3]) == delim {
			s.i += 3
			for !s.eof() && s.src[s.i] == delim[0] { // up to two more quotes belong to the string
				s.i++
			}
			return
		}
		s.i++
	}
}
