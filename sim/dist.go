package sim

import (
	"math"
	"math/rand/v2"
)

// sample draws state i's value from d. Truncated normals are redrawn until
// they fall inside [Min, Max] (at most 64 times, then clamped), so that a
// truncation far in the tail cannot loop for ever.
func (d *Dist) sample(rnd *rand.Rand, i int) float64 {
	switch d.Kind {
	case DistConstant:
		return d.Value
	case DistUniform:
		return d.Min + (d.Max-d.Min)*rnd.Float64()
	case DistNormal:
		x := d.Mean + d.SD*rnd.NormFloat64()
		for try := 0; try < 64 && !d.inside(x); try++ {
			x = d.Mean + d.SD*rnd.NormFloat64()
		}
		if d.HasMin {
			x = math.Max(x, d.Min)
		}
		if d.HasMax {
			x = math.Min(x, d.Max)
		}
		return x
	case DistPareto:
		// Inverse CDF of a Pareto with scale Min and shape Alpha.
		return d.Min * math.Pow(1-rnd.Float64(), -1/d.Alpha)
	case DistValues:
		return d.Values[i%len(d.Values)]
	case DistLevels:
		return float64(rnd.IntN(8)) / 7
	}
	panic("sim: unknown distribution " + d.Kind.String())
}

func (d *Dist) inside(x float64) bool {
	return (!d.HasMin || x >= d.Min) && (!d.HasMax || x <= d.Max)
}

// binomial draws from Binomial(n, p) without allocating: by inversion of
// the waiting times between successes (geometric skips), which costs
// O(np + 1) and is exact.
func binomial(rnd *rand.Rand, n int, p float64) int {
	switch {
	case n <= 0 || p <= 0:
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - binomial(rnd, n, 1-p)
	}
	return binomialSkip(rnd, n, math.Log1p(-p))
}

// binomialSkip is binomial for p <= 1/2 given lq = log(1 - p), for callers
// that draw many times with one p.
func binomialSkip(rnd *rand.Rand, n int, lq float64) int {
	k, i := 0, 0
	for {
		i += geometric(rnd, lq) + 1
		if i > n {
			return k
		}
		k++
	}
}

// geometric returns the number of failures before the first success of
// Bernoulli trials whose failure probability q has log lq = log(q).
func geometric(rnd *rand.Rand, lq float64) int {
	u := 1 - rnd.Float64() // in (0, 1]
	g := math.Floor(math.Log(u) / lq)
	if g > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(g)
}
