package plots

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/normsim/normsim/sim"
)

// TestBandOf builds ten replicates whose value at step j is r + j (r =
// 0..9, in scrambled order): at every step the median is 4.5 + j, the 10%
// quantile 0.9 + j and the 90% quantile 8.1 + j (definition 7).
func TestBandOf(t *testing.T) {
	order := []int{7, 2, 9, 0, 4, 1, 8, 3, 6, 5}
	s := series{Steps: []int{0, 5, 10, 15}}
	for _, r := range order {
		v := make([]float64, len(s.Steps))
		for j := range v {
			v[j] = float64(r + j)
		}
		s.Vals = append(s.Vals, v)
	}
	b := bandOf(s)
	for j := range s.Steps {
		if b.X[j] != float64(s.Steps[j]) {
			t.Errorf("X[%d] = %v, want %d", j, b.X[j], s.Steps[j])
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"Lo", b.Lo[j], 0.9 + float64(j)}, {"Mid", b.Mid[j], 4.5 + float64(j)}, {"Hi", b.Hi[j], 8.1 + float64(j)}} {
			if !scalar.EqualWithinAbs(c.got, c.want, 1e-12) {
				t.Errorf("step %d: %s = %v, want %v", s.Steps[j], c.name, c.got, c.want)
			}
		}
	}
}

// TestThin checks that thinning keeps the first and last steps, stays
// within the point budget, and hides no excursion of the band.
func TestThin(t *testing.T) {
	n := 10001
	b := band{X: make([]float64, n), Lo: make([]float64, n), Mid: make([]float64, n), Hi: make([]float64, n)}
	for j := range n {
		b.X[j] = float64(j)
		b.Mid[j] = math.Sin(float64(j) / 500)
		b.Lo[j] = b.Mid[j] - 0.1
		b.Hi[j] = b.Mid[j] + 0.1
	}
	b.Hi[4321] = 5  // a spike
	b.Lo[7777] = -5 // a dip
	got := thin(b, 1500)
	if len(got.X) > 1500 {
		t.Errorf("thin kept %d points, want at most 1500", len(got.X))
	}
	if got.X[0] != 0 || got.X[len(got.X)-1] != float64(n-1) {
		t.Errorf("thin spans %v..%v, want 0..%d", got.X[0], got.X[len(got.X)-1], n-1)
	}
	maxHi, minLo := math.Inf(-1), math.Inf(1)
	for j := range got.X {
		maxHi = math.Max(maxHi, got.Hi[j])
		minLo = math.Min(minLo, got.Lo[j])
		if j > 0 && !(got.X[j] > got.X[j-1]) {
			t.Fatalf("thinned steps not increasing at %d: %v after %v", j, got.X[j], got.X[j-1])
		}
	}
	if maxHi != 5 || minLo != -5 {
		t.Errorf("thinned band spans [%v, %v], want the spike and dip [-5, 5]", minLo, maxHi)
	}
	short := band{X: []float64{0, 1}, Lo: []float64{0, 0}, Mid: []float64{0, 0}, Hi: []float64{0, 0}}
	if got := thin(short, 1500); len(got.X) != 2 {
		t.Errorf("thin of 2 points kept %d", len(got.X))
	}
}

// TestMetricBandFixture checks the band of a real chart series against a
// direct computation at one step, with record-every thinning (the fixture
// records every second step).
func TestMetricBandFixture(t *testing.T) {
	res := cyberFixture()
	b, err := metricBand(res, sim.BeliefRestraintMean, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.X) != len(res.Replicates[0].Steps) || b.X[1] != 2 {
		t.Fatalf("band has %d points starting %v, want %d recorded steps 0, 2, ...", len(b.X), b.X[:2], len(res.Replicates[0].Steps))
	}
	j := 60
	var col []float64
	for _, r := range res.Replicates {
		col = append(col, r.Rows[j][sim.BeliefRestraintMean])
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range col {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if !(lo <= b.Lo[j] && b.Lo[j] <= b.Mid[j] && b.Mid[j] <= b.Hi[j] && b.Hi[j] <= hi) {
		t.Errorf("step %v: band %v <= %v <= %v not within the replicates' range [%v, %v]", b.X[j], b.Lo[j], b.Mid[j], b.Hi[j], lo, hi)
	}
}
