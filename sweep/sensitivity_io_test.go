package sweep

import (
	"math"
	"strings"
	"testing"
)

// TestSensitivityWarnings: a sobol design whose estimates stray outside
// 0 <= S1 <= ST <= 1 is called too small (issue 14: S1 = 1.21 > ST = 1.17
// and negative S1 without a word); estimates within the slack, undefined
// (NaN) indices and other designs are not.
func TestSensitivityWarnings(t *testing.T) {
	d := Design{Kind: Sobol, Samples: 32}
	row := func(out, p, stat string, v float64) SensitivityRow {
		return SensitivityRow{Output: out, Param: p, Stat: stat, Interval: Interval{Value: v}}
	}
	ok := []SensitivityRow{row("y", "a", "S1", 0.3), row("y", "a", "ST", 0.32), row("y", "b", "S1", -0.04), row("y", "b", "ST", 0.02),
		row("z", "a", "S1", math.NaN()), row("z", "a", "ST", math.NaN())}
	if w := SensitivityWarnings(d, ok); w != nil {
		t.Errorf("warnings for estimates within the slack: %q", w)
	}
	bad := append(ok, row("w", "a", "S1", 1.21), row("w", "a", "ST", 1.17), row("w", "b", "S1", -0.3), row("w", "b", "ST", 0.1))
	w := SensitivityWarnings(d, bad)
	if len(w) != 1 {
		t.Fatalf("warnings %q, want one", w)
	}
	for _, want := range []string{"32 base samples", "S1 of a for w is 1.21, outside [0, 1]", "ST of a for w is 1.17", "S1 of b for w is -0.3", "raise sweep.samples"} {
		if !strings.Contains(w[0], want) {
			t.Errorf("warning lacks %q: %s", want, w[0])
		}
	}
	above := []SensitivityRow{row("y", "a", "S1", 0.5), row("y", "a", "ST", 0.4)}
	if w := SensitivityWarnings(d, above); len(w) != 1 || !strings.Contains(w[0], "above its ST 0.4") {
		t.Errorf("S1 above ST: %q", w)
	}
	if w := SensitivityWarnings(Design{Kind: Morris}, bad); w != nil {
		t.Errorf("a morris design warned: %q", w)
	}
}
