package agents

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Sources: Axelrod (1986), "An Evolutionary Approach to Norms", APSR 80(4)
// (3-bit traits, six-bit strategies, 1% mutation per bit, the
// mean +- 1 sd selection rule, Table 1's score); Galan and Izquierdo
// (2005), JASSS 8(3) 2 (random refill, ties replicated twice then halved,
// the random tournament, roulette wheel and average rules). Frequencies are
// compared within 4.5 standard errors.

func within(t *testing.T, what string, got, want float64, n int) {
	t.Helper()
	se := math.Sqrt(want * (1 - want) / float64(n))
	if math.Abs(got-want) > 4.5*se+1e-12 {
		t.Errorf("%s: %v, want %v (se %.2g)", what, got, want, se)
	}
}

func TestAxelrodLevel(t *testing.T) {
	for k := range uint8(8) {
		if got := AxelrodLevel(AxelrodValue(k)); got != k {
			t.Errorf("AxelrodLevel(%d/7) = %d", k, got)
		}
	}
	for _, c := range []struct {
		x    float64
		want uint8
	}{{-1, 0}, {math.NaN(), 0}, {0.124, 0}, {0.125, 1}, {0.5, 4}, {0.99, 7}, {2, 7}} {
		if got := AxelrodLevel(c.x); got != c.want {
			t.Errorf("AxelrodLevel(%v) = %d, want %d", c.x, got, c.want)
		}
	}
}

func TestGenome(t *testing.T) {
	for b := range uint8(8) {
		for v := range uint8(8) {
			g := MakeGenome(b, v)
			if g.Boldness() != b || g.Vengefulness() != v || g > 63 {
				t.Fatalf("MakeGenome(%d, %d) = %06b", b, v, g)
			}
		}
	}
}

// TestMutate checks both mutation routines: each bit flips with
// probability mu, independently (a genome keeps all six bits with
// probability (1-mu)^6), and mu = 0 and 1 are certain.
func TestMutate(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	const n = 100000
	for _, mu := range []float64{0.01, 0.2} {
		var flips [6]int
		var none, noneBatch int
		gs := make([]Genome, n)
		MutateGenomes(gs, mu, rnd)
		var batch [6]int
		for i := range n {
			g := Genome(0).Mutate(mu, rnd)
			if g == 0 {
				none++
			}
			if gs[i] == 0 {
				noneBatch++
			}
			for b := range 6 {
				flips[b] += int(g >> b & 1)
				batch[b] += int(gs[i] >> b & 1)
			}
		}
		for b := range 6 {
			within(t, "Mutate bit flip share", float64(flips[b])/n, mu, n)
			within(t, "MutateGenomes bit flip share", float64(batch[b])/n, mu, n)
		}
		within(t, "Mutate: genome unchanged", float64(none)/n, math.Pow(1-mu, 6), n)
		within(t, "MutateGenomes: genome unchanged", float64(noneBatch)/n, math.Pow(1-mu, 6), n)
	}
	gs := []Genome{0, 63, 5}
	MutateGenomes(gs, 0, rnd)
	if gs[0] != 0 || gs[1] != 63 || gs[2] != 5 || Genome(9).Mutate(0, rnd) != 9 {
		t.Error("mutation at mu = 0 changed a genome")
	}
	MutateGenomes(gs, 1, rnd)
	if gs[0] != 63 || gs[1] != 0 || gs[2] != 58 || Genome(9).Mutate(1, rnd) != 54 {
		t.Errorf("mutation at mu = 1: %v", gs)
	}
}

// TestNormsScore is Axelrod's (1986) Table 1: B = 2/7, V = 4/7; one
// defection (+3), punished once (-9), hurt by 36 defections (-36),
// punished 9 of them (-18): -60. And the metanorms terms.
func TestNormsScore(t *testing.T) {
	p := NormsPayoffs{Temptation: 3, Harm: 1, Punishment: 9, EnforcementCost: 2, MetaPunishment: 9, MetaEnforcementCost: 2}
	if got := p.Score(&NormsTally{Defections: 1, Punished: 1, Hurt: 36, Punishments: 9}); got != -60 {
		t.Errorf("Table 1 score = %v, want -60", got)
	}
	if got := p.Score(&NormsTally{MetaPunished: 2, MetaPunishments: 3}); got != -24 {
		t.Errorf("metanorms score = %v, want -24", got)
	}
}

