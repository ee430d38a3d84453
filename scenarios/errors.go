package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with a scenario, located where possible.
// Line and Col are 1-based; 0 means unknown (a problem in a --set
// assignment, or one about the file as a whole).
type Problem struct {
	File      string
	Line, Col int
	Key       string // key path, e.g. "attribution.publicity"; "" for the file as a whole
	Value     string // the offending value as TOML, "" when there is none
	Msg       string // what is allowed
}

// String renders the problem as "file:line:col: key = value: msg", leaving
// out the parts that are unknown.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	switch {
	case p.Line > 0 && strings.HasPrefix(p.File, shippedLabel):
		// Not a file the user has: "shipped scenario baseline, line 67".
		fmt.Fprintf(&b, ", line %d", p.Line)
	case p.Line > 0:
		fmt.Fprintf(&b, ":%d:%d", p.Line, max(p.Col, 1))
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key)
		if p.Value != "" {
			b.WriteString(" = ")
			b.WriteString(p.Value)
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error lists every problem found in a scenario. Its message has one line
// per problem, in file order, each in the form "file:line:col: key.path =
// value: what is allowed" that editors and the Go toolchain use, which is
// why it does not start with the package name.
type Error struct {
	Problems []Problem
}

// Error returns one line per problem.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// problems collects Problems during decoding.
type problems struct {
	file string
	pos  map[string]position
	list []Problem
	keys map[string]bool // keys with a problem already
	// overrides are keys given by Set: their problems are reported as
	// coming from the origin ("--set"), without a position in the file.
	overrides map[string]string
}

func (ps *problems) add(key, value, format string, args ...any) {
	p := Problem{File: ps.file, Key: key, Value: value, Msg: fmt.Sprintf(format, args...)}
	if o := ps.overridden(key); o != "" {
		p.File = o
	} else if at, ok := ps.locate(key); ok {
		p.Line, p.Col = at.line, at.col
	}
	if ps.keys == nil {
		ps.keys = map[string]bool{}
	}
	ps.keys[key] = true
	ps.list = append(ps.list, p)
}

// overridden returns where key, or a table it is in, was set by Set, or
// "" when it comes from the file.
func (ps *problems) overridden(key string) string {
	for k := key; k != ""; k = parentPath(k) {
		if o := ps.overrides[k]; o != "" {
			return o
		}
	}
	return ""
}

// hasAt reports whether a problem was reported for key or a table it is in.
func (ps *problems) hasAt(key string) bool {
	for k := key; k != ""; k = parentPath(k) {
		if ps.keys[k] {
			return true
		}
	}
	return false
}

// locate finds the position of key, or of its nearest ancestor that the
// file spells out.
func (ps *problems) locate(key string) (position, bool) {
	for k := key; k != ""; k = parentPath(k) {
		if at, ok := ps.pos[k]; ok {
			return at, true
		}
	}
	return position{}, false
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sortProblems(ps.list)
	return &Error{Problems: ps.list}
}

func sortProblems(list []Problem) {
	slices.SortStableFunc(list, func(a, b Problem) int {
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c
		}
		la, lb := a.Line, b.Line
		if la == 0 {
			la = 1 << 30
		}
		if lb == 0 {
			lb = 1 << 30
		}
		if c := cmp.Compare(la, lb); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Col, b.Col); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
}
