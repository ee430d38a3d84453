package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/normsim/normsim/sim"
)

// call runs the command with args, as main does, and returns its output.
func call(ctx context.Context, args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = run(ctx, args, &o, &e, false)
	return o.String(), e.String(), code
}

func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	for _, c := range []struct {
		args             string // split on spaces; $D is the temporary directory
		wantOut, wantErr string // substrings ("" = anything; "-" = must be empty)
		wantCode         int
	}{
		{"", "-", "usage: normsim COMMAND", 2},
		{"-h", "usage: normsim COMMAND", "-", 0},
		{"help run", "usage: normsim run FILE|NAME", "-", 0},
		{"--version", "normsim 0.", "-", 0},
		{"bogus", "-", `normsim: unknown command "bogus"`, 2},
		{"runn baseline", "-", `did you mean "run"?`, 2},
		{"list", "ai-shock ", "-", 0},
		{"list extra", "-", "takes no arguments", 2},
		{"show baseline", `name = "baseline"  # short id`, "-", 0},
		{"show baseline --set forum.every=5", "every = 5  # steps between meetings", "-", 0},
		{"run baseline --set forum.every=0 --steps 20 --replicates 2 -o $D/caveat", "this run changes\n  forum.every, run.steps, so they may not hold.", "", 0},
		{"show nosuch", "-", "nosuch: no such file, and no shipped scenario of that name", 2},
		{"validate baseline nowak-may-chaos", "baseline: ok (baseline)\nnowak-may-chaos: ok (nowak-may-chaos)\n", "-", 0},
		{"validate $D/nope.toml", "-", "nope.toml: cannot read the file", 2},
		{"validate", "-", "want at least one scenario file", 2},
		{"run", "-", "want one scenario", 2},
		{"run baseline extra", "-", "want one scenario", 2},
		{"run baseline --bogus", "-", "normsim run: unknown flag --bogus (flags: --force, -o, --quiet, --replicates, --seed, --set, --steps, --workers)\nrun 'normsim run -h' for help\n", 2},
		{"run baseline --replicate 3", "-", "unknown flag --replicate; did you mean --replicates?", 2},
		{"run baseline --seed -1 -o $D/x", "-", "--seed: run.seed = -1: want an integer >= 0", 2},
		{"run baseline --steps 0 -o $D/x", "-", "--steps: run.steps = 0: want an integer >= 1", 2},
		{"run baseline --replicates many -o $D/x", "-", `--replicates: run.replicates = "many": want an integer, not a string`, 2},
		{"run baseline --set attribution.reporting=1.5 -o $D/x", "-", "--set: attribution.reporting = 1.5: want a probability, 0 <= x <= 1", 2},
		{"run baseline --set attribution.nosuch=1 -o $D/x", "-", "unknown key in [attribution]", 2},
		{"run baseline --workers -1 -o $D/x", "-", "--workers = -1", 2},
		// flags after the positional argument, and a warning for the event cut off by --steps
		{"run baseline --steps 20 --replicates 2 -o $D/a --quiet", "2 of 2 replicates of 20 steps", `skipping event "AI-enabled tools" at step 120`, 0},
		{"run baseline --steps 20 --replicates 2 -o $D/a --quiet", "-", "already holds a result: not overwritten", 2},
		{"run --quiet --force -o $D/a --replicates 2 --steps 20 baseline", "outcomes (95% Wilson intervals)", "", 0},
		{"run baseline --steps 20 --replicates 2 -o $D/b", "Notice:", "", 0},
		{"plot $D/a", "convergence.png", "-", 0},
		{"plot $D/nope", "-", "cannot read the file", 2},
	} {
		_, errs := expectCall(t, strings.ReplaceAll(c.args, "$D", dir), c.wantOut, c.wantErr, c.wantCode)
		if strings.Count(errs, "unknown flag") > 1 {
			t.Errorf("normsim %s: flag error printed twice", c.args)
		}
	}
	for _, f := range []string{"scenario.toml", "timeseries.csv", "replicates.csv", "summary.json"} {
		if _, err := os.Stat(filepath.Join(a, f)); err != nil {
			t.Errorf("run wrote no %s", f)
		}
	}
}

// TestEveryCommandHasHelp: -h on every registered subcommand prints its
// usage on stdout and exits 0.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, n := range commandNames() {
		out, errs, code := call(context.Background(), n, "-h")
		if code != 0 || !strings.HasPrefix(out, "usage: normsim "+n) || errs != "" {
			t.Errorf("normsim %s -h: exit %d, stdout %q, stderr %q", n, code, out, errs)
		}
	}
}

// TestDeterministicOutputs: the CSVs do not depend on the number of
// workers, and the saved scenario.toml reproduces them byte for byte.
func TestDeterministicOutputs(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) {
		if out, errs, code := call(context.Background(), args...); code != 0 {
			t.Fatalf("normsim %q: exit %d\n%s%s", args, code, out, errs)
		}
	}
	run("run", "baseline", "--steps", "30", "--replicates", "3", "--workers", "1", "--seed", "9", "--quiet", "-o", filepath.Join(dir, "a"))
	run("run", "baseline", "--steps", "30", "--replicates", "3", "--workers", "3", "--seed", "9", "--quiet", "-o", filepath.Join(dir, "b"))
	run("run", filepath.Join(dir, "a", "scenario.toml"), "--quiet", "-o", filepath.Join(dir, "c"))
	for _, f := range []string{"timeseries.csv", "replicates.csv", "scenario.toml"} {
		x, _ := os.ReadFile(filepath.Join(dir, "a", f))
		for _, other := range []string{"b", "c"} {
			y, _ := os.ReadFile(filepath.Join(dir, other, f))
			if len(x) == 0 || !bytes.Equal(x, y) {
				t.Errorf("%s differs between a and %s", f, other)
			}
		}
	}
}

