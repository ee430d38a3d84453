package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var testMetrics = []string{"restraint_rate", "payoff_mean"}

// fakeDo is a deterministic stand-in for the engine: a function of the
// run's values, seed and replicate only.
func fakeDo(ctx context.Context, r Run) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	rnd := rand.New(rand.NewPCG(r.Seed, uint64(r.Replicate)))
	x := 0.3*r.Values[0] + 0.5*rnd.Float64()
	sum := 0.0
	for _, v := range r.Values {
		sum += v
	}
	out := "contested"
	switch {
	case x > 0.6:
		out = "established"
	case x < 0.2:
		out = "collapsed"
	}
	conv := -1
	if rnd.Float64() < 0.7 {
		conv = rnd.IntN(100)
	}
	return Result{Outcome: out, Converged: conv, Final: []float64{x, sum + rnd.NormFloat64()/3}}, nil
}

func testRunner(dir string, s Shard, workers int) *Runner {
	return &Runner{
		Dir: dir, Workers: workers, Shard: s,
		Scenario: "test", ScenarioHash: "abc123", Program: "normsim test",
		Metrics: testMetrics, Do: fakeDo,
	}
}

func testDesigns() map[string]Design {
	return map[string]Design{
		"grid": {Kind: Grid, Replicates: 3, Seed: 1, Params: []Param{
			{Key: "attribution.evidence_standard", Values: []float64{1, 2}},
			{Key: "forum.inclusivity", Values: []float64{0.2, 0.8}},
		}},
		"lhs": {Kind: LHS, Replicates: 2, Samples: 7, Seed: 2, Params: []Param{
			{Key: "a", Min: 0, Max: 1}, {Key: "b", Min: -1, Max: 1},
		}},
		"sobol": {Kind: Sobol, Replicates: 2, Samples: 8, Seed: 3, Bootstrap: 50, Params: []Param{
			{Key: "a", Min: 0, Max: 1}, {Key: "b", Min: -1, Max: 1},
		}},
		"morris": {Kind: Morris, Replicates: 2, Samples: 5, Seed: 4, Bootstrap: 50, Params: []Param{
			{Key: "a", Min: 0, Max: 1}, {Key: "b", Min: -1, Max: 1}, {Key: "c", Min: 0, Max: 3},
		}},
	}
}

var outputFiles = []string{RunsFile, PointsFile, SensitivityFile}

// readOutputs returns the bytes of dir's CSV outputs (nil for absent ones).
func readOutputs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, f := range outputFiles {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err == nil {
			m[f] = b
		}
	}
	return m
}

func sameOutputs(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	for _, f := range outputFiles {
		if !bytes.Equal(want[f], got[f]) {
			t.Errorf("%s: %s differs:\nwant:\n%s\ngot:\n%s", what, f, want[f], got[f])
		}
	}
}

func TestSweepIndependentOfWorkersAndShards(t *testing.T) {
	ctx := context.Background()
	for name, d := range testDesigns() {
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			ref := filepath.Join(tmp, "ref")
			if err := testRunner(ref, Shard{}, 1).Execute(ctx, d, false); err != nil {
				t.Fatal(err)
			}
			want := readOutputs(t, ref)
			_, runs, _ := d.Count()
			if n := bytes.Count(want[RunsFile], []byte("\n")) - 1; n != runs {
				t.Errorf("runs.csv has %d rows, want %d", n, runs)
			}
			pts, _, _ := d.Count()
			if n := bytes.Count(want[PointsFile], []byte("\n")) - 1; n != pts {
				t.Errorf("points.csv has %d rows, want %d", n, pts)
			}
			if hasSens := want[SensitivityFile] != nil; hasSens != (name == "sobol" || name == "morris") {
				t.Errorf("sensitivity.csv written: %v", hasSens)
			} else if hasSens {
				// It reads back, with the provenance of every other CSV.
				rows, err := ReadSensitivity(ref)
				if err != nil || len(rows) == 0 || !bytes.HasPrefix(want[SensitivityFile], []byte("scenario,version,scenario_hash,seed,output,")) {
					t.Errorf("sensitivity.csv: %d rows, %v", len(rows), err)
				}
			}

			par := filepath.Join(tmp, "par")
			if err := testRunner(par, Shard{}, 3).Execute(ctx, d, false); err != nil {
				t.Fatal(err)
			}
			sameOutputs(t, "3 workers", want, readOutputs(t, par))

			var shards []string
			for i := range 3 {
				dir := filepath.Join(tmp, fmt.Sprintf("sh%d", i))
				shards = append(shards, dir)
				if err := testRunner(dir, Shard{i, 3}, 2).Execute(ctx, d, false); err != nil {
					t.Fatal(err)
				}
				b, _ := os.ReadFile(filepath.Join(dir, RunsFile))
				if n := bytes.Count(b, []byte("\n")) - 1; n != (Shard{i, 3}).Size(runs) {
					t.Errorf("shard %d: runs.csv has %d rows", i, n)
				}
			}
			merged := filepath.Join(tmp, "merged")
			// Order of the shards does not matter.
			if err := Merge([]string{shards[2], shards[0], shards[1]}, merged, false); err != nil {
				t.Fatal(err)
			}
			sameOutputs(t, "merged shards", want, readOutputs(t, merged))
		})
	}
}

