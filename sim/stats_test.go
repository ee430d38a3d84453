package sim

import (
	"testing"
)

// TestConvergence checks the convergence rule of MODEL.md on hand-made
// series: the first step after which, for a window of steps, the spread
// stays below epsilon and the means of the window's two halves differ by
// less than delta; and whether the last window holds, naming the
// condition that fails.
func TestConvergence(t *testing.T) {
	c := ConvergenceConfig{Window: 4, Epsilon: 0.1, Delta: 0.05, High: 0.9, Low: 0.1}
	type pt struct{ mean, sd float64 }
	cases := []struct {
		name   string
		series []pt
		want   int
		end    string // "" when the last window holds
	}{
		{"never narrow", []pt{{0.5, 0.2}, {0.5, 0.2}, {0.5, 0.2}, {0.5, 0.2}, {0.5, 0.2}}, -1, "spread"},
		{"narrow from 1", []pt{{0.5, 0.2}, {0.5, 0.05}, {0.52, 0.05}, {0.53, 0.05}, {0.54, 0.05}}, 1, ""},
		// Halves (0.1+0.2)/2 and (0.3+0.4)/2 differ by 0.2, and so on.
		{"steady drift", []pt{{0.1, 0.05}, {0.2, 0.05}, {0.3, 0.05}, {0.4, 0.05}, {0.5, 0.05}, {0.6, 0.05}}, -1, "drift"},
		// Noise around a level: each step jumps by 0.06 (more than delta),
		// but the halves' means agree.
		{"noise is not drift", []pt{{0.5, 0.05}, {0.56, 0.05}, {0.5, 0.05}, {0.56, 0.05}, {0.5, 0.05}}, 0, ""},
		{"converged, then not at the end", []pt{{0.5, 0.05}, {0.5, 0.05}, {0.5, 0.05}, {0.5, 0.05}, {0.5, 0.2}}, 0, "spread"},
		{"too short", []pt{{0.5, 0.05}, {0.5, 0.05}, {0.5, 0.05}}, -1, "window"},
	}
	for _, tc := range cases {
		v := newConvergence(c)
		for i, p := range tc.series {
			var row Row
			row[BeliefRestraintMean], row[BeliefRestraintSD] = p.mean, p.sd
			v.add(i, &row)
		}
		ok, fail := v.end()
		if got := v.step(); got != tc.want || ok != (tc.end == "") || fail != tc.end {
			t.Errorf("%s: converged at %d, at the end %v (%q); want %d, %q", tc.name, got, ok, fail, tc.want, tc.end)
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
		if got := Classify(c, tc.r, tc.b); got != tc.want {
			t.Errorf("classify(%v, %v) = %v, want %v", tc.r, tc.b, got, tc.want)
		}
	}
}
