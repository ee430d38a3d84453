package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

const head = "schema = 1\nname = \"x\"\n"

// TestLimits: inputs that took gigabytes or minutes are refused at once,
// in little memory, with the line and column of the problem; text that
// only looks deep (strings, comments, numbers) is not.
func TestLimits(t *testing.T) {
	deepDots := strings.Repeat("a.", 20000) + "a"
	cases := []struct {
		name, src string
		want      string // "" when the nesting is accepted
	}{
		{"nested arrays", head + "foo = " + strings.Repeat("[", 40000) + strings.Repeat("]", 40000) + "\n", "3:39: arrays or tables nested more than 32 deep"},
		{"nested inline tables", head + "foo = " + strings.Repeat("{ a = ", 100) + "1" + strings.Repeat(" }", 100) + "\n", "3:"},
		{"dotted header", head + "[" + deepDots + "]\n", "3:65: a key or table name of more than 32 dotted parts"},
		{"dotted key", head + deepDots + " = 1\n", "3:64: a key or table name of more than 32 dotted parts"},
		{"dotted quoted key", head + strings.Repeat(`"a".`, 100) + "a = 1\n", "dotted parts"},
		{"brackets in strings", head + "title = \"" + strings.Repeat("[{", 1000) + "\"\n", ""},
		{"dots in strings", head + "title = '" + strings.Repeat(".", 1000) + "'\n", ""},
		{"brackets in a multi-line string", head + "[info]\nwhat = \"\"\"\n" + strings.Repeat("[[\\\"\n", 100) + "\"\"\"\n", ""},
		{"brackets in a comment", head + "# " + strings.Repeat("[", 1000) + "\n", ""},
		{"numbers", head + "[run]\nsteps = 5\n[world]\npower = { values = [1.5, 2.5, 1e3, 0.25] }\n", ""},
		{"unclosed headers", head + strings.Repeat("[run\n", 100), "3:5: TOML syntax"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := Parse("x.toml", []byte(tc.src))
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if tc.want == "" && strings.Contains(msg, "nested") || tc.want != "" && !strings.Contains(msg, tc.want) {
				t.Errorf("Parse: %v, want %q", err, tc.want)
			}
			// 64 MB and 1 s: each case costs under 100 KB and 1 ms with
			// the limits, and the nested arrays took 4 GB without them
			// (limits.go), so the bounds leave room for a slow machine
			// and still fail if a limit is lost.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 || took > time.Second {
				t.Errorf("Parse took %v and allocated %d MB", took, alloc>>20)
			}
		})
	}
}

// TestRedefinedTable: a table defined by dotted keys cannot be defined
// again by a header (TOML 1.0), which v1.6.0 of the library accepts; a
// new table below it can.
func TestRedefinedTable(t *testing.T) {
	_, err := Parse("x.toml", []byte(head+"run.steps = 5\n[run]\nreplicates = 2\n"))
	want := "x.toml:4:1: TOML syntax: the table run is defined twice, by the dotted key run.steps at line 3 and by this [run] header"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Parse: %v, want %q", err, want)
	}
	_, err = Parse("x.toml", []byte(head+"[world]\npower.dist = \"pareto\"\npower.alpha = 1\npower.min = 1\n[world.initial]\nescalators = 0.2\n"))
	if err != nil {
		t.Errorf("a new table beside a dotted one: %v", err)
	}
}

// TestSyntaxPosition: a syntax error is located where it is, not on the
// next line when the unexpected character is a newline.
func TestSyntaxPosition(t *testing.T) {
	for src, want := range map[string]string{
		head + "[run\nsteps = 5\n":             "x.toml:3:5: ",
		head + "foo = \"abc\n":                 "x.toml:3:11: ",
		head + "[run]\nsteps = 5\nsteps = 6\n": "x.toml:5:1: ",
		head + "title = 1x\n":                  "x.toml:3:10: ",
		head + "a = \u00e9\n":                  "x.toml:3:5: ",
	} {
		if _, err := Parse("x.toml", []byte(src)); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: %v, want %s...", src, err, want)
		}
	}
}

