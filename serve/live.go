package serve

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/sim"
)

// chartMetric is one metric the page draws: per point, its median over the
// live replicates and, when band is set, the 10% and 90% quantiles.
type chartMetric struct {
	m    sim.Metric
	band bool
}

// chartMetrics are the metrics sent to the page, in the order of each
// point's values.
var chartMetrics = []chartMetric{
	{sim.RestraintCompliant, true},
	{sim.RestraintRate, false},
	{sim.BeliefRestraintMean, true},
	{sim.BeliefRestraintSD, true},
	{sim.BeliefResponseMean, false},
	{sim.ExpectationGap, false},
	{sim.Detections, false},
	{sim.Reported, false},
	{sim.TrueAccusations, true},
	{sim.FalseAccusations, true},
	{sim.PublicAccusations, false},
	{sim.PrivateAccusations, false},
	{sim.Cosigned, false},
	{sim.Denied, false},
	{sim.Misrepresentations, false},
	{sim.Responses, false},
	{sim.Spirals, false},
	{sim.Adoption, true},
	{sim.AdoptionPower, false},
	{sim.Stringency, false},
	{sim.LegitimacyMean, false},
	{sim.CredibilityMean, false},
	{sim.ForensicsMean, false},
	{sim.BoldnessMean, true},
	{sim.VengefulnessMean, true},
	{sim.RestraintLow, false},
	{sim.RestraintMid, false},
	{sim.RestraintHigh, false},
	{sim.AdoptionLow, false},
	{sim.AdoptionMid, false},
	{sim.AdoptionHigh, false},
}

// markerMetrics are sent after the chart metrics: per point, the share of
// live replicates in which the marker was set at a step of the point.
var markerMetrics = []sim.Metric{sim.ForumMarker, sim.ForumFailed, sim.EventMarker}

// maxPoints bounds the points of a run: longer runs are averaged over
// strides of steps.
const maxPoints = 1000

// maxLog bounds the event log kept for a page that connects late.
const maxLog = 300

// point is one recorded point: its step and values, laid out as
// chartMetrics and markerMetrics say (NaN where nothing was measured).
type point struct {
	t    int
	vals []float64
}

// logEntry is one line of the event log: a forum, an event, a tipping
// point, the end of the run.
type logEntry struct {
	Seq  int    `json:"seq"`
	Step int    `json:"step"`
	Kind string `json:"kind"` // forum | failed | event | tipping | end | error
	Text string `json:"text"`
}

// latticeFrame is a packed snapshot of replicate 0's lattice: four sites a
// byte, site k in bits 2*(k%4) and up, base64-encoded.
type latticeFrame struct {
	T      int    `json:"t"`
	Width  int    `json:"w"`
	Height int    `json:"h"`
	Cells  string `json:"cells"`
}

// liveRun is the worlds of one setup of a session and what the page has
// been shown of them. It is not safe for concurrent use: the session's
// mutex guards it.
type liveRun struct {
	cfg    sim.Config
	worlds []*sim.World
	t      int
	stride int
	next   int // the next event of cfg.Events

	// The current stride: per replicate, the sums and counts of each chart
	// metric and the markers seen.
	sum    [][]float64
	cnt    [][]int
	mark   [][]bool
	inStep int

	points  []point
	log     []logEntry
	seq     int
	tipped  bool
	lattice *latticeFrame
	latVer  int
	latAt   time.Time

	// The last convergence window of each replicate: practice and belief,
	// for the outcome.
	practice, belief []ring

	done    bool
	err     string
	outcome string

	scratch []float64
}

// newLiveRun sets up reps worlds of cfg, replicate r drawing from
// PCG(seed, r), and records step 0.
func newLiveRun(cfg sim.Config, reps int) (*liveRun, error) {
	l := &liveRun{cfg: cfg, stride: max(1, (cfg.Run.Steps+maxPoints-1)/maxPoints)}
	for r := range reps {
		w, err := sim.New(cfg, rand.NewPCG(cfg.Run.Seed, uint64(r)))
		if err != nil {
			return nil, err
		}
		l.worlds = append(l.worlds, w)
	}
	nc := len(chartMetrics)
	l.sum, l.cnt, l.mark = make([][]float64, reps), make([][]int, reps), make([][]bool, reps)
	l.practice, l.belief = make([]ring, reps), make([]ring, reps)
	win := max(1, min(cfg.Convergence.Window, cfg.Run.Steps))
	for r := range reps {
		l.sum[r], l.cnt[r], l.mark[r] = make([]float64, nc), make([]int, nc), make([]bool, len(markerMetrics))
		l.practice[r].init(win)
		l.belief[r].init(win)
	}
	l.scratch = make([]float64, 0, reps)
	for r, w := range l.worlds {
		row := w.Row()
		l.add(r, &row)
	}
	l.flush(0)
	l.snapshot(time.Now(), true)
	return l, nil
}

