package sim

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/normsim/normsim/agents"
)

// Tests of the game kernel. Sources:
//
//   - Nowak and May (1992), "Evolutionary games and spatial chaos", Nature
//     359, 826-829: R = 1, T = b, S = P = 0; each site plays its 8 Moore
//     neighbours and itself; fixed boundaries; synchronous best-neighbour
//     update. The regimes: if b > 9/5 a 2x2 or larger cluster of D grows
//     (at its corners), if b < 9/5 a large cluster of D shrinks; if b < 2
//     a 2x2 or larger cluster of C grows, if b > 2 it does not; so for
//     9/5 < b < 2 C and D invade each other and the patterns change
//     chaotically for ever, the share of C fluctuating about 0.318 from
//     random starts; a single D in the centre of a symmetric array unfolds
//     into "evolutionary kaleidoscopes" ("ever-changing sequences of
//     spatial patterns", the abstract). The thresholds are derived in the
//     comments below from the payoffs, so that each can be checked by hand.
//   - Traulsen, Nowak and Pacheco (2006), Phys. Rev. E 74, 011909, and
//     Nowak, Sasaki, Taylor and Fudenberg (2004), Nature 428, 646-650: the
//     fixation probability of a single mutant.

// nmConfig is the Nowak-May configuration with initial conditions in.
func nmConfig(width, height int, b float64, torus bool, in InitialConfig) Config {
	cfg := nowakMayConfig(width, height, b, torus)
	cfg.World.Initial = in
	return cfg
}

// cooperators returns 1 for the cooperating sites of a snapshot.
func cooperators(s LatticeSnapshot) []uint8 {
	c := make([]uint8, len(s.Cells))
	for i, v := range s.Cells {
		if v == 0 || v == 2 {
			c[i] = 1
		}
	}
	return c
}

func snap(t *testing.T, k kernel) LatticeSnapshot {
	t.Helper()
	l, ok := k.(latticer)
	if !ok {
		t.Fatalf("kernel %T has no lattice", k)
	}
	return l.snapshot(0)
}

