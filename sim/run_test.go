package sim

import (
	"math"
	"testing"
)

// TestWindowMeanInRange: a window of values that returned to zero
// averages zero, not the -1e-17 the running sum's rounding leaves (a
// practice of -0.000 was printed).
func TestWindowMeanInRange(t *testing.T) {
	var w windowMean
	w.init(3)
	for _, x := range []float64{0.1, 0.2, 0.3, 0, 0, 0} {
		w.add(x)
	}
	if got := w.mean(); got != 0 {
		t.Errorf("mean of a window of zeros = %g, want 0", got)
	}
	w.add(0.7)
	// The running sum went through 7 additions and subtractions of values
	// at most 0.7, each rounded by at most half an ulp of a sum below 1
	// (1.1e-16): the mean is off by under 7 x 1.1e-16 / 3 = 2.6e-16.
	if got := w.mean(); math.Abs(got-0.7/3) > 1e-15 {
		t.Errorf("mean = %g, want %g", got, 0.7/3)
	}
}
