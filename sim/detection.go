package sim

import "github.com/normsim/normsim/agents"

// detectionCurve is the chance 1 - Phi(tau - d) that evidence of strength
// d' = d passes a standard tau (the true positive rate of
// [agents.Detection]), tabulated on [0, detectionMax] at steps of
// 1/detectionRes and interpolated linearly: the engine evaluates it for
// every victim whose forensics move (exposure, recovery) at every step,
// where math.Erfc would dominate the cost. Linear interpolation of f(d) =
// 1 - Phi(tau - d) errs by at most h^2/8 max|f”| = h^2/8 phi(1) (the
// largest |phi'|, 0.242) = 1.2e-7 for h = 1/512: far below any effect the
// model measures. Outside the table it is exact.
type detectionCurve struct {
	tau float64
	v   []float64
}

const (
	detectionMax = 12.0
	detectionRes = 512
)

// set tabulates the curve of standard tau, reusing its buffer.
func (c *detectionCurve) set(tau float64) {
	n := int(detectionMax*detectionRes) + 1
	if len(c.v) == n && c.tau == tau {
		return // tabulated already: an event that leaves tau alone costs nothing here
	}
	if cap(c.v) < n {
		c.v = make([]float64, n)
	}
	c.v = c.v[:n]
	c.tau = tau
	for i := range c.v {
		c.v[i] = 1 - agents.Phi(tau-float64(i)/detectionRes)
	}
}

// at returns the chance for evidence strength d.
func (c *detectionCurve) at(d float64) float64 {
	x := d * detectionRes
	i := int(x)
	if d < 0 || i >= len(c.v)-1 {
		tpr, _ := agents.Detection(d, c.tau)
		return tpr
	}
	f := x - float64(i)
	return c.v[i] + f*(c.v[i+1]-c.v[i])
}
