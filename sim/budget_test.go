package sim

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestBudget checks each way a configuration can exceed the budget, from
// the default configuration with one thing changed: the key the problem
// names and what its message says. Counts near 2^63 must not overflow.
func TestBudget(t *testing.T) {
	const huge = math.MaxInt64
	cases := []struct {
		name    string
		set     func(c *Config)
		key     string // "" when the budget holds
		message string
	}{
		{"default", func(c *Config) {}, "", ""},
		{"ten million states", func(c *Config) { c.World.States = MaxStates }, "", ""},
		{"dense random", func(c *Config) { c.World.States, c.Topology.Kind = 1_000_000, TopoRandom }, "topology.p", "2.5e+10 edges"},
		{"random that fits", func(c *Config) { c.World.States, c.Topology.Kind, c.Topology.P = 100_000, TopoRandom, 1e-3 }, "", ""},
		{"memory of a random graph", func(c *Config) { c.World.States, c.Topology.Kind, c.Topology.P = 40_000, TopoRandom, 0.5 }, "topology.p", "of memory"},
		{"dense blocs", func(c *Config) {
			c.World.States, c.Topology.Kind, c.Topology.PIn, c.Topology.POut = 100_000, TopoBlocs, 1, 1
		}, "topology.p_in", "5e+09 edges"},
		{"blocs, dense across", func(c *Config) {
			c.World.States, c.Topology.Kind, c.Topology.PIn, c.Topology.POut = 100_000, TopoBlocs, 0, 1
		}, "topology.p_out", "edges"},
		{"small world of large k", func(c *Config) {
			c.World.States, c.Topology.Kind, c.Topology.K = 1_000_000, TopoSmallWorld, 5000
		}, "topology.k", "edges"},
		{"scale free of large m", func(c *Config) {
			c.World.States, c.Topology.Kind, c.Topology.M = 1_000_000, TopoScaleFree, 999_999
		}, "topology.m", "edges"},
		{"reciprocal on a complete topology", func(c *Config) {
			c.World.States, c.Decision.Rule = MaxPairStates, RuleReciprocal
			c.Convergence.Window = 1 << 29
		}, "convergence.window", "memory"},
		{"steps near 2^63", func(c *Config) { c.Run.Steps = huge }, "run.steps", "record of 32 replicates"},
		{"steps near 2^63, recorded once", func(c *Config) { c.Run.Steps, c.Run.RecordEvery = huge, huge }, "", ""},
		{"a million replicates", func(c *Config) { c.Run.Replicates = 1_000_000 }, "run.replicates", "raise run.record_every"},
		{"long recorded run", func(c *Config) { c.Run.Steps, c.Run.Replicates = 20_000_000, 1 }, "run.steps", "record of 1 replicates"},
		{"window at 2^63-1", func(c *Config) { c.Convergence.Window = huge }, "convergence.window", "EiB"},
		{"joint partners at 2^63-1", func(c *Config) { c.Attribution.Joint, c.Attribution.JointPartners = true, huge }, "", ""},
		{"lattice overflowing", func(c *Config) {
			c.Topology.Kind, c.Topology.Width, c.Topology.Height = TopoLattice, 5, 7378697629483820685
		}, "topology.width", "overflows"},
		{"per step 1e12", func(c *Config) { c.Opportunity.PerStep = 1_000_000_000_000 }, "opportunity.per_step", "minutes"},
		{"per step near 2^63", func(c *Config) { c.Opportunity.PerStep = huge }, "opportunity.per_step", "minutes"},
		{"every neighbour of a large complete world", func(c *Config) {
			c.World.States, c.Opportunity.Targets = 100_000, TargetsAll
		}, "opportunity.targets", "state-target interactions"},
		{"the game in a complete world of a million", func(c *Config) {
			c.World.States, c.Decision.Rule, c.Learning.Rule = 1_000_000, RuleGame, LearnImitation
		}, "", ""},
		{"the game with a million neighbours each", func(c *Config) {
			c.World.States, c.Decision.Rule, c.Learning.Rule = 1_000_000, RuleGame, LearnImitation
			c.Topology.Kind, c.Topology.K = TopoSmallWorld, 1000
		}, "topology.k", "memory"},
		{"spiral near 2^63", func(c *Config) { c.Response.MaxSpiral = huge }, "response.max_spiral", "minutes"},
		{"metanorms in a large world", func(c *Config) { c.World.States, c.Metanorms.Enabled = 1_000_000, true }, "metanorms.enabled", "minutes"},
		{"edges beyond int32", func(c *Config) {
			c.Topology.Kind, c.Topology.Edges = TopoEdges, make([][2]int, 1<<20)
		}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.set(&c)
			errs := budget(&c)
			if tc.key == "" {
				if len(errs) > 0 {
					t.Fatalf("budget: %v, want none", errs)
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("budget: %v, want one problem at %s", errs, tc.key)
			}
			if errs[0].Key != tc.key || !strings.Contains(errs[0].Error(), tc.message) {
				t.Errorf("budget: %v, want key %s and %q", errs[0], tc.key, tc.message)
			}
		})
	}
}

// TestValidateChecksBudget: Validate reports the budget's problems.
func TestValidateChecksBudget(t *testing.T) {
	c := DefaultConfig()
	c.Opportunity.PerStep = 1_000_000_000_000
	var ve *ValidationError
	if err := c.Validate(); !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Key != "opportunity.per_step" {
		t.Errorf("Validate = %v, want the budget's problem with opportunity.per_step", err)
	}
}

// TestWorkers: the worlds run at once never exceed what fits in memory;
// an explicit number that does not fit is a problem that says how many do.
func TestWorkers(t *testing.T) {
	c := DefaultConfig()
	c.World.States = MaxStates
	fit := MaxWorkers(&c)
	if fit < 1 || float64(fit)*c.Cost().World > MemoryLimit {
		t.Fatalf("MaxWorkers = %d for worlds of %.0f MB", fit, c.Cost().World/1e6)
	}
	if got := Workers(&c, 64); got != fit {
		t.Errorf("Workers(64) = %d, want %d", got, fit)
	}
	if fe := CheckWorkers(&c, fit+1); fe == nil || fe.Key != "workers" || !strings.Contains(fe.Msg, "use fewer workers") {
		t.Errorf("CheckWorkers(%d) = %v", fit+1, fe)
	}
	if fe := CheckWorkers(&c, fit); fe != nil {
		t.Errorf("CheckWorkers(%d) = %v, want nil", fit, fe)
	}
	small := DefaultConfig()
	if got := Workers(&small, 1000); got != small.Run.Replicates {
		t.Errorf("Workers(1000) for %d replicates = %d", small.Run.Replicates, got)
	}
}
