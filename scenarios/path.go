package scenarios

import (
	"fmt"
	"strconv"
	"strings"
)

// Key paths are written as in TOML: pieces joined by dots, a piece that is
// not a bare key quoted ("sweep.parameters.\"forum.pull\""), and array
// elements as "[i]" ("events[0].step"). They are the keys of problems, of
// positions and of --set.

func isBare(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// quoteKey returns a key piece as TOML spells it.
func quoteKey(s string) string {
	if isBare(s) {
		return s
	}
	return quoteString(s)
}

// join appends a key piece to a path.
func join(path, piece string) string {
	if path == "" {
		return quoteKey(piece)
	}
	return path + "." + quoteKey(piece)
}

// index appends an array index to a path.
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// parentPath drops the last piece (or index) of a path.
func parentPath(path string) string {
	parts, err := splitPath(path)
	if err != nil || len(parts) == 0 {
		return ""
	}
	return joinParts(parts[:len(parts)-1])
}

// pathPart is one piece of a path: a key, or an index when IsIndex.
type pathPart struct {
	Key     string
	Index   int
	IsIndex bool
}

func joinParts(parts []pathPart) string {
	var b strings.Builder
	for i, p := range parts {
		switch {
		case p.IsIndex:
			fmt.Fprintf(&b, "[%d]", p.Index)
		case i == 0:
			b.WriteString(quoteKey(p.Key))
		default:
			b.WriteString(".")
			b.WriteString(quoteKey(p.Key))
		}
	}
	return b.String()
}

// splitPath parses a key path: bare or quoted pieces joined by dots, each
// optionally followed by [i] indices.
func splitPath(s string) ([]pathPart, error) {
	var parts []pathPart
	i := 0
	expectKey := true
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '[' && !expectKey:
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("unclosed [ in key %q", s)
			}
			n, err := strconv.Atoi(strings.TrimSpace(s[i+1 : i+j]))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("bad index %q in key %q", s[i:i+j+1], s)
			}
			parts = append(parts, pathPart{Index: n, IsIndex: true})
			i += j + 1
		case c == '.' && !expectKey:
			expectKey = true
			i++
		case expectKey && (c == '"' || c == '\''):
			j := i + 1
			var b strings.Builder
			for j < len(s) && s[j] != c {
				if c == '"' && s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
				j++
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unclosed quote in key %q", s)
			}
			parts = append(parts, pathPart{Key: b.String()})
			i = j + 1
			expectKey = false
		case expectKey && isBare(string(c)):
			j := i
			for j < len(s) && isBare(s[j:j+1]) {
				j++
			}
			parts = append(parts, pathPart{Key: s[i:j]})
			i = j
			expectKey = false
		default:
			return nil, fmt.Errorf("unexpected %q in key %q", c, s)
		}
	}
	if expectKey {
		return nil, fmt.Errorf("empty or incomplete key %q", s)
	}
	return parts, nil
}

// quoteString writes s as a TOML basic string, with every character a
// terminal would act on escaped.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
			// control characters, C1 (U+009B is a CSI) and the bidirectional
			// overrides: escaped, so that no terminal acts on them
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
