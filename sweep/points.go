package sweep

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/normsim/normsim/sim"
)

// EngineMetrics are the columns of runs.csv after the outcome when the
// engine runs the sweep ([Points.Do]): every metric's mean over the last
// window, then the final restraint and belief.
var EngineMetrics = append(append([]string{}, sim.MetricNames[:]...), "final_restraint", "final_belief")

// Points turns design points into engine configurations: a base
// configuration with the point's numbers set (typed, through
// sim.Config.SetNumber), validated once. It keeps the configurations of a
// few recent points, since the runs of a point come one after another,
// and its Do is the Runner's Do for the engine.
type Points struct {
	cfg     sim.Config
	keys    []string
	integer []bool // round sampled values of integer keys

	mu    sync.Mutex
	cache map[int]sim.Config
	fit   int // worlds of the largest point that fit in memory at once (set by Check)
}

// pointCacheSize bounds the configurations kept.
const pointCacheSize = 256

// NewPoints returns the points of design d over the base configuration
// cfg. A sampling design (lhs, sobol, morris) rounds the values of an
// integer key (world.states).
func NewPoints(cfg sim.Config, d Design) *Points {
	pc := &Points{cfg: cfg, cache: map[int]sim.Config{}, fit: math.MaxInt32}
	for _, p := range d.Params {
		_, integer := sim.NumberKey(p.Key)
		pc.keys = append(pc.keys, p.Key)
		pc.integer = append(pc.integer, d.Kind != Grid && integer)
	}
	return pc
}

// Assignments returns a point's "key=value" settings, for messages.
func (pc *Points) Assignments(values []float64) []string {
	out := make([]string, len(pc.keys))
	for i, k := range pc.keys {
		out[i] = k + "=" + strconv.FormatFloat(pc.value(i, values), 'g', -1, 64)
	}
	return out
}

// value is the value of the i-th key at a point: rounded for integer keys
// that a sampling design varies.
func (pc *Points) value(i int, values []float64) float64 {
	if pc.integer[i] {
		return math.Round(values[i])
	}
	return values[i]
}

// build returns point p's configuration, validated.
func (pc *Points) build(p int, values []float64) (sim.Config, error) {
	cfg := pc.cfg.Clone()
	var err error
	for i, k := range pc.keys {
		v := pc.value(i, values)
		if k == "run.steps" {
			// A point that ends before an event skips it, as --steps does.
			cfg.DropEventsAfter(int(v))
		}
		if err = cfg.SetNumber(k, v); err != nil {
			break
		}
	}
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		return sim.Config{}, fmt.Errorf("design point %d (%s) is invalid:\n  %s", p, strings.Join(pc.Assignments(values), ", "),
			strings.ReplaceAll(err.Error(), "\n", "\n  "))
	}
	return cfg, nil
}

// Check validates every design point, on every core; it reports the
// first bad one and how many there are. It also finds how many worlds of
// the largest point fit in memory at once: see [Points.Fit].
func (pc *Points) Check(points [][]float64) error {
	errs := make([]error, len(points))
	fits := make([]int, len(points))
	var wg sync.WaitGroup
	n := max(1, min(runtime.GOMAXPROCS(0), len(points)))
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := w; p < len(points); p += n {
				errs[p] = pc.checkPoint(p, points[p], &fits[p])
			}
		}()
	}
	wg.Wait()
	pc.fit = math.MaxInt32
	for _, f := range fits {
		pc.fit = max(1, min(pc.fit, f))
	}
	var first error
	bad := 0
	for _, err := range errs {
		if err != nil {
			if first == nil {
				first = err
			}
			bad++
		}
	}
	if bad > 1 {
		return fmt.Errorf("%w\n(%d of %d design points are invalid)", first, bad, len(points))
	}
	return first
}

// Fit is the number of runs of the largest point that fit in memory at
// once (a sweep's run keeps only its last row), as [Points.Check] found.
func (pc *Points) Fit() int { return pc.fit }

// checkPoint builds point p's configuration and returns its problems; a
// bug (a panic) is returned as an internal error, not a crash. It sets
// fit to the number of worlds of the point that fit in memory at once.
func (pc *Points) checkPoint(p int, values []float64, fit *int) (err error) {
	defer func() {
		if ierr := sim.Recovered(recover()); ierr != nil {
			err = ierr
		}
	}()
	cfg, err := pc.build(p, values)
	cfg.Run.Replicates, cfg.Run.RecordEvery = 1, max(cfg.Run.Steps, 1)
	*fit = sim.MaxWorkers(&cfg)
	return err
}

// Config returns point p's configuration, from the cache when it can.
func (pc *Points) Config(p int, values []float64) (sim.Config, error) {
	pc.mu.Lock()
	cfg, ok := pc.cache[p]
	pc.mu.Unlock()
	if ok {
		return cfg, nil
	}
	cfg, err := pc.build(p, values)
	if err != nil {
		return cfg, err
	}
	pc.mu.Lock()
	if len(pc.cache) >= pointCacheSize {
		// Runs go in index order, so the lowest point is the one least
		// likely to be needed again.
		low := p
		for q := range pc.cache {
			low = min(low, q)
		}
		delete(pc.cache, low)
	}
	pc.cache[p] = cfg
	pc.mu.Unlock()
	return cfg, nil
}

// Do executes one run of the sweep: replicate r.Replicate of the point's
// configuration under the run's seed, exactly as 'normsim run' with that
// seed runs that replicate. Its Final values are [EngineMetrics].
func (pc *Points) Do(ctx context.Context, r Run) (Result, error) {
	cfg, err := pc.Config(r.Point, r.Values)
	if err != nil {
		return Result{}, err
	}
	cfg.Run.Seed = r.Seed
	// Only the final row is kept: recording fewer steps changes no
	// result (convergence and the outcome are computed on every step).
	cfg.Run.RecordEvery = cfg.Run.Steps
	rep, _, err := sim.RunReplicate(ctx, cfg, r.Replicate)
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if rep.Status == sim.Canceled {
		return Result{}, context.Canceled
	}
	final := make([]float64, len(EngineMetrics))
	copy(final, rep.Window[:])
	final[len(final)-2], final[len(final)-1] = rep.FinalRestraint, rep.FinalBelief
	return Result{Outcome: rep.Outcome.String(), Converged: rep.Converged, Final: final}, nil
}
