package sweep

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// slurmEnv is the environment Slurm gives task id of --array=lo-hi:step
// (every variable that a batch task of a job array gets).
func slurmEnv(id, lo, hi, step int) map[string]string {
	n := (hi-lo)/step + 1
	return map[string]string{
		"SLURM_ARRAY_JOB_ID":     "41",
		"SLURM_ARRAY_TASK_ID":    itoa(id),
		"SLURM_ARRAY_TASK_MIN":   itoa(lo),
		"SLURM_ARRAY_TASK_MAX":   itoa(hi),
		"SLURM_ARRAY_TASK_STEP":  itoa(step),
		"SLURM_ARRAY_TASK_COUNT": itoa(n),
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func getenvOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestShardFromSlurmArrays maps every task of the arrays of the README
// (--array=0-3), a 1-based one (--array=1-3) and a stepped one
// (--array=1-5:2) to shards: each array gives shards 0..n-1, each once.
func TestShardFromSlurmArrays(t *testing.T) {
	for _, a := range []struct{ lo, hi, step int }{{0, 3, 1}, {1, 3, 1}, {1, 5, 2}, {0, 30, 2}, {7, 7 + 3*4, 4}} {
		n := (a.hi-a.lo)/a.step + 1
		seen := map[int]bool{}
		for id := a.lo; id <= a.hi; id += a.step {
			s, src, ok, err := ShardFromEnv(getenvOf(slurmEnv(id, a.lo, a.hi, a.step)), 0)
			if err != nil || !ok || s.Count != n || s.Index < 0 || s.Index >= n || seen[s.Index] {
				t.Fatalf("--array=%d-%d:%d task %d: shard %v, ok %v, err %v (seen %v)", a.lo, a.hi, a.step, id, s, ok, err, seen)
			}
			if want := "SLURM_ARRAY_TASK_ID=" + itoa(id); src != want {
				t.Errorf("source %q, want %q", src, want)
			}
			seen[s.Index] = true
		}
		if len(seen) != n {
			t.Errorf("--array=%d-%d:%d gives %d shards, want %d", a.lo, a.hi, a.step, len(seen), n)
		}
	}
	// Without SLURM_ARRAY_TASK_MAX (older Slurm), the same mapping.
	e := slurmEnv(5, 1, 5, 2)
	delete(e, "SLURM_ARRAY_TASK_MAX")
	if s, _, _, err := ShardFromEnv(getenvOf(e), 0); err != nil || s != (Shard{2, 3}) {
		t.Errorf("task 5 of --array=1-5:2 without MAX: %v, %v; want 2/3", s, err)
	}
}

// TestShardFromSlurmRefusals: the arrays that do not say which shard a
// task is are refused, each with an error that says what to do.
func TestShardFromSlurmRefusals(t *testing.T) {
	with := func(m map[string]string, kv ...string) map[string]string {
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	for _, c := range []struct {
		name string
		env  map[string]string
		want string
	}{
		// sbatch --array=2 sweep.sbatch: one task, no number of shards.
		{"one-task array", slurmEnv(2, 2, 2, 1), "scontrol requeue"},
		{"one-task array 0", slurmEnv(0, 0, 0, 1), "--shard 0/1"},
		// --array=0,3,7: COUNT 3, MAX 7.
		{"list", with(slurmEnv(3, 0, 2, 1), "SLURM_ARRAY_TASK_MAX", "7"), "not one range"},
		{"list, first task", with(slurmEnv(0, 0, 2, 1), "SLURM_ARRAY_TASK_MAX", "7"), "not one range"},
		{"off the step", slurmEnv(2, 1, 5, 2), "not on the array's range"},
		{"below min", with(slurmEnv(1, 1, 5, 2), "SLURM_ARRAY_TASK_ID", "0"), "not on the array's range"},
		{"no count", with(slurmEnv(1, 0, 3, 1), "SLURM_ARRAY_TASK_COUNT", ""), "SLURM_ARRAY_TASK_COUNT"},
		{"not a number", with(slurmEnv(1, 0, 3, 1), "SLURM_ARRAY_TASK_STEP", "two"), `SLURM_ARRAY_TASK_STEP = "two"`},
	} {
		s, _, ok, err := ShardFromEnv(getenvOf(c.env), 0)
		if !ok || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, ok %v, err %v; want an error containing %q", c.name, s, ok, err, c.want)
		}
	}
}

// TestShardFromSlurmWithShards: --shards N agrees with the array, or, for
// part of an array resubmitted (sbatch --array=2,5), makes the task ID
// the shard index.
func TestShardFromSlurmWithShards(t *testing.T) {
	for _, c := range []struct {
		env   map[string]string
		count int
		want  Shard
		err   string
	}{
		{slurmEnv(3, 1, 4, 1), 4, Shard{2, 4}, ""},   // the whole --array=1-4
		{slurmEnv(2, 2, 2, 1), 16, Shard{2, 16}, ""}, // --array=2 of 16
		{slurmEnv(5, 2, 5, 3), 16, Shard{5, 16}, ""}, // --array=2,5 of 16
		{slurmEnv(16, 16, 16, 1), 16, Shard{}, "number the array's tasks from 0"},
	} {
		s, _, _, err := ShardFromEnv(getenvOf(c.env), c.count)
		if s != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%v with --shards %d: %v, %v; want %v, %q", c.env, c.count, s, err, c.want, c.err)
		}
	}
}

// TestShardFromIndexedJob: a Kubernetes Indexed Job gives the index; the
// number of shards comes from --shards.
func TestShardFromIndexedJob(t *testing.T) {
	for _, c := range []struct {
		env   map[string]string
		count int
		want  Shard
		err   string
	}{
		{map[string]string{"JOB_COMPLETION_INDEX": "0"}, 8, Shard{0, 8}, ""},
		{map[string]string{"JOB_COMPLETION_INDEX": "7"}, 8, Shard{7, 8}, ""},
		{map[string]string{"JOB_COMPLETION_INDEX": "0"}, 1, Shard{}, ""},
		{map[string]string{"JOB_COMPLETION_INDEX": "8"}, 8, Shard{}, "--shards 8"},
		{map[string]string{"JOB_COMPLETION_INDEX": "3"}, 0, Shard{}, "--shards N"},
		{map[string]string{"JOB_COMPLETION_INDEX": "x"}, 8, Shard{}, "want an integer"},
		// Slurm's variables come first where both are set.
		{map[string]string{"JOB_COMPLETION_INDEX": "1", "SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0"}, 0, Shard{2, 4}, ""},
	} {
		s, _, ok, err := ShardFromEnv(getenvOf(c.env), c.count)
		if !ok || s != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%v with count %d: %v, %v, %v; want %v, %q", c.env, c.count, s, ok, err, c.want, c.err)
		}
	}
	if _, _, ok, err := ShardFromEnv(getenvOf(nil), 4); ok || err != nil {
		t.Errorf("no scheduler: ok %v, err %v", ok, err)
	}
}

