package plots

import (
	"math"
	"strings"
	"testing"
)

func TestMorrisPlane(t *testing.T) {
	names := []string{"forum.pull", "decision.conformity"}
	f, err := MorrisPlane(names, []float64{0.02, 0.38}, []float64{0, 0.01}, []float64{0.06, 0.82}, []float64{0.06, 0.63}, "the established share", fixtureMeta)
	if err != nil {
		t.Fatal(err)
	}
	s := figText(t, f)
	for _, want := range []string{"Morris screening of the", "forum.pull", "decision.conformity", "sigma = mu*"} {
		if !strings.Contains(s, want) {
			t.Errorf("morris chart lacks %q", want)
		}
	}
	if _, err := MorrisPlane(names, []float64{0.1}, []float64{0, 0}, []float64{1, 1}, []float64{1, 1}, "y", fixtureMeta); err == nil {
		t.Error("mu_star short of a parameter: no error")
	}
	if _, err := MorrisPlane(names, []float64{0.1, math.NaN()}, []float64{0, 0}, []float64{1, 1}, []float64{1, 1}, "y", fixtureMeta); err == nil {
		t.Error("a NaN mu_star: no error")
	}
	if _, err := MorrisPlane(nil, nil, nil, nil, nil, "y", fixtureMeta); err == nil {
		t.Error("no parameters: no error")
	}
}