// reps returns the number of live replicates.
func (l *liveRun) reps() int { return len(l.worlds) }

// ring is the mean of the last n values added to it.
type ring struct {
	buf  []float64
	i, n int
}

func (g *ring) init(n int) { g.buf = make([]float64, n) }

func (g *ring) add(x float64) {
	g.buf[g.i] = x
	g.i = (g.i + 1) % len(g.buf)
	g.n = min(g.n+1, len(g.buf))
}

func (g *ring) mean() float64 {
	if g.n == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range g.buf[:g.n] {
		s += x
	}
	return s / float64(g.n)
}

// parallelWork is the number of state updates per step from which the
// replicates are stepped in parallel.
const parallelWork = 50_000

// step advances every world by one step, applying the events of that step
// first, as sim.Run does.
func (l *liveRun) step() {
	if l.done || l.err != "" {
		return
	}
	t := l.t + 1
	var fired []string
	for l.next < len(l.cfg.Events) && l.cfg.Events[l.next].Step == t {
		ev := l.cfg.Events[l.next]
		for _, w := range l.worlds {
			if err := w.Apply(ev); err != nil {
				l.fail(t, err.Error())
				return
			}
		}
		fired = append(fired, describeEvent(ev))
		l.next++
	}
	work := len(l.worlds) * l.worlds[0].AgentSteps()
	if procs := runtime.GOMAXPROCS(0); procs > 1 && len(l.worlds) > 1 && work >= parallelWork {
		var wg sync.WaitGroup
		for r := range l.worlds {
			wg.Go(l.worlds[r].Step)
		}
		wg.Wait()
	} else {
		for _, w := range l.worlds {
			w.Step()
		}
	}
	l.t = t
	forums, failed, adopted := 0, 0, 0
	for r, w := range l.worlds {
		row := w.Row()
		if fired != nil {
			row[sim.EventMarker] = 1
		}
		for m := range sim.NumMetrics {
			if x := row[m]; math.IsInf(x, 0) || math.IsNaN(x) && !m.MayBeEmpty() {
				l.fail(t, fmt.Sprintf("replicate %d: %s = %g: the arithmetic overflowed (a parameter too large for this world?)", r, m, x))
				return
			}
		}
		l.add(r, &row)
		if row[sim.ForumMarker] == 1 {
			forums++
		}
		if row[sim.ForumFailed] == 1 {
			failed++
		}
		if row[sim.Adoption] >= 0.5 {
			adopted++
		}
	}
	n := len(l.worlds)
	for _, f := range fired {
		l.logf(t, "event", "event %s", f)
	}
	if forums > 0 {
		switch {
		case failed == 0:
			l.logf(t, "forum", "forum met and agreed a text%s", inReps(forums, n))
		case failed == forums:
			l.logf(t, "failed", "forum met and failed to agree a text%s", inReps(forums, n))
		default:
			l.logf(t, "forum", "forum met: agreed a text in %d, failed in %d of %d replicates", forums-failed, failed, n)
		}
	}
	if !l.tipped && 2*adopted >= n && adopted > 0 {
		l.tipped = true
		l.logf(t, "tipping", "half the states have adopted the norm%s (tipping point)", inReps(adopted, n))
	}
	if t%l.stride == 0 || t == l.cfg.Run.Steps {
		l.flush(t)
	}
	if t == l.cfg.Run.Steps {
		l.finish()
	}
}

// inReps says in how many of n replicates something happened, or nothing
// when it happened in all of them or there is only one.
func inReps(k, n int) string {
	if k == n {
		if n == 1 {
			return ""
		}
		return " (in every replicate)"
	}
	return fmt.Sprintf(" in %d of %d replicates", k, n)
}

// describeEvent writes an event as "label" (key = value, ...).
func describeEvent(ev sim.Event) string {
	parts := make([]string, len(ev.Set))
	for i, a := range ev.Set {
		parts[i] = a.Key + " = " + strconv.FormatFloat(a.Value, 'g', -1, 64)
	}
	return fmt.Sprintf("%q: %s", ev.Label, strings.Join(parts, ", "))
}