func newTestKernel(t *testing.T, cfg Config, seed uint64, fast bool) kernel {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	k, err := newGameKernelPath(&cfg, rand.New(rand.NewPCG(seed, 0)), fast, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, isFast := k.(*nowakMay); isFast != (fast && isLatticeGame(&cfg)) {
		t.Fatalf("fast = %v gave kernel %T", fast, k)
	}
	return k
}

// square lists the sites of the side x side square with corner (x0, y0).
func square(width, x0, y0, side int) []int {
	var l []int
	for y := y0; y < y0+side; y++ {
		for x := x0; x < x0+side; x++ {
			l = append(l, y*width+x)
		}
	}
	return l
}

// allBut lists the sites 0..n-1 except those in keep.
func allBut(n int, keep []int) []int {
	var l []int
	for i := range n {
		if !slices.Contains(keep, i) {
			l = append(l, i)
		}
	}
	return l
}

func TestNowakMayClusters(t *testing.T) {
	// Nowak and May (1992): the growth of clusters decides the regime. On
	// a 99x99 array with fixed boundaries and self-interaction:
	//   - D square in C: a D at a corner has 5 C neighbours and scores 5b;
	//     the C diagonally outside it scores 8, the C beyond 9. The corner
	//     D takes over the C next to it when 5b > 9, b > 9/5. A D on a
	//     straight edge scores 3b, its C neighbour 6: C eats straight edges
	//     when b < 2. So the square grows for 9/5 < b < 2 and shrinks for
	//     b < 9/5.
	//   - 2x2 C square in D: each C scores 4 (itself and 3 C), the D next
	//     to two of them 2b: C spreads when 4 > 2b, b < 2, and dies out when
	//     b > 2.
	const L = 99
	dSquare := square(L, 39, 39, 21)
	cSquare := square(L, 49, 49, 2)
	cases := []struct {
		name    string
		b       float64
		list    []int
		steps   int
		grows   bool
		extinct bool // the cluster disappears
	}{
		{"D square, b=1.7 < 9/5, shrinks", 1.7, dSquare, 20, false, false},
		{"D square, b=1.5 < 9/5, shrinks", 1.5, dSquare, 20, false, false},
		{"D square, b=1.9 > 9/5, grows", 1.9, dSquare, 10, true, false},
		{"2x2 C, b=1.9 < 2, grows", 1.9, allBut(L*L, cSquare), 10, true, false},
		{"2x2 C, b=1.2 < 2, grows", 1.2, allBut(L*L, cSquare), 10, true, false},
		{"2x2 C, b=2.1 > 2, dies out", 2.1, allBut(L*L, cSquare), 10, false, true},
	}
	for _, c := range cases {
		cfg := nmConfig(L, L, c.b, false, InitialConfig{Pattern: InitList, Escalating: c.list, Site: -1})
		w, err := New(cfg, rand.NewPCG(1, 0))
		if err != nil {
			t.Fatal(err)
		}
		// size of the cluster: defectors in a C world, cooperators in a D world
		size := func() float64 {
			r := w.Row()[RestraintRate]
			if len(c.list) > L*L/2 {
				return r * L * L
			}
			return (1 - r) * L * L
		}
		before := size()
		for range c.steps {
			w.Step()
		}
		after := size()
		switch {
		case c.extinct && math.Round(after) != 0:
			t.Errorf("%s: cluster of %.0f became %.0f, want 0", c.name, before, after)
		case c.grows && !(after > before):
			t.Errorf("%s: cluster of %.0f became %.0f, want it larger", c.name, before, after)
		case !c.grows && !(after < before):
			t.Errorf("%s: cluster of %.0f became %.0f, want it smaller", c.name, before, after)
		}
	}
}

func TestNowakMayRegimesFromRandomStart(t *testing.T) {
	// Nowak and May (1992), random starts with 10% D, fixed boundaries:
	// for b < 9/5 D cannot spread and C keeps most of the array; for
	// b > 2 C clusters cannot grow and D takes almost everything; for
	// 9/5 < b < 2 both persist and the pattern never settles.
	run := func(b float64, steps int) (*World, []float64) {
		w, err := New(nmConfig(200, 200, b, false, InitialConfig{Pattern: InitRandom, Escalators: 0.1, Site: -1}), rand.NewPCG(2, 0))
		if err != nil {
			t.Fatal(err)
		}
		var fc []float64
		for range steps {
			w.Step()
			fc = append(fc, w.Row()[RestraintRate])
		}
		return w, fc
	}
	if _, fc := run(1.7, 200); fc[len(fc)-1] < 0.6 {
		t.Errorf("b = 1.7: cooperator share %.3f after 200 generations, want a C majority (> 0.6)", fc[len(fc)-1])
	}
	if _, fc := run(2.1, 200); fc[len(fc)-1] > 0.1 {
		t.Errorf("b = 2.1: cooperator share %.3f after 200 generations, want D almost everywhere (< 0.1)", fc[len(fc)-1])
	}
	// Chaos: the share keeps moving and the lattice does not repeat with a
	// short period (static or period 2) after 300 generations.
	w, fc := run(1.9, 300)
	tail := fc[200:]
	if lo, hi := slices.Min(tail), slices.Max(tail); hi-lo < 0.005 || lo < 0.1 || hi > 0.6 {
		t.Errorf("b = 1.9: cooperator share in [%.4f, %.4f] over generations 200-300, want a fluctuating coexistence", lo, hi)
	}
	s0 := cooperators(mustLattice(t, w))
	w.Step()
	s1 := cooperators(mustLattice(t, w))
	w.Step()
	s2 := cooperators(mustLattice(t, w))
	if slices.Equal(s0, s1) || slices.Equal(s0, s2) {
		t.Errorf("b = 1.9: the lattice is static or of period 2 after 300 generations, want chaos")
	}
}

func mustLattice(t *testing.T, w *World) LatticeSnapshot {
	t.Helper()
	s, ok := w.Lattice()
	if !ok {
		t.Fatal("no lattice")
	}
	return s
}

func TestNowakMayChaosShare(t *testing.T) {
	// Nowak and May (1992): for 9/5 < b < 2, from random starts, the share
	// of cooperators fluctuates about 0.318 (their figure, to 3 decimals;
	// 12 ln 2 - 8 = 0.3178). Measured on a 400x400 array with fixed
	// boundaries, 10% D at the start: the average over generations 201 to
	// 1000 of each of 4 independent starts, the standard error taken
	// across starts (the generations of one run are correlated). The
	// tolerance adds half a unit of the published last digit. (The value
	// depends on the boundary: periodic arrays of this size give about
	// 0.3156, fixed ones of 200x200 about 0.320.)
	const (
		size, reps, burn, steps = 400, 4, 200, 1000
		want                    = 0.318
	)
	if testing.Short() {
		t.Skip("long")
	}
	means := make([]float64, reps)
	for r := range reps {
		w, err := New(nmConfig(size, size, 1.9, false, InitialConfig{Pattern: InitRandom, Escalators: 0.1, Site: -1}), rand.NewPCG(7, uint64(r)))
		if err != nil {
			t.Fatal(err)
		}
		var s float64
		for step := 1; step <= steps; step++ {
			w.Step()
			if step > burn {
				s += w.Row()[RestraintRate]
			}
		}
		means[r] = s / (steps - burn)
	}
	m, sd := meanSD(floatsSum(means), floatsSumSq(means), reps)
	se := sd * math.Sqrt(float64(reps)/float64(reps-1)) / math.Sqrt(reps)
	if d := math.Abs(m - want); d > 4*se+0.0005 {
		t.Errorf("cooperator share %.5f (se %.5f, starts %v), want %.3f", m, se, means, want)
	}
	t.Logf("cooperator share %.5f (se %.5f), Nowak and May 0.318", m, se)
}

func floatsSum(x []float64) (s float64) {
	for _, v := range x {
		s += v
	}
	return s
}

func floatsSumSq(x []float64) (s float64) {
	for _, v := range x {
		s += v * v
	}
	return s
}

func TestNowakMayKaleidoscope(t *testing.T) {
	// Nowak and May (1992): a single D in the centre of a 99x99 array of C,
	// fixed boundaries, 9/5 < b < 2, makes an "evolutionary kaleidoscope":
	//   - the pattern keeps the 8 symmetries of the square at every
	//     generation (the rule and the start are symmetric);
	//   - it grows from the centre: a lone D scores 8b > 9, so its 8
	//     neighbours turn D; a D at a corner of the block scores 5b > 9,
	//     so the D region reaches one site further every generation until
	//     it meets the boundary (generation 49);
	//   - the dynamics depend only on the interval of b, so b = 1.81, 1.9
	//     and 1.99 give the same patterns;
	//   - the patterns are ever-changing: C and D both persist and no
	//     pattern recurs within the first 1000 generations.
	const L, c, gens = 99, 49, 1000
	in := InitialConfig{Pattern: InitSingle, Site: -1}
	ws := make([]*World, 0, 3)
	for _, b := range []float64{1.9, 1.81, 1.99} {
		w, err := New(nmConfig(L, L, b, false, in), rand.NewPCG(1, 0))
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	seen := map[uint64]int{}
	for g := 1; g <= gens; g++ {
		for _, w := range ws {
			w.Step()
		}
		s := mustLattice(t, ws[0])
		cells := s.Cells
		for _, w := range ws[1:] {
			if !slices.Equal(mustLattice(t, w).Cells, cells) {
				t.Fatalf("generation %d: b = %g differs from b = 1.9", g, w.cfg.Game.Temptation)
			}
		}
		if g == 1 {
			for y := range L {
				for x := range L {
					want := uint8(0) // C after C
					switch d := max(abs(x-c), abs(y-c)); {
					case d == 0:
						want = 1 // D after D
					case d == 1:
						want = 3 // D after C
					}
					if got := cells[y*L+x]; got != want {
						t.Fatalf("generation 1, site (%d, %d): colour %d, want %d", x, y, got, want)
					}
				}
			}
		}
		for y := range L {
			for x := range L {
				v := cells[y*L+x]
				if v != cells[x*L+y] || v != cells[y*L+L-1-x] {
					t.Fatalf("generation %d: the pattern is not symmetric at (%d, %d)", g, x, y)
				}
			}
		}
		if g < c {
			ext := 0
			for y := range L {
				for x := range L {
					if v := cells[y*L+x]; v == 1 || v == 3 {
						ext = max(ext, abs(x-c), abs(y-c))
					}
				}
			}
			if ext != g {
				t.Fatalf("generation %d: defectors reach distance %d from the centre, want %d", g, ext, g)
			}
		}
		if r := ws[0].Row()[RestraintRate]; g > c && (r <= 0 || r >= 1) {
			t.Fatalf("generation %d: cooperator share %g, want coexistence", g, r)
		}
		h := fnv.New64a()
		h.Write(cooperators(s))
		if p, ok := seen[h.Sum64()]; ok && g > 1 {
			t.Fatalf("generation %d repeats generation %d", g, p)
		}
		seen[h.Sum64()] = g
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fixationConfig is a well-mixed population of n playing the game
// (R, S, T, P) under the pairwise-comparison process: asynchronous Fermi
// imitation with intensity beta, no mutation.
func fixationConfig(n int, beta float64, g GameConfig, in InitialConfig) Config {
	cfg := DefaultConfig()
	cfg.World.States = n
	cfg.World.Initial = in
	cfg.Topology.Kind = TopoComplete
	cfg.Decision.Rule = RuleGame
	cfg.Game = g
	cfg.Learning = LearningConfig{Sample: 5, Rule: LearnImitation, Every: 1, Mutation: 0, Selection: beta, Rate: 0.1, Schedule: Asynchronous}
	return cfg
}

// runToFixation runs a world until one strategy has taken over and
// returns whether the cooperators did.
func runToFixation(t *testing.T, cfg Config, seed, rep uint64) bool {
	t.Helper()
	w, err := New(cfg, rand.NewPCG(seed, rep))
	if err != nil {
		t.Fatal(err)
	}
	for range 10_000_000 {
		switch w.Row()[RestraintRate] {
		case 0:
			return false
		case 1:
			return true
		}
		w.Step()
	}
	t.Fatal("no fixation after 1e7 steps")
	return false
}

func TestFixationProbability(t *testing.T) {
	// A single mutant in a well-mixed population of N = 10, pairwise
	// comparison (asynchronous Fermi imitation, beta = 1). Constant
	// fitness: R = S = fC and T = P = fD, so that a state's payoff is
	// (N-1) f whoever it meets and the payoff difference is constant,
	// dpi = (N-1)(f_mutant - f_resident). The fixation probability is
	// rho = (1 - e^{-beta dpi}) / (1 - e^{-N beta dpi}) (Traulsen, Nowak and
	// Pacheco 2006), the Moran formula (1 - 1/r) / (1 - 1/r^N) with
	// r = e^{beta dpi} (Nowak et al. 2004), and 1/N when neutral. Binomial
	// test: |share - rho| <= 4 sqrt(rho (1 - rho) / runs).
	const n, beta = 10, 1.0
	defector := InitialConfig{Pattern: InitSingle, Site: 0}
	cooperator := InitialConfig{Pattern: InitList, Escalating: allBut(n, []int{3}), Site: -1}
	cases := []struct {
		name   string
		g      GameConfig
		in     InitialConfig
		mutant uint8
		fm, fr float64 // fitness of mutant and resident
		runs   int
	}{
		{"neutral", GameConfig{Reward: 1, Sucker: 1, Temptation: 1, Punishment: 1}, defector, defect, 1, 1, 20000},
		{"advantageous defector", GameConfig{Reward: 1, Sucker: 1, Temptation: 1.05, Punishment: 1.05}, defector, defect, 1.05, 1, 10000},
		{"disadvantageous cooperator", GameConfig{Reward: 1, Sucker: 1, Temptation: 1.02, Punishment: 1.02}, cooperator, cooperate, 1, 1.02, 20000},
	}
	for ci, c := range cases {
		dpi := float64(n-1) * (c.fm - c.fr)
		rho := agents.FermiFixation(beta, dpi, n)
		if moran := agents.MoranFixation(math.Exp(beta*dpi), n); math.Abs(moran-rho) > 1e-12 {
			t.Fatalf("%s: Fermi form %g != Moran form %g", c.name, rho, moran)
		}
		if c.fm == c.fr && rho != 1.0/n {
			t.Fatalf("%s: rho = %g, want 1/N", c.name, rho)
		}
		cfg := fixationConfig(n, beta, c.g, c.in)
		fixed := 0
		for r := range c.runs {
			if runToFixation(t, cfg, uint64(100+ci), uint64(r)) == (c.mutant == cooperate) {
				fixed++
			}
		}
		share := float64(fixed) / float64(c.runs)
		se := math.Sqrt(rho * (1 - rho) / float64(c.runs))
		if math.Abs(share-rho) > 4*se {
			t.Errorf("%s: mutant fixed in %d of %d runs (%.4f), want rho = %.4f +- %.4f", c.name, fixed, c.runs, share, rho, 4*se)
		}
		t.Logf("%s: fixation %.4f, rho %.4f, se %.4f", c.name, share, rho, se)
	}
}

// naiveStep is an independent, slow reference of one Nowak-May generation:
// every site sums the payoffs of its games one by one, then takes the
// strategy of the best scorer of its box (a tie between the best C and
// the best D keeps its strategy).
func naiveStep(c []uint8, w, h int, torus, self bool, g GameConfig) []uint8 {
	pay := make([]float64, len(c))
	at := func(x, y int) (int, bool) {
		if torus {
			return ((y+h)%h)*w + (x+w)%w, true
		}
		return y*w + x, x >= 0 && x < w && y >= 0 && y < h
	}
	one := func(a, b uint8) float64 {
		switch {
		case a == 1 && b == 1:
			return g.Reward
		case a == 1:
			return g.Sucker
		case b == 1:
			return g.Temptation
		}
		return g.Punishment
	}
	for y := range h {
		for x := range w {
			i := y*w + x
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if j, ok := at(x+dx, y+dy); ok && (j != i || self) {
						pay[i] += one(c[i], c[j])
					}
				}
			}
		}
	}
	next := make([]uint8, len(c))
	for y := range h {
		for x := range w {
			i := y*w + x
			best := [2]float64{math.Inf(-1), math.Inf(-1)}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if j, ok := at(x+dx, y+dy); ok {
						best[c[j]] = max(best[c[j]], pay[j])
					}
				}
			}
			next[i] = c[i]
			if best[1] > best[0] {
				next[i] = 1
			} else if best[0] > best[1] {
				next[i] = 0
			}
		}
	}
	return next
}

