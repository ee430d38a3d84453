package main

import (
	"flag"
	"fmt"
	"path/filepath"

	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sweep"
)

// plotCommand is `normsim plot`.
var plotCommand = &command{
	Name:    "plot",
	Summary: "redraw a run's charts from its saved CSVs",
	Usage:   "plot DIR",
	Help: `Plot reads a run directory (scenario.toml, timeseries.csv, replicates.csv,
summary.json, lattice.csv if any) and draws its charts again, as PNG and SVG.
Given the directory of a finished sweep (or a merge), it redraws the sweep's
charts from its runs.csv.`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		return func(args []string) error {
			if len(args) != 1 {
				return usageErrorf("plot", "want one run directory, got %d arguments", len(args))
			}
			dir := args[0]
			if _, err := sweep.ReadManifest(dir); err == nil {
				paths, notes, err := drawSweepCharts(dir)
				for _, n := range notes {
					fmt.Fprintf(e.stderr, "normsim plot: note: %s\n", n)
				}
				return e.listCharts(paths, err)
			}
			s, err := scenarios.Load(filepath.Join(dir, results.ScenarioFile))
			if err != nil {
				return invalidInput("plot", err)
			}
			cfg, err := s.Config()
			if err != nil {
				return invalidInput("plot", err)
			}
			res, sum, err := results.Read(dir)
			if err != nil {
				return usageErrorf("plot", "%v", err)
			}
			res.Config, res.Events = cfg, cfg.Events
			m := results.Meta{Scenario: sum.Scenario, Title: sum.Title, Version: sum.Provenance.Version,
				Hash: sum.Provenance.ScenarioHash, Seed: sum.Provenance.Seed, Replicates: sum.Replicates.Requested}
			return e.listCharts(saveCharts(dir, res, m))
		}
	},
}

// listCharts prints the charts plot drew, one a line, or the error that
// stopped it.
func (e *env) listCharts(paths []string, err error) error {
	if err != nil {
		return failuref("plot", "%v", err)
	}
	for _, p := range paths {
		fmt.Fprintln(e.stdout, p)
	}
	return nil
}
