package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/normsim/normsim/sim"
)

// TestCancelWithinStep: a run stops soon after it is cancelled, even in
// the middle of a step that takes seconds (every neighbour of a complete
// world of 10,000 states is the target of every opportunity) or while a
// large world is being built.
func TestCancelWithinStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds worlds whose steps take seconds")
	}
	long := sim.DefaultConfig()
	long.World.States, long.Opportunity.Targets = 10_000, sim.TargetsAll
	long.Run.Steps = 3
	build := sim.DefaultConfig()
	build.World.States = 2_000_000
	build.Topology.Kind, build.Topology.M = sim.TopoScaleFree, 20
	for name, cfg := range map[string]sim.Config{"long step": long, "large world": build} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			start := time.Now()
			rep, _, err := sim.RunReplicate(ctx, cfg, 0)
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Status != sim.Canceled {
				t.Errorf("status %v after %v, want Canceled", rep.Status, took)
			}
			// 1.5 s: the 0.2 s before the cancel and a wide margin for a
			// loaded machine, still below the seconds that finishing the
			// step or the construction would take.
			if took > 1500*time.Millisecond {
				t.Errorf("stopped %v after it was cancelled, want well under a second", took-200*time.Millisecond)
			}
		})
	}
}
