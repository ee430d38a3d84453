package sweep

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Describe writes, for a dry run, what a sweep of d would run: the design,
// its points and runs, the share of shard s and, when perWave > 0 (the
// wall time of one wave of runs, as many at once as there are workers,
// measured or guessed by the caller), an estimate of the wall time.
func Describe(w io.Writer, d Design, s Shard, perWave time.Duration, workers int) error {
	d = d.Normalize()
	if err := d.Validate(); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	points, runs, err := d.Count()
	if err != nil {
		return err
	}
	var ps []string
	for _, p := range d.Params {
		if d.Kind == Grid {
			ps = append(ps, fmt.Sprintf("%s (%d values)", p.Key, len(p.Values)))
		} else {
			ps = append(ps, fmt.Sprintf("%s in [%v, %v]", p.Key, p.Min, p.Max))
		}
	}
	fmt.Fprintf(w, "%s design: %s x %s = %s\n", d.Kind, plural(points, "point", "points"), plural(d.Replicates, "replicate", "replicates"), plural(runs, "run", "runs"))
	if len(ps) > 0 {
		fmt.Fprintf(w, "parameters: %s\n", strings.Join(ps, ", "))
	}
	switch d.Kind {
	case Sobol:
		fmt.Fprintf(w, "sobol: %d base samples x (%d parameters + 2)\n", d.Samples, len(d.Params))
	case Morris:
		fmt.Fprintf(w, "morris: %d trajectories x (%d parameters + 1), %d levels\n", d.Samples, len(d.Params), d.Levels)
	}
	n := runs
	if !s.Whole() {
		n = s.Size(runs)
		fmt.Fprintf(w, "shard %s: %d runs\n", s, n)
	}
	if perWave > 0 {
		workers = max(1, workers)
		waves := (n + workers - 1) / workers
		est := time.Duration(waves) * perWave
		fmt.Fprintf(w, "estimated time: %s (%d waves of %s, %s at once)\n", est.Round(time.Millisecond), waves,
			perWave.Round(time.Microsecond), plural(workers, "run", "runs"))
	}
	return nil
}

// plural is "1 run", "2 runs": n with the word that fits it.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
