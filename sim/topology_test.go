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
	a := blocGraph(n, bloc, 1, 0, rnd, nil)
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
	a = blocGraph(n, bloc, pIn, pOut, rnd, nil)
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

// simpleGraph fails unless a has no self links or duplicates and is
// symmetric, and returns its number of links.
func simpleGraph(t *testing.T, a *Adjacency) int {
	t.Helper()
	links := 0
	for i := range a.N {
		nb := a.Neighbours(i)
		for x, j := range nb {
			if int(j) == i || (x > 0 && nb[x-1] == j) {
				t.Fatalf("state %d: self link or duplicate %d", i, j)
			}
			back := false
			for _, k := range a.Neighbours(int(j)) {
				back = back || int(k) == i
			}
			if !back {
				t.Fatalf("link %d-%d is not symmetric", i, j)
			}
		}
		links += len(nb)
	}
	return links / 2
}

// TestRandomGraphs checks the generators of the random topologies:
// Erdos-Renyi links each pair with probability p (4 binomial standard
// errors over several graphs); Watts-Strogatz (1998) with no rewiring is
// the ring lattice of degree k, and rewiring keeps its n k / 2 links while
// making long links; Barabasi-Albert (1999) has m (n - m) links and hubs.
func TestRandomGraphs(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	n := 400
	cfg := DefaultConfig()
	cfg.World.States = n
	cfg.Topology.Kind = TopoRandom
	cfg.Topology.P = 0.03
	links, pairs := 0.0, 0.0
	for range 10 {
		a, err := BuildTopology(&cfg, make([]int32, n), rnd)
		if err != nil {
			t.Fatal(err)
		}
		links += float64(simpleGraph(t, a))
		pairs += float64(n * (n - 1) / 2)
	}
	if se := math.Sqrt(0.03 * 0.97 / pairs); math.Abs(links/pairs-0.03) > 4*se {
		t.Errorf("Erdos-Renyi: %.5f of pairs linked, want 0.03 +- %.5f", links/pairs, 4*se)
	}

	ring := wattsStrogatz(n, 6, 0, rnd, nil)
	for i := range n {
		nb := ring.Neighbours(i)
		if len(nb) != 6 {
			t.Fatalf("ring: state %d has degree %d, want 6", i, len(nb))
		}
		for _, j := range nb {
			if d := min((int(j)-i+n)%n, (i-int(j)+n)%n); d > 3 {
				t.Fatalf("ring: state %d linked to %d, %d steps away", i, j, d)
			}
		}
	}
	sw := wattsStrogatz(n, 6, 0.2, rnd, nil)
	if l := simpleGraph(t, sw); l != n*3 {
		t.Errorf("small world: %d links, want n k / 2 = %d", l, n*3)
	}
	long := 0
	for i := range n {
		for _, j := range sw.Neighbours(i) {
			if min((int(j)-i+n)%n, (i-int(j)+n)%n) > 3 {
				long++
			}
		}
	}
	// About a fifth of the links are rewired (p = 0.2), nearly all of them
	// to far states (a uniform draw lands within 3 steps with chance
	// 6/400): the share of long links is about 0.2 with a binomial sd of
	// about 0.012 over the 1200 links, so +-0.05 is four sd and more.
	if frac := float64(long) / float64(2*n*3); frac < 0.15 || frac > 0.25 {
		t.Errorf("small world: %.3f of links are long, want about 0.2", frac)
	}

	ba := barabasiAlbert(n, 2, rnd, nil)
	if l := simpleGraph(t, ba); l != 2*(n-2) {
		t.Errorf("Barabasi-Albert: %d links, want m (n - m) = %d", l, 2*(n-2))
	}
	maxDeg := 0
	for i := range n {
		maxDeg = max(maxDeg, ba.Degree(i))
	}
	if maxDeg < 20 {
		t.Errorf("Barabasi-Albert: largest degree %d, want hubs (mean degree is 4)", maxDeg)
	}
}

// TestLattice checks the lattice neighbourhoods: Moore has 8 neighbours
// inside and 3 at a corner with fixed edges, von Neumann 4 and 2; a torus
// gives every site the full count; self adds the site itself.
func TestLattice(t *testing.T) {
	for _, tc := range []struct {
		hood          Neighbourhood
		torus, self   bool
		inner, corner int
	}{
		{Moore, false, false, 8, 3},
		{Moore, false, true, 9, 4},
		{Moore, true, false, 8, 8},
		{VonNeumann, false, false, 4, 2},
		{VonNeumann, true, true, 5, 5},
	} {
		a := latticeAdjacency(TopologyConfig{Kind: TopoLattice, Width: 7, Height: 5, Neighbourhood: tc.hood, Torus: tc.torus, Self: tc.self})
		if got := a.Degree(2*7 + 3); got != tc.inner {
			t.Errorf("%+v: inner site has %d neighbours, want %d", tc, got, tc.inner)
		}
		if got := a.Degree(0); got != tc.corner {
			t.Errorf("%+v: corner has %d neighbours, want %d", tc, got, tc.corner)
		}
	}
}
