package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// nowakMayConfig is the Nowak and May (1992) lattice: R = 1, T = b,
// S = P = 0, Moore neighbourhood with self-interaction, best-neighbour,
// synchronous, learning every step, no mutation; a random start with 10%
// defectors.
func nowakMayConfig(width, height int, b float64, torus bool) Config {
	cfg := DefaultConfig()
	cfg.Name = "nowak-may"
	cfg.World.States = width * height
	cfg.World.Initial = InitialConfig{Pattern: InitRandom, Escalators: 0.1, Site: -1}
	cfg.Topology = TopologyConfig{Kind: TopoLattice, Width: width, Height: height,
		Neighbourhood: Moore, Torus: torus, Self: true}
	cfg.Decision.Rule = RuleGame
	cfg.Game = GameConfig{Reward: 1, Temptation: b, Sucker: 0, Punishment: 0}
	cfg.Learning = LearningConfig{Sample: 5, Rule: LearnBestNeighbour, Every: 1, Mutation: 0,
		Selection: 1, Rate: 0.1, Schedule: Synchronous}
	return cfg
}

// benchSteps steps w b.N times after a warm-up and reports perStep times
// the rate of steps in unit.
func benchSteps(b *testing.B, w *World, unit string, perStep int) {
	for range 20 { // past the initial transient
		w.Step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w.Step()
	}
	b.ReportMetric(float64(perStep)*float64(b.N)/b.Elapsed().Seconds(), unit)
}

// BenchmarkNowakMay measures the fast lattice path in the chaotic regime
// (b = 1.85, fixed boundaries, a random start). One generation includes
// every metric of the row (cooperators, belief mean and sd, mean payoff).
func BenchmarkNowakMay(b *testing.B) {
	for _, size := range []int{200, 1000} {
		b.Run(fmt.Sprintf("%dx%d", size, size), func(b *testing.B) {
			w, err := New(nowakMayConfig(size, size, 1.85, false), rand.NewPCG(1, 1))
			if err != nil {
				b.Fatal(err)
			}
			benchSteps(b, w, "cell-gens/s", w.AgentSteps())
		})
	}
}

// BenchmarkNowakMayVariants: periodic boundary, and b = 2 exactly (a
// critical value where cooperators and defectors can tie, which takes the
// slower exact tie path).
func BenchmarkNowakMayVariants(b *testing.B) {
	for _, v := range []struct {
		name  string
		b     float64
		torus bool
	}{{"torus", 1.85, true}, {"tie-b=1.8", 1.8, false}} {
		b.Run(v.name, func(b *testing.B) {
			w, err := New(nowakMayConfig(400, 400, v.b, v.torus), rand.NewPCG(1, 1))
			if err != nil {
				b.Fatal(err)
			}
			benchSteps(b, w, "cell-gens/s", w.AgentSteps())
		})
	}
}

// BenchmarkGameGeneral measures the general path: Fermi imitation on a
// 200x200 lattice and on a small-world graph of 40000 (state-steps/s), and
// the pairwise-comparison process on a complete topology of 10000, one
// revision per step in O(1) (steps/s).
func BenchmarkGameGeneral(b *testing.B) {
	lattice := nowakMayConfig(200, 200, 1.85, false)
	lattice.Learning.Rule = LearnImitation
	lattice.Learning.Mutation = 0.001
	small := lattice
	small.Topology = TopologyConfig{Kind: TopoSmallWorld, K: 4, Rewire: 0.1}
	complete := fixationConfig(10000, 1, GameConfig{Reward: 3, Sucker: 0, Temptation: 5, Punishment: 1},
		InitialConfig{Pattern: InitRandom, Escalators: 0.5, Site: -1})
	for _, c := range []struct {
		name    string
		cfg     Config
		perStep bool
	}{{"imitation-lattice", lattice, true}, {"imitation-small-world", small, true}, {"pairwise-complete", complete, false}} {
		b.Run(c.name, func(b *testing.B) {
			w, err := New(c.cfg, rand.NewPCG(1, 1))
			if err != nil {
				b.Fatal(err)
			}
			if c.perStep {
				benchSteps(b, w, "state-steps/s", w.AgentSteps())
			} else {
				benchSteps(b, w, "steps/s", 1)
			}
		})
	}
}