// TestNotText: a NUL byte and bytes that are not UTF-8 are named.
func TestNotText(t *testing.T) {
	for src, want := range map[string]string{
		head + "title = \"a\x00\"\n": "x.toml:3:11: not a TOML file: it holds a NUL byte",
		head + "title = \"a\xff\"\n": "x.toml:3:11: not a TOML file: it is not UTF-8 text",
	} {
		if _, err := Parse("x.toml", []byte(src)); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: %v, want %s", src, err, want)
		}
	}
}

// TestReadFileRefuses: what is not a regular file, or is too large, is
// refused before it is read, with a message that says why; a FIFO does
// not block.
func TestReadFileRefuses(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.toml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(MaxFileSize + 1) // sparse
	f.Close()
	cases := map[string]string{
		dir:                           "a directory, not a regular file",
		big:                           "too large for a scenario (at most 16 MiB)",
		filepath.Join(dir, "no.toml"): "cannot read the file: no such file or directory",
	}
	if runtime.GOOS == "linux" {
		cases["/dev/zero"] = "a device, not a regular file"
		fifo := filepath.Join(dir, "fifo.toml")
		if err := syscall.Mkfifo(fifo, 0o644); err == nil {
			cases[fifo] = "a named pipe (FIFO), not a regular file"
		}
	}
	for path, want := range cases {
		done := make(chan error, 1)
		go func() { _, err := Load(path); done <- err }()
		select {
		case err := <-done:
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), path+": ") {
				t.Errorf("Load(%s): %v, want %q", path, err, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Load(%s) blocks", path)
		}
	}
}

// TestReprBounded: the value shown in a message costs no more than what
// it shows, however large or deep the value.
func TestReprBounded(t *testing.T) {
	var deep any = int64(1)
	for range 10000 {
		deep = []any{deep, "x"}
	}
	wide := make([]any, 1_000_000)
	for i := range wide {
		wide[i] = int64(i)
	}
	for name, v := range map[string]any{"deep": deep, "wide": wide, "long": strings.Repeat("é", 1_000_000)} {
		start := time.Now()
		s := repr(v)
		// 100 ms: each repr takes under 1 ms; writing the value whole
		// before shortening it, as repr did, took 0.86 s (deep) and
		// 0.11 s (wide).
		if len(s) > 60 || time.Since(start) > 100*time.Millisecond || !strings.HasSuffix(s, "...") {
			t.Errorf("%s: repr = %q (%d bytes) in %v", name, s, len(s), time.Since(start))
		}
	}
	if got := repr([]any{int64(1), "a", map[string]any{"b": 2.5}}); got != `[1, "a", { b = 2.5 }]` {
		t.Errorf("repr = %s", got)
	}
}

// TestScanLinear: the positions of a key of many long parts share memory
// rather than copying every prefix.
func TestScanLinear(t *testing.T) {
	part := strings.Repeat("k", 20_000)
	src := []byte(strings.Repeat(part+".", 299) + part + " = 1\n" + "x = [" + strings.Repeat("[1], ", 100_000) + "]\n")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	pos, _ := scanPositions(src)
	runtime.ReadMemStats(&after)
	// 40 times the source: the scan allocates about 6.5 times it; a copy
	// of every prefix of the key would be 20001 * (1+2+...+300) bytes,
	// about 900 MB, 139 times the 6.5 MB source.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 40*uint64(len(src)) {
		t.Errorf("scanning %d bytes allocated %d MB", len(src), alloc>>20)
	}
	if _, ok := pos["x[999]"]; !ok || len(pos) > 300+1+2*maxElements {
		t.Errorf("%d positions, want the key's parts and the first %d elements with theirs", len(pos), maxElements)
	}
}
