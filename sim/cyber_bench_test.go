package sim_test

import (
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
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

// BenchmarkCyber measures the general model: v2-complete-200 and
// v2-scale-free-100k in the world of the claims study and of the baseline
// scenario (every mechanism of model version 2 on; 193 states rounded to
// 200 on a complete topology, or 100,000 on a Barabasi-Albert scale-free
// network); complete-200 and scale-free-100k in version 1's baseline world
// under the version 2 defaults (conformity 4, a forum every 25 steps with
// dominance 1), where most opportunities escalate; a world of escalators,
// where every opportunity goes through attribution and response; and the
// reciprocal rule.
func BenchmarkCyber(b *testing.B) {
	base := sim.DefaultConfig()
	base.Forum.Every = 25
	base.Forum.Dominance = 1
	base.Decision.Conformity = 4
	b.Run("escalating-complete-200", func(b *testing.B) {
		c := base
		c.World.States = 200
		c.Decision.Conformity = 1
		benchCyber(b, c)
	})
	b.Run("complete-200", func(b *testing.B) {
		c := base
		c.World.States = 200
		benchCyber(b, c)
	})
	b.Run("v2-complete-200", func(b *testing.B) {
		benchCyber(b, everyMechanism(200))
	})
	b.Run("v2-scale-free-100k", func(b *testing.B) {
		// Blocs of about 64 states, as in the 193-state world of three
		// blocs: alliance solidarity makes each ally of an accuser join
		// with its own probability, so an accusation's cost grows with
		// the bloc's size, and three blocs of 33,000 states would
		// measure that (the model's), not the engine's cost per state.
		c := everyMechanism(100_000)
		c.World.Blocs = 100_000 / 64
		c.Topology.Kind = sim.TopoScaleFree
		c.Topology.M = 2
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

// everyMechanism is the world of the claims study with every mechanism of
// MODEL.md version 2 switched on: revisionists, power-linked capability,
// forensics and stringency, public and private accusations with exposure,
// lag, co-signing, denial, misrepresentation, reporting, partial
// correction, forums that negotiate a text, cascades and renunciation.
func everyMechanism(n int) sim.Config {
	c := sim.DefaultConfig()
	c.World.States = n
	c.World.Revisionists = 4
	c.World.StringencyPowerSlope = 0.15
	c.World.ForensicsPowerExponent = 0.5
	c.Opportunity.PowerExponent = 0.5
	c.Attribution = sim.AttributionConfig{EvidenceStandard: 1.5, PublicStandard: 2, Suspects: 5, BackgroundRate: 0.05,
		FalseFlag: 0.05, PrivateSectorBoost: 1, JointPartners: 2, Exposure: 0.3, Recovery: 0.02, Lag: 3,
		Cosign: 0.5, Cosigners: 3, Denial: 0.3, Misrepresentation: 0.05, Reporting: 0.3}
	c.Payoffs.Misrepresentation = 1
	c.Response.AllianceSolidarity = 0.05
	c.Credibility = sim.CredibilityConfig{Initial: 0.5, Verification: 0.5, Rate: 0.2}
	c.Expectations.Correction, c.Expectations.PublicWeight = 0.7, 0.5
	c.Forum = sim.ForumConfig{Every: 12, Inclusivity: 1, Dominance: 1, Pull: 0.5, CodifiedConformity: 3, BuyIn: true, Tolerance: 0.25, Consensus: 0.5}
	c.Decision.Conformity = 4
	c.Learning.Rule, c.Learning.Every = sim.LearnConformist, 10
	return c
}

// TestMemoryPerState checks the memory budget of the issue: at most 256
// bytes per state in a world of a million states (complete topology, and
// scale-free with m = 2, whose adjacency adds about 20 bytes a state).
func TestMemoryPerState(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two worlds of a million states")
	}
	for _, topo := range []sim.TopologyKind{sim.TopoComplete, sim.TopoScaleFree} {
		c := sim.DefaultConfig()
		c.World.States = 1_000_000
		c.Topology.Kind = topo
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		w, err := sim.New(c, rand.NewPCG(1, 1))
		if err != nil {
			t.Fatal(err)
		}
		w.Step()
		runtime.GC()
		runtime.ReadMemStats(&after)
		per := float64(after.HeapAlloc-before.HeapAlloc) / float64(c.World.States)
		runtime.KeepAlive(w)
		t.Logf("%s: %.0f bytes per state", topo, per)
		if per > 256 {
			t.Errorf("%s: %.0f bytes per state, want at most 256", topo, per)
		}
	}
}

// TestStepAllocatesNothing checks the zero-allocation budget of the step
// in every kernel and across the general model's rules and switches
// (joint attribution, metanorms, allies, forums, every learning rule), not
// only in the configurations the benchmarks time.
func TestStepAllocatesNothing(t *testing.T) {
	var cfgs []sim.Config
	for _, rule := range []sim.Rule{sim.RuleThreshold, sim.RuleLogit, sim.RuleReciprocal} {
		for _, targets := range []sim.Targets{sim.TargetsOne, sim.TargetsAll} {
			for _, learn := range []sim.LearningRule{sim.LearnAxelrod, sim.LearnImitation, sim.LearnReinforcement, sim.LearnBestNeighbour} {
				c := sim.DefaultConfig()
				c.World.States = 60
				c.Topology.Kind = sim.TopoSmallWorld
				c.Decision.Rule, c.Opportunity.Targets = rule, targets
				c.Learning.Rule, c.Learning.Every = learn, 1
				c.Attribution.Joint, c.Metanorms.Enabled = true, true
				c.Response.AllianceSolidarity, c.Forum.Every = 0.3, 3
				cfgs = append(cfgs, c)
			}
		}
	}
	cfgs = append(cfgs, randomConfigs(20, 5)...)
	regress := regressConfigs() // the Axelrod and game kernels, lattice fast path included
	for _, name := range slices.Sorted(maps.Keys(regress)) {
		cfgs = append(cfgs, regress[name])
	}
	for i, c := range cfgs {
		w, err := sim.New(c, rand.NewPCG(1, uint64(i)))
		if err != nil {
			t.Fatal(err)
		}
		for range 50 { // let scratch buffers reach their working size
			w.Step()
		}
		if a := testing.AllocsPerRun(50, w.Step); a != 0 {
			t.Errorf("%s (%s, %s, %s): %v allocations per step", sim.Kernel(&c), c.Decision.Rule, c.Topology.Kind, c.Learning.Rule, a)
		}
	}
}
