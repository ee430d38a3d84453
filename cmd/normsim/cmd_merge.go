package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/sweep"
)

// mergeCommand is `normsim merge`.
var mergeCommand = &command{
	Name:    "merge",
	Summary: "combine the shards of a sweep into one directory, as if run on one machine",
	Usage:   "merge DIR... -o OUT [--force]",
	Help: `Merge combines sweep directories (the shards of one sweep, in any order;
partial ones too) into OUT, whose runs.csv, points.csv and sensitivity.csv are
byte for byte those of the same sweep run unsharded, and draws its charts.

It refuses directories of different sweeps (another scenario, design or
program version: exit 2), and a run whose results differ between
directories. When runs are missing it says which (exit 1) and leaves OUT
ready for 'normsim sweep FILE -o OUT --resume' to run just those. An OUT
that holds a sweep is not overwritten without --force.`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var out string
		var force bool
		fs.Var((*pathFlag)(&out), "o", "write the merged sweep into `DIR` (required)")
		fs.BoolVar(&force, "force", false, "replace the sweep that OUT holds")
		return func(args []string) error { return runMerge(e, args, out, force) }
	},
}

func runMerge(e *env, dirs []string, out string, force bool) error {
	const cmd = "merge"
	if len(dirs) == 0 {
		return usageErrorf(cmd, "want the sweep directories to merge\nrun 'normsim merge -h' for help")
	}
	if out == "" {
		return usageErrorf(cmd, "want an output directory: -o OUT\nrun 'normsim merge -h' for help")
	}
	if err := checkSameSweep(cmd, dirs); err != nil {
		return err
	}
	for _, d := range dirs {
		if sameDirs(d, out) {
			return usageErrorf(cmd, "cannot merge %s into itself: choose another -o", d)
		}
	}
	if err := checkOutDir(cmd, out); err != nil {
		return err
	}
	if err := checkNotRunDir(cmd, out, force); err != nil {
		return err
	}
	if !force {
		_, merr := sweep.ReadManifest(out)
		_, jerr := os.Stat(filepath.Join(out, sweep.JournalFile))
		if !errors.Is(merr, fs.ErrNotExist) || jerr == nil {
			return usageErrorf(cmd, "%s already holds a sweep: not overwritten (use --force to replace it, or another -o)", out)
		}
	}
	start := time.Now()
	err := sweep.Merge(dirs, out, force)
	if err == nil || errors.As(err, new(*sweep.MissingError)) {
		// The shards' scenario.toml (all the same: the hash matched).
		for _, d := range dirs {
			if b, rerr := os.ReadFile(filepath.Join(d, results.ScenarioFile)); rerr == nil {
				if werr := results.WriteBytes(filepath.Join(out, results.ScenarioFile), b); werr != nil {
					return failuref(cmd, "%v", werr)
				}
				break
			}
		}
	}
	var miss *sweep.MissingError
	if errors.As(err, &miss) {
		return failuref(cmd, "%d of %d runs missing (runs %s): run the missing shards and merge again, or run them in %s with 'normsim sweep FILE -o %s --resume'",
			miss.Total-miss.Done, miss.Total, sweep.FormatSpans(miss.Missing, 20), out, out)
	}
	if err != nil {
		return failure(cmd, err)
	}
	removeSweepCharts(out)
	paths, notes, err := drawSweepCharts(out)
	for _, n := range notes {
		fmt.Fprintf(e.stderr, "normsim %s: note: %s\n", cmd, n)
	}
	var chartsErr error
	if err != nil {
		chartsErr = e.printed(failuref(cmd, "charts: %v", err))
	}
	fmt.Fprintf(e.stdout, "merged %d directories\n", len(dirs))
	sweepReport(e, out, time.Since(start), paths, -1)
	return chartsErr
}

// checkSameSweep refuses, as invalid input, directories that hold no
// sweep or different sweeps.
func checkSameSweep(cmd string, dirs []string) error {
	var first *sweep.Manifest
	for i, d := range dirs {
		m, err := sweep.ReadManifest(d)
		if errors.Is(err, fs.ErrNotExist) {
			return usageErrorf(cmd, "%s holds no sweep (no %s)", d, sweep.ManifestFile)
		}
		if err != nil {
			return usageErrorf(cmd, "%v", err)
		}
		if i == 0 {
			first = m
			continue
		}
		if diff := first.Diff(m); diff != "" {
			return usageErrorf(cmd, "%s and %s hold different sweeps (%s): refusing to combine them", dirs[0], d, diff)
		}
	}
	return nil
}

// sameDirs reports whether a and b name the same directory.
func sameDirs(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(fa, fb)
	}
	aa, _ := filepath.Abs(a)
	bb, _ := filepath.Abs(b)
	return aa == bb
}
