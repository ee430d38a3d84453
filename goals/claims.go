package goals

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// Claim is the test of one claim: its variants' values, their means with
// 95% intervals, the paired differences and the verdict.
type Claim struct {
	Expect scenarios.Expect
	// X holds each variant's value per replicate, X[variant][replicate],
	// replicates paired across variants (the same seeds); NaN where a
	// replicate has none.
	X              [][]float64
	Mean, Lo, Hi   []float64 // per variant
	Steps          []Diff    // consecutive variants: i+1 minus i
	Supported      bool
	Reason         string // what decided the verdict
	Note           string // what was left out, and why
	Replicates     int
	CensoredAtStep int // for step metrics, a step that never came counts as this one (0: none)
}

// Diff is the mean paired difference of two variants, To minus From, with
// its 95% t interval over the replicates where both have a value.
type Diff struct {
	From, To     int
	Mean, Lo, Hi float64
	N            int
}

// Positive reports whether the interval lies above zero; Negative below.
func (d Diff) Positive() bool { return d.Lo > 0 }

// Negative reports whether the interval lies below zero.
func (d Diff) Negative() bool { return d.Hi < 0 }

// diff pairs variants a and b of x.
func diff(x [][]float64, a, b int) Diff {
	d, _ := stats.Paired(x[a], x[b])
	m, lo, hi := stats.Mean(d, stats.Real)
	return Diff{From: a, To: b, Mean: m, Lo: lo, Hi: hi, N: len(d)}
}

// Evaluate tests claim c on the values x[variant][replicate] (paired by
// replicate): each variant's mean and interval, the paired differences
// between consecutive variants, and the verdict by c.Trend, each
// difference judged by its 95% t interval excluding zero:
//
//   - increasing (decreasing): every consecutive difference is positive
//     (negative);
//   - peaked (dipped): an interior variant is above (below) both ends;
//   - differs: the last variant differs from the first.
func Evaluate(c scenarios.Expect, x [][]float64) Claim {
	k := len(x)
	cl := Claim{Expect: c, X: x, Mean: make([]float64, k), Lo: make([]float64, k), Hi: make([]float64, k)}
	left := 0
	for i := range x {
		v, l := stats.Finite(x[i])
		left = max(left, l)
		cl.Mean[i], cl.Lo[i], cl.Hi[i] = stats.Mean(v, Support(c.Metric))
		cl.Replicates = max(cl.Replicates, len(x[i]))
	}
	if left > 0 {
		cl.Note = fmt.Sprintf("up to %d of %d replicates have no %s in a variant and are left out of its pairs", left, cl.Replicates, c.Metric)
	}
	for i := 0; i+1 < k; i++ {
		cl.Steps = append(cl.Steps, diff(x, i, i+1))
	}
	cl.Supported, cl.Reason = verdict(c, x, cl.Steps)
	return cl
}

// peakVariant is the interior variant a peaked (up) or dipped claim is
// about: the first whose paired differences from both ends exclude zero
// in the claimed direction (ok: the claim holds there), or else the one
// whose mean is highest (lowest), or -1 when there is no interior variant
// or no means are given. The verdict and the effect size both use it, so
// that a claim's effect is measured where its verdict was decided.
func peakVariant(x [][]float64, mean []float64, up bool) (j int, ok bool) {
	last := len(x) - 1
	for j := 1; j < last; j++ {
		a, b := diff(x, 0, j), diff(x, last, j)
		if up && a.Positive() && b.Positive() || !up && a.Negative() && b.Negative() {
			return j, true
		}
	}
	best := -1
	for j := 1; j < last && mean != nil; j++ {
		if best < 0 || up && mean[j] > mean[best] || !up && mean[j] < mean[best] {
			best = j
		}
	}
	return best, false
}

