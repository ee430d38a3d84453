package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestBlocGraph checks the blocs topology: with probability 1 inside and 0
// across it is a union of complete graphs, one per bloc; otherwise the
// share of linked pairs inside and across blocs matches p_in and p_out
// within 4 binomial standard errors.
func TestBlocGraph(t *testing.T) {
	n := 300
	bloc := make([]int32, n)
	for i := range bloc {
		bloc[i] = int32(i % 4)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	a := blocGraph(n, bloc, 1, 0, rnd)
	for i := range n {
		if a.Degree(i) != n/4-1 {
			t.Fatalf("p_in = 1: state %d has degree %d, want %d", i, a.Degree(i), n/4-1)
		}
		for _, j := range a.Neighbours(i) {
			if bloc[j] != bloc[i] || int(j) == i {
				t.Fatalf("p_in = 1, p_out = 0: %d linked to %d", i, j)
			}
		}
	}
	const pIn, pOut = 0.3, 0.02
	a = blocGraph(n, bloc, pIn, pOut, rnd)
	var in, across, pairsIn, pairsAcross float64
	for i := range n {
		for j := i + 1; j < n; j++ {
			if bloc[i] == bloc[j] {
				pairsIn++
			} else {
				pairsAcross++
			}
		}
		seen := map[int32]bool{}
		for _, j := range a.Neighbours(i) {
			if int(j) == i || seen[j] {
				t.Fatalf("state %d: self loop or duplicate link to %d", i, j)
			}
			seen[j] = true
			if int(j) > i {
				if bloc[i] == bloc[j] {
					in++
				} else {
					across++
				}
			}
		}
	}
	within := func(what string, k, n, p float64) {
		if se := math.Sqrt(p * (1 - p) / n); math.Abs(k/n-p) > 4*se {
			t.Errorf("%s: %.4f of pairs linked, want %.4f +- %.4f", what, k/n, p, 4*se)
		}
	}
	within("inside blocs", in, pairsIn, pIn)
	within("across blocs", across, pairsAcross, pOut)
}
