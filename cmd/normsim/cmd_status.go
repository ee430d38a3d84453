package main

import (
	"flag"
	"fmt"

	"github.com/normsim/normsim/sweep"
)

func init() {
	register(&command{
		Name:    "status",
		Summary: "which runs of a sweep are done and which are missing",
		Usage:   "status DIR...",
		Help: `Status reads sweep directories (a sweep, or the shards of one) and prints,
for each and for all together, the runs done and the missing run indices,
compactly ("0-99,205-298:3", the notation of Slurm's --array). It only
reads, so it can watch a running sweep.

Exit codes: 0 when the sweep is complete (every run done and every
directory's outputs written), 1 when runs are missing or outputs are not
written yet, 2 when a directory holds no sweep or the directories hold
different sweeps.`,
		Flags: func(fs *flag.FlagSet, e *env) func([]string) int {
			return func(args []string) int { return runStatus(e, args) }
		},
	})
}

func runStatus(e *env, dirs []string) int {
	const cmd = "status"
	if len(dirs) == 0 {
		e.errorf(cmd, "want one or more sweep directories\nrun 'normsim status -h' for help")
		return exitUsage
	}
	if code := checkSameSweep(e, cmd, dirs); code != exitOK {
		return code
	}
	rep, err := sweep.Status(dirs)
	if err != nil {
		e.errorf(cmd, "%v", err)
		return exitUsage
	}
	fmt.Fprint(e.stdout, rep.String())
	if !rep.Complete() {
		return exitFailure
	}
	return exitOK
}
