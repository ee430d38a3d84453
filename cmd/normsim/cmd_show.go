package main

import (
	"flag"

	"github.com/normsim/normsim/scenarios"
)

// showCommand is `normsim show`.
var showCommand = &command{
	Name:    "show",
	Summary: "print a scenario with every key, its value and a comment",
	Usage:   "show NAME|FILE [--set key=value]...",
	Help: `Show prints the resolved scenario: every key of the format with its value
and a one-line comment, in canonical order. Save it to start a scenario of
your own: normsim show baseline > mine.toml`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) int {
		var sets multiFlag
		fs.Var(&sets, "set", "set one key of the scenario, as `key=value` (repeatable)")
		return func(args []string) int {
			if len(args) != 1 {
				e.errorf("show", "want one scenario name or file, got %d arguments", len(args))
				return exitUsage
			}
			s, err := scenarios.Open(args[0])
			if err != nil {
				return e.invalid("show", err)
			}
			if err := s.SetAll(assigns("--set", sets)...); err != nil {
				return e.invalid("show", err)
			}
			e.stdout.Write(s.Resolved())
			return exitOK
		}
	},
}
