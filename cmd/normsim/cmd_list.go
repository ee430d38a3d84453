package main

import (
	"flag"
	"fmt"

	"github.com/normsim/normsim/scenarios"
)

// listCommand is `normsim list`.
var listCommand = &command{
	Name:    "list",
	Summary: "list the shipped scenarios (or, with --exercises, the exercises), one a line",
	Usage:   "list [--exercises]",
	Help: `List prints the shipped scenarios sorted by name, one a line: the name
(which run, check, show and report accept), then the title. The claims
study's scenarios are listed by their name key (claims-evidence) and open
as claims/evidence too.

--exercises lists the course pack instead (scenarios/exercises): the
students' starting files, as exercises/NAME. Their solutions are not
listed; a teacher shows one with normsim show --solutions exercises/NAME.

A name without a '/' and without .toml is always a shipped scenario, so a
file or directory of that name in the working directory does not hide it;
to open a file of your own, give its path (./mine, or a name ending in
.toml).`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		exercises := fs.Bool("exercises", false, "list the exercises (their starting files) instead")
		return func(args []string) error {
			if len(args) > 0 {
				return usageErrorf("list", "takes no arguments (got %q)", args)
			}
			list := scenarios.List()
			if *exercises {
				list = scenarios.Exercises()
			}
			width := 0
			for _, s := range list {
				width = max(width, len(s.Name))
			}
			for _, s := range list {
				fmt.Fprintf(e.stdout, "%-*s  %s\n", width, s.Name, s.Title)
			}
			return nil
		}
	},
}
