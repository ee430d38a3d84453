package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
	"github.com/normsim/normsim/sweep"
)

func init() {
	// The tests give shards with --shard; a scheduler's variables (a test
	// run inside a Slurm job array) must not shard the others.
	getenv = func(string) string { return "" }
}

// tinySweep is a scenario of 20 states and 40 steps with a 2 x 2 grid of
// 3 replicates: 12 runs of about a millisecond.
const tinySweep = `schema = 1
name = "tiny"
[run]
steps = 40
seed = 7
[world]
states = 20
[forum]
every = 10
[convergence]
window = 10
[sweep]
design = "grid"
replicates = 3
[sweep.parameters]
"attribution.evidence_standard" = [1.0, 2.0]
"forum.inclusivity" = [0.2, 0.8]
`

// writeScenario writes text as NAME.toml in a new temporary directory and
// returns its path.
func writeScenario(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name+".toml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// mustRun runs the command and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	out, errs, code := call(context.Background(), args...)
	if code != 0 {
		t.Fatalf("normsim %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out, errs
}

// sameFiles fails unless the named files of directories a and b exist and
// are byte-identical.
func sameFiles(t *testing.T, a, b string, names ...string) {
	t.Helper()
	for _, n := range names {
		x, err1 := os.ReadFile(filepath.Join(a, n))
		y, err2 := os.ReadFile(filepath.Join(b, n))
		if err1 != nil || err2 != nil {
			t.Errorf("%s: %v %v", n, err1, err2)
			continue
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", n, a, b)
		}
	}
}

// readCSV reads a whole CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// TestSweepDryRun: a dry run counts the runs (2 x 2 points x 3 replicates
// = 12), estimates the time and writes nothing.
func TestSweepDryRun(t *testing.T) {
	file := writeScenario(t, "tiny", tinySweep)
	dir := filepath.Join(t.TempDir(), "out")
	out, _ := mustRun(t, "sweep", file, "--dry-run", "-o", dir)
	for _, want := range []string{"4 points x 3 replicates = 12 runs", "estimated time:"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("dry run created %s", dir)
	}
	// A scenario with events dry-runs too (issue 14: the short timing runs
	// were refused for events after their last step).
	out, _ = mustRun(t, "sweep", "baseline", "--set", `sweep.parameters."forum.pull"=[0.2,0.8]`, "--set", "run.steps=300",
		"--dry-run", "-o", filepath.Join(t.TempDir(), "b"))
	if !strings.Contains(out, "estimated time:") {
		t.Errorf("dry run of baseline (with events):\n%s", out)
	}
	// Flags count too: --replicates 5 makes 20 runs, a shard 7 of them.
	out, _ = mustRun(t, "sweep", file, "--dry-run", "--replicates", "5", "--shard", "0/3")
	for _, want := range []string{"= 20 runs", "shard 0/3: 7 runs"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
}

// TestSweepWorkersShardsMerge: the outputs do not depend on the number of
// workers, and three shards merged give the unsharded sweep byte for byte;
// the charts are drawn, status tells complete from missing.
func TestSweepWorkersShardsMerge(t *testing.T) {
	file := writeScenario(t, "tiny", tinySweep)
	root := t.TempDir()
	d := func(name string) string { return filepath.Join(root, name) }
	mustRun(t, "sweep", file, "-o", d("w1"), "--workers", "1", "--quiet")
	mustRun(t, "sweep", "--quiet", "--workers", "2", "-o", d("w2"), file) // flags before the file
	sameFiles(t, d("w1"), d("w2"), "runs.csv", "points.csv", "scenario.toml")

	rows := readCSV(t, filepath.Join(d("w1"), "runs.csv"))
	if len(rows) != 13 {
		t.Fatalf("runs.csv has %d rows, want a header and 12 runs", len(rows))
	}
	if got := strings.Join(rows[0][:11], ","); got != "scenario,version,scenario_hash,run,point,attribution.evidence_standard,forum.inclusivity,seed,replicate,outcome,converged" {
		t.Errorf("runs.csv header starts %s", got)
	}
	if last := rows[0][len(rows[0])-1]; last != "final_belief" {
		t.Errorf("runs.csv's last column is %q, want final_belief", last)
	}
	for _, f := range []string{"phase_established.png", "phase_established.svg",
		"param_forum.inclusivity_established.png", "param_attribution.evidence_standard_practice.png"} {
		if _, err := os.Stat(filepath.Join(d("w1"), f)); err != nil {
			t.Errorf("no chart %s", f)
		}
	}

	for i := range 3 {
		shard := strconv.Itoa(i) + "/3"
		out, _ := mustRun(t, "sweep", file, "--shard", shard, "-o", d("s"+strconv.Itoa(i)), "--workers", "2")
		if !strings.Contains(out, "shard "+shard+": 4 runs") {
			t.Errorf("shard %s output:\n%s", shard, out)
		}
	}
	if _, err := os.Stat(filepath.Join(d("s0"), "phase_established.png")); err == nil {
		t.Errorf("a shard drew charts of the whole sweep")
	}
	if out, _, code := call(context.Background(), "status", d("s0"), d("s2")); code != 1 || !strings.Contains(out, "missing 1-10:3") {
		t.Errorf("status of two shards of three: exit %d, want 1 and the missing runs 1-10:3:\n%s", code, out)
	}
	// A shard not started is named, and the others still reported (issue
	// 14: status aborted on one missing shard).
	if out, _, code := call(context.Background(), "status", d("s0"), d("nosuch"), d("s2")); code != 1 ||
		!strings.Contains(out, "nosuch: no sweep here") || !strings.Contains(out, "missing 1-10:3") {
		t.Errorf("status with a shard not started: exit %d\n%s", code, out)
	}
	if out, _, code := call(context.Background(), "status", d("s0"), d("s1"), d("s2")); code != 0 || !strings.Contains(out, "12 of 12 runs done, complete") {
		t.Errorf("status of every shard: exit %d, want 0:\n%s", code, out)
	}
	// Shards in any order, flags after the positionals.
	mustRun(t, "merge", d("s2"), d("s0"), d("s1"), "-o", d("merged"))
	sameFiles(t, d("w1"), d("merged"), "runs.csv", "points.csv", "scenario.toml", "phase_established.png")
	if _, errs, code := call(context.Background(), "merge", d("s0"), d("s1"), d("s2"), "-o", d("merged")); code != 2 || !strings.Contains(errs, "already holds a sweep") {
		t.Errorf("merge into a sweep without --force: exit %d, %s", code, errs)
	}
	if _, errs, code := call(context.Background(), "sweep", file, "-o", d("w1"), "--quiet"); code != 2 || !strings.Contains(errs, "--resume") {
		t.Errorf("sweep into a sweep without --resume: exit %d, %s", code, errs)
	}
}

// TestSweepResume: a sweep whose context is cancelled part way keeps its
// finished runs, exits 1 pointing to --resume, and the resumed sweep
// writes the bytes of an uninterrupted one.
func TestSweepResume(t *testing.T) {
	file := writeScenario(t, "tiny", strings.Replace(tinySweep, "replicates = 3", "replicates = 50", 1))
	root := t.TempDir()
	ref, cut := filepath.Join(root, "ref"), filepath.Join(root, "cut")
	mustRun(t, "sweep", file, "-o", ref, "--quiet", "--workers", "2")

	// Cancel once the journal holds a few runs (of 200).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			if b, err := os.ReadFile(filepath.Join(cut, ".journal")); err == nil && bytes.Count(b, []byte("\n")) >= 5 {
				cancel()
				return
			}
			time.Sleep(200 * time.Microsecond)
		}
	}()
	_, errs, code := call(ctx, "sweep", file, "-o", cut, "--quiet", "--workers", "1")
	if code != 1 || !strings.Contains(errs, "--resume") {
		t.Fatalf("interrupted sweep: exit %d, want 1 and a note to use --resume; stderr: %s", code, errs)
	}
	out, _, scode := call(context.Background(), "status", cut)
	if scode != 1 || !strings.Contains(out, "missing") {
		t.Fatalf("status after the interruption: exit %d, want 1 and missing runs:\n%s", scode, out)
	}
	mustRun(t, "sweep", file, "-o", cut, "--quiet", "--workers", "2", "--resume")
	sameFiles(t, ref, cut, "runs.csv", "points.csv", "scenario.toml")
}