func TestNowakMayFastEqualsGeneral(t *testing.T) {
	// The fast lattice path and the general path give the same strategies
	// at every step (same seed), and the same metrics, for fixed and
	// periodic boundaries, with and without self-interaction, at generic
	// and critical b (ties at 9/5 and 2), with learning every 1 or 3 steps,
	// mutation, a Hawk-Dove-like game with S, P != 0, and an event that
	// moves b across 9/5 half way.
	type variant struct {
		b          float64
		torus      bool
		self       bool
		every      int
		mu         float64
		s, p       float64
		w, h       int
		eventTo    float64
		escalators float64
	}
	var vs []variant
	for _, b := range []float64{1.85, 1.8, 2, 1.5} {
		for _, torus := range []bool{false, true} {
			for _, self := range []bool{true, false} {
				vs = append(vs, variant{b: b, torus: torus, self: self, every: 1, w: 37, h: 23, escalators: 0.3})
			}
		}
	}
	vs = append(vs,
		variant{b: 1.85, every: 3, mu: 0.01, self: true, w: 40, h: 31, escalators: 0.2},
		variant{b: 1.7, torus: true, every: 1, mu: 0.002, self: true, w: 64, h: 9, eventTo: 1.9, escalators: 0.1},
		variant{b: 1.3, every: 2, mu: 0.005, s: 0.4, p: -0.2, w: 19, h: 17, escalators: 0.5},
		variant{b: 1.9, torus: true, self: true, every: 1, w: 3, h: 3, escalators: 0.3},
	)
	for vi, v := range vs {
		cfg := nmConfig(v.w, v.h, v.b, v.torus, InitialConfig{Pattern: InitRandom, Escalators: v.escalators, Site: -1})
		cfg.Topology.Self = v.self
		cfg.Learning.Every = v.every
		cfg.Learning.Mutation = v.mu
		cfg.Game.Sucker, cfg.Game.Punishment = v.s, v.p
		fast := &World{cfg: cfg, k: newTestKernel(t, cfg, uint64(vi), true)}
		gen := &World{cfg: cfg, k: newTestKernel(t, cfg, uint64(vi), false)}
		for step := 1; step <= 150; step++ {
			if v.eventTo != 0 && step == 75 {
				ev := Event{Step: step, Label: "b", Set: []Assignment{{Key: "game.temptation", Value: v.eventTo}}}
				if err := fast.apply(ev); err != nil {
					t.Fatal(err)
				}
				if err := gen.apply(ev); err != nil {
					t.Fatal(err)
				}
			}
			fast.Step()
			gen.Step()
			if !slices.Equal(mustLattice(t, fast).Cells, mustLattice(t, gen).Cells) {
				t.Fatalf("variant %+v, step %d: the fast and general paths differ", v, step)
			}
			rf, rg := fast.Row(), gen.Row()
			for m := range NumMetrics {
				if math.Abs(rf[m]-rg[m]) > 1e-9*max(1, math.Abs(rg[m])) {
					t.Fatalf("variant %+v, step %d: %s = %g (fast) vs %g (general)", v, step, Metric(m), rf[m], rg[m])
				}
			}
		}
	}
	// Against the naive reference (no mutation, learning every step), at
	// a generic b and at b = 1.5 and 2, where C and D scores tie (6 x 1.5
	// = 9, 3 x 2 = 6: exact in binary, so the naive sums tie too).
	for _, b := range []float64{1.87, 1.5, 2} {
		for _, torus := range []bool{false, true} {
			for _, self := range []bool{true, false} {
				cfg := nmConfig(41, 29, b, torus, InitialConfig{Pattern: InitRandom, Escalators: 0.25, Site: -1})
				cfg.Topology.Self = self
				k := newTestKernel(t, cfg, 9, true)
				c := cooperators(snap(t, k))
				var row Row
				for step := 1; step <= 100; step++ {
					k.step(&row)
					// Without self-play a lone C and a lone D both score 0.
					if want := b != 1.87 || !self; k.(*nowakMay).shared != want {
						t.Fatalf("b = %g: tie path %v, want %v", b, !want, want)
					}
					c = naiveStep(c, 41, 29, torus, self, cfg.Game)
					if !slices.Equal(cooperators(snap(t, k)), c) {
						t.Fatalf("b = %g, torus %v, self %v, step %d: the kernel differs from the naive reference", b, torus, self, step)
					}
				}
			}
		}
	}
}

