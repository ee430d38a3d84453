package goals

import (
	"math"
	"strings"
	"testing"

	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

func ptr(x float64) *float64 { return &x }

// TestGrade grades goals of each kind on hand-made replicates.
func TestGrade(t *testing.T) {
	var reps []sim.Replicate
	for i, v := range []float64{0.2, 0.4, 0.6, 0.8} {
		r := sim.Replicate{Index: i, Converged: -1, Outcome: sim.Contested, FinalRestraint: v}
		r.Window[sim.RestraintRate] = v
		if i < 3 {
			r.Converged = 10 * (i + 1) // 10, 20, 30; replicate 3 never converged
		}
		if v >= 0.6 {
			r.Outcome = sim.Established
		}
		reps = append(reps, r)
	}
	for _, c := range []struct {
		goal      scenarios.Expect
		value     float64
		pass      bool
		n         int
		noteMatch string
	}{
		{scenarios.Expect{Metric: "restraint_rate", Stat: "mean", AtLeast: ptr(0.5)}, 0.5, true, 4, ""},
		{scenarios.Expect{Metric: "final_restraint", Stat: "mean", AtLeast: ptr(0.55)}, 0.5, false, 4, ""},
		{scenarios.Expect{Metric: "outcome", Stat: "share", Outcome: "established", AtLeast: ptr(0.5), AtMost: ptr(0.5)}, 0.5, true, 4, ""},
		{scenarios.Expect{Metric: "converged", Stat: "mean", AtMost: ptr(25)}, 20, true, 3, "1 of 4 replicates have no converged"},
		// Quantiles count the unconverged replicate as later than any step:
		// sorted 10, 20, 30, +Inf; the median is 25, the 0.9-quantile +Inf.
		{scenarios.Expect{Metric: "converged", Stat: "quantile", Q: 0.5, AtMost: ptr(25)}, 25, true, 4, "1 of 4 replicates have no converged"},
		{scenarios.Expect{Metric: "converged", Stat: "quantile", Q: 0.9, AtMost: ptr(1000)}, math.Inf(1), false, 4, "have no converged"},
	} {
		r := grade(c.goal, reps)
		if r.Value != c.value && math.Abs(r.Value-c.value) > 1e-12 || r.Pass != c.pass || r.N != c.n || !strings.Contains(r.Note, c.noteMatch) {
			t.Errorf("%s: value %v pass %v n %d note %q; want %v %v %d %q", Describe(c.goal), r.Value, r.Pass, r.N, r.Note, c.value, c.pass, c.n, c.noteMatch)
		}
	}
	// The mean 0.5 meets ">= 0.5" but its interval crosses the bound.
	if r := grade(scenarios.Expect{Metric: "restraint_rate", Stat: "mean", AtLeast: ptr(0.5)}, reps); !r.Close {
		t.Errorf("mean on the bound: not flagged as a close call")
	}
	if r := grade(scenarios.Expect{Metric: "restraint_rate", Stat: "mean", AtLeast: ptr(0.5)}, nil); r.Pass || r.Note == "" {
		t.Errorf("no replicates: pass %v, note %q", r.Pass, r.Note)
	}
}

func TestDescribeGoal(t *testing.T) {
	for _, c := range []struct {
		g    scenarios.Expect
		want string
	}{
		{scenarios.Expect{Metric: "restraint_rate", Stat: "mean", AtLeast: ptr(0.7)}, "mean restraint_rate >= 0.7"},
		{scenarios.Expect{Metric: "outcome", Stat: "share", Outcome: "collapsed", AtMost: ptr(0.2)}, "share collapsed <= 0.2"},
		{scenarios.Expect{Metric: "converged", Stat: "quantile", Q: 0.5, AtLeast: ptr(10), AtMost: ptr(100000)}, "0.5-quantile of converged in [10, 100000]"},
	} {
		if got := Describe(c.g); got != c.want {
			t.Errorf("Describe = %q, want %q", got, c.want)
		}
	}
}

// writeScenario writes a small scenario with the given goals into dir.
