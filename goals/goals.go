// Package goals grades a scenario's [[expect]] entries on the replicates of a
// run: goals (a statistic within bounds: PASS or FAIL, by [Grade]) and
// claims (a direction over variants run with paired seeds: SUPPORTED or
// NOT SUPPORTED, by [Run] and [Evaluate]). [Robust] tests claims in the 18
// worlds of [Settings], and [Finding] is a row of the claims study's
// findings ([WriteFindings], [ReadFindings]). `normsim check`, `normsim
// claims`, handouts and the workbench's check use it.
package goals

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// Result is one graded goal.
type Result struct {
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

// Value returns replicate r's value of metric, a column of replicates.csv:
// NaN where it has none (a step that never came, an empty metric).
func Value(metric string, r sim.Replicate) float64 {
	step := func(t int) float64 {
		if t < 0 {
			return math.NaN()
		}
		return float64(t)
	}
	switch metric {
	case "final_restraint":
		return r.FinalRestraint
	case "final_belief":
		return r.FinalBelief
	case "converged":
		return step(r.Converged)
	case "tipping_step":
		return step(r.Tipping)
	case "converged_end":
		if r.ConvergedEnd {
			return 1
		}
		return 0
	}
	if m, ok := sim.MetricByName(metric); ok {
		return r.Window[m]
	}
	return math.NaN()
}

// Support is the range of a column of replicates.csv (a goal's or a
// claim's metric): [0, 1] for rates, shares and the replicate-level
// practice and expectations, counts for steps, the metric's own otherwise.
func Support(metric string) stats.Support {
	switch metric {
	case "final_restraint", "final_belief", "converged_end":
		return stats.Unit
	case "converged", "tipping_step":
		return stats.Count
	}
	if m, ok := sim.MetricByName(metric); ok {
		return stats.MetricSupport(m)
	}
	return stats.Real
}

// Grade grades every goal (not the claims) on the replicates of a run.
//
//   - mean: the sample mean, with Student's t interval cut to the
//     column's range; replicates without a value (a step that never
//     came) are left out and counted in the note.
//   - share: the share of replicates with the outcome, with the Wilson
//     (1927) score interval.
//   - quantile: the q-quantile (stats.Quantile) with its distribution-free
//     order-statistic interval; a step that never came counts as later
//     than any step, which keeps the order statistics right.
//
// A goal is met when the statistic itself is within its bounds; a goal
// whose interval crosses a bound is a close call.
func Grade(goals []scenarios.Expect, reps []sim.Replicate) []Result {
	var out []Result
	for _, g := range goals {
		if !g.IsClaim() {
			out = append(out, grade(g, reps))
		}
	}
	return out
}

func grade(g scenarios.Expect, reps []sim.Replicate) Result {
	r := Result{Goal: g, Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	if len(reps) == 0 {
		r.Note = "no replicate finished"
		return r
	}
	x := make([]float64, len(reps))
	for i, rep := range reps {
		x[i] = Value(g.Metric, rep)
	}
	switch g.Stat {
	case "share":
		o, _ := sim.ParseOutcome(g.Outcome)
		k := 0
		for _, rep := range reps {
			if rep.Outcome == o {
				k++
			}
		}
		r.N = len(reps)
		r.Value, r.Lo, r.Hi = stats.Share(k, r.N)
		r.Method = "Wilson"
	case "mean":
		v, left := stats.Finite(x)
		r.N = len(v)
		if left > 0 {
			r.Note = fmt.Sprintf("%d of %d replicates have no %s and are left out", left, len(reps), g.Metric)
		}
		r.Value, r.Lo, r.Hi = stats.Mean(v, Support(g.Metric))
		r.Method = "t"
	case "quantile":
		inf := 0
		for i := range x {
			if math.IsNaN(x[i]) {
				x[i] = math.Inf(1)
				inf++
			}
		}
		slices.Sort(x)
		r.N = len(x)
		r.Value = stats.Quantile(x, g.Q)
		r.Lo, r.Hi = stats.QuantileCI(x, g.Q)
		r.Method = "order statistics"
		if inf > 0 {
			r.Note = fmt.Sprintf("%d of %d replicates have no %s: counted as later than any step", inf, len(x), g.Metric)
		}
	}
	r.Pass = within(r.Value, g)
	// Without an interval (one replicate) nothing can be said of a close call.
	r.Close = !math.IsNaN(r.Lo) && !math.IsNaN(r.Hi) && (r.Pass != within(r.Lo, g) || r.Pass != within(r.Hi, g))
	return r
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

// Describe says what a goal asks for: "mean restraint_rate >= 0.7".
func Describe(g scenarios.Expect) string {
	var what string
	switch g.Stat {
	case "share":
		what = "share " + g.Outcome
	case "quantile":
		what = Num(g.Q) + "-quantile of " + g.Metric
	default:
		what = g.Stat + " " + g.Metric
	}
	return what + " " + bounds(g)
}

// bounds writes a goal's bounds: ">= 0.7", "<= 3", "in [0.25, 0.45]".
func bounds(g scenarios.Expect) string {
	switch {
	case g.AtLeast != nil && g.AtMost != nil:
		return "in [" + Num(*g.AtLeast) + ", " + Num(*g.AtMost) + "]"
	case g.AtLeast != nil:
		return ">= " + Num(*g.AtLeast)
	case g.AtMost != nil:
		return "<= " + Num(*g.AtMost)
	}
	return ""
}

// Num writes a measured number briefly: four significant digits, whole
// numbers of 10,000 and more in full, "inf" for an unbounded end, "n/a"
// for none.
func Num(x float64) string {
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

// Interval writes an interval: "95% CI [0.81, 0.86]", or "no interval".
func Interval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "no interval"
	}
	return fmt.Sprintf("%.0f%% CI [%s, %s]", stats.Conf*100, Num(lo), Num(hi))
}

// Verdict is "PASS" or "FAIL".
func (r Result) Verdict() string {
	if r.Pass {
		return "PASS"
	}
	return "FAIL"
}

// Line is the one-line report of a result, starting with its verdict.
func (r Result) Line() string {
	reps := fmt.Sprintf("%d replicates", r.N)
	if r.N == 1 {
		reps = "1 replicate"
	}
	iv := Interval(r.Lo, r.Hi)
	if r.Method != "" && !math.IsNaN(r.Lo) {
		iv += " (" + r.Method + ", " + reps + ")"
	} else {
		iv += " (" + reps + ")"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s: %s, %s", r.Verdict(), Describe(r.Goal), Num(r.Value), iv)
	if r.Close {
		b.WriteString("; close call: the interval crosses a bound")
	}
	return b.String()
}
