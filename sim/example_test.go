package sim_test

import (
	"context"
	"fmt"

	"github.com/normsim/normsim/sim"
)

// Run runs every replicate of a configuration, in parallel, and gives each
// replicate's outcome, convergence and final values; the same seed gives
// the same results whatever the number of workers. With conformity 8 the
// norm of restraint is established in the default world.
func ExampleRun() {
	cfg := sim.DefaultConfig()
	cfg.World.States = 50
	cfg.Run.Steps, cfg.Run.Replicates, cfg.Run.Seed = 100, 4, 7
	cfg.Decision.Conformity = 8
	res, err := sim.Run(context.Background(), cfg, sim.RunOptions{Workers: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("kernel:", sim.Kernel(&cfg))
	for _, r := range res.Replicates {
		fmt.Printf("replicate %d: %s, practice %.3f, expectations %.3f\n", r.Index, r.Outcome, r.FinalRestraint, r.FinalBelief)
	}
	// Output:
	// kernel: cyber
	// replicate 0: established, practice 1.000, expectations 0.996
	// replicate 1: established, practice 1.000, expectations 0.997
	// replicate 2: established, practice 1.000, expectations 0.997
	// replicate 3: established, practice 1.000, expectations 0.988
}
