package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/normsim/normsim/sim"
)

// TestShare checks the Wilson score interval against values worked from
// its formula (Wilson 1927; Newcombe 1998, Stat. Med. 17, Table I: for
// 81/263 at 95%, 0.2553 to 0.3662; for 0/20, 0 to 0.1611).
func TestShare(t *testing.T) {
	cases := []struct {
		k, n   int
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{20, 20, 0.8389, 1},
	}
	for _, c := range cases {
		_, lo, hi := Share(c.k, c.n)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("Share(%d, %d) = [%.4f, %.4f], want [%.4f, %.4f]", c.k, c.n, lo, hi, c.lo, c.hi)
		}
	}
	if _, lo, hi := Share(0, 0); lo != 0 || hi != 1 {
		t.Errorf("Share(0, 0) = [%v, %v], want [0, 1]", lo, hi)
	}
}

// TestQuantile checks definition 7 of Hyndman and Fan (1996) on values
// worked by hand (R: quantile(c(1, 2, 4, 8), c(0.1, 0.5, 0.9)) gives 1.3,
// 3, 6.8).
func TestQuantile(t *testing.T) {
	x := []float64{1, 2, 4, 8}
	for _, c := range []struct{ p, want float64 }{{0, 1}, {0.1, 1.3}, {0.5, 3}, {0.9, 6.8}, {1, 8}} {
		if got := Quantile(x, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if !math.IsNaN(Quantile(nil, 0.5)) {
		t.Error("the quantile of nothing is a number")
	}
	// The order-statistic interval of the median of 1..20 is [x(6),
	// x(15)]: P(6 <= B <= 14) for B ~ Binomial(20, 1/2) is 0.9586
	// (David and Nagaraja 2003, table of ranks).
	y := make([]float64, 20)
	for i := range y {
		y[i] = float64(i + 1)
	}
	if lo, hi := QuantileCI(y, 0.5); lo != 6 || hi != 15 {
		t.Errorf("QuantileCI = [%v, %v], want [6, 15]", lo, hi)
	}
}

// TestMeanSupport checks the t interval (t(0.975, 3) = 3.182446) and that
// it is cut to the support.
func TestMeanSupport(t *testing.T) {
	x := []float64{0.1, 0.2, 0.3, 0.4}
	m, lo, hi := Mean(x, Real)
	h := 3.182446 * math.Sqrt(0.05/3/4)
	if math.Abs(m-0.25) > 1e-12 || math.Abs(lo-(0.25-h)) > 1e-6 || math.Abs(hi-(0.25+h)) > 1e-6 {
		t.Errorf("Mean = %v [%v, %v], want 0.25 +- %v", m, lo, hi, h)
	}
	_, lo, _ = Mean([]float64{0, 0, 0, 0.01}, Unit)
	if lo != 0 {
		t.Errorf("a rate's interval goes below 0: %v", lo)
	}
	if _, lo, hi := Mean([]float64{1}, Unit); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("one value has an interval [%v, %v]", lo, hi)
	}
}

// TestSummarize checks shares, intervals and quantiles over replicates.
func TestSummarize(t *testing.T) {
	var reps []sim.Replicate
	for i := range 10 {
		o := sim.Contested
		if i < 7 {
			o = sim.Established
		}
		conv := -1
		if i < 5 {
			conv = 10 * (i + 1)
		}
		r := sim.Replicate{Index: i, Outcome: o, Converged: conv}
		r.Window[sim.RestraintRate] = float64(i) / 10
		reps = append(reps, r)
	}
	cfg := sim.DefaultConfig()
	s := Summarize(&cfg, reps)
	if o := s.Outcomes[0]; o.Outcome != "established" || o.Count != 7 || o.Share != 0.7 {
		t.Errorf("established share %+v, want 7 of 10", o)
	}
	if s.Converged != 5 || s.Quantiles[2] != 30 {
		t.Errorf("converged %d, median %v; want 5, 30", s.Converged, s.Quantiles[2])
	}
	if m := s.Mean[sim.RestraintRate]; math.Abs(m-0.45) > 1e-12 || s.Lo[sim.RestraintRate] < 0 {
		t.Errorf("mean restraint %v [%v, %v]", m, s.Lo[sim.RestraintRate], s.Hi[sim.RestraintRate])
	}
}

// meanCI is Mean over the whole real line.
func meanCI(x []float64) (m, lo, hi float64) { return Mean(x, Real) }

// TestMeanT checks the t interval against a hand computation: x = 1..5 has
// mean 3 and sd sqrt(2.5); t(0.975, 4) = 2.7764451 (any t table, e.g.
// Abramowitz and Stegun 1964, table 26.10).
func TestMeanT(t *testing.T) {
	m, lo, hi := meanCI([]float64{1, 2, 3, 4, 5})
	h := 2.7764451 * math.Sqrt(2.5) / math.Sqrt(5)
	if math.Abs(m-3) > 1e-12 || math.Abs(lo-(3-h)) > 1e-6 || math.Abs(hi-(3+h)) > 1e-6 {
		t.Errorf("meanCI(1..5) = %v [%v, %v], want 3 [%v, %v]", m, lo, hi, 3-h, 3+h)
	}
	if m, lo, hi := meanCI([]float64{7}); m != 7 || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("meanCI of one value = %v [%v, %v], want 7 and no interval", m, lo, hi)
	}
}

