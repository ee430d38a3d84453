package scenarios

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"unicode/utf8"
)

// Limits of what the loader reads, so that no file, however made, can
// exhaust memory or hang it: the TOML library and the loader's own key
// paths cost more than linear memory on deep nesting (an 80 KB file of
// nested arrays took 4 GB), and /dev/zero or a FIFO never ends.
const (
	// MaxFileSize is the largest scenario file read, in bytes. Scenarios
	// are a few KB; a list with a value per state of a large world fits.
	MaxFileSize = 16 << 20
	// maxNesting bounds how deep arrays and inline tables nest, and the
	// dotted parts of one key or table header; scenarios need 3 or 4.
	maxNesting = 32
)

// readFile reads a scenario file. It refuses, before reading anything,
// what is not a regular file (a directory, a FIFO, a device such as
// /dev/zero) and a file larger than MaxFileSize, each with a message that
// says so; a FIFO is opened without blocking, so that it cannot hang the
// command.
func readFile(path string) ([]byte, *Problem) {
	fail := func(format string, args ...any) ([]byte, *Problem) {
		return nil, &Problem{File: path, Msg: fmt.Sprintf(format, args...)}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fail("cannot read the file: %v", pathErr(err))
	}
	if msg := notRegular(fi); msg != "" {
		return fail("%s", msg)
	}
	if fi.Size() > MaxFileSize {
		return fail("the file is %d bytes: too large for a scenario (at most %d MiB)", fi.Size(), MaxFileSize>>20)
	}
	f, err := openNonblocking(path) // the file may have changed since Stat
	if err != nil {
		return fail("cannot read the file: %v", pathErr(err))
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return fail("cannot read the file: %v", pathErr(err))
	}
	if msg := notRegular(fi); msg != "" {
		return fail("%s", msg)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return fail("cannot read the file: %v", pathErr(err))
	}
	if len(data) > MaxFileSize {
		return fail("the file is larger than %d MiB: too large for a scenario", MaxFileSize>>20)
	}
	return data, nil
}

// pathErr returns the system's reason without the path, which the
// problem names already.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// notRegular describes a file that is not a regular file, or returns "".
func notRegular(fi fs.FileInfo) string {
	m := fi.Mode()
	what := ""
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	default:
		what = "not a regular file"
	}
	return fmt.Sprintf("%s, not a regular file: a scenario is a TOML file (give its path, or a shipped name)", what)
}

// checkNesting refuses, before the TOML library sees them, arrays and
// inline tables nested more than maxNesting deep and keys or table
// headers of more than maxNesting dotted parts. It lexes only what
// matters for that: strings (basic, literal, multi-line) and comments
// are skipped, brackets and braces counted, and dots counted between two
// of = , [ ] { } and a newline (a number has at most one dot there).
func checkNesting(file string, data []byte) *Problem {
	depth, dots := 0, 0
	header := false // a table header is open: it ends with its line
	line, lineStart := 1, 0
	fail := func(i int, msg string) *Problem {
		return &Problem{File: file, Line: line, Col: utf8.RuneCount(data[lineStart:i]) + 1, Msg: msg}
	}
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line, lineStart, dots = line+1, i+1, 0
			if header { // an unclosed header, which the TOML library reports
				depth, header = 0, false
			}
		case '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			end, nl := skipString(data, i)
			for _, o := range nl {
				line, lineStart = line+1, o+1
			}
			i = end - 1
		case '[', '{':
			if depth == 0 && c == '[' && blank(data[lineStart:i]) {
				header = true
			}
			depth++
			dots = 0
			if depth > maxNesting {
				return fail(i, fmt.Sprintf("arrays or tables nested more than %d deep: too deep for a scenario", maxNesting))
			}
		case ']', '}':
			depth = max(depth-1, 0)
			header = header && depth > 0
			dots = 0
		case '=', ',':
			dots = 0
		case '.':
			dots++
			if dots >= maxNesting {
				return fail(i, fmt.Sprintf("a key or table name of more than %d dotted parts: nested too deeply for a scenario", maxNesting))
			}
		}
	}
	return nil
}

// skipString returns the offset just after the string that starts at
// data[i] (a quote), and the offsets of the newlines inside it. A
// single-line string ends at the end of its line at the latest.
func skipString(data []byte, i int) (end int, newlines []int) {
	q := data[i]
	if i+2 < len(data) && data[i+1] == q && data[i+2] == q { // multi-line
		for j := i + 3; j < len(data); j++ {
			switch {
			case data[j] == '\\' && q == '"':
				if j+1 < len(data) && data[j+1] == '\n' {
					newlines = append(newlines, j+1)
				}
				j++
			case data[j] == '\n':
				newlines = append(newlines, j)
			case data[j] == q && j+2 < len(data) && data[j+1] == q && data[j+2] == q:
				j += 3
				for j < len(data) && data[j] == q { // up to two more quotes belong to the string
					j++
				}
				return j, newlines
			}
		}
		return len(data), newlines
	}
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			if q == '"' && j+1 < len(data) && data[j+1] != '\n' {
				j++
			}
		case q:
			return j + 1, nil
		case '\n':
			return j, nil
		}
	}
	return len(data), nil
}

func blank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}
