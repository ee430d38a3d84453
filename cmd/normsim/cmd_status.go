package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"

	"github.com/normsim/normsim/sweep"
)

// statusCommand is `normsim status`.
var statusCommand = &command{
	Name:    "status",
	Summary: "which runs of a sweep are done and which are missing",
	Usage:   "status DIR...",
	Help: `Status reads sweep directories (a sweep, or the shards of one) and prints,
for each and for all together, the runs done and the missing run indices,
compactly ("0-99,205-298:3", the notation of Slurm's --array). It only
reads, so it can watch a running sweep.

Exit codes: 0 when the sweep is complete (every run done and every
directory's outputs written), 1 when runs are missing or outputs are not
written yet (a directory that holds no sweep yet, such as a shard not
started, is named and its runs count as missing), 2 when no directory
holds a sweep or the directories hold different sweeps.`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		return func(args []string) error { return runStatus(e, args) }
	},
}

func runStatus(e *env, dirs []string) error {
	const cmd = "status"
	if len(dirs) == 0 {
		return usageErrorf(cmd, "want one or more sweep directories\nrun 'normsim status -h' for help")
	}
	// A directory with no sweep yet (a shard not started, or a typo) is
	// reported and left out, so that the others are still reported; the
	// runs only it would hold count as missing.
	var found, absent []string
	for _, d := range dirs {
		if _, err := sweep.ReadManifest(d); errors.Is(err, fs.ErrNotExist) {
			absent = append(absent, d)
			continue
		}
		found = append(found, d)
	}
	for _, d := range absent {
		fmt.Fprintf(e.stdout, "%s: no sweep here (no %s): not started, or not this path\n", d, sweep.ManifestFile)
	}
	if len(found) == 0 {
		return usageErrorf(cmd, "none of the directories holds a sweep")
	}
	if err := checkSameSweep(cmd, found); err != nil {
		return err
	}
	rep, err := sweep.Status(found)
	if err != nil {
		return usageErrorf(cmd, "%v", err)
	}
	fmt.Fprint(e.stdout, rep.String())
	if !rep.Complete() || len(absent) > 0 {
		return silentExit(exitFailure) // the report says what is missing
	}
	return nil
}
