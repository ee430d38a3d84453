// Command normsim runs simulations of how international norms for cyber
// operations emerge, and the classic models of norm emergence, from
// scenario files.
//
// Usage:
//
//	normsim run FILE|NAME [-o DIR] [--seed N] [--replicates N] [--steps N]
//	                      [--workers N] [--set key=value]... [--force] [--quiet]
//	normsim list                      shipped scenarios, one a line
//	normsim show NAME|FILE            the resolved scenario, every key commented
//	normsim validate FILE...          check scenario files
//	normsim plot DIR                  redraw a run's (or a sweep's) charts from its CSVs
//	normsim check FILE|NAME [flags]   run and grade the [[expect]] goals: exit 0 pass, 1 fail
//	normsim report FILE|NAME|DIR -o handout.html
//	                                  one self-contained HTML handout
//	normsim sweep FILE|NAME [-o DIR] [--workers N] [--resume] [--dry-run]
//	                        [--shard i/n] [--shards N]
//	                                  run a scenario's [sweep]: resumable, shardable
//	normsim merge DIR... -o OUT       combine the shards of a sweep
//	normsim status DIR...             which runs of a sweep are missing
//	normsim serve [NAME|FILE] [--addr 127.0.0.1:8080] [--open]
//	                                  the workbench: a live page in the browser
//	normsim version
//
// Every subcommand takes -h. Flags may come before or after the positional
// arguments. Exit codes: 0 success; 1 a runtime failure or an interrupted
// run; 2 a usage error or invalid input (a bad scenario, a bad flag, an
// existing result without --force); 3 an internal error, a bug in normsim
// (a panic, recovered and reported with its stack).
//
// Subcommands register themselves from init functions in files of their
// own (cmd_NAME.go), so that a new one needs no change to main.go.
package main
