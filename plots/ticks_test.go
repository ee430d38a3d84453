package plots

import "testing"

// TestNiceTicksLabels checks that axis ticks fall on multiples of a round
// step and are labelled with as many decimals as the step needs, all
// alike, with no "-0".
func TestNiceTicksLabels(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{0, 0.25, []string{"0.00", "0.05", "0.10", "0.15", "0.20", "0.25"}},
		{-0.5, 0.1, []string{"-0.4", "-0.2", "0.0"}},
		{0, 1.5, []string{"0.0", "0.5", "1.0", "1.5"}},
		{0, 300, []string{"0", "100", "200", "300"}},
	} {
		ts := niceTicks{}.Ticks(c.lo, c.hi)
		var got []string
		for _, tk := range ts {
			got = append(got, tk.Label)
		}
		if len(got) != len(c.want) {
			t.Errorf("[%v, %v]: %v, want %v", c.lo, c.hi, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("[%v, %v]: %v, want %v", c.lo, c.hi, got, c.want)
				break
			}
		}
	}
}