func TestAxelrodOffspring(t *testing.T) {
	counts := make([]uint8, 5)
	// Payoffs -2, 0, 0, 0, 7: mean 1, squared deviations 9+1+1+1+36 = 48,
	// population sd sqrt(9.6) = 3.10: 7 >= 4.10 gets 2; -2 > -2.10 gets 1.
	if AxelrodOffspring([]float64{-2, 0, 0, 0, 7}, false, counts) {
		t.Fatal("reported all equal")
	}
	if want := []uint8{1, 1, 1, 1, 2}; !equalU8(counts, want) {
		t.Errorf("counts = %v, want %v", counts, want)
	}
	// Two agents, payoffs 0 and 2: mean 1, population sd 1, so 2 >= 2 and
	// 0 <= 0 (the bounds are inclusive, as Axelrod's "one standard
	// deviation more effective"); the sample sd is sqrt 2 and both get 1.
	c2 := make([]uint8, 2)
	AxelrodOffspring([]float64{0, 2}, false, c2)
	if !equalU8(c2, []uint8{0, 2}) {
		t.Errorf("population sd: counts %v, want [0 2]", c2)
	}
	AxelrodOffspring([]float64{0, 2}, true, c2)
	if !equalU8(c2, []uint8{1, 1}) {
		t.Errorf("sample sd: counts %v, want [1 1]", c2)
	}
	if !AxelrodOffspring([]float64{-4, -4, -4}, false, counts[:3]) {
		t.Error("equal payoffs not reported")
	}
	AverageOffspring([]float64{1, 2, 3, 4, 5}, counts)
	if !equalU8(counts, []uint8{0, 0, 2, 2, 2}) {
		t.Errorf("average rule: counts %v, want [0 0 2 2 2]", counts)
	}
}

func equalU8(a, b []uint8) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBreederAxelrod checks Axelrod's rule with random refill: the
// offspring of payoffs {0 x 8, 10, 10} are 2 + 2 + 8 = 12 (the two tens are
// >= mean + sd = 2 + 4 = 6), so 2 are removed at random: each of the 12
// survives with probability 10/12.
func TestBreederAxelrod(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	b := Breeder{}
	pay := []float64{0, 0, 0, 0, 0, 0, 0, 0, 10, 10}
	parents := make([]int32, 10)
	const n = 50000
	var copies [10]int
	for range n {
		if b.Parents(pay, parents, rnd) {
			t.Fatal("reported all equal")
		}
		for _, p := range parents {
			copies[p]++
		}
	}
	for i, c := range copies {
		want := 10.0 / 12
		if i >= 8 {
			want *= 2
		}
		// Each copy survives with probability 10/12.
		got := float64(c) / n
		if i >= 8 {
			within(t, "expected copies/2 of a top scorer", got/2, want/2, 2*n)
		} else {
			within(t, "survival of an average scorer", got, want, n)
		}
	}
}

// TestBreederEqual checks Galan and Izquierdo's note 4: with all payoffs
// equal everyone is replicated twice and half the 2n offspring are removed
// at random, so an agent has no offspring with probability
// C(2n-2, n)/C(2n, n) = (n-1)/(2(2n-1)); and the "keep" reading keeps
// everyone once.
func TestBreederEqual(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	const size, n = 20, 20000
	pay := make([]float64, size)
	parents := make([]int32, size)
	b := Breeder{}
	lost := 0
	for range n {
		if !b.Parents(pay, parents, rnd) {
			t.Fatal("equal payoffs not reported")
		}
		has := false
		for _, p := range parents {
			has = has || p == 0
		}
		if !has {
			lost++
		}
	}
	within(t, "drift: share of generations where agent 0 leaves no offspring", float64(lost)/n, float64(size-1)/(2*(2*size-1)), n)
	b.Equal = EqualKeep
	b.Parents(pay, parents, rnd)
	for i, p := range parents {
		if int(p) != i {
			t.Fatalf("keep: parents %v", parents)
		}
	}
}

