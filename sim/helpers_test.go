package sim

import "math"

// sameRows reports whether two records are identical, bit for bit (an
// empty metric, NaN, equals itself).
func sameRows(a, b []Row) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameRow(a[i], b[i]) {
			return false
		}
	}
	return true
}

// sameRow reports whether two rows are identical, bit for bit.
func sameRow(a, b Row) bool {
	for m := range a {
		if math.Float64bits(a[m]) != math.Float64bits(b[m]) {
			return false
		}
	}
	return true
}

// SameRow is sameRow for the tests of package sim_test.
var SameRow = sameRow
