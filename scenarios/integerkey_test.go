package scenarios

import "testing"

func TestIntegerKey(t *testing.T) {
	for key, want := range map[string]bool{
		"world.states": true, "forum.every": true, "run.seed": true, "world.initial.site": true,
		"forum.inclusivity": false, "world.power.alpha": false, "world.initial.escalators": false,
		"decision.reciprocal.cc": false, "no.such": false,
	} {
		if got := IntegerKey(key); got != want {
			t.Errorf("IntegerKey(%q) = %v, want %v", key, got, want)
		}
	}
}