func TestGameHandComputed(t *testing.T) {
	// 3x3 array, fixed boundaries, self-interaction, one D in the centre,
	// b = 1.9. Step 0: a corner sees 2 C of 3 neighbours, an edge 4 of 5,
	// the centre 8 of 8: mean belief (4 2/3 + 4 4/5 + 1)/9 = 103/135.
	// Step 1 payoffs: the centre D 8b, a corner C 3 (itself and 2 C), an
	// edge C 5: mean (8b + 12 + 20)/9. The centre is everyone's best
	// scorer, so all defect after step 1.
	const b = 1.9
	for _, fast := range []bool{true, false} {
		cfg := nmConfig(3, 3, b, false, InitialConfig{Pattern: InitSingle, Site: -1})
		w := &World{cfg: cfg, k: newTestKernel(t, cfg, 1, fast)}
		w.k.observe(&w.row)
		r := w.Row()
		bm := 103.0 / 135
		bsd := math.Sqrt((4*(2.0/3)*(2.0/3)+4*0.8*0.8+1)/9 - bm*bm)
		check := func(name string, got, want float64) {
			t.Helper()
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("fast %v: %s = %g, want %g", fast, name, got, want)
			}
		}
		check("restraint at step 0", r[RestraintRate], 8.0/9)
		check("belief mean at step 0", r[BeliefRestraintMean], bm)
		check("belief sd at step 0", r[BeliefRestraintSD], bsd)
		check("gap at step 0", r[ExpectationGap], bm-8.0/9)
		check("opportunities at step 0", r[Opportunities], 0)
		check("payoff at step 0", r[PayoffMean], 0)
		check("credibility", r[CredibilityMean], 1)
		w.Step()
		r = w.Row()
		check("restraint at step 1", r[RestraintRate], 0)
		check("escalations at step 1", r[Escalations], 9)
		check("opportunities at step 1", r[Opportunities], 9)
		check("boldness at step 1", r[BoldnessMean], 1)
		check("payoff at step 1", r[PayoffMean], (8*b+12+20)/9)
		check("belief mean at step 1", r[BeliefRestraintMean], 0)
		w.Step()
		check("payoff at step 2", w.Row()[PayoffMean], 0)
	}
}

