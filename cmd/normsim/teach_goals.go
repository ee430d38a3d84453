package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// Grading [[expect]] goals (normsim check, and the goals of a handout).
//
// Each goal is a statistic, over replicates, of one value per replicate:
// a column of replicates.csv (a metric's value at the last step, or
// final_restraint, the restraint rate averaged over the last
// convergence.window steps, or converged, the convergence step) or the
// outcome. A goal is met when the statistic itself lies within its bounds
// (at_least <= x <= at_most); the 95% interval says how sure that is, and
// a goal whose interval crosses a bound is flagged as a close call.
//
//   - mean: the sample mean, with Student's t interval
//     mean +- t(0.975, n-1) sd/sqrt(n).
//   - share: the share of replicates with the outcome, with the Wilson
//     (1927) score interval.
//   - quantile: the q-quantile by linear interpolation between order
//     statistics (definition 7 of Hyndman and Fan 1996, as the charts use),
//     with the distribution-free order-statistic interval [x(l), x(u)]
//     whose coverage P(l <= B < u), B ~ Binomial(n, q), is at least 95%
//     (David and Nagaraja 2003, section 7.1); an end beyond the sample is
//     unbounded.
//
// The convergence step of a replicate whose expectations never converged
// is unknown but later than the run: a quantile counts it as +Inf (the
// order statistics stay right), a mean leaves it out and says so.

// goalResult is one graded goal.
type goalResult struct {
	Goal  scenarios.Expect
	Value float64 // the statistic
	// Lo and Hi bound its 95% interval (NaN when there is none, with one
	// replicate); Method names how it was computed.
	Lo, Hi float64
	Method string
	N      int    // replicates the statistic is over
	Pass   bool   // Value is within the bounds
	Close  bool   // the interval crosses a bound
	Note   string // what was left out, and why
}

// conf is the confidence level of every interval.
const conf = 0.95

// grade grades every goal on the replicates of a run.
func grade(goals []scenarios.Expect, reps []sim.Replicate) []goalResult {
	out := make([]goalResult, len(goals))
	for i, g := range goals {
		out[i] = gradeOne(g, reps)
	}
	return out
}

func gradeOne(g scenarios.Expect, reps []sim.Replicate) goalResult {
	r := goalResult{Goal: g, Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	if len(reps) == 0 {
		r.Note = "no replicate finished"
		return r
	}
	switch g.Stat {
	case "share":
		o, ok := sim.ParseOutcome(g.Outcome)
		if !ok {
			r.Note = fmt.Sprintf("unknown outcome %q", g.Outcome)
			return r
		}
		k := 0
		for _, rep := range reps {
			if rep.Outcome == o {
				k++
			}
		}
		r.N = len(reps)
		r.Value = float64(k) / float64(r.N)
		r.Lo, r.Hi = sim.Wilson(k, r.N, conf)
		r.Method = "Wilson"
	case "mean":
		x, left := goalValues(g.Metric, reps, false)
		r.N = len(x)
		if left > 0 {
			r.Note = fmt.Sprintf("%d of %d replicates never converged and are left out", left, len(reps))
		}
		if len(x) == 0 {
			return r
		}
		r.Value, r.Lo, r.Hi = meanCI(x)
		r.Method = "t"
	case "quantile":
		x, _ := goalValues(g.Metric, reps, true)
		r.N = len(x)
		slices.Sort(x)
		r.Value = quantile7(x, g.Q)
		r.Lo, r.Hi = quantileCI(x, g.Q)
		r.Method = "order statistics"
		if n := countInf(x); n > 0 {
			r.Note = fmt.Sprintf("%d of %d replicates never converged: counted as later than any step", n, len(x))
		}
	default:
		r.Note = fmt.Sprintf("unknown statistic %q", g.Stat)
		return r
	}
	r.Pass = within(r.Value, g)
	// Without an interval (one replicate) nothing can be said of a close call.
	r.Close = !math.IsNaN(r.Lo) && !math.IsNaN(r.Hi) && (r.Pass != within(r.Lo, g) || r.Pass != within(r.Hi, g))
	return r
}

// goalValues returns each replicate's value of metric. For "converged",
// replicates that never converged are +Inf when keepInf, and are left
// out (and counted) otherwise.
func goalValues(metric string, reps []sim.Replicate, keepInf bool) (x []float64, left int) {
	for _, rep := range reps {
		switch metric {
		case "final_restraint":
			x = append(x, rep.FinalRestraint)
		case "converged":
			switch {
			case rep.Converged >= 0:
				x = append(x, float64(rep.Converged))
			case keepInf:
				x = append(x, math.Inf(1))
			default:
				left++
			}
		default:
			m, ok := sim.MetricByName(metric)
			if !ok {
				return nil, 0 // the loader allows no other name
			}
			x = append(x, rep.Final[m])
		}
	}
	return x, left
}

func countInf(x []float64) int {
	n := 0
	for _, v := range x {
		if math.IsInf(v, 0) {
			n++
		}
	}
	return n
}

// within reports whether x meets the goal's bounds; NaN meets none.
func within(x float64, g scenarios.Expect) bool {
	if math.IsNaN(x) {
		return false
	}
	if g.AtLeast != nil && x < *g.AtLeast {
		return false
	}
	if g.AtMost != nil && x > *g.AtMost {
		return false
	}
	return true
}

// meanCI returns the mean of x and its t interval (NaN bounds for one
// value).
func meanCI(x []float64) (m, lo, hi float64) {
	if len(x) == 1 {
		return x[0], math.NaN(), math.NaN()
	}
	m, sd := stat.MeanStdDev(x, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(x) - 1)}.Quantile(1 - (1-conf)/2)
	h := t * sd / math.Sqrt(float64(len(x)))
	return m, m - h, m + h
}

