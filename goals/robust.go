package goals

import (
	"context"
	"fmt"
	"math"

	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// Effect is a claim's effect size: the paired difference that decides its
// trend. For increasing, decreasing and differs it is the last variant
// minus the first; for peaked (dipped) the smaller (in size) of the two
// differences between the interior variant of the verdict (see
// peakVariant: where both differences exclude zero, or else the highest
// (lowest) mean) and the ends, signed so that a peak is positive and a dip
// negative.
func (c Claim) Effect() Diff {
	last := len(c.X) - 1
	switch c.Expect.Trend {
	case "peaked", "dipped":
		best, _ := peakVariant(c.X, c.Mean, c.Expect.Trend == "peaked")
		if best < 0 {
			return Diff{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
		}
		a, b := diff(c.X, 0, best), diff(c.X, last, best)
		if math.Abs(b.Mean) < math.Abs(a.Mean) {
			return b
		}
		return a
	}
	return diff(c.X, 0, last)
}

// Setting is one world a claim is checked in beyond its own set-up: the
// assignments (as --set takes them) that make it.
type Setting struct {
	Name    string
	Assigns []string
}

// Settings are the worlds of the robustness check: three population
// sizes, three networks and two decision precisions, 18 in all. A
// scenario's own set-up is usually one of them (193 states, complete,
// precision 5).
func Settings() []Setting {
	var out []Setting
	for _, n := range []int{50, 193, 1000} {
		for _, topo := range []string{"complete", "blocs", "scale-free"} {
			for _, beta := range []float64{2, 5} {
				out = append(out, Setting{
					Name: fmt.Sprintf("N=%d %s beta=%g", n, topo, beta),
					Assigns: []string{fmt.Sprintf("world.states=%d", n), "topology.kind=" + topo,
						fmt.Sprintf("decision.precision=%g", beta)},
				})
			}
		}
	}
	return out
}

// Robust tests every claim of s in every setting. The result holds, for
// each claim of s (in file order), its test in each setting (in the order
// of settings); a setting that makes the scenario invalid is an error.
func Robust(ctx context.Context, s *scenarios.Scenario, settings []Setting, opt sim.RunOptions, done func(claim, setting int)) ([][]Claim, error) {
	var claims []scenarios.Expect
	for _, e := range s.Expect {
		if e.IsClaim() {
			claims = append(claims, e)
		}
	}
	out := make([][]Claim, len(claims))
	for j, st := range settings {
		t := s.Clone()
		var as []scenarios.Assign
		for _, a := range st.Assigns {
			as = append(as, scenarios.Assign{Origin: "setting " + st.Name, Text: a})
		}
		if err := t.SetAll(as...); err != nil {
			return nil, fmt.Errorf("setting %s: %w", st.Name, err)
		}
		for i, c := range claims {
			cl, err := Run(ctx, t, c, opt)
			if err != nil {
				return nil, err
			}
			out[i] = append(out[i], cl)
			if done != nil {
				done(i, j)
			}
		}
	}
	return out, nil
}
