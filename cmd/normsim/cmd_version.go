package main

import (
	"flag"
	"fmt"
	"runtime"
)

// versionCommand is `normsim version`.
var versionCommand = &command{
	Name:    "version",
	Summary: "print the program version",
	Usage:   "version",
	Help:    "Version prints normsim's version (recorded in every output): the engine's version and, when\nthe binary was built from a git checkout, the commit (\".dirty\" with uncommitted\nchanges); then the Go version that built it.",
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		return func(args []string) error {
			if len(args) > 0 {
				return usageErrorf("version", "takes no arguments, got %q", args)
			}
			fmt.Fprintf(e.stdout, "normsim %s (%s %s/%s)\n", programVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		}
	},
}
