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
		return exitCode(func(args []string) int {
			if len(args) == 0 {
				e.errorf("validate", "want at least one scenario file")
				return exitUsage
			}
			code := exitOK
			for _, a := range args {
				s, err := scenarios.Open(a)
				if err == nil {
					_, err = s.Config()
				}
				if err != nil {
					code = e.invalid("validate", err)
					continue
				}
				fmt.Fprintf(e.stdout, "%s: ok (%s)\n", a, s.Name)
			}
			return code
		})
	},
}
