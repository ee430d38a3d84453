package plots

import (
	"io"
	"math"
	"strings"
	"testing"
)

// TestRobustScore: the score is the effect over its interval's half
// width, positive in the claimed direction, clipped at ±robustClip, NaN
// without an effect.
func TestRobustScore(t *testing.T) {
	cases := []struct {
		c     RobustCell
		trend string
		want  float64
	}{
		{RobustCell{Effect: 1, Lo: 0, Hi: 2}, "increasing", 1},
		{RobustCell{Effect: 1, Lo: 0, Hi: 2}, "decreasing", -1},
		{RobustCell{Effect: -3, Lo: -4, Hi: -2}, "decreasing", 3},
		{RobustCell{Effect: -3, Lo: -4, Hi: -2}, "differs", 3},
		{RobustCell{Effect: 0.5, Lo: 0.4, Hi: 0.6}, "peaked", robustClip},
		{RobustCell{Effect: 0.5, Lo: 0.4, Hi: 0.6}, "dipped", -robustClip},
		{RobustCell{Effect: 2, Lo: 2, Hi: 2}, "increasing", robustClip},
		{RobustCell{Effect: 0, Lo: 0, Hi: 0}, "increasing", 0},
	}
	for _, c := range cases {
		if got := robustScore(c.c, c.trend); got != c.want {
			t.Errorf("robustScore(%+v, %s) = %v, want %v", c.c, c.trend, got, c.want)
		}
	}
	if got := robustScore(RobustCell{Effect: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}, "increasing"); !math.IsNaN(got) {
		t.Errorf("robustScore without an effect = %v, want NaN", got)
	}
	// The scale's ends and middle.
	if robustColor(0) != (robustColor(1e-12)) || robustColor(robustClip) != oiBlue || robustColor(-robustClip) != oiVermillion || robustColor(math.NaN()) != noEffectGrey {
		t.Errorf("colour scale: 0 %v, +%d %v, -%d %v", robustColor(0), robustClip, robustColor(robustClip), robustClip, robustColor(-robustClip))
	}
}

func TestRobustness(t *testing.T) {
	settings := []string{"N=50 complete beta=2", "N=50 complete beta=5", "N=193 blocs beta=2"}
	rows := []RobustRow{
		{Claim: "False flags lower restraint", Trend: "decreasing", Cells: []RobustCell{
			{Supported: true, Effect: -0.07, Lo: -0.08, Hi: -0.06, Replicates: 32},
			{Supported: true, Effect: -0.05, Lo: -0.07, Hi: -0.03, Replicates: 32},
			{Supported: false, Effect: 0.01, Lo: -0.01, Hi: 0.03, Replicates: 32}}},
		{Claim: "Forums speed convergence", Trend: "decreasing", Cells: []RobustCell{
			{Effect: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Replicates: 32},
			{Supported: true, Effect: -100, Lo: -150, Hi: -50, Replicates: 32},
			{Supported: true, Effect: -100, Lo: -150, Hi: -50, Replicates: 32}}},
	}
	f, err := Robustness(settings, rows, fixtureMeta)
	if err != nil {
		t.Fatal(err)
	}
	s := figText(t, f)
	// The header shows KEY=VALUE levels as values with the key beside
	// them; the counts are per claim.
	for _, want := range []string{"Robustness: 2 claims in 3 settings", "beta", "complete", "blocs", "193", "2 of 3", "False flags lower restraint", "32 paired replicates"} {
		if !strings.Contains(s, want) {
			t.Errorf("robustness chart lacks %q", want)
		}
	}
	if strings.Contains(s, "beta=2") {
		t.Errorf("robustness chart repeats the key in every column header")
	}
	if err := f.WritePNG(io.Discard); err != nil {
		t.Fatal(err)
	}

	bad := []RobustRow{{Claim: "x", Trend: "increasing", Cells: rows[0].Cells[:2]}}
	if _, err := Robustness(settings, bad, fixtureMeta); err == nil || !strings.Contains(err.Error(), "has 2 settings, want 3") {
		t.Errorf("a row short of settings: error %v", err)
	}
	inf := []RobustRow{{Claim: "x", Trend: "increasing", Cells: []RobustCell{{Effect: math.Inf(1)}, {}, {}}}}
	if _, err := Robustness(settings, inf, fixtureMeta); err == nil {
		t.Errorf("an infinite effect: no error")
	}
	if _, err := Robustness(nil, nil, fixtureMeta); err == nil {
		t.Errorf("nothing to draw: no error")
	}
}
