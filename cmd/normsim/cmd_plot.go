package main

import (
	"flag"
	"fmt"
	"path/filepath"

	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
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
			rd, err := readRunDir("plot", dir)
			if err != nil {
				return err
			}
			return e.listCharts(saveCharts(dir, rd.res, rd.meta))
		}
	},
}

// runDir is a finished run read back from its directory: its resolved
// scenario and configuration, its results (with the configuration and
// events of the scenario), its summary.json, and the provenance they
// were written with.
type runDir struct {
	s    *scenarios.Scenario
	cfg  sim.Config
	res  *sim.Result
	sum  results.Summary
	meta results.Meta
}

// readRunDir reads the run in dir for cmd (plot, report): a scenario.toml
// that is not valid is invalid input, and so are results that cannot be
// read.
func readRunDir(cmd, dir string) (*runDir, error) {
	s, err := scenarios.Load(filepath.Join(dir, results.ScenarioFile))
	if err != nil {
		return nil, invalidInput(cmd, err)
	}
	cfg, err := s.Config()
	if err != nil {
		return nil, invalidInput(cmd, err)
	}
	res, sum, err := results.Read(dir)
	if err != nil {
		return nil, usageErrorf(cmd, "%v", err)
	}
	res.Config, res.Events = cfg, cfg.Events
	m := results.Meta{Scenario: sum.Scenario, Title: sum.Title, Version: sum.Provenance.Version,
		Hash: sum.Provenance.ScenarioHash, Seed: sum.Provenance.Seed, Replicates: sum.Replicates.Requested}
	return &runDir{s: s, cfg: cfg, res: res, sum: sum, meta: m}, nil
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