// verdict applies the trend's rule.
func verdict(c scenarios.Expect, x [][]float64, steps []Diff) (bool, string) {
	name := func(i int) string { return Num(c.Values[i]) }
	show := func(d Diff) string {
		return fmt.Sprintf("%s - %s = %s %s", name(d.To), name(d.From), signed(d.Mean), Interval(d.Lo, d.Hi))
	}
	switch c.Trend {
	case "increasing", "decreasing":
		up := c.Trend == "increasing"
		for _, d := range steps {
			if up && !d.Positive() || !up && !d.Negative() {
				return false, fmt.Sprintf("not %s from %s to %s: %s", c.Trend, name(d.From), name(d.To), show(d))
			}
		}
		return true, fmt.Sprintf("%s: every step goes %s", c.Trend, map[bool]string{true: "up", false: "down"}[up])
	case "peaked", "dipped":
		up := c.Trend == "peaked"
		if j, ok := peakVariant(x, nil, up); ok {
			return true, fmt.Sprintf("%s at %s: %s; %s", c.Trend, name(j), show(diff(x, 0, j)), show(diff(x, len(x)-1, j)))
		}
		return false, fmt.Sprintf("no interior value is %s both ends", map[bool]string{true: "above", false: "below"}[up])
	case "differs":
		d := diff(x, 0, len(x)-1)
		if d.Positive() || d.Negative() {
			return true, "differs: " + show(d)
		}
		return false, "the ends do not differ: " + show(d)
	}
	return false, "unknown trend " + c.Trend
}

func signed(x float64) string {
	if x >= 0 {
		return "+" + Num(x)
	}
	return Num(x)
}

// Verdict is "SUPPORTED" or "NOT SUPPORTED".
func (c Claim) Verdict() string {
	if c.Supported {
		return "SUPPORTED"
	}
	return "NOT SUPPORTED"
}

// Report writes the claim's test: the claim, each variant's mean and
// interval, the paired differences, and one line with the verdict (the
// only line that says SUPPORTED or NOT SUPPORTED).
func (c Claim) Report(w io.Writer) {
	e := c.Expect
	fmt.Fprintf(w, "CLAIM  %s\n", e.Claim)
	fmt.Fprintf(w, "       mean %s, varying %s (%d paired replicates):\n", e.Metric, e.Vary, c.Replicates)
	for i, v := range e.Values {
		fmt.Fprintf(w, "         %-10s %8s  %s\n", Num(v), Num(c.Mean[i]), Interval(c.Lo[i], c.Hi[i]))
	}
	fmt.Fprintf(w, "       paired differences:")
	for _, d := range c.Steps {
		fmt.Fprintf(w, " %s - %s = %s %s;", Num(e.Values[d.To]), Num(e.Values[d.From]), signed(d.Mean), Interval(d.Lo, d.Hi))
	}
	fmt.Fprintln(w)
	if c.CensoredAtStep > 0 {
		fmt.Fprintf(w, "       (a replicate whose %s never came counts as step %d, after the run)\n", e.Metric, c.CensoredAtStep)
	}
	if c.Note != "" {
		fmt.Fprintf(w, "       note: %s\n", c.Note)
	}
	fmt.Fprintf(w, "       %s: %s\n", c.Verdict(), c.Reason)
}

// Run tests claim c of scenario s: it runs every variant (s with c.Vary
// set to each value) with the same seeds, so that replicate r of every
// variant draws from PCG(seed, r), and evaluates the claim on c.Metric.
// For a step metric (converged, tipping_step) a step that never came
// counts as the step after the run, so that pairs are kept and the
// differences are conservative.
func Run(ctx context.Context, s *scenarios.Scenario, c scenarios.Expect, opt sim.RunOptions) (Claim, error) {
	x := make([][]float64, len(c.Values))
	censor := 0
	for i := range c.Values {
		v, err := s.VariantScenario(c, i)
		if err != nil {
			return Claim{}, err
		}
		cfg, _ := v.Config()
		res, err := sim.Run(ctx, cfg, opt)
		if err != nil {
			return Claim{}, fmt.Errorf("claim %q, %s = %s: %w", c.Claim, c.Vary, Num(c.Values[i]), err)
		}
		for _, r := range res.Replicates {
			y := Value(c.Metric, r)
			if math.IsNaN(y) && (c.Metric == "converged" || c.Metric == "tipping_step") {
				censor = max(censor, cfg.Run.Steps+1)
				y = float64(cfg.Run.Steps + 1)
			}
			x[i] = append(x[i], y)
		}
	}
	cl := Evaluate(c, x)
	cl.CensoredAtStep = censor
	return cl, nil
}