// gameCases are configurations of the general path on every topology and
// learning rule.
func gameCases() []Config {
	var out []Config
	topos := []TopologyConfig{
		{Kind: TopoComplete},
		{Kind: TopoLattice, Width: 8, Height: 5, Neighbourhood: VonNeumann, Torus: true},
		{Kind: TopoLattice, Width: 8, Height: 5, Neighbourhood: Moore, Self: true},
		{Kind: TopoRandom, P: 0.1},
		{Kind: TopoSmallWorld, K: 4, Rewire: 0.1},
		{Kind: TopoScaleFree, M: 2},
		{Kind: TopoBlocs, PIn: 0.3, POut: 0.02},
		{Kind: TopoEdges, Edges: [][2]int{{0, 1}, {1, 2}, {2, 3}, {5, 6}}},
	}
	rules := []struct {
		rule     LearningRule
		schedule Schedule
	}{
		{LearnImitation, Synchronous}, {LearnImitation, Asynchronous},
		{LearnReinforcement, Synchronous}, {LearnReinforcement, Asynchronous},
		{LearnBestNeighbour, Synchronous}, {LearnBestNeighbour, Asynchronous},
		{LearnNone, Synchronous},
	}
	for _, tp := range topos {
		for _, r := range rules {
			cfg := DefaultConfig()
			cfg.World.States = 40
			cfg.World.Initial = InitialConfig{Pattern: InitRandom, Escalators: 0.4, Site: -1}
			cfg.Topology = tp
			cfg.Topology.P, cfg.Topology.K, cfg.Topology.Rewire, cfg.Topology.M = 0.1, 4, 0.1, 2
			cfg.Topology.PIn, cfg.Topology.POut = 0.3, 0.02
			cfg.Decision.Rule = RuleGame
			cfg.Game = GameConfig{Reward: 3, Sucker: 0, Temptation: 5, Punishment: 1}
			cfg.Learning = LearningConfig{Sample: 5, Rule: r.rule, Schedule: r.schedule, Every: 2, Mutation: 0.02,
				Selection: 0.5, Aspiration: 2, Rate: 0.2}
			out = append(out, cfg)
		}
	}
	return out
}