// quantile7 is the q-quantile of sorted x, Hyndman and Fan's definition 7
// (R's and NumPy's default): linear interpolation at h = (n-1)q.
func quantile7(x []float64, q float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	h := float64(len(x)-1) * q
	i := int(math.Floor(h))
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	f := h - float64(i)
	if f == 0 || x[i] == x[i+1] {
		return x[i]
	}
	return x[i] + f*(x[i+1]-x[i])
}

// quantileCI is the order-statistic interval [x(l), x(u)] (1-based ranks)
// for the q-quantile of sorted x: l is the largest rank with
// P(B <= l-1) <= 2.5% and u the smallest with P(B <= u-1) >= 97.5%, B ~
// Binomial(n, q), so that P(x(l) <= quantile <= x(u)) = P(l <= B <= u-1)
// >= 95%. A rank outside 1..n gives an unbounded end.
func quantileCI(x []float64, q float64) (lo, hi float64) {
	n := len(x)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	tail := (1 - conf) / 2
	cdf := func(k int) float64 { // P(B <= k)
		switch {
		case k < 0:
			return 0
		case k >= n:
			return 1
		}
		return distuv.Binomial{N: float64(n), P: q}.CDF(float64(k))
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

// describeGoal says what a goal asks for: "mean restraint_rate >= 0.7".
func describeGoal(g scenarios.Expect) string {
	var what string
	switch g.Stat {
	case "share":
		what = "share " + g.Outcome
	case "quantile":
		what = fmtNum(g.Q) + "-quantile of " + g.Metric
	default:
		what = g.Stat + " " + g.Metric
	}
	return what + " " + describeBounds(g)
}

// describeBounds writes a goal's bounds: ">= 0.7", "<= 3", "in [0.25, 0.45]".
func describeBounds(g scenarios.Expect) string {
	switch {
	case g.AtLeast != nil && g.AtMost != nil:
		return "in [" + fmtNum(*g.AtLeast) + ", " + fmtNum(*g.AtMost) + "]"
	case g.AtLeast != nil:
		return ">= " + fmtNum(*g.AtLeast)
	case g.AtMost != nil:
		return "<= " + fmtNum(*g.AtMost)
	}
	return ""
}

// fmtNum writes a measured number briefly: four significant digits,
// whole numbers of 10,000 and more in full, "inf" for an unbounded end.
func fmtNum(x float64) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case math.Abs(x) >= 1e4:
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// interval writes a result's interval: "95% CI [0.81, 0.86] (t, 8
// replicates)".
func (r goalResult) interval() string {
	reps := fmt.Sprintf("%d replicates", r.N)
	if r.N == 1 {
		reps = "1 replicate"
	}
	if math.IsNaN(r.Lo) || math.IsNaN(r.Hi) {
		return "no interval (" + reps + ")"
	}
	return fmt.Sprintf("%.0f%% CI [%s, %s] (%s, %s)", conf*100, fmtNum(r.Lo), fmtNum(r.Hi), r.Method, reps)
}

// verdict is "PASS" or "FAIL".
func (r goalResult) verdict() string {
	if r.Pass {
		return "PASS"
	}
	return "FAIL"
}

// line is the one-line report of a result, starting with its verdict.
func (r goalResult) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s: %s, %s", r.verdict(), describeGoal(r.Goal), fmtNum(r.Value), r.interval())
	if r.Close {
		b.WriteString("; close call: the interval crosses a bound")
	}
	return b.String()
}

// allPass reports whether every goal passed.
func allPass(rs []goalResult) bool {
	for _, r := range rs {
		if !r.Pass {
			return false
		}
	}
	return true
}
