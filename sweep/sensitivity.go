package sweep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Interval is an estimate with a 95% bootstrap percentile interval
// [Lo, Hi] (Efron and Tibshirani 1993, ch. 13), from the design's
// Bootstrap resamples.
type Interval struct {
	Value, Lo, Hi float64
}

// SobolIndex holds the first-order index S1 and the total-order index ST of
// one parameter (Sobol' 1993; Homma and Saltelli 1996).
type SobolIndex struct {
	Param  string
	S1, ST Interval
}

// SobolIndices estimates every parameter's Sobol' indices of an output
// from y, its values at the points of a sobol design (y[j] at point j of
// [Design.Points]). With f_A, f_B and f_ABi the outputs at A_j, B_j and
// AB_j^i, and V the variance of all f_A and f_B values (Saltelli et al.
// 2010, "Variance based sensitivity analysis of model output", Comput.
// Phys. Commun. 181, 259-270, Table 2):
//
//	S1_i = mean_j f_B (f_ABi - f_A) / V           (Saltelli et al. 2010, (b))
//	ST_i = mean_j (f_A - f_ABi)^2 / (2 V)         (Jansen 1999, (f))
//
// The intervals resample the N rows j with replacement, seeded from the
// design's Seed, so they are reproducible. A constant output gives NaN.
func (d Design) SobolIndices(y []float64) ([]SobolIndex, error) {
	d = d.Normalize()
	if d.Kind != Sobol {
		return nil, fmt.Errorf("sweep: Sobol' indices need a sobol design, not %q", d.Kind)
	}
	k, n := len(d.Params), d.Samples
	if len(y) != n*(k+2) {
		return nil, fmt.Errorf("sweep: %d outputs for a sobol design of %d points", len(y), n*(k+2))
	}
	est := func(rows []int, s1, st []float64) {
		// V: the (population) variance of the f_A and f_B values, two-pass.
		var sum float64
		for _, j := range rows {
			sum += y[j*(k+2)] + y[j*(k+2)+k+1]
		}
		m := float64(2 * len(rows))
		mean := sum / m
		var ss float64
		for _, j := range rows {
			a, b := y[j*(k+2)]-mean, y[j*(k+2)+k+1]-mean
			ss += a*a + b*b
		}
		v := ss / m
		for i := range k {
			var f, t float64
			for _, j := range rows {
				a, ab, b := y[j*(k+2)], y[j*(k+2)+1+i], y[j*(k+2)+k+1]
				f += b * (ab - a)
				t += (a - ab) * (a - ab)
			}
			s1[i] = f / float64(len(rows)) / v
			st[i] = t / float64(len(rows)) / (2 * v)
		}
	}
	all := make([]int, n)
	for j := range all {
		all[j] = j
	}
	s1, st := make([]float64, k), make([]float64, k)
	est(all, s1, st)
	bs1, bst := make([][]float64, k), make([][]float64, k)
	rows := make([]int, n)
	b1, bt := make([]float64, k), make([]float64, k)
	rnd := rand.New(rand.NewPCG(d.Seed, streamBootstrap))
	for range d.Bootstrap {
		for j := range rows {
			rows[j] = int(rnd.Uint64N(uint64(n)))
		}
		est(rows, b1, bt)
		for i := range k {
			bs1[i] = append(bs1[i], b1[i])
			bst[i] = append(bst[i], bt[i])
		}
	}
	out := make([]SobolIndex, k)
	for i, p := range d.Params {
		out[i] = SobolIndex{Param: p.Key, S1: interval(s1[i], bs1[i]), ST: interval(st[i], bst[i])}
	}
	return out, nil
}

// interval returns v with the 2.5% and 97.5% percentiles of the bootstrap
// replicates bs (which it sorts); NaN bounds if any replicate is NaN.
func interval(v float64, bs []float64) Interval {
	for _, x := range bs {
		if math.IsNaN(x) {
			return Interval{v, math.NaN(), math.NaN()}
		}
	}
	slices.Sort(bs)
	return Interval{
		Value: v,
		Lo:    stat.Quantile(0.025, stat.LinInterp, bs, nil),
		Hi:    stat.Quantile(0.975, stat.LinInterp, bs, nil),
	}
}

// MorrisEffect summarises a parameter's elementary effects: Mu their mean
// and Sigma their standard deviation (Morris 1991, "Factorial sampling
// plans for preliminary computational experiments", Technometrics 33,
// 161-174), MuStar the mean of their absolute values (Campolongo,
// Cariboni and Saltelli 2007, "An effective screening design for
// sensitivity analysis of large models", Environ. Model. Softw. 22,
// 1509-1518). A parameter with MuStar near 0 is inert; a large Sigma
// signals non-linearity or interactions.
type MorrisEffect struct {
	Param             string
	MuStar, Mu, Sigma Interval
}

// MorrisEffects estimates every parameter's Morris measures of an output
// from y, its values at the points of a morris design (y[j] at point j of
// [Design.Points]). The elementary effect of parameter i in a trajectory
// is (y after the step - y before) / (+-Delta), with the step Delta =
// p/(2(p-1)) measured in the unit range of the parameter: so a parameter
// with output = c*x over [Min, Max] has elementary effect c*(Max-Min).
// The intervals resample the trajectories with replacement.
func (d Design) MorrisEffects(y []float64) ([]MorrisEffect, error) {
	d = d.Normalize()
	if d.Kind != Morris {
		return nil, fmt.Errorf("sweep: Morris effects need a morris design, not %q", d.Kind)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	k, r := len(d.Params), d.Samples
	if len(y) != r*(k+1) {
		return nil, fmt.Errorf("sweep: %d outputs for a morris design of %d points", len(y), r*(k+1))
	}
	m := d.morrisPlan()
	delta := float64(d.Levels/2) / float64(d.Levels-1)
	ee := make([][]float64, k) // ee[i][t]
	for i := range ee {
		ee[i] = make([]float64, r)
	}
	for t := range r {
		for s := 1; s <= k; s++ {
			i, up := m.moved[t*k+s-1], m.up[t*k+s-1]
			dy := y[t*(k+1)+s] - y[t*(k+1)+s-1]
			if up {
				ee[i][t] = dy / delta
			} else {
				ee[i][t] = -dy / delta
			}
		}
	}
	measures := func(e []float64, rows []int) (muStar, mu, sigma float64) {
		var sa, s float64
		for _, t := range rows {
			sa += math.Abs(e[t])
			s += e[t]
		}
		n := float64(len(rows))
		mu = s / n
		var ss float64
		for _, t := range rows {
			ss += (e[t] - mu) * (e[t] - mu)
		}
		return sa / n, mu, math.Sqrt(ss / (n - 1))
	}
	all := make([]int, r)
	for t := range all {
		all[t] = t
	}
	rows := make([]int, r)
	bs := make([][3][]float64, k)
	rnd := rand.New(rand.NewPCG(d.Seed, streamBootstrap))
	for range d.Bootstrap {
		for t := range rows {
			rows[t] = int(rnd.Uint64N(uint64(r)))
		}
		for i := range k {
			a, b, c := measures(ee[i], rows)
			bs[i][0] = append(bs[i][0], a)
			bs[i][1] = append(bs[i][1], b)
			bs[i][2] = append(bs[i][2], c)
		}
	}
	out := make([]MorrisEffect, k)
	for i, p := range d.Params {
		a, b, c := measures(ee[i], all)
		out[i] = MorrisEffect{Param: p.Key, MuStar: interval(a, bs[i][0]), Mu: interval(b, bs[i][1]), Sigma: interval(c, bs[i][2])}
	}
	return out, nil
}
