package plots

import (
	"fmt"
	"math"
	"slices"

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

// quantile returns the p-quantile of the sorted sample x, interpolating
// linearly between order statistics: definition 7 of Hyndman and Fan (1996),
// "Sample quantiles in statistical packages", The American Statistician
// 50(4), the default of R and NumPy. x must be sorted and not empty.
func quantile(x []float64, p float64) float64 {
	n := len(x)
	if n == 1 {
		return x[0]
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return x[n-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

// band is a median line and a lo-hi band over replicates, per step.
type band struct {
	X           []float64
	Lo, Mid, Hi []float64
}

// series is one metric of every replicate, checked: the recorded steps
// (shared by all replicates) and the values, Vals[replicate][i].
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

// metricSeries extracts metric m of every replicate, scaled by scale, and
// fails on a NaN or infinite value, naming the series, the replicate and
// the step. res must have passed [checkReplicates].
func metricSeries(res *sim.Result, m sim.Metric, scale float64) (series, error) {
	s := series{Name: m.String(), Steps: res.Replicates[0].Steps, Vals: make([][]float64, len(res.Replicates))}
	for i := range res.Replicates {
		r := &res.Replicates[i]
		v := make([]float64, len(r.Rows))
		for j := range r.Rows {
			x := r.Rows[j][m]
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return series{}, fmt.Errorf("plots: series %s of replicate %d is %v at step %d", s.Name, r.Index, x, r.Steps[j])
			}
			v[j] = x * scale
		}
		s.Vals[i] = v
	}
	return s, nil
}

// bandOf computes, at every recorded step, the median and the bandLo and
// bandHi quantiles of the series over replicates.
func bandOf(s series) band {
	n := len(s.Steps)
	b := band{X: make([]float64, n), Lo: make([]float64, n), Mid: make([]float64, n), Hi: make([]float64, n)}
	col := make([]float64, len(s.Vals))
	for j := range n {
		for i := range s.Vals {
			col[i] = s.Vals[i][j]
		}
		slices.Sort(col)
		b.X[j] = float64(s.Steps[j])
		b.Lo[j] = quantile(col, bandLo)
		b.Mid[j] = quantile(col, 0.5)
		b.Hi[j] = quantile(col, bandHi)
	}
	return b
}

// thin reduces b to at most max points by merging runs of consecutive
// steps: the merged point is at the run's last step, its median is the
// run's mean median, and its band is the run's envelope (lowest Lo,
// highest Hi), so no excursion of the band is hidden. The first and last
// steps are kept.
func thin(b band, max int) band {
	n := len(b.X)
	if n <= max || max < 3 {
		return b
	}
	k := (n - 1 + max - 2) / (max - 1) // steps merged per point after the first
	out := band{X: []float64{b.X[0]}, Lo: []float64{b.Lo[0]}, Mid: []float64{b.Mid[0]}, Hi: []float64{b.Hi[0]}}
	for start := 1; start < n; start += k {
		end := min(start+k, n)
		lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
		for j := start; j < end; j++ {
			lo = math.Min(lo, b.Lo[j])
			hi = math.Max(hi, b.Hi[j])
			sum += b.Mid[j]
		}
		out.X = append(out.X, b.X[end-1])
		out.Lo = append(out.Lo, lo)
		out.Hi = append(out.Hi, hi)
		out.Mid = append(out.Mid, sum/float64(end-start))
	}
	return out
}

// metricBand is metricSeries, bandOf and thin in one.
func metricBand(res *sim.Result, m sim.Metric, scale float64) (band, error) {
	s, err := metricSeries(res, m, scale)
	if err != nil {
		return band{}, err
	}
	return thin(bandOf(s), maxPoints), nil
}