func TestGameInvariantsAndDeterminism(t *testing.T) {
	for _, cfg := range gameCases() {
		name := cfg.Topology.Kind.String() + "/" + cfg.Learning.Rule.String() + "/" + cfg.Learning.Schedule.String()
		a, err := New(cfg, rand.NewPCG(5, 1))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, _ := New(cfg, rand.NewPCG(5, 1))
		k := a.k.(interface{ strategies() []uint8 })
		prev := slices.Clone(k.strategies())
		for step := 1; step <= 30; step++ {
			a.Step()
			b.Step()
			ra := a.Row()
			if !sameRow(ra, b.Row()) {
				t.Fatalf("%s, step %d: same seed, different rows", name, step)
			}
			for m, v := range ra {
				if math.IsNaN(v) && !Metric(m).MayBeEmpty() || math.IsInf(v, 0) {
					t.Fatalf("%s, step %d: %s = %g", name, step, Metric(m), v)
				}
			}
			n := float64(cfg.World.States)
			s := k.strategies()
			coop := 0
			for _, c := range s {
				coop += int(c)
			}
			switch {
			case ra[RestraintRate] != float64(coop)/n:
				t.Fatalf("%s, step %d: restraint %g, want %d/%g", name, step, ra[RestraintRate], coop, n)
			case ra[Escalations] != n-float64(coop) || ra[Opportunities] != n:
				t.Fatalf("%s, step %d: escalations %g of %g, want %g of %g", name, step, ra[Escalations], ra[Opportunities], n-float64(coop), n)
			case math.Abs(ra[BoldnessMean]+ra[RestraintRate]-1) > 1e-12:
				t.Fatalf("%s, step %d: boldness %g + restraint %g != 1", name, step, ra[BoldnessMean], ra[RestraintRate])
			case ra[BeliefRestraintMean] < 0 || ra[BeliefRestraintMean] > 1 || ra[BeliefRestraintSD] < 0 || ra[BeliefRestraintSD] > 0.5:
				t.Fatalf("%s, step %d: belief %g sd %g out of range", name, step, ra[BeliefRestraintMean], ra[BeliefRestraintSD])
			case math.Abs(ra[ExpectationGap]-(ra[BeliefRestraintMean]-ra[RestraintRate])) > 1e-12:
				t.Fatalf("%s, step %d: gap %g", name, step, ra[ExpectationGap])
			case ra[CredibilityMean] != 1 || ra[Detections] != 0 || ra[VengefulnessMean] != 0 || ra[EventMarker] != 0:
				t.Fatalf("%s, step %d: constant metrics wrong: %v", name, step, ra)
			case ra[PayoffMean] < 0 || ra[PayoffMean] > 5*n:
				t.Fatalf("%s, step %d: payoff %g out of range", name, step, ra[PayoffMean])
			}
			// Strategies change only at learning rounds (every 2 steps).
			if step%2 == 1 && !slices.Equal(prev, s) {
				t.Fatalf("%s, step %d: strategies changed between learning rounds", name, step)
			}
			prev = slices.Clone(s)
			if _, ok := a.Lattice(); ok != (cfg.Topology.Kind == TopoLattice) {
				t.Fatalf("%s: Lattice() = %v", name, ok)
			}
		}
		c, _ := New(cfg, rand.NewPCG(6, 1))
		differ := false
		for range 30 {
			c.Step()
			differ = differ || !slices.Equal(c.k.(interface{ strategies() []uint8 }).strategies(), k.strategies())
		}
		if !differ && cfg.Learning.Mutation > 0 {
			t.Errorf("%s: seeds 5 and 6 gave the same strategies for 30 steps", name)
		}
	}
}

