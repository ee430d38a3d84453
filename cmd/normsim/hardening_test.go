package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestOutputsRefused: what -o, --force and the flags around them refuse,
// before anything runs, each with exit 2 and a message that says why.
func TestOutputsRefused(t *testing.T) {
	d := t.TempDir()
	os.Symlink(filepath.Join(d, "nowhere"), filepath.Join(d, "dangling"))
	os.WriteFile(filepath.Join(d, "file"), []byte("x"), 0o644)
	os.MkdirAll(filepath.Join(d, "mine"), 0o755)
	os.WriteFile(filepath.Join(d, "mine", "notes.txt"), []byte("x"), 0o644)
	if _, errs, code := call(context.Background(), "run", "baseline", "--steps", "5", "--replicates", "2", "--quiet", "-o", filepath.Join(d, "run")); code != 0 {
		t.Fatalf("run: %s", errs)
	}
	for _, c := range []struct{ args, wantErr string }{
		{"run baseline -o $D/dangling", "-o: $D/dangling is a symbolic link to $D/nowhere, which does not exist"},
		{"run baseline -o $D/file", "-o: $D/file exists and is not a directory"},
		{"run baseline -o $D/mine", "holds files that are not a result (notes.txt): choose a new or empty directory"},
		{"check exercises/restraint-emerges -o $D/run", "already holds a result: not overwritten"},
		{"sweep evidence-standards -o $D/run --steps 5 --replicates 1", "holds the result of a run, not a sweep: not overwritten"},
		{"sweep evidence-standards -o $D/dangling", "-o $D/dangling is a symbolic link to $D/nowhere, which does not exist"},
		{"sweep evidence-standards --shards 0", "--shards 0: want the number of shards, 1 or more"},
		{"report $D/run -o $D/run", "-o $D/run is a directory: give the file to write (for example $D/run/handout.html)"},
		{"report $D/run -o $D/file", "$D/file exists: not overwritten (use --force to replace it, or another -o)"},
		{"report $D/run -o $D/nodir/h.html", "the directory $D/nodir does not exist"},
		{"run baseline --seed 99999999999999999999 -o $D/x", "--seed: run.seed = 99999999999999999999: out of range of a 64-bit integer"},
		{"version extra", `takes no arguments, got ["extra"]`},
	} {
		expectCall(t, strings.ReplaceAll(c.args, "$D", d), "", strings.ReplaceAll(c.wantErr, "$D", d), 2)
	}
	// merge -o a run directory
	expectCall(t, "sweep evidence-standards --steps 5 --replicates 1 --quiet -o "+filepath.Join(d, "sw"), "", "", 0)
	expectCall(t, "merge "+filepath.Join(d, "sw")+" -o "+filepath.Join(d, "run"), "-", "holds the result of a run, not a sweep", 2)
	for _, args := range [][]string{{"run", "baseline", "-o", ""}, {"report", "baseline", "-o", ""}} {
		if _, errs, code := call(context.Background(), args...); code != 2 || !strings.Contains(errs, `invalid value "" for flag -o: want a path, not an empty string`) {
			t.Errorf("%q: exit %d, %s", args, code, errs)
		}
	}
	for _, n := range []string{"x", "nodir", ".run.partial"} {
		if _, err := os.Stat(filepath.Join(d, n)); err == nil {
			t.Errorf("a refused command left %s", n)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(d, "file")); string(b) != "x" {
		t.Errorf("report overwrote a file without --force")
	}
	expectCall(t, "report "+filepath.Join(d, "run")+" -o "+filepath.Join(d, "file")+" --force", "wrote", "", 0)
}

// TestForceReplacesWhole: --force replaces a run's result as a whole: no
// file of the previous result (lattice.csv and the lattice chart of a
// lattice world) is left beside the new one (issue 14).
func TestForceReplacesWhole(t *testing.T) {
	d := filepath.Join(t.TempDir(), "r")
	expectCall(t, "run nowak-may-kaleidoscope --steps 5 --replicates 1 --quiet -o "+d, "", "", 0)
	if _, err := os.Stat(filepath.Join(d, "lattice.csv")); err != nil {
		t.Fatal(err)
	}
	expectCall(t, "run baseline --steps 5 --replicates 2 --quiet --force -o "+d, "", "", 0)
	for _, n := range []string{"lattice.csv", "lattice.png", "lattice.svg"} {
		if _, err := os.Stat(filepath.Join(d, n)); err == nil {
			t.Errorf("%s of the previous result is left", n)
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(d))
	if len(ents) != 1 {
		t.Errorf("the parent holds %d entries, want the run directory only", len(ents))
	}
}

// TestConcurrentRuns: two runs into one directory at once are not mixed:
// one is refused (exit 1) while the other writes; the result is the other
// one's, whole.
func TestConcurrentRuns(t *testing.T) {
	d := filepath.Join(t.TempDir(), "conc")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	errs := make([]string, 2)
	for i, seed := range []string{"11", "22"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i], codes[i] = call(context.Background(), "run", "baseline", "--seed", seed, "--steps", "300", "--replicates", "8", "--quiet", "-o", d)
		}()
	}
	wg.Wait()
	if codes[0] == 0 && codes[1] == 0 {
		t.Fatalf("both runs exited 0")
	}
	for i := range codes {
		if codes[i] != 0 && (codes[i] != 1 || !strings.Contains(errs[i], "is being written by another normsim process")) {
			t.Errorf("refused run: exit %d, %s", codes[i], errs[i])
		}
	}
	toml, _ := os.ReadFile(filepath.Join(d, "scenario.toml"))
	csv, _ := os.ReadFile(filepath.Join(d, "replicates.csv"))
	seeds := map[string]bool{}
	for _, row := range strings.Split(strings.TrimSpace(string(csv)), "\n")[1:] {
		seeds[strings.Split(row, ",")[3]] = true
	}
	for _, seed := range []string{"11", "22"} {
		if strings.Contains(string(toml), "seed = "+seed+" ") != seeds[seed] || len(seeds) != 1 {
			t.Errorf("scenario.toml and replicates.csv disagree on seed %s: %v", seed, seeds)
		}
	}
}