// TestQuantileR checks definition 7 of Hyndman and Fan (1996) against R's
// quantile(): quantile(1:4, 0.5) = 2.5, quantile(1:10, 0.9) = 9.1,
// quantile(c(3, 1, 2), 0) = 1 and quantile(c(3, 1, 2), 1) = 3.
func TestQuantileR(t *testing.T) {
	for _, c := range []struct {
		x       []float64
		q, want float64
	}{
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1},
		{[]float64{1, 2, 3}, 0, 1},
		{[]float64{1, 2, 3}, 1, 3},
		{[]float64{5, math.Inf(1), math.Inf(1)}, 0.5, math.Inf(1)},
		{[]float64{5, 6, math.Inf(1)}, 0.5, 6},
	} {
		if got := Quantile(c.x, c.q); math.Abs(got-c.want) > 1e-12 && got != c.want {
			t.Errorf("Quantile(%v, %v) = %v, want %v", c.x, c.q, got, c.want)
		}
	}
}

// TestQuantileCIRanks checks the order-statistic interval's ranks against
// the tabulated distribution-free confidence interval for the median
// (e.g. Conover 1999, Practical Nonparametric Statistics, table A3; the
// binomial CDF for n = 20, p = 1/2: P(B <= 5) = 0.0207, P(B <= 14) =
// 0.9793): (x(6), x(15)) for n = 20, and (x(1), x(8)) for n = 8.
func TestQuantileCIRanks(t *testing.T) {
	for _, c := range []struct{ n, lo, hi int }{{20, 6, 15}, {8, 1, 8}} {
		x := make([]float64, c.n)
		for i := range x {
			x[i] = float64(i + 1) // x(k) = k
		}
		lo, hi := QuantileCI(x, 0.5)
		if lo != float64(c.lo) || hi != float64(c.hi) {
			t.Errorf("n = %d: median interval (x(%v), x(%v)), want (x(%d), x(%d))", c.n, lo, hi, c.lo, c.hi)
		}
	}
	// With 5 values the 0.9-quantile has no upper order statistic that
	// covers it with 97.5% confidence: P(B <= 4) = 1 - 0.9^5 = 0.41.
	if _, hi := QuantileCI([]float64{1, 2, 3, 4, 5}, 0.9); !math.IsInf(hi, 1) {
		t.Errorf("0.9-quantile of 5 values: upper end %v, want +Inf", hi)
	}
}

// TestIntervalCoverage checks by simulation that the intervals cover the
// true value at least 95% of the time: the t interval for the mean of
// Normal(2, 1) samples of 8 (exact: 95%), and the order-statistic interval
// for the median and the 0.8-quantile of Uniform(0, 1) samples of 16
// (at least 95%, by construction). 4000 samples: a standard error of
// 0.0034 at 95%, so each must reach 0.95 - 4 x 0.0034.
func TestIntervalCoverage(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	const trials = 4000
	var tHits, medHits, q8Hits int
	for range trials {
		x := make([]float64, 8)
		for i := range x {
			x[i] = 2 + rnd.NormFloat64()
		}
		if _, lo, hi := meanCI(x); lo <= 2 && 2 <= hi {
			tHits++
		}
		u := make([]float64, 16)
		for i := range u {
			u[i] = rnd.Float64()
		}
		slices.Sort(u)
		if lo, hi := QuantileCI(u, 0.5); lo <= 0.5 && 0.5 <= hi {
			medHits++
		}
		if lo, hi := QuantileCI(u, 0.8); lo <= 0.8 && 0.8 <= hi {
			q8Hits++
		}
	}
	minCover := 0.95 - 4*math.Sqrt(0.95*0.05/trials)
	for _, c := range []struct {
		name string
		hits int
	}{{"t interval", tHits}, {"median interval", medHits}, {"0.8-quantile interval", q8Hits}} {
		if p := float64(c.hits) / trials; p < minCover {
			t.Errorf("%s covers the true value in %.4f of %d samples, want >= %.4f", c.name, p, trials, minCover)
		}
	}
	// The t interval is exact for normal samples: not far above 95% either.
	if p := float64(tHits) / trials; p > 0.95+4*math.Sqrt(0.95*0.05/trials) {
		t.Errorf("t interval covers in %.4f of samples, want about 0.95", p)
	}
}

// TestSummarizeQuantileNoise: interpolated step quantiles carry no
// rounding noise: two replicates converged at steps 0 and 3 have a
// 0.1-quantile of 0.3, which the interpolation computes as
// 0.30000000000000004 (such a value was found in a summary.json).
func TestSummarizeQuantileNoise(t *testing.T) {
	reps := []sim.Replicate{{Index: 0, Converged: 0}, {Index: 1, Converged: 3}}
	cfg := sim.DefaultConfig()
	s := Summarize(&cfg, reps)
	if got, raw := s.Quantiles[0], Quantile([]float64{0, 3}, 0.1); got != 0.3 || raw == 0.3 {
		t.Errorf("0.1-quantile = %v (interpolated: %v), want 0.3", got, raw)
	}
}
