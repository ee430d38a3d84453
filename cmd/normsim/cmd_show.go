package main

import (
	"flag"

	"github.com/normsim/normsim/scenarios"
)

// showCommand is `normsim show`.
var showCommand = &command{
	Name:    "show",
	Summary: "print a scenario with every key, its value and a comment",
	Usage:   "show NAME|FILE [--set key=value]... [--solutions]",
	Help: `Show prints the resolved scenario: every key of the format with its value
and a one-line comment, in canonical order. Save it to start a scenario of
your own: normsim show baseline > mine.toml

NAME is a shipped scenario (normsim list), a claims study scenario
(claims/evidence) or an exercise (exercises/restraint-emerges: normsim list
--exercises). A name without a '/' and without .toml is always a shipped
scenario; to show a file of your own, give its path (./mine, or a name
ending in .toml).

--solutions shows the teacher's solution of an exercise instead of its
starting file: normsim show --solutions exercises/NAME (or
exercises/NAME.solution). Solutions are not opened by name otherwise, so
that a student's run, check or show of an exercise does not print them.`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var sets multiFlag
		fs.Var(&sets, "set", "set one key of the scenario, as `key=value` (repeatable)")
		solutions := fs.Bool("solutions", false, "show an exercise's solution (for teachers)")
		return func(args []string) error {
			if len(args) != 1 {
				return usageErrorf("show", "want one scenario name or file, got %d arguments", len(args))
			}
			open := scenarios.Open
			if *solutions {
				open = scenarios.OpenSolution
			}
			s, err := open(args[0])
			if err != nil {
				return invalidInput("show", err)
			}
			if err := s.SetAll(assigns("--set", sets)...); err != nil {
				return invalidInput("show", err)
			}
			e.stdout.Write(s.Resolved())
			return nil
		}
	},
}
