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
//   - Slurm job arrays: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, and
//     SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_STEP when set, so that
//     --array=1-8 and --array=0-14:2 both give shards 0..n-1.
//   - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX (0-based), with the
//     number of shards from count (the Job's completions, passed on the
//     command line: Kubernetes does not export it).
//
// count > 0 also overrides SLURM_ARRAY_TASK_COUNT.
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
	if getenv("SLURM_ARRAY_TASK_ID") != "" {
		id, err := num("SLURM_ARRAY_TASK_ID", 0)
		if err != nil {
			return Shard{}, "", true, err
		}
		lo, err := num("SLURM_ARRAY_TASK_MIN", 0)
		if err != nil {
			return Shard{}, "", true, err
		}
		step, err := num("SLURM_ARRAY_TASK_STEP", 1)
		if err != nil {
			return Shard{}, "", true, err
		}
		n, err := num("SLURM_ARRAY_TASK_COUNT", 0)
		if err != nil {
			return Shard{}, "", true, err
		}
		if count > 0 {
			n = count
		}
		if n < 1 {
			return Shard{}, "", true, fmt.Errorf("sweep: SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT; give the number of shards")
		}
		if step < 1 || (id-lo)%step != 0 {
			return Shard{}, "", true, fmt.Errorf("sweep: SLURM_ARRAY_TASK_ID = %d is not on the array's range (min %d, step %d)", id, lo, step)
		}
		s = Shard{Index: (id - lo) / step, Count: n}
		src := fmt.Sprintf("SLURM_ARRAY_TASK_ID=%d", id)
		if err := s.Validate(); err != nil {
			return Shard{}, src, true, err
		}
		return s.norm(), src, true, nil
	}
	if getenv("JOB_COMPLETION_INDEX") != "" {
		id, err := num("JOB_COMPLETION_INDEX", 0)
		if err != nil {
			return Shard{}, "", true, err
		}
		if count < 1 {
			return Shard{}, "", true, fmt.Errorf("sweep: JOB_COMPLETION_INDEX = %d is set but the number of shards is not; give the Job's completions", id)
		}
		s = Shard{Index: id, Count: count}
		src := fmt.Sprintf("JOB_COMPLETION_INDEX=%d", id)
		if err := s.Validate(); err != nil {
			return Shard{}, src, true, err
		}
		return s.norm(), src, true, nil
	}
	return Shard{}, "", false, nil
}
