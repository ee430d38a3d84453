package main

import (
	"flag"
	"fmt"

	"github.com/normsim/normsim/scenarios"
)

// validateCommand is `normsim validate`.
var validateCommand = &command{
	Name:    "validate",
	Summary: "check scenario files and report every problem",
	Usage:   "validate FILE|NAME...",
	Help: `Validate checks each scenario (a file, or a shipped name) and reports every
problem at once, as file:line:col: key = value: what is allowed.
It exits 2 when any scenario is invalid.`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		return func(args []string) error {
			if len(args) == 0 {
				return usageErrorf("validate", "want at least one scenario file")
			}
			var invalid error // every invalid scenario is reported, in order
			for _, a := range args {
				s, err := scenarios.Open(a)
				if err == nil {
					_, err = s.Config()
				}
				if err != nil {
					invalid = e.printed(invalidInput("validate", err))
					continue
				}
				fmt.Fprintf(e.stdout, "%s: ok (%s)\n", a, s.Name)
			}
			return invalid
		}
	},
}
