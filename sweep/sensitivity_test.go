package sweep

import (
	"math"
	"testing"
)

// ishigami is the test function of Ishigami and Homma (1990), "An
// importance quantification technique in uncertainty analysis for computer
// models", Proc. ISUMA '90, 398-403: f = sin x1 + a sin^2 x2 + b x3^4 sin x1,
// x_i ~ U(-pi, pi).
func ishigami(x []float64, a, b float64) float64 {
	s := math.Sin(x[0])
	s2 := math.Sin(x[1])
	return s + a*s2*s2 + b*math.Pow(x[2], 4)*s
}

// ishigamiIndices are the analytic first-order and total Sobol' indices of
// the Ishigami function (Homma and Saltelli 1996; Saltelli et al. 2008,
// "Global Sensitivity Analysis: The Primer", section 4.9):
//
//	V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V3 = 0,
//	V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13.
func ishigamiIndices(a, b float64) (s1, st [3]float64) {
	pi4 := math.Pow(math.Pi, 4)
	v1 := (1 + b*pi4/5) * (1 + b*pi4/5) / 2
	v2 := a * a / 8
	v13 := b * b * pi4 * pi4 * (1.0/18 - 1.0/50)
	v := v1 + v2 + v13
	return [3]float64{v1 / v, v2 / v, 0}, [3]float64{(v1 + v13) / v, v2 / v, v13 / v}
}

func TestIshigamiAnalytic(t *testing.T) {
	// The values published for a = 7, b = 0.1 (e.g. Saltelli et al. 2010,
	// and every sensitivity-analysis library's test suite), to 4 digits.
	s1, st := ishigamiIndices(7, 0.1)
	want1 := [3]float64{0.3139, 0.4424, 0}
	wantT := [3]float64{0.5576, 0.4424, 0.2437}
	for i := range 3 {
		if math.Abs(s1[i]-want1[i]) > 5e-5 || math.Abs(st[i]-wantT[i]) > 5e-5 {
			t.Errorf("x%d: S1 = %.5f, ST = %.5f; published %v, %v", i+1, s1[i], st[i], want1[i], wantT[i])
		}
	}
}

// The Saltelli/Jansen estimators on a Sobol' design recover the Ishigami
// indices. The tolerance is four bootstrap standard errors, the standard
// error taken as the 95% percentile interval's width / 3.92 (about 0.015
// here). With quasi-random points the true error is smaller than this
// Monte Carlo estimate, so the check is conservative, yet a wrong
// estimator misses by far more: f_A in place of f_B in S1 estimates
// -ST_i, and swapping the S1 and ST formulas is off by 0.24 for x1 and x3.
func TestSobolIshigami(t *testing.T) {
	const a, b = 7, 0.1
	d := Design{Kind: Sobol, Samples: 1 << 13, Replicates: 1, Seed: 1, Params: []Param{
		{Key: "x1", Min: -math.Pi, Max: math.Pi},
		{Key: "x2", Min: -math.Pi, Max: math.Pi},
		{Key: "x3", Min: -math.Pi, Max: math.Pi},
	}}
	pts, err := d.Points()
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(pts))
	for j, x := range pts {
		y[j] = ishigami(x, a, b)
	}
	idx, err := d.SobolIndices(y)
	if err != nil {
		t.Fatal(err)
	}
	s1, st := ishigamiIndices(a, b)
	check := func(name string, i int, got Interval, want float64) {
		se := (got.Hi - got.Lo) / 3.92
		if !(se > 0) || se > 0.05 {
			t.Errorf("%s_%d: bootstrap interval [%v, %v] implausible", name, i+1, got.Lo, got.Hi)
		}
		if math.Abs(got.Value-want) > 4*se {
			t.Errorf("%s_%d = %.4f (95%% [%.4f, %.4f]), want %.4f within 4 se = %.4f", name, i+1, got.Value, got.Lo, got.Hi, want, 4*se)
		}
	}
	for i, s := range idx {
		check("S1", i, s.S1, s1[i])
		check("ST", i, s.ST, st[i])
		t.Logf("%s: S1 %.4f [%.4f, %.4f]  ST %.4f [%.4f, %.4f]", s.Param, s.S1.Value, s.S1.Lo, s.S1.Hi, s.ST.Value, s.ST.Lo, s.ST.Hi)
	}
	// The intervals are reproducible.
	again, _ := d.SobolIndices(y)
	if again[0] != idx[0] {
		t.Error("bootstrap intervals differ between two calls")
	}
}

