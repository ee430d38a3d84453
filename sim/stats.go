package sim

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Wilson returns the Wilson score interval for k successes in n trials at
// confidence level conf (e.g. 0.95): Wilson (1927), JASA 22(158). With n = 0
// it returns the uninformative interval [0, 1].
func Wilson(k, n int, conf float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	z := distuv.UnitNormal.Quantile(1 - (1-conf)/2)
	p := float64(k) / float64(n)
	nn := float64(n)
	den := 1 + z*z/nn
	centre := (p + z*z/(2*nn)) / den
	half := z / den * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))
	return math.Max(0, centre-half), math.Min(1, centre+half)
}

// Share is the share of replicates with one outcome and its 95% Wilson
// interval.
type Share struct {
	Outcome string
	Count   int
	N       int
	Share   float64
	Lo, Hi  float64
}

// Summary aggregates a run's replicates.
type Summary struct {
	Replicates int
	Shares     []Share // established, collapsed, contested
	// Converged is the number of replicates whose expectations converged;
	// Quantiles are the 0.1, 0.25, 0.5, 0.75 and 0.9 quantiles of their
	// convergence steps (empirical, gonum/stat), NaN when none converged.
	Converged     int
	QuantileProbs []float64
	Quantiles     []float64
	// FinalMean and FinalSD are the mean and sd over replicates of every
	// metric's final value.
	FinalMean, FinalSD Row
}

// Summarize computes outcome shares with Wilson intervals and the
// distribution of convergence times over replicates.
func Summarize(reps []Replicate) Summary {
	s := Summary{Replicates: len(reps), QuantileProbs: []float64{0.1, 0.25, 0.5, 0.75, 0.9}}
	var counts [NumOutcomes]int
	var conv []float64
	for _, r := range reps {
		counts[r.Outcome]++
		if r.Converged >= 0 {
			conv = append(conv, float64(r.Converged))
		}
	}
	for _, o := range []Outcome{Established, Collapsed, Contested} {
		lo, hi := Wilson(counts[o], len(reps), 0.95)
		sh := Share{Outcome: o.String(), Count: counts[o], N: len(reps), Lo: lo, Hi: hi}
		if len(reps) > 0 {
			sh.Share = float64(counts[o]) / float64(len(reps))
		}
		s.Shares = append(s.Shares, sh)
	}
	s.Converged = len(conv)
	sort.Float64s(conv)
	for _, p := range s.QuantileProbs {
		q := math.NaN()
		if len(conv) > 0 {
			q = stat.Quantile(p, stat.Empirical, conv, nil)
		}
		s.Quantiles = append(s.Quantiles, q)
	}
	x := make([]float64, len(reps))
	for m := range NumMetrics {
		for i, r := range reps {
			x[i] = r.Final[m]
		}
		if len(x) > 1 {
			s.FinalMean[m], s.FinalSD[m] = stat.MeanStdDev(x, nil)
		} else if len(x) == 1 {
			s.FinalMean[m] = x[0]
		}
	}
	return s
}
