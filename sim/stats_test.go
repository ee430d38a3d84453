package sim

import (
	"math"
	"testing"
)

// TestWilson checks the Wilson score interval against values worked from
// its formula (Wilson 1927; Newcombe 1998, Stat. Med. 17, Table I: for
// 81/263 at 95%, 0.2553 to 0.3662; for 0/20, 0 to 0.1611).
func TestWilson(t *testing.T) {
	cases := []struct {
		k, n   int
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{20, 20, 0.8389, 1},
	}
	for _, c := range cases {
		lo, hi := Wilson(c.k, c.n, 0.95)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("Wilson(%d, %d) = [%.4f, %.4f], want [%.4f, %.4f]", c.k, c.n, lo, hi, c.lo, c.hi)
		}
	}
	if lo, hi := Wilson(0, 0, 0.95); lo != 0 || hi != 1 {
		t.Errorf("Wilson(0, 0) = [%v, %v], want [0, 1]", lo, hi)
	}
}

// TestConvergence checks the convergence rule of MODEL.md on hand-made
// series: the first step after which, for window steps, the spread stays
// below epsilon and the mean within delta of its value at that step.
func TestConvergence(t *testing.T) {
	c := ConvergenceConfig{Window: 3, Epsilon: 0.1, Delta: 0.05, High: 0.9, Low: 0.1}
	type pt struct{ mean, sd float64 }
	cases := []struct {
		name   string
		series []pt
		want   int
	}{
		{"never narrow", []pt{{0.5, 0.2}, {0.5, 0.2}, {0.5, 0.2}, {0.5, 0.2}, {0.5, 0.2}}, -1},
		{"narrow from 1", []pt{{0.5, 0.2}, {0.5, 0.05}, {0.52, 0.05}, {0.53, 0.05}, {0.54, 0.05}}, 1},
		{"mean drifts, re-anchors", []pt{{0.1, 0.05}, {0.2, 0.05}, {0.3, 0.05}, {0.31, 0.05}, {0.32, 0.05}, {0.33, 0.05}}, 2},
		{"spread jumps back", []pt{{0.5, 0.05}, {0.5, 0.05}, {0.5, 0.2}, {0.5, 0.05}, {0.5, 0.05}, {0.5, 0.05}, {0.5, 0.05}}, 3},
		{"too short", []pt{{0.5, 0.05}, {0.5, 0.05}, {0.5, 0.05}}, -1},
	}
	for _, tc := range cases {
		v := newConvergence(c)
		for i, p := range tc.series {
			var row Row
			row[BeliefRestraintMean], row[BeliefRestraintSD] = p.mean, p.sd
			v.add(i, &row)
		}
		if got := v.step(); got != tc.want {
			t.Errorf("%s: converged at %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestClassify checks the outcome names of MODEL.md.
func TestClassify(t *testing.T) {
	c := ConvergenceConfig{High: 0.9, Low: 0.1}
	for _, tc := range []struct {
		r, b float64
		want Outcome
	}{
		{0.95, 0.92, Established}, {0.95, 0.5, Contested}, {0.05, 0.02, Collapsed}, {0.05, 0.5, Contested}, {0.9, 0.9, Established}, {0.1, 0.1, Collapsed},
	} {
		if got := classify(c, tc.r, tc.b); got != tc.want {
			t.Errorf("classify(%v, %v) = %v, want %v", tc.r, tc.b, got, tc.want)
		}
	}
}

// TestSummarize checks shares, intervals and quantiles over replicates.
func TestSummarize(t *testing.T) {
	var reps []Replicate
	for i := range 10 {
		o := Contested
		if i < 7 {
			o = Established
		}
		conv := -1
		if i < 5 {
			conv = 10 * (i + 1)
		}
		reps = append(reps, Replicate{Index: i, Outcome: o, Converged: conv})
	}
	s := Summarize(reps)
	if s.Shares[0].Outcome != "established" || s.Shares[0].Count != 7 || s.Shares[0].Share != 0.7 {
		t.Errorf("established share %+v, want 7 of 10", s.Shares[0])
	}
	lo, hi := Wilson(7, 10, 0.95)
	if s.Shares[0].Lo != lo || s.Shares[0].Hi != hi {
		t.Errorf("interval [%v, %v], want [%v, %v]", s.Shares[0].Lo, s.Shares[0].Hi, lo, hi)
	}
	if s.Converged != 5 || s.Quantiles[2] != 30 {
		t.Errorf("converged %d, median %v; want 5 and 30", s.Converged, s.Quantiles[2])
	}
}