// On a linear function every elementary effect of x_i is c_i (Max_i -
// Min_i) exactly (Morris 1991; Campolongo et al. 2007): mu = that, mu* =
// its absolute value, sigma = 0, and an inert parameter has mu* = 0.
func TestMorrisLinear(t *testing.T) {
	c := []float64{2, -3, 0, 0.5}
	d := Design{Kind: Morris, Samples: 10, Replicates: 1, Seed: 5, Params: []Param{
		{Key: "a", Min: 0, Max: 1}, {Key: "b", Min: -1, Max: 3}, {Key: "inert", Min: 0, Max: 10}, {Key: "d", Min: 5, Max: 7},
	}}
	pts, err := d.Points()
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(pts))
	for j, x := range pts {
		for i := range c {
			y[j] += c[i] * x[i]
		}
	}
	eff, err := d.MorrisEffects(y)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range eff {
		want := c[i] * (d.Params[i].Max - d.Params[i].Min)
		const tol = 1e-9
		if math.Abs(e.Mu.Value-want) > tol || math.Abs(e.MuStar.Value-math.Abs(want)) > tol || e.Sigma.Value > tol {
			t.Errorf("%s: mu = %v, mu* = %v, sigma = %v; want %v, %v, 0", e.Param, e.Mu.Value, e.MuStar.Value, e.Sigma.Value, want, math.Abs(want))
		}
	}
}

// f = x1 + x2^2 + x1 x3 + 0 x4 on [0,1]^4 with p = 4 levels (Delta = 2/3).
// The elementary effect of x2 is ((l + Delta)^2 - l^2)/Delta = 2l + Delta
// for the lower value l, uniform on {0, 1/3}: 2/3 or 4/3 with equal chance,
// so mu_2 = 1 with sd 1/3. That of x1 is 1 + x3, with x3 uniform on the
// four levels: mu_1 = 1.5, sd sqrt(5)/6. That of x3 is x1: mu_3 = 0.5.
// x4 is inert: mu*_4 = 0 exactly. Tolerances: 4 standard errors of a mean
// of r trajectories.
func TestMorrisNonlinear(t *testing.T) {
	const r = 400
	d := Design{Kind: Morris, Samples: r, Replicates: 1, Seed: 9, Params: []Param{
		{Key: "x1", Max: 1}, {Key: "x2", Max: 1}, {Key: "x3", Max: 1}, {Key: "x4", Max: 1},
	}}
	pts, err := d.Points()
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(pts))
	for j, x := range pts {
		y[j] = x[0] + x[1]*x[1] + x[0]*x[2]
	}
	eff, err := d.MorrisEffects(y)
	if err != nil {
		t.Fatal(err)
	}
	sd3 := math.Sqrt(5) / 6 // sd of the levels {0, 1/3, 2/3, 1}
	for _, c := range []struct {
		i      int
		mu, sd float64
	}{{0, 1.5, sd3}, {1, 1, 1.0 / 3}, {2, 0.5, sd3}} {
		e := eff[c.i]
		se := c.sd / math.Sqrt(r)
		if math.Abs(e.Mu.Value-c.mu) > 4*se {
			t.Errorf("%s: mu = %v, want %v within %v", e.Param, e.Mu.Value, c.mu, 4*se)
		}
		if math.Abs(e.Sigma.Value-c.sd) > 0.15*c.sd {
			t.Errorf("%s: sigma = %v, want about %v", e.Param, e.Sigma.Value, c.sd)
		}
		if !(e.MuStar.Lo <= e.MuStar.Value && e.MuStar.Value <= e.MuStar.Hi) {
			t.Errorf("%s: mu* %v outside its interval [%v, %v]", e.Param, e.MuStar.Value, e.MuStar.Lo, e.MuStar.Hi)
		}
	}
	if e := eff[3]; e.MuStar.Value != 0 || e.Sigma.Value != 0 {
		t.Errorf("inert x4: mu* = %v, sigma = %v, want 0", e.MuStar.Value, e.Sigma.Value)
	}
}