func TestOutputColumns(t *testing.T) {
	dir := t.TempDir()
	d := testDesigns()["grid"]
	if err := testRunner(dir, Shard{}, 2).Execute(context.Background(), d, false); err != nil {
		t.Fatal(err)
	}
	runs, _ := os.ReadFile(filepath.Join(dir, RunsFile))
	head, _, _ := strings.Cut(string(runs), "\n")
	if want := "scenario,version,scenario_hash,run,point,attribution.evidence_standard,forum.inclusivity,seed,replicate,outcome,converged,restraint_rate,payoff_mean"; head != want {
		t.Errorf("runs.csv header %q, want %q", head, want)
	}
	pts, _ := os.ReadFile(filepath.Join(dir, PointsFile))
	head, rest, _ := strings.Cut(string(pts), "\n")
	want := "scenario,version,scenario_hash,point,attribution.evidence_standard,forum.inclusivity,seed,runs," +
		"established_share,established_lo,established_hi,latent_share,latent_lo,latent_hi," +
		"contested_share,contested_lo,contested_hi,hollow_share,hollow_lo,hollow_hi," +
		"collapsed_share,collapsed_lo,collapsed_hi,converged_share,converged_lo,converged_hi,converged_step_mean," +
		"restraint_rate_mean,restraint_rate_lo,restraint_rate_hi,payoff_mean_mean,payoff_mean_lo,payoff_mean_hi"
	if head != want {
		t.Errorf("points.csv header\n%q, want\n%q", head, want)
	}
	if !strings.HasPrefix(rest, fmt.Sprintf("test,normsim test,abc123,0,1,0.2,%d,3,", PointSeed(1, 0))) {
		t.Errorf("points.csv first row %q", strings.SplitN(rest, "\n", 2)[0])
	}
	s, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err != nil || !bytes.Contains(s, []byte(`"scenario_hash": "abc123"`)) {
		t.Errorf("summary.json lacks provenance: %s %v", s, err)
	}
}

// TestResume interrupts a sweep (context cancelled, then a torn last line
// as a crash mid-write leaves) and resumes it: the outputs equal an
// uninterrupted sweep's byte for byte, and only missing runs are run.
func TestResume(t *testing.T) {
	for name, d := range testDesigns() {
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			ref := filepath.Join(tmp, "ref")
			if err := testRunner(ref, Shard{}, 2).Execute(context.Background(), d, false); err != nil {
				t.Fatal(err)
			}
			_, total, _ := d.Count()
			dir := filepath.Join(tmp, "cut")
			ctx, cancel := context.WithCancel(context.Background())
			var calls atomic.Int64
			rn := testRunner(dir, Shard{}, 2)
			rn.Do = func(ctx context.Context, r Run) (Result, error) {
				if calls.Add(1) == int64(total/2) {
					cancel()
				}
				return fakeDo(ctx, r)
			}
			err := rn.Execute(ctx, d, false)
			if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "resume") {
				t.Fatalf("interrupted Execute: err = %v", err)
			}
			if _, err := os.Stat(filepath.Join(dir, RunsFile)); err == nil {
				t.Fatal("an interrupted sweep wrote runs.csv")
			}
			st, err := Status([]string{dir})
			if err != nil {
				t.Fatal(err)
			}
			if st.Done == 0 || st.Done >= total || countSpans(st.Missing) != total-st.Done {
				t.Fatalf("status after interruption: %d done, missing %v", st.Done, st.Missing)
			}
			// A crash mid-write leaves a partial line.
			f, _ := os.OpenFile(filepath.Join(dir, JournalFile), os.O_WRONLY|os.O_APPEND, 0)
			f.WriteString("3,1,0.5,12")
			f.Close()

			if err := testRunner(dir, Shard{}, 2).Execute(context.Background(), d, false); err == nil || !strings.Contains(err.Error(), "unfinished") {
				t.Errorf("Execute without resume on an unfinished sweep: err = %v", err)
			}
			var ran atomic.Int64
			rn = testRunner(dir, Shard{}, 3)
			rn.Do = func(ctx context.Context, r Run) (Result, error) {
				ran.Add(1)
				return fakeDo(ctx, r)
			}
			if err := rn.Execute(context.Background(), d, true); err != nil {
				t.Fatal(err)
			}
			if got, want := int(ran.Load()), total-st.Done; got != want {
				t.Errorf("resume ran %d runs, want the %d missing", got, want)
			}
			sameOutputs(t, "resumed", readOutputs(t, ref), readOutputs(t, dir))
		})
	}
}

