package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// withEnv makes the scheduler variables those of m until the test ends.
func withEnv(t *testing.T, m map[string]string) {
	t.Helper()
	old := getenv
	getenv = func(k string) string { return m[k] }
	t.Cleanup(func() { getenv = old })
}

// slurmTask is the environment of task id of a Slurm job array
// --array=lo-hi:step.
func slurmTask(id, lo, hi, step int) map[string]string {
	return map[string]string{
		"SLURM_ARRAY_JOB_ID":     "7",
		"SLURM_ARRAY_TASK_ID":    strconv.Itoa(id),
		"SLURM_ARRAY_TASK_MIN":   strconv.Itoa(lo),
		"SLURM_ARRAY_TASK_MAX":   strconv.Itoa(hi),
		"SLURM_ARRAY_TASK_STEP":  strconv.Itoa(step),
		"SLURM_ARRAY_TASK_COUNT": strconv.Itoa((hi-lo)/step + 1),
		"SLURM_CPUS_PER_TASK":    "2",
	}
}

// TestSweepShardFromSlurm runs the README's sbatch line (no --shard) as
// the tasks of a 1-based array (--array=1-3), of a stepped one
// (--array=1-7:2) and of one with more tasks than the 12 runs
// (--array=0-15, four empty shards): each merges into the unsharded sweep.
func TestSweepShardFromSlurm(t *testing.T) {
	file := writeScenario(t, "tiny", tinySweep)
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	mustRun(t, "sweep", file, "-o", ref, "--quiet")
	for _, a := range []struct{ lo, hi, step int }{{1, 3, 1}, {1, 7, 2}, {0, 15, 1}} {
		name := strconv.Itoa(a.lo) + "-" + strconv.Itoa(a.hi) + ":" + strconv.Itoa(a.step)
		var dirs []string
		for id := a.lo; id <= a.hi; id += a.step {
			withEnv(t, slurmTask(id, a.lo, a.hi, a.step))
			dir := filepath.Join(root, name, "shard-"+strconv.Itoa(id))
			out, _ := mustRun(t, "sweep", file, "-o", dir, "--workers", "2", "--resume")
			if !strings.Contains(out, "(from SLURM_ARRAY_TASK_ID="+strconv.Itoa(id)+")") {
				t.Errorf("--array=%s task %d does not name its shard's source:\n%s", name, id, out)
			}
			dirs = append(dirs, dir)
		}
		withEnv(t, nil)
		out := filepath.Join(root, name, "merged")
		mustRun(t, append(append([]string{"merge"}, dirs...), "-o", out)...)
		sameFiles(t, ref, out, "runs.csv", "points.csv", "sweep.json", "scenario.toml", "phase_established.png")
	}
	// An empty shard's directory holds a runs.csv of the header alone.
	b, err := os.ReadFile(filepath.Join(root, "0-15:1", "shard-15", "runs.csv"))
	if err != nil || strings.Count(string(b), "\n") != 1 {
		t.Errorf("shard 15 of 16 (of 12 runs): runs.csv %q, %v; want the header alone", b, err)
	}
}

// TestSweepOneTaskArray: 'sbatch --array=2 sweep.sbatch', resubmitting
// one task, is refused (exit 2) before anything is written, with the ways
// to rerun the task; --shard still works in such a job.
func TestSweepOneTaskArray(t *testing.T) {
	file := writeScenario(t, "tiny", tinySweep)
	dir := filepath.Join(t.TempDir(), "shard-2")
	withEnv(t, slurmTask(2, 2, 2, 1))
	_, errs, code := call(context.Background(), "sweep", file, "-o", dir, "--resume", "--quiet")
	if code != 2 || !strings.Contains(errs, "scontrol requeue") || !strings.Contains(errs, "--shard i/n --resume") {
		t.Errorf("one-task array: exit %d, want 2 and the ways to rerun the task:\n%s", code, errs)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("the refused sweep created %s", dir)
	}
	mustRun(t, "sweep", file, "-o", dir, "--shard", "2/4", "--resume", "--quiet")
}