func TestGameCompleteEqualsExplicitGraph(t *testing.T) {
	// The complete topology (payoffs from counts, O(1) per step) gives
	// the same strategies and metrics as the same graph listed edge by
	// edge (the general per-state path), for the rules whose draws do not
	// depend on how a neighbour is sampled.
	const n = 30
	var edges [][2]int
	for i := range n {
		for j := i + 1; j < n; j++ {
			edges = append(edges, [2]int{i, j})
		}
	}
	for _, rule := range []LearningRule{LearnBestNeighbour, LearnReinforcement} {
		for _, sched := range []Schedule{Synchronous, Asynchronous} {
			cfg := fixationConfig(n, 1, GameConfig{Reward: 3, Sucker: 0, Temptation: 5, Punishment: 1},
				InitialConfig{Pattern: InitRandom, Escalators: 0.5, Site: -1})
			cfg.Learning.Rule, cfg.Learning.Schedule = rule, sched
			cfg.Learning.Mutation, cfg.Learning.Aspiration, cfg.Learning.Rate = 0.01, 2, 0.3
			a, err := New(cfg, rand.NewPCG(3, 3))
			if err != nil {
				t.Fatal(err)
			}
			cfg.Topology = TopologyConfig{Kind: TopoEdges, Edges: edges}
			b, err := New(cfg, rand.NewPCG(3, 3))
			if err != nil {
				t.Fatal(err)
			}
			for step := 1; step <= 200; step++ {
				a.Step()
				b.Step()
				ra, rb := a.Row(), b.Row()
				for m := range NumMetrics {
					if math.Abs(ra[m]-rb[m]) > 1e-9*max(1, math.Abs(rb[m])) {
						t.Fatalf("%s/%s, step %d: %s = %g (complete) vs %g (edges)", rule, sched, step, Metric(m), ra[m], rb[m])
					}
				}
			}
		}
	}
}

