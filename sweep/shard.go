package sweep

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is a deterministic slice of a sweep: the runs whose index i has
// i % Count == Index. Index is 0-based. The zero value (and any Count <= 1)
// is the whole sweep. Consecutive runs go to different shards, so every
// shard gets a fair share of every part of the design.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Whole reports whether s is the whole sweep.
func (s Shard) Whole() bool { return s.Count <= 1 }

// Has reports whether run index i belongs to s.
func (s Shard) Has(i int) bool { return s.Whole() || i%s.Count == s.Index }

// Size returns the number of the runs 0..total-1 that belong to s.
func (s Shard) Size(total int) int {
	if s.Whole() {
		return total
	}
	n := total / s.Count
	if s.Index < total%s.Count {
		n++
	}
	return n
}

// Select returns the runs that belong to s, in order.
func (s Shard) Select(runs []Run) []Run {
	if s.Whole() {
		return runs
	}
	var out []Run
	for _, r := range runs {
		if s.Has(r.Index) {
			out = append(out, r)
		}
	}
	return out
}

// String returns "i/n", or "all" for the whole sweep.
func (s Shard) String() string {
	if s.Whole() {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Validate checks 0 <= Index < Count (for a sharded sweep).
func (s Shard) Validate() error {
	if s.Count < 0 || (s.Count <= 1 && s.Index != 0) || (s.Count > 1 && (s.Index < 0 || s.Index >= s.Count)) {
		return fmt.Errorf("sweep: shard %d/%d, want 0 <= i < n (shards are numbered from 0)", s.Index, s.Count)
	}
	return nil
}

// norm returns s with the whole sweep written as the zero Shard.
func (s Shard) norm() Shard {
	if s.Whole() {
		return Shard{}
	}
	return s
}

// ParseShard parses "i/n", with 0 <= i < n (0-based).
func ParseShard(text string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(text), "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 {
		return Shard{}, fmt.Errorf("sweep: shard %q, want i/n with 0 <= i < n", text)
	}
	s := Shard{Index: i, Count: n}
	if err := s.Validate(); err != nil {
		return Shard{}, err
	}
	return s.norm(), nil
}

// ShardFromEnv returns the shard that a job scheduler assigns through the
// environment, read with getenv (os.Getenv in the command), and names the
// source; ok is false when no scheduler variable is set.
//
//   - Slurm job arrays: SLURM_ARRAY_TASK_ID is the task, and the array
//     (SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_STEP, SLURM_ARRAY_TASK_COUNT)
//     numbers the shards: task MIN+k*STEP is shard k of COUNT, so that
//     --array=0-15, --array=1-16 and --array=0-30:2 all give shards 0..15.
//     An array that is not one range (--array=0,3,7: SLURM_ARRAY_TASK_MAX
//     is not MIN+(COUNT-1)*STEP) is refused, and so is a one-task array
//     (sbatch --array=2, the usual way to resubmit one task of a bigger
//     array, where Slurm no longer tells the number of shards): give
//     --shard i/n, or requeue the task (scontrol requeue JOBID_TASK).
//   - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX (0-based), with the
//     number of shards from count (the Job's completions, passed on the
//     command line: Kubernetes does not export it).
//
// count > 0 also gives the number of shards of a Slurm array. When it
// differs from SLURM_ARRAY_TASK_COUNT (a part of the array resubmitted,
// such as --array=2,5 of 16 shards), the task ID itself is the shard
// index, so the tasks must be numbered from 0 as in --array=0-15.
func ShardFromEnv(getenv func(string) string, count int) (s Shard, source string, ok bool, err error) {
	num := func(name string, def int) (int, error) {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("sweep: %s = %q, want an integer", name, v)
		}
		return n, nil
	}
	if strings.TrimSpace(getenv("SLURM_ARRAY_TASK_ID")) != "" {
		return slurmShard(num, count)
	}
	if strings.TrimSpace(getenv("JOB_COMPLETION_INDEX")) != "" {
		id, err := num("JOB_COMPLETION_INDEX", 0)
		if err != nil {
			return Shard{}, "", true, err
		}
		src := fmt.Sprintf("JOB_COMPLETION_INDEX=%d", id)
		if count < 1 {
			return Shard{}, src, true, fmt.Errorf("sweep: JOB_COMPLETION_INDEX = %d is set but the number of shards is not; give the Job's completions with --shards N", id)
		}
		s = Shard{Index: id, Count: count}
		if err := s.Validate(); err != nil {
			return Shard{}, src, true, fmt.Errorf("%v: JOB_COMPLETION_INDEX = %d with --shards %d (give the Job's completions)", err, id, count)
		}
		return s.norm(), src, true, nil
	}
	return Shard{}, "", false, nil
}

// slurmShard is ShardFromEnv for a Slurm job array.
func slurmShard(num func(name string, def int) (int, error), count int) (Shard, string, bool, error) {
	var v [5]int
	for i, name := range []string{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MAX"} {
		def := []int{0, 0, 1, 0, -1}[i]
		n, err := num(name, def)
		if err != nil {
			return Shard{}, "", true, err
		}
		v[i] = n
	}
	id, lo, step, n, hi := v[0], v[1], v[2], v[3], v[4]
	src := fmt.Sprintf("SLURM_ARRAY_TASK_ID=%d", id)
	fail := func(format string, a ...any) (Shard, string, bool, error) {
		return Shard{}, src, true, fmt.Errorf("sweep: "+format, a...)
	}
	if count > 0 && count != n {
		// Part of the array resubmitted: the task ID is the shard.
		if id < 0 || id >= count {
			return fail("SLURM_ARRAY_TASK_ID = %d with --shards %d: want 0 <= task ID < %d (number the array's tasks from 0, as --array=0-%d does), or give --shard i/n", id, count, count, count-1)
		}
		return Shard{Index: id, Count: count}.norm(), src, true, nil
	}
	switch {
	case n < 1:
		return fail("SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT; give --shard i/n, or the number of shards with --shards N")
	case n == 1:
		return fail("this Slurm job array has one task (SLURM_ARRAY_TASK_ID = %d, SLURM_ARRAY_TASK_COUNT = 1), so it does not tell the number of shards: "+
			"to rerun one task of a bigger array, requeue it (scontrol requeue JOBID_%d) or give its shard (--shard i/n --resume, i counted from 0); "+
			"to run the whole sweep in one job, give --shard 0/1 or submit it without --array", id, id)
	case hi >= 0 && hi != lo+(n-1)*step:
		return fail("the Slurm job array is not one range (SLURM_ARRAY_TASK_MIN = %d, MAX = %d, STEP = %d, COUNT = %d): "+
			"submit the array as one range (--array=0-%d, or a stepped --array=A-B:S), or give --shard i/n", lo, hi, step, n, n-1)
	case step < 1 || id < lo || (id-lo)%step != 0 || (id-lo)/step >= n:
		return fail("SLURM_ARRAY_TASK_ID = %d is not on the array's range (min %d, step %d, %d tasks)", id, lo, step, n)
	}
	return Shard{Index: (id - lo) / step, Count: n}.norm(), src, true, nil
}