// TestSweepRunIsReplicate: run r of a point is replicate r of the scenario
// with the point's values and the run's seed (what 'normsim run' with that
// seed computes), here in a Latin hypercube over an integer key, whose
// sampled values are rounded.
func TestSweepRunIsReplicate(t *testing.T) {
	text := strings.Replace(tinySweep, `design = "grid"`, `design = "lhs"`+"\nsamples = 3", 1)
	text = text[:strings.Index(text, "[sweep.parameters]")] + "[sweep.parameters]\n" +
		`"world.states" = { min = 10.0, max = 30.0 }` + "\n" + `"forum.pull" = { min = 0.1, max = 0.9 }` + "\n"
	file := writeScenario(t, "tiny", text)
	dir := filepath.Join(t.TempDir(), "lhs")
	mustRun(t, "sweep", file, "-o", dir, "--quiet")
	rows := readCSV(t, filepath.Join(dir, "runs.csv"))
	if len(rows) != 10 {
		t.Fatalf("runs.csv has %d rows, want 9 runs", len(rows)-1)
	}
	base, err := scenarios.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	for _, row := range rows[1:] {
		states, _ := strconv.ParseFloat(row[col["world.states"]], 64)
		if states == math.Round(states) {
			t.Errorf("world.states = %v: the test wants sampled values with a fraction", states)
		}
		s := base.Clone()
		for _, a := range []string{"world.states=" + strconv.Itoa(int(math.Round(states))), "forum.pull=" + row[col["forum.pull"]]} {
			if err := s.Set(a); err != nil {
				t.Fatal(err)
			}
		}
		cfg, err := s.Config()
		if err != nil {
			t.Fatal(err)
		}
		// Point seeds use all 64 bits; run.seed in a file stops at 2^63-1.
		if cfg.Run.Seed, err = strconv.ParseUint(row[col["seed"]], 10, 64); err != nil {
			t.Fatal(err)
		}
		r, _ := strconv.Atoi(row[col["replicate"]])
		rep, _, err := sim.RunReplicate(context.Background(), cfg, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, want string
		}{
			{"outcome", rep.Outcome.String()},
			{"converged", convergedCell(rep.Converged)},
			{"restraint_rate", results.FormatFloat(rep.Window[sim.RestraintRate])},
			{"payoff_mean", results.FormatFloat(rep.Window[sim.PayoffMean])},
			{"final_restraint", strconv.FormatFloat(rep.FinalRestraint, 'g', -1, 64)},
		} {
			if got := row[col[c.name]]; got != c.want {
				t.Errorf("run %s: %s = %s, replicate %d of the scenario gives %s", row[0], c.name, got, r, c.want)
			}
		}
	}
}

