package sim

import "testing"

// TestNumberKeyInteger: the keys a sweep samples from { min, max } and
// rounds (sweep.Points) are the integer ones.
func TestNumberKeyInteger(t *testing.T) {
	for key, want := range map[string]bool{
		"world.states": true, "forum.every": true, "run.seed": true, "world.initial.site": true,
		"forum.inclusivity": false, "world.power.alpha": false, "world.initial.escalators": false,
		"decision.reciprocal.cc": false, "no.such": false,
	} {
		if _, got := NumberKey(key); got != want {
			t.Errorf("NumberKey(%q) integer = %v, want %v", key, got, want)
		}
	}
}
