package plots

import (
	"fmt"
	"math"
	"slices"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/sim"
)

// Band quantiles: every time-series chart shows the median over replicates
// and the band between these two quantiles.
const (
	bandLo = 0.1
	bandHi = 0.9
)

// maxPoints caps the points drawn per series. A chart is at most a few
// thousand pixels wide, so longer series are thinned (see [thin]).
const maxPoints = 1500

// band is a median line and a lo-hi band over replicates, per step. A
// step where no replicate has a value is NaN in Lo, Mid and Hi: a gap.
type band struct {
	X           []float64
	Lo, Mid, Hi []float64
}

// series is one metric of every replicate, checked: the recorded steps
// (shared by all replicates) and the values, Vals[replicate][i], NaN
// where the metric has nothing to measure.
type series struct {
	Name  string
	Steps []int
	Vals  [][]float64
}

// checkReplicates checks what every chart over time needs: at least one
// replicate, rows matching steps, and the same steps in every replicate
// (replicates of one run are thinned alike by Run.RecordEvery).
func checkReplicates(res *sim.Result) error {
	if res == nil {
		return fmt.Errorf("plots: no result")
	}
	if len(res.Replicates) == 0 {
		return fmt.Errorf("plots: result has no replicates")
	}
	r0 := &res.Replicates[0]
	for i := range res.Replicates {
		r := &res.Replicates[i]
		if len(r.Rows) == 0 {
			return fmt.Errorf("plots: replicate %d has no recorded steps", r.Index)
		}
		if len(r.Steps) != len(r.Rows) {
			return fmt.Errorf("plots: replicate %d has %d steps but %d rows", r.Index, len(r.Steps), len(r.Rows))
		}
		if i > 0 && !slices.Equal(r.Steps, r0.Steps) {
			return fmt.Errorf("plots: replicate %d records %d steps (%d..%d), replicate %d records %d (%d..%d); replicates of one run must share their steps",
				r.Index, len(r.Steps), r.Steps[0], r.Steps[len(r.Steps)-1],
				r0.Index, len(r0.Steps), r0.Steps[0], r0.Steps[len(r0.Steps)-1])
		}
	}
	for j := 1; j < len(r0.Steps); j++ {
		if r0.Steps[j] <= r0.Steps[j-1] {
			return fmt.Errorf("plots: recorded steps are not increasing: step %d follows step %d", r0.Steps[j], r0.Steps[j-1])
		}
	}
	return nil
}

// metricSeries extracts metric m of every replicate, scaled by scale. An
// infinite value is an error, and so is a NaN in a metric that always has
// a value ([sim.Metric.MayBeEmpty] false); both name the series, the
// replicate and the step. A NaN in a metric that may be empty (a rate
// with nothing to measure) is kept: it is drawn as a gap. res must have
// passed [checkReplicates].
func metricSeries(res *sim.Result, m sim.Metric, scale float64) (series, error) {
	s := series{Name: m.String(), Steps: res.Replicates[0].Steps, Vals: make([][]float64, len(res.Replicates))}
	for i := range res.Replicates {
		r := &res.Replicates[i]
		v := make([]float64, len(r.Rows))
		for j := range r.Rows {
			x := r.Rows[j][m]
			if math.IsInf(x, 0) || math.IsNaN(x) && !m.MayBeEmpty() {
				return series{}, fmt.Errorf("plots: series %s of replicate %d is %v at step %d", s.Name, r.Index, x, r.Steps[j])
			}
			v[j] = x * scale
		}
		s.Vals[i] = v
	}
	return s, nil
}

// bandOf computes, at every recorded step, the median and the bandLo and
// bandHi quantiles ([stats.Quantile], definition 7 of Hyndman and Fan) of
// the series over the replicates that have a value there; NaN where none
// has.
func bandOf(s series) band {
	n := len(s.Steps)
	b := band{X: make([]float64, n), Lo: make([]float64, n), Mid: make([]float64, n), Hi: make([]float64, n)}
	col := make([]float64, 0, len(s.Vals))
	for j := range n {
		col = col[:0]
		for i := range s.Vals {
			if v := s.Vals[i][j]; !math.IsNaN(v) {
				col = append(col, v)
			}
		}
		slices.Sort(col)
		b.X[j] = float64(s.Steps[j])
		b.Lo[j] = stats.Quantile(col, bandLo)
		b.Mid[j] = stats.Quantile(col, 0.5)
		b.Hi[j] = stats.Quantile(col, bandHi)
	}
	return b
}

// linearNorm places x on [x0, x1] linearly, for thinning.
func linearNorm(x0, x1 float64) func(float64) float64 {
	if x1 <= x0 {
		return func(float64) float64 { return 0 }
	}
	return func(x float64) float64 { return (x - x0) / (x1 - x0) }
}

// buckets groups the steps x[1:] into at most max-1 runs of consecutive
// steps by their place on the drawn axis, norm(x) in [0, 1]: so that a
// run is about as wide as the others on the chart, whether the axis is
// linear or logarithmic. It returns the runs' ends [start, end). Step 0
// of x is never in a run: the first step is always kept on its own.
func buckets(x []float64, max int, norm func(float64) float64) [][2]int {
	var out [][2]int
	k0 := -1
	for j := 1; j < len(x); j++ {
		k := min(max-2, int(math.Floor(norm(x[j])*float64(max-1))))
		if k != k0 || len(out) == 0 {
			out = append(out, [2]int{j, j + 1})
			k0 = k
			continue
		}
		out[len(out)-1][1] = j + 1
	}
	return out
}