// TestSweepSobol: a sobol design writes sensitivity.csv and draws the
// Sobol' bars of every output that varies (or says why not).
func TestSweepSobol(t *testing.T) {
	text := strings.Replace(tinySweep, `design = "grid"`, `design = "sobol"`+"\nsamples = 8", 1)
	text = strings.Replace(text, "replicates = 3", "replicates = 1", 1)
	text = text[:strings.Index(text, "[sweep.parameters]")] + "[sweep.parameters]\n" +
		`"attribution.evidence_standard" = { min = 0.5, max = 2.5 }` + "\n" + `"forum.pull" = { min = 0.1, max = 0.9 }` + "\n"
	file := writeScenario(t, "tiny", text)
	dir := filepath.Join(t.TempDir(), "sobol")
	_, errs := mustRun(t, "sweep", file, "-o", dir, "--quiet")
	if _, err := os.Stat(filepath.Join(dir, "sensitivity.csv")); err != nil {
		t.Errorf("no sensitivity.csv")
	}
	if _, err := os.Stat(filepath.Join(dir, "sobol_practice.png")); err != nil {
		t.Errorf("no sobol_practice.png; stderr: %s", errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "sobol_established.png")); err != nil && !strings.Contains(errs, "no sobol_established chart") {
		t.Errorf("neither sobol_established.png nor a note why; stderr: %s", errs)
	}
}

// TestSweepBadInput: invalid input exits 2 with a message naming the
// problem, and nothing runs.
func TestSweepBadInput(t *testing.T) {
	params := func(lines string) string {
		return tinySweep[:strings.Index(tinySweep, "[sweep.parameters]")] + "[sweep.parameters]\n" + lines + "\n"
	}
	for _, c := range []struct {
		name, text string
		args       []string
		want       []string
	}{
		{"unknown key", params(`"attribution.nosuch" = [1.0, 2.0]`), nil,
			[]string{`sweep.parameters."attribution.nosuch"`, "not a numeric parameter"}},
		{"bad point", params(`"attribution.reporting" = [0.5, 1.5]`), nil,
			[]string{"design point 1 (attribution.reporting=1.5) is invalid", "attribution.reporting = 1.5"}},
		{"integer key", params(`"forum.every" = [5, 7.5]`), nil,
			[]string{"design point 1 (forum.every=7.5)", "want an integer"}},
		{"run.seed", params(`"run.seed" = [1, 2]`), nil, []string{`sweep.parameters."run.seed"`, "own seed"}},
		{"no sweep", tinySweep[:strings.Index(tinySweep, "[sweep]")], nil, []string{"has no [sweep] section"}},
		{"bad shard", tinySweep, []string{"--shard", "3/3"}, []string{"--shard 3/3", "0 <= i < n"}},
		{"shards without index", tinySweep, []string{"--shards", "4"}, []string{"--shards 4", "JOB_COMPLETION_INDEX"}},
		{"resume and force", tinySweep, []string{"--resume", "--force"}, []string{"give one of them"}},
		{"bad replicates", tinySweep, []string{"--replicates", "0"}, []string{"--replicates: sweep.replicates = 0"}},
	} {
		file := writeScenario(t, "tiny", c.text)
		dir := filepath.Join(t.TempDir(), "out")
		args := append([]string{"sweep", file, "-o", dir}, c.args...)
		_, errs, code := call(context.Background(), args...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2; stderr: %s", c.name, code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", c.name, w, errs)
			}
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("%s: %s was created", c.name, dir)
		}
	}
}