// TestEmptyShard: with more shards than runs, a shard that has no run
// succeeds, with an empty journal and a runs.csv of just the header, and
// merges with the others into the sweep's outputs.
func TestEmptyShard(t *testing.T) {
	d := testDesigns()["grid"] // 12 runs
	_, runs, _ := d.Count()
	ref := t.TempDir()
	if err := testRunner(ref, Shard{}, 2).Execute(context.Background(), d, false); err != nil {
		t.Fatal(err)
	}
	n := runs + 4
	var dirs []string
	for i := range n {
		dir := filepath.Join(t.TempDir(), "shard")
		if err := testRunner(dir, Shard{i, n}, 1).Execute(context.Background(), d, true); err != nil {
			t.Fatalf("shard %d/%d: %v", i, n, err)
		}
		dirs = append(dirs, dir)
	}
	empty := dirs[n-1]
	if b, err := os.ReadFile(filepath.Join(empty, JournalFile)); err != nil || len(b) != 0 {
		t.Errorf("empty shard's journal: %q, %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(empty, RunsFile)); err != nil || strings.Count(string(b), "\n") != 1 {
		t.Errorf("empty shard's runs.csv: %q, %v; want the header alone", b, err)
	}
	st, err := Status([]string{empty})
	if err != nil || st.Dirs[0].Total != 0 || !st.Dirs[0].Finished {
		t.Errorf("status of the empty shard: %+v, %v", st, err)
	}
	// Resuming the finished empty shard is a no-op that succeeds too.
	if err := testRunner(empty, Shard{n - 1, n}, 1).Execute(context.Background(), d, true); err != nil {
		t.Errorf("resuming the empty shard: %v", err)
	}
	out := filepath.Join(t.TempDir(), "merged")
	if err := Merge(dirs, out, false); err != nil {
		t.Fatal(err)
	}
	sameOutputs(t, "merged with empty shards", readOutputs(t, ref), readOutputs(t, out))
}