// thin reduces b to at most max points by merging runs of consecutive
// steps of about equal width on a linear axis (see [thinBy]).
func thin(b band, max int) band {
	if len(b.X) == 0 {
		return b
	}
	return thinBy(b, max, linearNorm(b.X[0], b.X[len(b.X)-1]))
}

// thinBy reduces b to at most max points by merging runs of consecutive
// steps that take about the same width on the drawn axis (norm, see
// [buckets]): the merged point is at the run's last step, its median is
// the mean of the run's medians, and its band is the run's envelope
// (lowest Lo, highest Hi), so no excursion of the band is hidden. Steps
// without a value are left out of a run; a run with none stays a gap.
// The first and last steps are kept.
func thinBy(b band, max int, norm func(float64) float64) band {
	n := len(b.X)
	if n <= max || max < 3 {
		return b
	}
	out := band{X: []float64{b.X[0]}, Lo: []float64{b.Lo[0]}, Mid: []float64{b.Mid[0]}, Hi: []float64{b.Hi[0]}}
	for _, r := range buckets(b.X, max, norm) {
		lo, hi, sum, cnt := math.Inf(1), math.Inf(-1), 0.0, 0
		for j := r[0]; j < r[1]; j++ {
			if math.IsNaN(b.Mid[j]) {
				continue
			}
			lo = math.Min(lo, b.Lo[j])
			hi = math.Max(hi, b.Hi[j])
			sum += b.Mid[j]
			cnt++
		}
		out.X = append(out.X, b.X[r[1]-1])
		if cnt == 0 {
			out.Lo = append(out.Lo, math.NaN())
			out.Hi = append(out.Hi, math.NaN())
			out.Mid = append(out.Mid, math.NaN())
			continue
		}
		out.Lo = append(out.Lo, lo)
		out.Hi = append(out.Hi, hi)
		out.Mid = append(out.Mid, sum/float64(cnt))
	}
	return out
}

// thinLine reduces one replicate's values y at steps x to at most max
// points by the runs of [thinBy], each the mean of its values.
func thinLine(x, y []float64, max int, norm func(float64) float64) (tx, ty []float64) {
	n := len(x)
	if n <= max || max < 3 {
		return x, y
	}
	tx, ty = []float64{x[0]}, []float64{y[0]}
	for _, r := range buckets(x, max, norm) {
		sum, cnt := 0.0, 0
		for j := r[0]; j < r[1]; j++ {
			if !math.IsNaN(y[j]) {
				sum += y[j]
				cnt++
			}
		}
		tx = append(tx, x[r[1]-1])
		if cnt == 0 {
			ty = append(ty, math.NaN())
		} else {
			ty = append(ty, sum/float64(cnt))
		}
	}
	return tx, ty
}

// metricBand is metricSeries, bandOf and thin in one.
func metricBand(res *sim.Result, m sim.Metric, scale float64) (band, error) {
	s, err := metricSeries(res, m, scale)
	if err != nil {
		return band{}, err
	}
	return thin(bandOf(s), maxPoints), nil
}

// finite reports whether b has a value at some step.
func (b band) finite() bool {
	for _, v := range b.Mid {
		if !math.IsNaN(v) {
			return true
		}
	}
	return false
}

// flat reports whether the band has no width at any step (one
// replicate, or replicates that agree): only its line is drawn.
func (b band) flat() bool {
	for j := range b.X {
		if b.Lo[j] != b.Hi[j] && !math.IsNaN(b.Lo[j]) {
			return false
		}
	}
	return true
}

// extent returns the lowest Lo and highest Hi of b (NaN steps left out),
// or (NaN, NaN) when it has no value.
func (b band) extent() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for j := range b.X {
		if math.IsNaN(b.Mid[j]) {
			continue
		}
		lo = math.Min(lo, math.Min(b.Lo[j], b.Mid[j]))
		hi = math.Max(hi, math.Max(b.Hi[j], b.Mid[j]))
	}
	if lo > hi {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

// anyNonZero reports whether some replicate has a value other than 0 in s.
func (s series) anyNonZero() bool {
	for _, v := range s.Vals {
		for _, x := range v {
			if x != 0 && !math.IsNaN(x) {
				return true
			}
		}
	}
	return false
}

// moves reports whether some replicate's values of s span more than tol
// over time.
func (s series) moves(tol float64) bool {
	for _, v := range s.Vals {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range v {
			if !math.IsNaN(x) {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
		if hi-lo > tol {
			return true
		}
	}
	return false
}

// anyFinite reports whether some replicate has a value in s.
func (s series) anyFinite() bool {
	for _, v := range s.Vals {
		for _, x := range v {
			if !math.IsNaN(x) {
				return true
			}
		}
	}
	return false
}

// maxAbsDiff is the largest |a - b| over the replicates and steps where
// both have a value (0 when there are none).
func maxAbsDiff(a, b series) float64 {
	d := 0.0
	for i := range a.Vals {
		for j := range a.Vals[i] {
			x, y := a.Vals[i][j], b.Vals[i][j]
			if !math.IsNaN(x) && !math.IsNaN(y) {
				d = math.Max(d, math.Abs(x-y))
			}
		}
	}
	return d
}
