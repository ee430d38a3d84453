package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// RunOptions control how [Run] executes; the zero value runs every
// replicate on all cores.
type RunOptions struct {
	// Workers is the number of replicates run at once; <= 0 means
	// runtime.GOMAXPROCS(0). Run never runs more worlds at once than fit in
	// MemoryLimit ([Workers]). Results do not depend on it.
	Workers int
	// Only lists the replicate indices to run; nil runs 0..Replicates-1.
	Only []int
	// Done, if not nil, is called once per finished replicate, from one
	// goroutine at a time, in completion order (not index order).
	Done func(Replicate) error
	// Steps, if not nil, counts the steps taken by all replicates as they
	// go (updated every 64 steps), for progress bars within long
	// replicates.
	Steps *atomic.Int64
}

// Run runs every replicate of cfg and returns them in index order.
// Replicate r draws from PCG(cfg.Run.Seed, r), so a replicate's record does
// not depend on the number of workers or on which other replicates ran.
// When ctx is cancelled, Run stops starting replicates, lets the running
// ones stop at their next step, and returns the finished ones with Status
// Canceled and ctx's error.
func Run(ctx context.Context, cfg Config, opt RunOptions) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	idx := opt.Only
	if idx == nil {
		idx = make([]int, cfg.Run.Replicates)
		for i := range idx {
			idx[i] = i
		}
	}
	workers := min(Workers(&cfg, opt.Workers), max(1, len(idx))) // no more worlds than fit in memory

	start := time.Now()
	reps := make([]Replicate, len(idx))
	ok := make([]bool, len(idx))
	var (
		mu       sync.Mutex
		firstErr error
		agent    int64
	)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				rep, steps, err := runReplicate(ctx, cfg, idx[j], opt.Steps)
				mu.Lock()
				if err == nil && rep.Status == StepLimit {
					reps[j], ok[j] = rep, true
					agent = addSat(agent, steps)
					if opt.Done != nil {
						err = opt.Done(rep)
					}
				}
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for j := range idx {
		mu.Lock()
		stop := firstErr != nil
		mu.Unlock()
		if stop || ctx.Err() != nil {
			break
		}
		select {
		case jobs <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()

	res := &Result{Config: cfg, Events: cfg.Events, AgentSteps: agent, Wall: time.Since(start)}
	for j := range idx {
		if ok[j] {
			res.Replicates = append(res.Replicates, reps[j])
		}
	}
	if firstErr != nil {
		return res, firstErr
	}
	if len(res.Replicates) < len(idx) {
		res.Status = Canceled
		if err := ctx.Err(); err != nil {
			return res, err
		}
		return res, context.Canceled
	}
	return res, nil
}

// snapshotSteps are the steps at which replicate 0 of a lattice world keeps
// a snapshot of its sites (besides its last step), for the Nowak-May
// style figures.
var snapshotSteps = []int{0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}

// RunReplicate runs replicate rep of cfg (which must be valid: see
// [Config.Validate]) and returns its record and the number of state
// updates it cost. It stops soon after ctx is cancelled: within a step
// (the cyber and axelrod kernels poll a flag per state; the game kernels
// finish theirs) or while the world is built; a cancelled replicate has
// Status Canceled. A panic (a bug) is returned as
// an *InternalError.
func RunReplicate(ctx context.Context, cfg Config, rep int) (Replicate, int64, error) {
	return runReplicate(ctx, cfg, rep, nil)
}

// runReplicate is RunReplicate that also adds its progress to counter
// (when not nil) every 64 steps. A panic is returned as an
// *InternalError.
func runReplicate(ctx context.Context, cfg Config, rep int, counter *atomic.Int64) (_ Replicate, _ int64, err error) {
	defer func() {
		if ierr := Recovered(recover()); ierr != nil {
			err = ierr // a bug: reported as an internal error, not a crash
		}
	}()
	var stop atomic.Bool
	defer context.AfterFunc(ctx, func() { stop.Store(true) })()
	w, err := newWorld(cfg, rand.NewPCG(cfg.Run.Seed, uint64(rep)), &stop)
	if errors.Is(err, errStopped) {
		return Replicate{Index: rep, Seed: cfg.Run.Seed, Status: Canceled}, 0, nil
	}
	if err != nil {
		return Replicate{}, 0, err
	}
	steps := cfg.Run.Steps
	rec := newRecorder(&cfg, rep, w)
	if err := rec.observe(0, w); err != nil {
		return rec.r, 0, err
	}
	ev := 0
	counted := 0
	for t := 1; t <= steps; t++ {
		if counter != nil && t&63 == 0 {
			counter.Add(int64(t - counted))
			counted = t
		}
		fired := false
		for ev < len(cfg.Events) && cfg.Events[ev].Step == t {
			if err := w.apply(cfg.Events[ev]); err != nil {
				return rec.r, 0, err
			}
			ev++
			fired = true
		}
		w.Step()
		if stop.Load() { // the step may be incomplete
			rec.r.Status = Canceled
			return rec.r, mulSat(int64(t-1), int64(w.AgentSteps())), nil
		}
		if fired {
			w.row[EventMarker] = 1
		}
		if err := rec.observe(t, w); err != nil {
			return rec.r, 0, err
		}
	}
	if counter != nil {
		counter.Add(int64(steps - counted))
	}
	rec.r.finish(w, rec.conv, &rec.ws)
	return rec.r, mulSat(int64(steps), int64(w.AgentSteps())), nil
}

// recorder keeps a replicate's record as its world steps: the rows every
// run.record_every steps (and the last), convergence, the window means,
// the tipping step, and the lattice snapshots of replicate 0.
type recorder struct {
	r            Replicate
	conv         *convergence
	ws           windows
	steps, every int
	lattice      bool // replicate 0 of a lattice world: keep snapshots
}

func newRecorder(cfg *Config, rep int, w *World) *recorder {
	every := max(1, cfg.Run.RecordEvery)
	n := cfg.Run.Steps/every + 2
	rec := &recorder{
		r:     Replicate{Index: rep, Seed: cfg.Run.Seed, Steps: make([]int, 0, n), Rows: make([]Row, 0, n), Tipping: -1},
		conv:  newConvergence(cfg.Convergence),
		steps: cfg.Run.Steps, every: every,
	}
	rec.ws.init(cfg.Convergence.Window)
	_, isLattice := w.k.(latticer)
	rec.lattice = isLattice && rep == 0
	return rec
}

// observe takes in the world's row after step t (t = 0: the start). It
// refuses a row whose arithmetic went wrong.
func (rec *recorder) observe(t int, w *World) error {
	r := &rec.r
	if t > 0 {
		if err := w.row.check(t); err != nil {
			return err
		}
	}
	rec.conv.add(t, &w.row)
	if t > 0 {
		rec.ws.add(t, rec.steps, &w.row)
		if r.Tipping < 0 && w.row[Adoption] >= 0.5 {
			r.Tipping = t
		}
	}
	if t == 0 || t%rec.every == 0 || t == rec.steps {
		r.Steps = append(r.Steps, t)
		r.Rows = append(r.Rows, w.row)
	}
	if rec.lattice && (t == rec.steps || slices.Contains(snapshotSteps, t)) {
		if s, ok := w.Lattice(); ok {
			r.Lattice = append(r.Lattice, s)
		}
	}
	return nil
}

// windows are the means over the last convergence window that a
// replicate ends with: the practice and the belief (over the steps with
// a practice to measure), and every metric (over the last steps).
type windows struct {
	practice, belief windowMean
	tail             [NumMetrics]windowMean
}

func (ws *windows) init(window int) {
	ws.practice.init(window)
	ws.belief.init(window)
	for m := range ws.tail {
		ws.tail[m].init(window)
	}
}

// add adds step t's row (of steps).
func (ws *windows) add(t, steps int, row *Row) {
	if p := row[RestraintCompliant]; !math.IsNaN(p) {
		ws.practice.add(p)
		ws.belief.add(row[BeliefRestraintMean])
	}
	if t > steps-len(ws.tail[0].buf) {
		for m, x := range row {
			if !math.IsNaN(x) {
				ws.tail[m].add(x)
			}
		}
	}
}

// finish sets what a replicate ends with: its convergence, final row,
// means over the last window, and its outcome.
func (r *Replicate) finish(w *World, conv *convergence, ws *windows) {
	r.Converged = conv.step()
	r.ConvergedEnd, r.NotConverged = conv.end()
	r.Final = w.row
	r.FinalRestraint = ws.practice.mean()
	r.FinalBelief = ws.belief.mean()
	for m := range ws.tail {
		r.Window[m] = ws.tail[m].mean()
	}
	if o, ok := w.k.(outcomer); ok {
		r.Outcome = o.outcome(&r.Final, r.FinalRestraint)
	} else {
		r.Outcome = Classify(w.cfg.Convergence, r.FinalRestraint, r.FinalBelief)
	}
}

// addSat returns a+b for a, b >= 0, or math.MaxInt64 when it overflows.
func addSat(a, b int64) int64 {
	if b > math.MaxInt64-a {
		return math.MaxInt64
	}
	return a + b
}

// mulSat returns a*b for a, b >= 0, or math.MaxInt64 when it overflows.
func mulSat(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

// check refuses a row with a NaN or an infinity where a number is due
// (see [Metric.MayBeEmpty]): the arithmetic went wrong, and a record that
// hides it would mislead.
func (row *Row) check(t int) error {
	for m := range NumMetrics {
		x := row[m]
		if math.IsInf(x, 0) || math.IsNaN(x) && !m.MayBeEmpty() {
			return fmt.Errorf("sim: step %d: %s = %g: the arithmetic overflowed (a parameter too large for this world?)", t, m, x)
		}
	}
	return nil
}

// windowMean averages the last window values added to it (NaN before the
// first).
type windowMean struct {
	buf  []float64
	n, i int
	sum  float64
}

func (r *windowMean) init(window int) { r.buf = make([]float64, max(1, window)) }

func (r *windowMean) add(x float64) {
	if r.n == len(r.buf) {
		r.sum -= r.buf[r.i]
	} else {
		r.n++
	}
	r.buf[r.i] = x
	r.sum += x
	r.i = (r.i + 1) % len(r.buf)
}

// mean is the running sum's mean, kept within the values' range: the
// sum drifts by rounding as values enter and leave, and a window of zeros
// must not average -1e-17 (a practice of -0.000).
func (r *windowMean) mean() float64 {
	if r.n == 0 {
		return math.NaN()
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range r.buf[:r.n] {
		lo, hi = min(lo, x), max(hi, x)
	}
	return min(max(r.sum/float64(r.n), lo), hi)
}

// String describes a replicate briefly, for logs and tests.
func (r Replicate) String() string {
	return fmt.Sprintf("replicate %d: %s, converged at %d", r.Index, r.Outcome, r.Converged)
}