// TestStepText: the summary a run prints shows quantiles of steps as a
// reader writes them (issue 14: "median step 25 (10%-90%:
// 21.1-31.900000000000002)").
func TestStepText(t *testing.T) {
	for x, want := range map[float64]string{31.900000000000002: "31.9", 25: "25", 21.1: "21.1", math.NaN(): "-", 12345.6: "12346"} {
		if got := stepText(x); got != want {
			t.Errorf("stepText(%v) = %q, want %q", x, got, want)
		}
	}
}

// TestInterrupted: a cancelled run writes what finished, marks the
// directory incomplete and exits 1.
func TestInterrupted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "r")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, errs, code := call(ctx, "run", "baseline", "--steps", "20", "--replicates", "4", "--quiet", "-o", dir)
	if code != 1 || !strings.Contains(errs, "marked INCOMPLETE") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "INCOMPLETE")); err != nil {
		t.Errorf("no INCOMPLETE file")
	}
	var s struct{ Complete *bool }
	data, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(data, &s); err != nil || s.Complete == nil || *s.Complete {
		t.Errorf("summary.json complete = %v (%v)", s.Complete, err)
	}
}

func TestRegistrySorted(t *testing.T) {
	n := commandNames()
	if !sort.StringsAreSorted(n) || len(n) < 6 {
		t.Errorf("commands %q", n)
	}
}

func TestWrap(t *testing.T) {
	got := wrap("aa bb cc dd", "- ", 8)
	if want := "- aa bb\n  cc dd\n"; got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}

// expectCall runs normsim with the space-separated args and checks its exit
// code and that stdout and stderr contain wantOut and wantErr ("-": must be
// empty). It returns stdout and stderr.
func expectCall(t *testing.T, args, wantOut, wantErr string, wantCode int) (stdout, stderr string) {
	t.Helper()
	out, errs, code := call(context.Background(), strings.Fields(args)...)
	if code != wantCode {
		t.Errorf("normsim %s: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, wantCode, out, errs)
	}
	for _, w := range []struct{ name, got, want string }{{"stdout", out, wantOut}, {"stderr", errs, wantErr}} {
		switch {
		case w.want == "-" && w.got != "":
			t.Errorf("normsim %s: %s not empty: %q", args, w.name, w.got)
		case w.want != "-" && !strings.Contains(w.got, w.want):
			t.Errorf("normsim %s: %s = %q, want it to contain %q", args, w.name, w.got, w.want)
		}
	}
	return out, errs
}

// TestInterruptible: Ctrl-C cancels the command's context with a cause
// that messages print in words (issue 14: "interrupted (context
// canceled)").
func TestInterruptible(t *testing.T) {
	ctx, cancel := interruptible()
	defer cancel()
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Skip(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGINT did not cancel the context")
	}
	e := &env{ctx: ctx}
	if got := e.interrupted(); got != "interrupted by Ctrl-C (SIGINT)" {
		t.Errorf("interrupted() = %q", got)
	}
	if strings.Contains(e.interrupted(), "context") {
		t.Errorf("Go jargon in %q", e.interrupted())
	}
}

// TestDefaultDirOfChanges: the default output directory of a changed
// scenario names the change, so that a "Things to try" line after the
// plain run is not refused (issue 14).
func TestDefaultDirOfChanges(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{
		{"run", "baseline", "--steps", "20", "--replicates", "2", "--quiet"},
		{"run", "baseline", "--steps", "20", "--replicates", "2", "--quiet", "--set", "forum.every=5"},
		{"run", "baseline", "--steps", "20", "--replicates", "2", "--quiet", "--set", "forum.every=6"},
	} {
		if out, errs, code := call(context.Background(), args...); code != 0 {
			t.Fatalf("normsim %q: exit %d\n%s%s", args, code, out, errs)
		}
	}
	dirs, _ := os.ReadDir("runs")
	if len(dirs) != 3 {
		t.Errorf("runs/ holds %d directories, want one per change", len(dirs))
	}
	for _, d := range dirs {
		if !strings.HasPrefix(d.Name(), "baseline-seed1-") {
			t.Errorf("runs/%s: want baseline-seed1-HASH", d.Name())
		}
	}
}

// TestReportOneReplicate: a run of one replicate is reported in the
// singular ("did not converge in the one replicate", "1 of 1 replicate").
func TestReportOneReplicate(t *testing.T) {
	cfg := sim.DefaultConfig()
	for conv, want := range map[int]string{-1: "expectations did not converge in the one replicate", 12: "convergence: 1 of 1 replicate converged, median step 12"} {
		res := &sim.Result{Config: cfg, Replicates: []sim.Replicate{{Converged: conv}}}
		var b strings.Builder
		report(&b, cfg, res, "d", nil)
		if !strings.Contains(b.String(), want) {
			t.Errorf("converged at %d: %q, want %q", conv, b.String(), want)
		}
	}
}
