package sim

import (
	"errors"
	"math/rand/v2"
)

// isAxelrod reports whether cfg is Axelrod's norms (or metanorms) game:
// threshold decisions, axelrod learning, every other state a target.
func isAxelrod(cfg *Config) bool {
	return cfg.Decision.Rule == RuleThreshold && cfg.Learning.Rule == LearnAxelrod &&
		cfg.Opportunity.Targets == "all" && cfg.Topology.Kind == TopoComplete
}

func newAxelrodKernel(cfg *Config, rnd *rand.Rand) (kernel, error) {
	return nil, errors.New("sim: axelrod kernel not yet implemented")
}
