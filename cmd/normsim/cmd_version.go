package main

import (
	"flag"
	"fmt"
	"runtime"

	"github.com/normsim/normsim/sim"
)

func init() {
	register(&command{
		Name:    "version",
		Summary: "print the program version",
		Usage:   "version",
		Help:    "Version prints normsim's version (recorded in every output) and the Go version that built it.",
		Flags: func(fs *flag.FlagSet, e *env) func([]string) int {
			return func(args []string) int {
				if len(args) > 0 {
					e.errorf("version", "takes no arguments, got %q", args)
					return exitUsage
				}
				fmt.Fprintf(e.stdout, "normsim %s (%s %s/%s)\n", sim.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return exitOK
			}
		},
	})
}
