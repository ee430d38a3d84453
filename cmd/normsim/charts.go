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

// saveRobustChart draws the robustness of claims (claims[i][j]: claim i
// in setting j) as robustness.png and robustness.svg in dir.
func saveRobustChart(dir string, settings []goals.Setting, claims [][]goals.Claim, m results.Meta) error {
	names := make([]string, len(settings))
	for j, st := range settings {
		names[j] = st.Name
	}
	f, err := plots.Robustness(names, plots.RobustRows(claims), plots.Meta{
		Scenario: m.Scenario, Seed: m.Seed, Version: m.Version, Hash: m.Hash,
	})
	if err != nil {
		return err
	}
	_, err = f.Save(dir, RobustnessChart)
	return err
}

// RobustnessChart is the name of the robustness chart's files.
const RobustnessChart = "robustness"