// add adds replicate r's row to the current stride.
func (l *liveRun) add(r int, row *sim.Row) {
	for i, c := range chartMetrics {
		if x := row[c.m]; !math.IsNaN(x) {
			l.sum[r][i] += x
			l.cnt[r][i]++
		}
	}
	for i, m := range markerMetrics {
		if row[m] == 1 {
			l.mark[r][i] = true
		}
	}
	if p := row[sim.RestraintCompliant]; !math.IsNaN(p) && l.t > 0 {
		l.practice[r].add(p)
		l.belief[r].add(row[sim.BeliefRestraintMean])
	}
	if r == 0 {
		l.inStep++
	}
}

// flush ends the current stride with a point at step t.
func (l *liveRun) flush(t int) {
	if l.inStep == 0 {
		return
	}
	var vals []float64
	for i, c := range chartMetrics {
		xs := l.scratch[:0]
		for r := range l.worlds {
			if l.cnt[r][i] > 0 {
				xs = append(xs, l.sum[r][i]/float64(l.cnt[r][i]))
			}
			l.sum[r][i], l.cnt[r][i] = 0, 0
		}
		slices.Sort(xs)
		vals = append(vals, stats.Quantile(xs, 0.5))
		if c.band {
			vals = append(vals, stats.Quantile(xs, 0.1), stats.Quantile(xs, 0.9))
		}
	}
	for i := range markerMetrics {
		k := 0
		for r := range l.worlds {
			if l.mark[r][i] {
				k++
			}
			l.mark[r][i] = false
		}
		vals = append(vals, float64(k)/float64(len(l.worlds)))
	}
	l.points = append(l.points, point{t: t, vals: vals})
	l.inStep = 0
}

// finish ends the run: the outcome of each live replicate, named as
// `normsim run` names it.
func (l *liveRun) finish() {
	l.done = true
	counts := map[sim.Outcome]int{}
	axelrod := sim.Kernel(&l.cfg) == "axelrod"
	for r, w := range l.worlds {
		var o sim.Outcome
		if axelrod {
			row := w.Row()
			o = sim.AxelrodRegion(row[sim.BoldnessMean], row[sim.VengefulnessMean])
		} else {
			o = sim.Classify(l.cfg.Convergence, l.practice[r].mean(), l.belief[r].mean())
		}
		counts[o]++
	}
	var parts []string
	for _, name := range sim.OutcomeNames() {
		o, _ := sim.ParseOutcome(name)
		if k := counts[o]; k > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", name, k))
		}
	}
	l.outcome = fmt.Sprintf("%s (of %d live replicates)", strings.Join(parts, ", "), len(l.worlds))
	l.logf(l.t, "end", "end of the run: %s", l.outcome)
	l.snapshot(time.Now(), true)
}

// fail stops the run with an error at step t.
func (l *liveRun) fail(t int, msg string) {
	l.err = fmt.Sprintf("step %d: %s", t, msg)
	l.logf(t, "error", "stopped: %s", msg)
}

func (l *liveRun) logf(t int, kind, format string, args ...any) {
	l.seq++
	l.log = append(l.log, logEntry{Seq: l.seq, Step: t, Kind: kind, Text: fmt.Sprintf(format, args...)})
	if len(l.log) > maxLog {
		l.log = slices.Delete(l.log, 0, len(l.log)-maxLog)
	}
}

// snapshot takes a packed snapshot of replicate 0's lattice when it is due
// (ten times a second, every 0.4 s for lattices over 250,000 sites) or
// when force is set.
func (l *liveRun) snapshot(now time.Time, force bool) {
	if len(l.worlds) == 0 || l.lattice != nil && l.lattice.T == l.t {
		return
	}
	every := 100 * time.Millisecond
	if t := &l.cfg.Topology; t.Width*t.Height > 250_000 {
		every = 400 * time.Millisecond
	}
	if !force && now.Sub(l.latAt) < every {
		return
	}
	s, ok := l.worlds[0].Lattice()
	if !ok {
		return
	}
	packed := make([]byte, (len(s.Cells)+3)/4)
	for k, c := range s.Cells {
		packed[k/4] |= (c & 3) << (2 * (k % 4))
	}
	l.lattice = &latticeFrame{T: l.t, Width: s.Width, Height: s.Height, Cells: base64.StdEncoding.EncodeToString(packed)}
	l.latVer++
	l.latAt = now
}

// appendPoint appends p to b as a JSON array: [t, values...], each value
// with four significant digits, null for NaN.
func appendPoint(b []byte, p point) []byte {
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(p.t), 10)
	for _, x := range p.vals {
		b = append(b, ',')
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b = append(b, "null"...)
			continue
		}
		b = strconv.AppendFloat(b, x, 'g', 4, 64)
	}
	return append(b, ']')
}
