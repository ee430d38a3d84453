// Package stats holds the estimates every output of normsim reports, once:
// quantiles ([Quantile], [Median], [QuantileCI]), intervals for means
// ([Mean], [Interval]) and shares ([Share], Wilson), paired differences
// ([Paired]), all at the level [Conf], and a run's summary ([Summarize]).
// The command, summary.json, the charts, check, handouts and sweeps all
// use these, so that a number printed in one place is the number drawn in
// another.
package stats

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Conf is the confidence level of every interval: 95%.
const Conf = 0.95

// Quantile returns the p-quantile of the sorted sample x by linear
// interpolation between order statistics, definition 7 of Hyndman and Fan
// (1996, "Sample quantiles in statistical packages", The American
// Statistician 50(4)), the default of R and NumPy: NaN for an empty x.
func Quantile(x []float64, p float64) float64 {
	n := len(x)
	switch {
	case n == 0:
		return math.NaN()
	case n == 1:
		return x[0]
	}
	h := float64(n-1) * p
	i := int(math.Floor(h))
	if i >= n-1 {
		return x[n-1]
	}
	f := h - float64(i)
	if f == 0 || x[i] == x[i+1] {
		return x[i]
	}
	return x[i] + f*(x[i+1]-x[i])
}

// QuantileCI is the distribution-free order-statistic interval [x(l),
// x(u)] (1-based ranks) for the p-quantile of the sorted sample x: l is the
// largest rank with P(B <= l-1) <= 2.5% and u the smallest with P(B <= u-1)
// >= 97.5%, B ~ Binomial(n, p), so that the interval covers the quantile
// with probability at least 95% (David and Nagaraja 2003, section 7.1). A
// rank outside 1..n gives an unbounded end.
func QuantileCI(x []float64, p float64) (lo, hi float64) {
	n := len(x)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	tail := (1 - Conf) / 2
	b := distuv.Binomial{N: float64(n), P: p}
	cdf := func(k int) float64 { // P(B <= k)
		switch {
		case k < 0:
			return 0
		case k >= n:
			return 1
		}
		return b.CDF(float64(k))
	}
	l := 0
	for k := 1; k <= n && cdf(k-1) <= tail; k++ {
		l = k
	}
	u := n + 1
	for k := n; k >= 1 && cdf(k-1) >= 1-tail; k-- {
		u = k
	}
	lo, hi = math.Inf(-1), math.Inf(1)
	if l >= 1 {
		lo = x[l-1]
	}
	if u <= n {
		hi = x[u-1]
	}
	return lo, hi
}

// Support is the range a quantity can take: an interval for its mean is
// cut to it, so that a rate never gets a negative lower bound and a count
// never goes below zero. The cut keeps the interval's coverage (the true
// mean is inside the support).
type Support struct{ Lo, Hi float64 }

// The supports of normsim's quantities.
var (
	Unit  = Support{0, 1}                      // rates, shares, beliefs
	Count = Support{0, math.Inf(1)}            // counts, steps
	Real  = Support{math.Inf(-1), math.Inf(1)} // payoffs, differences
)

// Mean returns the mean of x and its 95% Student's t interval, mean +-
// t(0.975, n-1) sd / sqrt(n), cut to the support s. With fewer than two
// values the interval is NaN (nothing can be said).
func Mean(x []float64, s Support) (mean, lo, hi float64) {
	switch len(x) {
	case 0:
		return math.NaN(), math.NaN(), math.NaN()
	case 1:
		return x[0], math.NaN(), math.NaN()
	}
	m, sd := stat.MeanStdDev(x, nil)
	lo, hi = Interval(len(x), m, sd, s)
	return m, lo, hi
}

// Interval is the 95% Student's t interval of a mean m of n values with
// sample sd (n - 1 in the denominator), cut to the support s; NaN for n
// < 2.
func Interval(n int, m, sd float64, s Support) (lo, hi float64) {
	if n < 2 {
		return math.NaN(), math.NaN()
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - (1-Conf)/2)
	h := t * sd / math.Sqrt(float64(n))
	return math.Max(s.Lo, m-h), math.Min(s.Hi, m+h)
}

// Share returns k/n and its 95% Wilson (1927) score interval, which stays
// inside [0, 1]; with n = 0 the share is NaN and the interval [0, 1].
func Share(k, n int) (share, lo, hi float64) {
	if n <= 0 {
		return math.NaN(), 0, 1
	}
	z := distuv.UnitNormal.Quantile(1 - (1-Conf)/2)
	p := float64(k) / float64(n)
	nn := float64(n)
	den := 1 + z*z/nn
	centre := (p + z*z/(2*nn)) / den
	half := z / den * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))
	return p, math.Max(0, centre-half), math.Min(1, centre+half)
}

// Median returns the median of x (not sorted in place; NaN when empty).
func Median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return Quantile(s, 0.5)
}

// Finite returns the values of x that are numbers (not NaN), and how many
// were left out.
func Finite(x []float64) (kept []float64, left int) {
	for _, v := range x {
		if math.IsNaN(v) {
			left++
		} else {
			kept = append(kept, v)
		}
	}
	return kept, left
}

// Paired returns the differences b[i] - a[i] over the pairs where both are
// numbers, and how many pairs were left out.
func Paired(a, b []float64) (d []float64, left int) {
	for i := range min(len(a), len(b)) {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			left++
			continue
		}
		d = append(d, b[i]-a[i])
	}
	return d, left
}
