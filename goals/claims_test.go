package goals

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/normsim/normsim/scenarios"
)

// synthetic returns paired values of two variants for n replicates: a
// shared replicate effect (what common random numbers share) plus
// independent noise of sd 1 in each, and a true difference delta.
func synthetic(rnd *rand.Rand, n int, delta float64) [][]float64 {
	x := [][]float64{make([]float64, n), make([]float64, n)}
	for r := range n {
		common := 3 * rnd.NormFloat64()
		x[0][r] = common + rnd.NormFloat64()
		x[1][r] = common + delta + rnd.NormFloat64()
	}
	return x
}

// tPower is the power of the two-sided paired t test at level 5% with n
// pairs when the true mean difference is k standard errors: P(|T| > c) for
// T = (Z + k) / sqrt(V / nu), V ~ chi-square(nu), nu = n - 1 (the
// noncentral t), by integrating over V.
func tPower(n int, k float64) float64 {
	nu := float64(n - 1)
	c := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(0.975)
	chi := distuv.ChiSquared{K: nu}
	p, h := 0.0, 0.01
	for v := h / 2; v < 10*nu; v += h {
		s := c * math.Sqrt(v/nu)
		p += chi.Prob(v) * h * (distuv.UnitNormal.CDF(k-s) + distuv.UnitNormal.CDF(-k-s))
	}
	return p
}

// TestClaimStatistics checks the claim statistics on synthetic outputs
// with known effects: a zero effect is reported as a direction no more
// than 5% of the time ("differs") and 2.5% ("increasing", one side), and
// a true effect of k standard errors of the paired difference is found
// as often as the paired t test's power says (about 0.49 at k = 2 and
// 0.97 at k = 4 with 32 pairs): the detection rates are within 4 binomial
// standard errors of their targets over 3000 synthetic claims each.
func TestClaimStatistics(t *testing.T) {
	const n, trials = 32, 3000
	rnd := rand.New(rand.NewPCG(17, 19))
	se := math.Sqrt(2.0 / n) // sd of the paired difference is sqrt(2)
	rate := func(trend string, delta float64) float64 {
		c := scenarios.Expect{Claim: "synthetic", Metric: "final_restraint", Vary: "x", Values: []float64{0, 1}, Trend: trend}
		hits := 0
		for range trials {
			if Evaluate(c, synthetic(rnd, n, delta)).Supported {
				hits++
			}
		}
		return float64(hits) / trials
	}
	tol := func(p float64) float64 { return 4 * math.Sqrt(p*(1-p)/trials) }
	if r := rate("differs", 0); r > 0.05+tol(0.05) {
		t.Errorf("zero effect reported as a difference in %.4f of claims, want <= 0.05", r)
	}
	if r := rate("increasing", 0); r > 0.025+tol(0.025) {
		t.Errorf("zero effect reported as an increase in %.4f of claims, want <= 0.025", r)
	}
	for _, k := range []float64{2, 4} {
		want := tPower(n, k)
		if r := rate("differs", k*se); math.Abs(r-want) > tol(want) {
			t.Errorf("an effect of %g standard errors found in %.4f of claims, want %.4f (the t test's power)", k, r, want)
		}
	}
	if r := rate("increasing", -4*se); r > tol(0.001) {
		t.Errorf("a clear decrease reported as an increase in %.4f of claims", r)
	}
}

// TestTrends checks each trend's rule on hand-made variants whose
// replicates differ by a constant plus a small noise.
func TestTrends(t *testing.T) {
	mk := func(means ...float64) [][]float64 {
		x := make([][]float64, len(means))
		for i, m := range means {
			for r := range 10 {
				x[i] = append(x[i], m+0.01*float64(r%3)+0.001*float64((r+i)%2)) // the jitter averages 0.0005 in every variant
			}
		}
		return x
	}
	for _, c := range []struct {
		trend string
		means []float64
		want  bool
	}{
		{"increasing", []float64{0.1, 0.2, 0.3}, true},
		{"increasing", []float64{0.1, 0.3, 0.2}, false},
		{"decreasing", []float64{0.3, 0.2, 0.1}, true},
		{"peaked", []float64{0.1, 0.3, 0.2}, true},
		{"peaked", []float64{0.1, 0.2, 0.3}, false},
		{"dipped", []float64{0.3, 0.1, 0.2}, true},
		{"differs", []float64{0.1, 0.2}, true},
		{"differs", []float64{0.2, 0.2}, false},
	} {
		e := scenarios.Expect{Claim: "hand-made", Metric: "final_restraint", Vary: "x", Trend: c.trend}
		for i := range c.means {
			e.Values = append(e.Values, float64(i))
		}
		got := Evaluate(e, mk(c.means...))
		if got.Supported != c.want {
			t.Errorf("%s %v: supported %v (%s), want %v", c.trend, c.means, got.Supported, got.Reason, c.want)
		}
	}
}

// TestClaimMissingValues: a replicate without a value in a variant is left
// out of that variant's pairs, and said.
func TestClaimMissingValues(t *testing.T) {
	x := [][]float64{{1, 2, math.NaN(), 4}, {2, 3, 4, 5}}
	c := Evaluate(scenarios.Expect{Claim: "c", Metric: "tipping_step", Vary: "x", Values: []float64{0, 1}, Trend: "increasing"}, x)
	if c.Steps[0].N != 3 || c.Note == "" {
		t.Errorf("pairs %d, note %q; want 3 pairs and a note", c.Steps[0].N, c.Note)
	}
}

// TestPeakEffectWhereDecided: with four variants, a peaked claim decided
// at the second (both its differences from the ends exclude zero) reports
// its effect there, not at the third, whose mean is higher but whose
// replicates scatter too much for its differences to exclude zero.
func TestPeakEffectWhereDecided(t *testing.T) {
	x := make([][]float64, 4)
	for r := range 10 {
		j := 0.001 * float64(r%3) // the same small jitter in every variant
		scatter := 0.5 * float64(r%2*2-1)
		x[0] = append(x[0], 0.1+j)
		x[1] = append(x[1], 0.3+j)
		x[2] = append(x[2], 0.35+j+scatter)
		x[3] = append(x[3], 0.1+j)
	}
	e := scenarios.Expect{Claim: "c", Metric: "payoff_mean", Vary: "x", Values: []float64{0, 1, 2, 3}, Trend: "peaked"}
	c := Evaluate(e, x)
	if !c.Supported || !strings.Contains(c.Reason, "peaked at 1:") {
		t.Fatalf("supported %v (%s), want peaked at 1", c.Supported, c.Reason)
	}
	if d := c.Effect(); d.To != 1 || math.Abs(d.Mean-0.2) > 1e-9 {
		t.Errorf("effect %+v, want the difference of variant 1 from an end, 0.2", d)
	}
}
