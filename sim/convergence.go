package sim

import "math"

// convergence tracks MODEL.md's convergence of expectations over a window
// of W steps: the spread (sd) of the restraint belief stays below epsilon
// at every step of the window, and the mean belief moves less than delta,
// measured as the difference between the means of the window's two
// halves (so that per-step noise does not decide it). It reports the
// first step after which a window held (first passage) and whether the
// run's last window held, with the condition that failed there. It looks
// at every step, whatever is recorded, and allocates only its ring.
type convergence struct {
	c     ConvergenceConfig
	mean  []float64 // ring of the last W mean beliefs
	t     int       // steps added
	wide  int       // the last step whose spread was >= epsilon, -1 if none
	found int       // first passage, -1 while none
	// The condition that failed over the last window, "" when it held.
	fail string
}

func newConvergence(c ConvergenceConfig) *convergence {
	return &convergence{c: c, mean: make([]float64, max(1, c.Window)), wide: -1, found: -1, fail: "window"}
}

// add records step t's row (t = 0, 1, 2... in order).
func (v *convergence) add(t int, row *Row) {
	w := len(v.mean)
	m, sd := row[BeliefRestraintMean], row[BeliefRestraintSD]
	v.mean[t%w] = m
	v.t = t + 1
	if !(sd < v.c.Epsilon) {
		v.wide = t
	}
	if v.t < w {
		v.fail = "window" // shorter than one window
		return
	}
	start := t - w + 1
	switch {
	case v.wide >= start:
		v.fail = "spread"
	case !(v.drift() < v.c.Delta):
		v.fail = "drift"
	default:
		v.fail = ""
		if v.found < 0 {
			v.found = start
		}
	}
}

// drift is the difference between the mean beliefs of the second and the
// first half of the window (the middle step of an odd window is in
// neither).
func (v *convergence) drift() float64 {
	w := len(v.mean)
	h := w / 2
	if h == 0 {
		return 0
	}
	var a, b float64
	for i := range h {
		a += v.mean[(v.t-w+i)%w]
		b += v.mean[(v.t-h+i)%w]
	}
	return math.Abs(b-a) / float64(h)
}

// step returns the first-passage convergence step, or -1.
func (v *convergence) step() int { return v.found }

// end reports whether the last window held and, if not, which condition
// failed: "spread", "drift", or "window" when the run was shorter than a
// window.
func (v *convergence) end() (bool, string) { return v.fail == "", v.fail }
