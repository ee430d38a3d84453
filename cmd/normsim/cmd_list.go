package main

import (
	"flag"
	"fmt"

	"github.com/normsim/normsim/scenarios"
)

// listCommand is `normsim list`.
var listCommand = &command{
	Name:    "list",
	Summary: "list the shipped scenarios, one a line",
	Usage:   "list",
	Help:    "List prints the shipped scenarios sorted by name, one a line: the name (which run and show accept), then the title.",
	Flags: func(fs *flag.FlagSet, e *env) func([]string) int {
		return func(args []string) int {
			if len(args) > 0 {
				e.errorf("list", "takes no arguments (got %q)", args)
				return exitUsage
			}
			for _, s := range scenarios.List() {
				fmt.Fprintf(e.stdout, "%-24s %s\n", s.Name, s.Title)
			}
			return exitOK
		}
	},
}