func TestGameLoneStateReinforcement(t *testing.T) {
	// A state without neighbours plays no game, so Bush-Mosteller leaves
	// its propensity at 0.5 and its actions are fair coin flips: over
	// 20000 learning rounds the cooperating share is 0.5 +- 4 sqrt(0.25/n).
	cfg := fixationConfig(1, 1, GameConfig{Reward: 3, Sucker: 0, Temptation: 5, Punishment: 1},
		InitialConfig{Pattern: InitRandom, Escalators: 0, Site: -1})
	cfg.Learning.Rule, cfg.Learning.Schedule = LearnReinforcement, Synchronous
	w, err := New(cfg, rand.NewPCG(1, 2))
	if err != nil {
		t.Fatal(err)
	}
	const steps = 20000
	var s float64
	for range steps {
		w.Step()
		s += w.Row()[RestraintRate]
	}
	if d := math.Abs(s/steps - 0.5); d > 4*math.Sqrt(0.25/steps) {
		t.Errorf("cooperating share %g, want 0.5", s/steps)
	}
}

func TestGameMutationRate(t *testing.T) {
	// With learning "none", each state flips with probability mu at every
	// learning round (geometric skipping): the number of flips per round
	// is Binomial(N, mu). Over 200 rounds of N = 10000, mu = 0.01, the
	// mean is N mu = 100 +- 4 sqrt(N mu (1 - mu) / 200).
	cfg := nmConfig(100, 100, 1.9, true, InitialConfig{Pattern: InitRandom, Escalators: 0, Site: -1})
	cfg.Learning.Rule = LearnNone
	cfg.Learning.Mutation = 0.01
	{
		const fast = false
		w := &World{cfg: cfg, k: newTestKernel(t, cfg, 4, fast)}
		prev := cooperators(mustLattice(t, w))
		total := 0
		const rounds = 200
		for range rounds {
			w.Step()
			cur := cooperators(mustLattice(t, w))
			for i := range cur {
				if cur[i] != prev[i] {
					total++
				}
			}
			prev = cur
		}
		mean := float64(total) / rounds
		if se := math.Sqrt(100 * 0.99 / rounds); math.Abs(mean-100) > 4*se {
			t.Errorf("mean flips per round %g, want 100 +- %g", mean, 4*se)
		}
	}
}

func TestGameKernelRejectsAxelrodLearning(t *testing.T) {
	cfg := nmConfig(10, 10, 1.9, false, InitialConfig{Pattern: InitSingle, Site: -1})
	cfg.Learning.Rule = LearnAxelrod
	if _, err := New(cfg, rand.NewPCG(1, 1)); err == nil {
		t.Error("the game kernel accepted the axelrod learning rule")
	}
}

func TestGameThroughRun(t *testing.T) {
	// The kernel under Run: replicate 0 of a lattice keeps snapshots with
	// Nowak and May's colour codes, the rows are recorded, an event fires.
	cfg := nmConfig(50, 50, 1.7, false, InitialConfig{Pattern: InitRandom, Escalators: 0.1, Site: -1})
	cfg.Run = RunConfig{Steps: 60, Replicates: 2, Seed: 3, RecordEvery: 10}
	cfg.Events = []Event{{Step: 30, Label: "b up", Set: []Assignment{{Key: "game.temptation", Value: 1.9}}}}
	res, err := Run(t.Context(), cfg, RunOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	r0 := res.Replicates[0]
	if len(r0.Lattice) == 0 || len(res.Replicates[1].Lattice) != 0 {
		t.Fatalf("snapshots: %d for replicate 0, %d for replicate 1", len(r0.Lattice), len(res.Replicates[1].Lattice))
	}
	for _, s := range r0.Lattice {
		if s.Width != 50 || s.Height != 50 || len(s.Cells) != 2500 || slices.Max(s.Cells) > 3 {
			t.Fatalf("snapshot at step %d malformed", s.Step)
		}
	}
	if got := r0.Steps; !slices.Equal(got, []int{0, 10, 20, 30, 40, 50, 60}) {
		t.Fatalf("recorded steps %v", got)
	}
	if r0.Final[Opportunities] != 2500 || r0.Final[EventMarker] != 0 {
		t.Fatalf("final row %v", r0.Final)
	}
	if r30 := r0.Rows[3]; r30[EventMarker] != 1 {
		t.Fatalf("step 30: event marker %g, want 1", r30[EventMarker])
	}
}