// TestSweepOverOtherShard: a sweep without a shard (or of another shard)
// in a shard's directory is refused, with or without --resume, and the
// error names the shard to give; the directory is left as it was.
func TestSweepOverOtherShard(t *testing.T) {
	file := writeScenario(t, "tiny", tinySweep)
	dir := filepath.Join(t.TempDir(), "shard-1")
	mustRun(t, "sweep", file, "-o", dir, "--shard", "1/3", "--quiet")
	before, _ := os.ReadFile(filepath.Join(dir, ".journal"))
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--resume"}, nil, "runs the whole sweep"},
		{nil, nil, "runs the whole sweep"},
		{[]string{"--resume", "--shard", "2/3"}, nil, "runs shard 2/3"},
		{[]string{"--resume"}, slurmTask(2, 0, 2, 1), "runs shard 2/3 (from SLURM_ARRAY_TASK_ID=2)"},
		{[]string{"--resume", "--shard", "0/1"}, nil, "runs the whole sweep"},
	} {
		withEnv(t, c.env)
		_, errs, code := call(context.Background(), append([]string{"sweep", file, "-o", dir, "--quiet"}, c.args...)...)
		if code != 2 || !strings.Contains(errs, "holds shard 1/3") || !strings.Contains(errs, c.want) || !strings.Contains(errs, "give --shard 1/3 --resume") {
			t.Errorf("sweep %v (env %v) over shard 1/3: exit %d, want 2 and %q and the fix:\n%s", c.args, c.env, code, c.want, errs)
		}
	}
	withEnv(t, nil)
	if after, _ := os.ReadFile(filepath.Join(dir, ".journal")); string(after) != string(before) {
		t.Errorf("a refused sweep changed the shard's journal")
	}
	// The other way round: a shard into the whole sweep's directory.
	whole := filepath.Join(t.TempDir(), "whole")
	mustRun(t, "sweep", file, "-o", whole, "--quiet")
	if _, errs, code := call(context.Background(), "sweep", file, "-o", whole, "--shard", "0/2", "--resume", "--quiet"); code != 2 || !strings.Contains(errs, "holds the whole sweep") {
		t.Errorf("shard over the whole sweep: exit %d:\n%s", code, errs)
	}
	// The shard itself resumes, and --force starts over as asked.
	mustRun(t, "sweep", file, "-o", dir, "--shard", "1/3", "--resume", "--quiet")
	mustRun(t, "sweep", file, "-o", dir, "--force", "--quiet")
}

// TestSweepShardFromIndexedJob runs the README's Kubernetes line
// (--shards 8, no --shard) as each pod of an 8-completion Indexed Job
// would; without --shards the index alone is refused.
func TestSweepShardFromIndexedJob(t *testing.T) {
	file := writeScenario(t, "tiny", tinySweep)
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	mustRun(t, "sweep", file, "-o", ref, "--quiet")
	var dirs []string
	for i := range 8 {
		withEnv(t, map[string]string{"JOB_COMPLETION_INDEX": strconv.Itoa(i)})
		dir := filepath.Join(root, "shard-"+strconv.Itoa(i))
		mustRun(t, "sweep", file, "--shards", "8", "-o", dir, "--resume", "--quiet")
		dirs = append(dirs, dir)
	}
	withEnv(t, map[string]string{"JOB_COMPLETION_INDEX": "3"})
	if _, errs, code := call(context.Background(), "sweep", file, "-o", filepath.Join(root, "x"), "--quiet"); code != 2 || !strings.Contains(errs, "--shards N") {
		t.Errorf("JOB_COMPLETION_INDEX without --shards: exit %d:\n%s", code, errs)
	}
	if _, errs, code := call(context.Background(), "sweep", file, "--shards", "3", "-o", filepath.Join(root, "x"), "--quiet"); code != 2 || !strings.Contains(errs, "JOB_COMPLETION_INDEX = 3") {
		t.Errorf("JOB_COMPLETION_INDEX 3 of --shards 3: exit %d:\n%s", code, errs)
	}
	withEnv(t, nil)
	out := filepath.Join(root, "merged")
	mustRun(t, append(append([]string{"merge"}, dirs...), "-o", out)...)
	sameFiles(t, ref, out, "runs.csv", "points.csv", "sweep.json", "scenario.toml")
}