// TestMergeRefusesDifferentSweeps: shards of two scenarios do not merge,
// and status will not add them up.
func TestMergeRefusesDifferentSweeps(t *testing.T) {
	a := writeScenario(t, "tiny", tinySweep)
	b := writeScenario(t, "other", strings.Replace(tinySweep, `name = "tiny"`, `name = "other"`, 1))
	root := t.TempDir()
	mustRun(t, "sweep", a, "--shard", "0/2", "-o", filepath.Join(root, "a0"), "--quiet")
	mustRun(t, "sweep", b, "--shard", "1/2", "-o", filepath.Join(root, "b1"), "--quiet")
	out := filepath.Join(root, "m")
	for _, cmd := range [][]string{
		{"merge", filepath.Join(root, "a0"), filepath.Join(root, "b1"), "-o", out},
		{"status", filepath.Join(root, "a0"), filepath.Join(root, "b1")},
	} {
		_, errs, code := call(context.Background(), cmd...)
		if code != 2 || !strings.Contains(errs, "hold different sweeps") || !strings.Contains(errs, `"tiny" vs "other"`) {
			t.Errorf("%s: exit %d, want 2 and a message naming both scenarios; stderr: %s", cmd[0], code, errs)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("merge created %s", out)
	}
	if _, errs, code := call(context.Background(), "merge", filepath.Join(root, "a0")); code != 2 || !strings.Contains(errs, "-o OUT") {
		t.Errorf("merge without -o: exit %d, %s", code, errs)
	}
}

// convergedCell is the converged column of runs.csv and replicates.csv: the
// step, or empty when expectations never converged.
func convergedCell(step int) string {
	if step < 0 {
		return ""
	}
	return strconv.Itoa(step)
}

// TestPlotSweep: normsim plot redraws a finished sweep's charts, the same
// bytes as the sweep drew.
func TestPlotSweep(t *testing.T) {
	file := writeScenario(t, "tiny", tinySweep)
	dir := filepath.Join(t.TempDir(), "out")
	mustRun(t, "sweep", file, "-o", dir, "--quiet")
	name := filepath.Join(dir, "phase_established.png")
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("the sweep drew no phase diagram: %v", err)
	}
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
	out, _ := mustRun(t, "plot", dir)
	if !strings.Contains(out, "phase_established.png") {
		t.Errorf("normsim plot did not list the phase diagram:\n%s", out)
	}
	got, err := os.ReadFile(name)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("normsim plot did not redraw %s as the sweep drew it (err %v)", name, err)
	}
}

// TestRanText: what a sweep says it ran (issue 14: "shard 0/2: 28 runs
// (7 points x 8 replicates)", "56 runs" for a resumed sweep that ran 33,
// "1 replicates").
func TestRanText(t *testing.T) {
	sum := sweep.Summary{Points: 7, Runs: 56, Done: 56, Design: sweep.Design{Replicates: 8}}
	cases := []struct {
		s      sweep.Summary
		before int
		want   string
	}{
		{sum, 0, "56 runs (7 points x 8 replicates)"},
		{sum, 33, "23 runs now, 33 done before: 56 runs (7 points x 8 replicates)"},
		{sweep.Summary{Points: 7, Runs: 56, Done: 28, Design: sweep.Design{Replicates: 8}, Shard: &sweep.Shard{Index: 0, Count: 2}}, 0,
			"shard 0/2: 28 of the 56 runs (7 points x 8 replicates)"},
		{sweep.Summary{Points: 1, Runs: 1, Done: 1, Design: sweep.Design{Replicates: 1}}, -1, "1 run (1 point x 1 replicate)"},
	}
	for _, c := range cases {
		if got := ranText(c.s, c.before); got != c.want {
			t.Errorf("ranText = %q, want %q", got, c.want)
		}
	}
}