// TestKill9Resume kills a sweep process with SIGKILL in mid-run and resumes
// it in this process: the outputs equal an uninterrupted sweep's.
func TestKill9Resume(t *testing.T) {
	d := Design{Kind: Grid, Replicates: 60, Seed: 42, Params: []Param{
		{Key: "a", Values: []float64{0, 0.5, 1}}, {Key: "b", Values: []float64{1, 2}},
	}}
	if dir := os.Getenv("SWEEP_KILL_CHILD_DIR"); dir != "" {
		rn := testRunner(dir, Shard{}, 2)
		rn.Do = func(ctx context.Context, r Run) (Result, error) {
			time.Sleep(2 * time.Millisecond)
			return fakeDo(ctx, r)
		}
		if err := rn.Execute(context.Background(), d, false); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	tmp := t.TempDir()
	ref := filepath.Join(tmp, "ref")
	if err := testRunner(ref, Shard{}, 2).Execute(context.Background(), d, false); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "cut")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9Resume$")
	cmd.Env = append(os.Environ(), "SWEEP_KILL_CHILD_DIR="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(dir, JournalFile))
		if bytes.Count(b, []byte("\n")) >= 60 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the child sweep made no progress")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != -1 {
		t.Fatalf("child was not killed mid-sweep: %v", err)
	}
	st, err := Status([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if st.Done >= 360 {
		t.Fatalf("the child finished before the kill (%d runs)", st.Done)
	}
	if err := testRunner(dir, Shard{}, 2).Execute(context.Background(), d, true); err != nil {
		t.Fatal(err)
	}
	sameOutputs(t, "killed and resumed", readOutputs(t, ref), readOutputs(t, dir))
}

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	d := testDesigns()["grid"]
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "done")
	if err := testRunner(dir, Shard{}, 2).Execute(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	want := readOutputs(t, dir)
	if err := testRunner(dir, Shard{}, 2).Execute(ctx, d, false); err == nil || !strings.Contains(err.Error(), "a completed sweep") {
		t.Errorf("re-running into a completed dir: err = %v", err)
	}
	// Resuming a completed sweep rewrites the same outputs.
	if err := testRunner(dir, Shard{}, 2).Execute(ctx, d, true); err != nil {
		t.Errorf("resuming a completed sweep: %v", err)
	}
	sameOutputs(t, "resumed complete", want, readOutputs(t, dir))

	d2 := d
	d2.Seed = 99
	if err := testRunner(dir, Shard{}, 2).Execute(ctx, d2, true); err == nil || !strings.Contains(err.Error(), "design") {
		t.Errorf("resume with another design: err = %v", err)
	}
	rn := testRunner(dir, Shard{}, 2)
	rn.ScenarioHash = "def456"
	if err := rn.Execute(ctx, d, true); err == nil || !strings.Contains(err.Error(), "scenario hash") {
		t.Errorf("resume with another scenario: err = %v", err)
	}
	if err := testRunner(dir, Shard{1, 3}, 2).Execute(ctx, d, true); err == nil || !strings.Contains(err.Error(), "shard") {
		t.Errorf("resume as another shard: err = %v", err)
	}
	rn = testRunner(dir, Shard{}, 2)
	rn.Force = true
	if err := rn.Execute(ctx, d2, false); err != nil {
		t.Errorf("force: %v", err)
	}

	// Merge refuses shards of different scenarios, and merging into an input.
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	if err := testRunner(a, Shard{0, 2}, 1).Execute(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	rn = testRunner(b, Shard{1, 2}, 1)
	rn.ScenarioHash = "other"
	if err := rn.Execute(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	if err := Merge([]string{a, b}, filepath.Join(tmp, "m"), false); err == nil || !strings.Contains(err.Error(), "different sweeps") {
		t.Errorf("merging different scenarios: err = %v", err)
	}
	if err := Merge([]string{a}, a, false); err == nil || !strings.Contains(err.Error(), "into itself") {
		t.Errorf("merging into an input: err = %v", err)
	}

	// A corrupt line in the middle of a journal is an error, not ignored.
	c := filepath.Join(tmp, "c")
	if err := testRunner(c, Shard{}, 1).Execute(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	j := filepath.Join(c, JournalFile)
	bs, _ := os.ReadFile(j)
	bs[len(bs)/2] ^= 1
	os.WriteFile(j, bs, 0o644)
	if _, err := Status([]string{c}); err == nil || !strings.Contains(err.Error(), "line") {
		t.Errorf("corrupt journal: err = %v", err)
	}
}

// TestMergeMissing merges two of three shards: the merge reports the
// missing runs, and resuming the sweep in the merged directory completes
// it with the outputs of an uninterrupted sweep.
func TestMergeMissing(t *testing.T) {
	ctx := context.Background()
	d := testDesigns()["sobol"]
	tmp := t.TempDir()
	ref := filepath.Join(tmp, "ref")
	if err := testRunner(ref, Shard{}, 2).Execute(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, i := range []int{0, 2} {
		dir := filepath.Join(tmp, fmt.Sprint("sh", i))
		dirs = append(dirs, dir)
		if err := testRunner(dir, Shard{i, 3}, 2).Execute(ctx, d, false); err != nil {
			t.Fatal(err)
		}
	}
	_, total, _ := d.Count()
	out := filepath.Join(tmp, "out")
	err := Merge(dirs, out, false)
	var me *MissingError
	if !errors.As(err, &me) {
		t.Fatalf("merge of 2 of 3 shards: err = %v", err)
	}
	if me.Total != total || countSpans(me.Missing) != (Shard{1, 3}).Size(total) || me.Missing[0] != (Span{1, me.Missing[0].Last, 3}) {
		t.Errorf("missing = %v (%d of %d)", me.Missing, me.Total-me.Done, me.Total)
	}
	st, err := Status(dirs)
	if err != nil {
		t.Fatal(err)
	}
	if FormatSpans(st.Missing, 0) != FormatSpans(me.Missing, 0) || !strings.Contains(st.String(), "missing 1-") {
		t.Errorf("status:\n%s", st)
	}
	if err := Merge(dirs, out, false); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("merging into a used directory: err = %v", err)
	}
	if err := testRunner(out, Shard{}, 2).Execute(ctx, d, true); err != nil {
		t.Fatal(err)
	}
	sameOutputs(t, "merged then resumed", readOutputs(t, ref), readOutputs(t, out))
}

func TestMergeConflict(t *testing.T) {
	ctx := context.Background()
	d := testDesigns()["grid"]
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	if err := testRunner(a, Shard{}, 2).Execute(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	rn := testRunner(b, Shard{0, 2}, 2)
	rn.Do = func(ctx context.Context, r Run) (Result, error) {
		res, err := fakeDo(ctx, r)
		res.Final[0] += 1e-9 // same sweep, other results: a changed engine
		return res, err
	}
	if err := rn.Execute(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	if err := Merge([]string{a, b}, filepath.Join(tmp, "m"), false); err == nil || !strings.Contains(err.Error(), "different results") {
		t.Errorf("merging conflicting runs: err = %v", err)
	}
	// Identical duplicates are fine.
	if err := Merge([]string{a, a}, filepath.Join(tmp, "m2"), false); err != nil {
		t.Errorf("merging a directory with itself: %v", err)
	}
	sameOutputs(t, "self-merge", readOutputs(t, a), readOutputs(t, filepath.Join(tmp, "m2")))
}

func TestDoErrors(t *testing.T) {
	d := testDesigns()["grid"]
	for _, c := range []struct {
		do   func(context.Context, Run) (Result, error)
		want string
	}{
		{func(context.Context, Run) (Result, error) { return Result{}, errors.New("boom") }, "run 0: boom"},
		{func(context.Context, Run) (Result, error) {
			return Result{Outcome: "odd", Final: []float64{1, 2}}, nil
		}, `outcome "odd"`},
		{func(context.Context, Run) (Result, error) {
			return Result{Outcome: "contested", Final: []float64{1}}, nil
		}, "1 final metrics, want 2"},
	} {
		rn := testRunner(t.TempDir(), Shard{}, 1)
		rn.Do = c.do
		if err := rn.Execute(context.Background(), d, false); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want %q", err, c.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	var b strings.Builder
	d := testDesigns()["grid"]
	if err := Describe(&b, d, Shard{1, 5}, 250*time.Millisecond, 2); err != nil {
		t.Fatal(err)
	}
	// 12 runs; shard 1/5 has runs 1, 6, 11: two waves of 2 workers.
	for _, want := range []string{"= 12 runs", "shard 1/5: 3 runs", "estimated time: 500ms (2 waves of 250ms, 2 runs at once)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Describe output lacks %q:\n%s", want, b.String())
		}
	}
}

func TestProgress(t *testing.T) {
	d := testDesigns()["grid"]
	rn := testRunner(t.TempDir(), Shard{0, 2}, 3)
	var calls, last, total int
	rn.Progress = func(done, n int) { calls++; last, total = done, n }
	if err := rn.Execute(context.Background(), d, false); err != nil {
		t.Fatal(err)
	}
	if calls != 7 || last != 6 || total != 6 {
		t.Errorf("progress: %d calls, last %d/%d; want 7 calls ending 6/6", calls, last, total)
	}
}
