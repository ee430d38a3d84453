package sim_test

import (
	"math/rand/v2"
	"testing"

	"github.com/normsim/normsim/sim"
)

// benchCyber reports agent-steps/s (state updates: one per opportunity
// slot) for the general model.
func benchCyber(b *testing.B, cfg sim.Config) {
	w, err := sim.New(cfg, rand.NewPCG(1, 1))
	if err != nil {
		b.Fatal(err)
	}
	for range 20 { // past the start-up transient, so that buffers have grown
		w.Step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w.Step()
	}
	b.ReportMetric(float64(w.AgentSteps())*float64(b.N)/b.Elapsed().Seconds(), "agent-steps/s")
}

// BenchmarkCyber measures the general model: the default world (193 states
// is rounded to 200 here) on a complete topology, and 100,000 states on a
// Barabasi-Albert scale-free network, both with a forum every 10 steps and
// imitation learning every 10 steps.
func BenchmarkCyber(b *testing.B) {
	base := sim.DefaultConfig()
	base.Forum.Every = 10
	b.Run("complete-200", func(b *testing.B) {
		c := base
		c.World.States = 200
		benchCyber(b, c)
	})
	b.Run("scale-free-100k", func(b *testing.B) {
		c := base
		c.World.States = 100_000
		c.Topology.Kind = sim.TopoScaleFree
		c.Topology.M = 2
		benchCyber(b, c)
	})
	b.Run("reciprocal-complete-200", func(b *testing.B) {
		c := base
		c.World.States = 200
		c.Decision.Rule = sim.RuleReciprocal
		benchCyber(b, c)
	})
}
