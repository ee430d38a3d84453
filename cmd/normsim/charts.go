package main

import (
	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/plots"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/sim"
)

// saveCharts draws a run's charts into dir (PNG and SVG of each) and
// returns the paths written. It is the one place that calls plots.
func saveCharts(dir string, res *sim.Result, m results.Meta) ([]string, error) {
	return plots.SaveAll(dir, res, plots.Meta{
		Scenario: m.Scenario, Seed: m.Seed, Replicates: m.Replicates, Version: m.Version, Hash: m.Hash,
	})
}

// saveClaimCharts draws each tested claim into dir as claim-1.png and
// claim-1.svg, claim-2..., in order, and returns the paths written.
func saveClaimCharts(dir string, claims []goals.Claim, m results.Meta) ([]string, error) {
	return plots.SaveClaims(dir, claims, plots.Meta{
		Scenario: m.Scenario, Seed: m.Seed, Replicates: m.Replicates, Version: m.Version, Hash: m.Hash,
	})
}
