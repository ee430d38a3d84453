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
		return exitCode(func(args []string) int { return runMerge(e, args, out, force) })
	},
}

func runMerge(e *env, dirs []string, out string, force bool) int {
	const cmd = "merge"
	if len(dirs) == 0 {
		e.errorf(cmd, "want the sweep directories to merge\nrun 'normsim merge -h' for help")
		return exitUsage
	}
	if out == "" {
		e.errorf(cmd, "want an output directory: -o OUT\nrun 'normsim merge -h' for help")
		return exitUsage
	}
	if code := checkSameSweep(e, cmd, dirs); code != exitOK {
		return code
	}
	for _, d := range dirs {
		if sameDirs(d, out) {
			e.errorf(cmd, "cannot merge %s into itself: choose another -o", d)
			return exitUsage
		}
	}
	if code := e.checkOutDir(cmd, out); code != exitOK {
		return code
	}
	if code := checkNotRunDir(e, cmd, out, force); code != exitOK {
		return code
	}
	if !force {
		_, merr := sweep.ReadManifest(out)
		_, jerr := os.Stat(filepath.Join(out, sweep.JournalFile))
		if !errors.Is(merr, fs.ErrNotExist) || jerr == nil {
			e.errorf(cmd, "%s already holds a sweep: not overwritten (use --force to replace it, or another -o)", out)
			return exitUsage
		}
	}
	start := time.Now()
	err := sweep.Merge(dirs, out, force)
	if err == nil || errors.As(err, new(*sweep.MissingError)) {
		// The shards' scenario.toml (all the same: the hash matched).
		for _, d := range dirs {
			if b, rerr := os.ReadFile(filepath.Join(d, results.ScenarioFile)); rerr == nil {
				if werr := results.WriteBytes(filepath.Join(out, results.ScenarioFile), b); werr != nil {
					e.errorf(cmd, "%v", werr)
					return exitFailure
				}
				break
			}
		}
	}
	var miss *sweep.MissingError
	if errors.As(err, &miss) {
		e.errorf(cmd, "%d of %d runs missing (runs %s): run the missing shards and merge again, or run them in %s with 'normsim sweep FILE -o %s --resume'",
			miss.Total-miss.Done, miss.Total, sweep.FormatSpans(miss.Missing, 20), out, out)
		return exitFailure
	}
	if err != nil {
		return e.failed(cmd, err)
	}
	removeSweepCharts(out)
	paths, notes, err := drawSweepCharts(out)
	for _, n := range notes {
		fmt.Fprintf(e.stderr, "normsim %s: note: %s\n", cmd, n)
	}
	code := exitOK
	if err != nil {
		e.errorf(cmd, "charts: %v", err)
		code = exitFailure
	}
	fmt.Fprintf(e.stdout, "merged %d directories\n", len(dirs))
	sweepReport(e, out, time.Since(start), paths, -1)
	return code
}

// checkSameSweep refuses, as invalid input, directories that hold no
// sweep or different sweeps.
func checkSameSweep(e *env, cmd string, dirs []string) int {
	var first *sweep.Manifest
	for i, d := range dirs {
		m, err := sweep.ReadManifest(d)
		if errors.Is(err, fs.ErrNotExist) {
			e.errorf(cmd, "%s holds no sweep (no %s)", d, sweep.ManifestFile)
			return exitUsage
		}
		if err != nil {
			e.errorf(cmd, "%v", err)
			return exitUsage
		}
		if i == 0 {
			first = m
			continue
		}
		if diff := first.Diff(m); diff != "" {
			e.errorf(cmd, "%s and %s hold different sweeps (%s): refusing to combine them", dirs[0], d, diff)
			return exitUsage
		}
	}
	return exitOK
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