// TestInternalError: a panic is an internal error, exit 3, with its stack;
// never exit 2, which says the input is invalid.
func TestInternalError(t *testing.T) {
	// A command that panics, for this test only (the table is restored:
	// the test is not parallel).
	commands["zz-panic"] = &command{Name: "zz-panic", Summary: "panics (tests only)", Usage: "zz-panic",
		Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
			return func([]string) error { panic("deliberate") }
		}}
	defer delete(commands, "zz-panic")
	_, errs, code := call(context.Background(), "zz-panic")
	if code != 3 || !strings.Contains(errs, "normsim: internal error (a bug in normsim, not a problem with the input): deliberate") ||
		!strings.Contains(errs, "goroutine") {
		t.Errorf("exit %d, stderr %s", code, errs)
	}
	out, _, _ := call(context.Background(), "-h")
	if !strings.Contains(out, "3 an internal error") {
		t.Errorf("normsim -h does not document exit 3:\n%s", out)
	}
}

// TestControlCharacters: the escape sequences of a title, info text or
// hint (clear the screen, set the window title, reorder the text) are
// printed escaped by run, check and show, never raw.
func TestControlCharacters(t *testing.T) {
	d := t.TempDir()
	file := filepath.Join(d, "esc.toml")
	src := "schema = 1\nname = \"esc\"\ntitle = \"a\\u001b[2Jb\\u009b31mc\\u202ed\"\n" +
		"[info]\nwhat = \"\\u001b]0;pwned\\u0007 w\"\nnotice = [\"n\\u001b[1m\"]\n[run]\nsteps = 5\nreplicates = 2\n" +
		"[[expect]]\nmetric = \"restraint_rate\"\nat_least = 2.0\nhint = \"h\\u001b[H\"\n"
	os.WriteFile(file, []byte(src), 0o644)
	for _, args := range [][]string{{"run", file, "-o", filepath.Join(d, "r")}, {"check", file}, {"show", file}, {"validate", file + "\x1b[2J"}} {
		out, errs, _ := call(context.Background(), args...)
		for _, s := range []string{out, errs} {
			if strings.ContainsAny(s, "\x1b\x07\u009b\u202e") {
				t.Errorf("normsim %s prints a control character raw: %q", args[0], s)
			}
		}
		if args[0] != "validate" && !strings.Contains(out, `\x1b[2J`) && !strings.Contains(out, `\u001B[2J`) {
			t.Errorf("normsim %s does not show the escape: %q", args[0], out)
		}
	}
}

// TestEscapeWriter: control characters are escaped, text (and newlines,
// tabs, any printable rune) kept, and a rune split between writes whole.
func TestEscapeWriter(t *testing.T) {
	var b strings.Builder
	w := &escapeWriter{w: &b}
	for _, p := range []string{"a\x1b[2Jé\n", "\t\r\x7f\xc2", "\x9b\xe2\x80", "\xae z\xff"} {
		w.Write([]byte(p))
	}
	w.flush()
	if want := `a\x1b[2Jé` + "\n\t" + `\x0d\x7f\u009b\u202e z\xff`; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
