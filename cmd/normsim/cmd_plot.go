package main

import (
	"flag"
	"fmt"
	"path/filepath"

	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
)

func init() {
	register(&command{
		Name:    "plot",
		Summary: "redraw a run's charts from its saved CSVs",
		Usage:   "plot DIR",
		Help: `Plot reads a run directory (scenario.toml, timeseries.csv, replicates.csv,
summary.json, lattice.csv if any) and draws its charts again, as PNG and SVG.`,
		Flags: func(fs *flag.FlagSet, e *env) func([]string) int {
			return func(args []string) int {
				if len(args) != 1 {
					e.errorf("plot", "want one run directory, got %d arguments", len(args))
					return exitUsage
				}
				dir := args[0]
				s, err := scenarios.Load(filepath.Join(dir, results.ScenarioFile))
				if err != nil {
					return e.invalid("plot", err)
				}
				cfg, err := s.Config()
				if err != nil {
					return e.invalid("plot", err)
				}
				res, sum, err := results.Read(dir)
				if err != nil {
					e.errorf("plot", "%v", err)
					return exitUsage
				}
				res.Config, res.Events = cfg, cfg.Events
				m := results.Meta{Scenario: sum.Scenario, Title: sum.Title, Version: sum.Provenance.Version,
					Hash: sum.Provenance.ScenarioHash, Seed: sum.Provenance.Seed, Replicates: sum.Replicates.Requested}
				paths, err := saveCharts(dir, res, m)
				if err != nil {
					e.errorf("plot", "%v", err)
					return exitFailure
				}
				for _, p := range paths {
					fmt.Fprintln(e.stdout, p)
				}
				return exitOK
			}
		},
	})
}
