// Command normsim simulates how international norms for cyber operations
// emerge, and runs the classic models of norm emergence, from scenario
// files. README.md is its manual; docs/ has the guides to sweeps, charts
// and the workbench.
//
// Usage:
//
//	normsim COMMAND [arguments] [flags]
//
// The commands are run, list, show, validate, plot, check, claims, report,
// sweep, merge, status, serve and version: `normsim -h` lists them, one a
// line, and `normsim COMMAND -h` gives a command's usage and flags. Flags
// may come before or after the positional arguments. Exit codes: 0
// success; 1 a runtime failure or an interrupted run; 2 a usage error or
// invalid input (a bad scenario, a bad flag, an existing result without
// --force); 3 an internal error, a bug in normsim (a panic, recovered and
// reported with its stack). Each command is declared in a file of its own
// (cmd_NAME.go) and listed in the commands table of registry.go.
package main
