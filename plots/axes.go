package plots

import (
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
)

// unitTicks marks 0, 0.2, ..., 1 whatever the axis range.
var unitTicks = plot.ConstantTicks{
	{Value: 0, Label: "0"}, {Value: 0.2, Label: "0.2"}, {Value: 0.4, Label: "0.4"},
	{Value: 0.6, Label: "0.6"}, {Value: 0.8, Label: "0.8"}, {Value: 1, Label: "1"},
}

// intTicks labels whole numbers only, about five of them, large ones in
// a compact form (20k, 1.5M) so that neighbouring labels do not collide.
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	step := niceStep((hi - lo) / 5)
	step = math.Max(1, math.Round(step))
	var ts []plot.Tick
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+1e-9; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: compact(v, 0)})
	}
	return ts
}

// compact formats a tick value with decimals digits after the point; a
// whole number of at least 10,000 as thousands (20k) or millions (1.5M).
func compact(v float64, decimals int) string {
	a := math.Abs(v)
	switch {
	case a >= 1e6 && v == math.Trunc(v):
		return strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
	case a >= 1e4 && v == math.Trunc(v):
		return strconv.FormatFloat(v/1e3, 'f', -1, 64) + "k"
	}
	if v == 0 {
		v = 0 // not -0
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// niceTicks labels multiples of a round step (1, 2 or 5 times a power of
// ten), about four to six of them, with zero among them when the range
// holds it: gonum's default ticker can pick steps such as 0.3 that put 0.1,
// -0.2, -0.5 on an axis.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	step := niceStep((hi - lo) / 5)
	decimals := max(0, int(math.Ceil(-math.Log10(step)-1e-9))) // enough for the step: 0.05 needs 2
	var ts []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		ts = append(ts, plot.Tick{Value: k * step, Label: compact(k*step, decimals)})
	}
	return ts
}

// niceStep returns the smallest of 1, 2, 5 times a power of ten that is
// at least x (x > 0).
func niceStep(x float64) float64 {
	if !(x > 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}

// log1pScale places x at log(1 + x): a time axis on which the first steps
// of a long run get room (a short transient is readable) and step 0 has a
// place, which a log scale would not give it.
type log1pScale struct{}

// Normalize implements plot.Normalizer.
func (log1pScale) Normalize(lo, hi, x float64) float64 {
	a, b := math.Log1p(math.Max(lo, 0)), math.Log1p(math.Max(hi, 0))
	if b <= a {
		return 0
	}
	return (math.Log1p(math.Max(x, 0)) - a) / (b - a)
}

// log1pTicks labels 0 and the powers of ten on a log1pScale axis, then
// 2 and 5 times them where there is room, leaving out any label that
// would sit too close to another.
type log1pTicks struct{}

// Ticks implements plot.Ticker.
func (log1pTicks) Ticks(lo, hi float64) []plot.Tick {
	const gap = 0.1 // the least distance between labels, as a share of the axis
	var vals []float64
	near := func(v float64) bool {
		n := log1pScale{}.Normalize(lo, hi, v)
		for _, w := range vals {
			if math.Abs(log1pScale{}.Normalize(lo, hi, w)-n) < gap {
				return true
			}
		}
		return false
	}
	add := func(v float64) {
		if v >= lo-1e-9 && v <= hi+1e-9 && !near(v) {
			vals = append(vals, v)
		}
	}
	add(0)
	for p := 1.0; p <= hi*1.0001; p *= 10 {
		add(p)
	}
	for _, m := range []float64{5, 2} {
		for p := 1.0; m*p <= hi*1.0001; p *= 10 {
			add(m * p)
		}
	}
	slices.Sort(vals)
	ts := make([]plot.Tick, len(vals))
	for i, v := range vals {
		ts[i] = plot.Tick{Value: v, Label: compact(v, 0)}
	}
	return ts
}
