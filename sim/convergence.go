package sim

import "math"

// convergence finds the first step after which, for Window steps, the
// spread (sd) of the restraint belief stays below Epsilon and its mean
// stays within Delta of its value at that step (MODEL.md, "Convergence").
// It looks at every step, whatever is recorded.
type convergence struct {
	c      ConvergenceConfig
	anchor int     // candidate convergence step, -1 when none
	mean0  float64 // mean belief at the anchor
	found  int
}

func newConvergence(c ConvergenceConfig) *convergence {
	return &convergence{c: c, anchor: -1, found: -1}
}

func (v *convergence) add(t int, row *Row) {
	if v.found >= 0 {
		return
	}
	m, sd := row[BeliefRestraintMean], row[BeliefRestraintSD]
	if !(sd < v.c.Epsilon) {
		v.anchor = -1
		return
	}
	if v.anchor < 0 || !(math.Abs(m-v.mean0) < v.c.Delta) {
		v.anchor, v.mean0 = t, m
	}
	if t-v.anchor >= v.c.Window {
		v.found = v.anchor
	}
}

// step returns the convergence step, or -1.
func (v *convergence) step() int { return v.found }