// TestBreederRefill checks both refills when Axelrod's rule leaves too few
// offspring: payoffs {0, 0, 0, 0, 9}: mean 1.8, sd 3.6: 9 gets 2 and the
// others 1 each: 6 offspring for 5 places (too many: one removed); and
// {-9, 0, 0, 0, 0}: -9 gets none, 4 offspring for 5 places (one added).
func TestBreederRefill(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	parents := make([]int32, 5)
	b := Breeder{Refill: RefillRanked}
	b.Parents([]float64{0, 0, 0, 0, 9}, parents, rnd)
	if n4 := count(parents, 4); n4 != 2 {
		t.Errorf("ranked, too many: parents %v, want the top scorer twice", parents)
	}
	b.Parents([]float64{-9, 0, 1, 0, 0}, parents, rnd)
	if count(parents, 0) != 0 || count(parents, 2) != 2 {
		t.Errorf("ranked, too few: parents %v, want the best (2) replicated", parents)
	}
	// Random refill of the 4 offspring {1,2,3,4}: one of them, uniformly,
	// is replicated.
	b.Refill = RefillRandom
	const n = 40000
	twice := 0
	for range n {
		b.Parents([]float64{-9, 0, 1, 0, 0}, parents, rnd)
		if count(parents, 2) == 2 {
			twice++
		}
		if count(parents, 0) != 0 {
			t.Fatalf("random refill copied an eliminated agent: %v", parents)
		}
	}
	within(t, "random refill: share replicating agent 2", float64(twice)/n, 0.25, n)
}

func count(ps []int32, x int32) int {
	c := 0
	for _, p := range ps {
		if p == x {
			c++
		}
	}
	return c
}

// TestBreederTournament checks the random tournament: with distinct
// payoffs, the agent of rank r (0 = worst) of n wins a draw of two (with
// replacement) with probability (2r+1)/n^2; ties go either way.
func TestBreederTournament(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 10))
	b := Breeder{Selection: SelectTournament}
	pay := []float64{5, -1, 3, 10}
	rank := []int{2, 0, 1, 3}
	parents := make([]int32, 4)
	const n = 50000
	var wins [4]int
	for range n {
		b.Parents(pay, parents, rnd)
		for _, p := range parents {
			wins[p]++
		}
	}
	for i, w := range wins {
		within(t, "tournament win share", float64(w)/(4*n), float64(2*rank[i]+1)/16, 4*n)
	}
}

// TestBreederRoulette checks the roulette wheel: an agent is drawn with
// probability (payoff - min) / sum(payoff - min); all equal: uniformly.
func TestBreederRoulette(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	b := Breeder{Selection: SelectRoulette}
	pay := []float64{-3, -1, 0, 3} // weights 0, 2, 3, 6 of 11
	parents := make([]int32, 4)
	const n = 50000
	var got [4]int
	for range n {
		b.Parents(pay, parents, rnd)
		for _, p := range parents {
			got[p]++
		}
	}
	for i, w := range []float64{0, 2, 3, 6} {
		within(t, "roulette share", float64(got[i])/(4*n), w/11, 4*n)
	}
	if !b.Parents([]float64{2, 2, 2, 2}, parents, rnd) {
		t.Error("roulette: equal payoffs not reported")
	}
}

// TestBreederAllocs checks that breeding does not allocate once warm.
func TestBreederAllocs(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	pay := make([]float64, 20)
	for i := range pay {
		pay[i] = float64(i * i % 7)
	}
	parents := make([]int32, 20)
	gs := make([]Genome, 20)
	for _, sel := range []Selection{SelectAxelrod, SelectTournament, SelectRoulette, SelectAverage} {
		for _, refill := range []Refill{RefillRandom, RefillRanked} {
			b := Breeder{Selection: sel, Refill: refill}
			b.Parents(pay, parents, rnd)
			if a := testing.AllocsPerRun(100, func() {
				b.Parents(pay, parents, rnd)
				MutateGenomes(gs, 0.01, rnd)
			}); a != 0 {
				t.Errorf("selection %d refill %d: %v allocations per generation", sel, refill, a)
			}
		}
	}
}
