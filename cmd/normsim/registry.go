package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// command is one subcommand, declared in its own file (cmd_NAME.go) and
// listed in [commands].
type command struct {
	Name    string
	Summary string // one line, for `normsim -h`
	Usage   string // after "normsim ", e.g. "run FILE|NAME [flags]"
	Help    string // paragraphs shown by -h
	// Flags declares the command's flags on fs and returns a function that
	// runs the command with the positional arguments. Its error carries the
	// exit code (see exitError); nil is exit 0.
	Flags func(fs *flag.FlagSet, e *env) func(args []string) error
}

// commands are every command, by name: the one table of the command.
var commands = commandTable(
	checkCommand,
	claimsCommand,
	listCommand,
	mergeCommand,
	plotCommand,
	reportCommand,
	runCommand,
	serveCommand,
	showCommand,
	statusCommand,
	sweepCommand,
	validateCommand,
	versionCommand,
)

// commandTable indexes cs by name; a name given twice is a bug.
func commandTable(cs ...*command) map[string]*command {
	m := make(map[string]*command, len(cs))
	for _, c := range cs {
		if _, dup := m[c.Name]; dup {
			panic("normsim: command " + c.Name + " listed twice")
		}
		m[c.Name] = c
	}
	return m
}

// env is what a command may use: no package-level writers, so that tests
// can run commands in parallel.
type env struct {
	ctx            context.Context
	stdout, stderr io.Writer // control characters escaped (escapeWriter)
	rawStderr      io.Writer // for the progress bars, which draw with \r
	terminal       bool      // stderr is a terminal
}

// interrupted says why the run stopped early, in words: "interrupted by
// Ctrl-C (SIGINT)", or "interrupted" when the context says no more (a
// test's cancel).
func (e *env) interrupted() string {
	var i interruption
	if errors.As(context.Cause(e.ctx), &i) {
		return i.Error()
	}
	return "interrupted"
}

// run is the whole command: it returns the exit code, which the command's
// error decides ([env.exit]). A panic is recovered and reported as an
// internal error, exit 3, so that a crash is never taken for invalid input
// (exit 2, which is also the Go runtime's exit code for an unrecovered
// panic).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, terminal bool) (code int) {
	out, errs := &escapeWriter{w: stdout}, &escapeWriter{w: stderr}
	e := &env{ctx: ctx, stdout: out, stderr: errs, rawStderr: stderr, terminal: terminal}
	defer func() {
		if err := sim.Recovered(recover()); err != nil {
			code = e.exit(failure("", err))
		}
		out.flush()
		errs.flush()
	}()
	return e.exit(dispatch(e, args))
}

// dispatch runs the command that args name.
func dispatch(e *env, args []string) error {
	if len(args) == 0 {
		usage(e.stderr)
		return silentExit(exitUsage)
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && name == "help" {
			if c, ok := commands[args[1]]; ok {
				return parseAndRun(e, c, []string{"-h"})
			}
		}
		usage(e.stdout)
		return nil
	case "-version", "--version":
		name = "version"
	}
	c, ok := commands[name]
	if !ok {
		msg := fmt.Sprintf("unknown command %q", name)
		if s := scenarios.Suggest(name, commandNames()); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return usageErrorf("", "%s\nrun 'normsim -h' for the commands", msg)
	}
	return parseAndRun(e, c, args[1:])
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "normsim simulates how norms for cyber operations emerge, and the classic models of norm emergence.")
	fmt.Fprintln(w, "\nusage: normsim COMMAND [arguments]\n\ncommands:")
	for _, n := range commandNames() {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nRun 'normsim COMMAND -h' for a command's flags. Start with 'normsim list' and 'normsim run baseline'.")
	fmt.Fprintln(w, "\nexit codes: 0 ok, 1 a runtime failure or an interrupted run, 2 invalid input (a bad scenario or flag,")
	fmt.Fprintln(w, "an existing result without --force), 3 an internal error (a bug in normsim: please report it)")
}

// parseAndRun parses flags anywhere among args (Go's flag package stops at
// the first positional argument, so parsing resumes after each one; "--"
// ends the flags), prints help for -h, returns a flag error, and runs c.
// An error of c that is not an exitError is a failure of c.
func parseAndRun(e *env, c *command, args []string) error {
	fs := flag.NewFlagSet("normsim "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, and printed once by run
	fs.Usage = func() {}
	do := c.Flags(fs, e)
	var pos, rest []string
	for i, a := range args {
		if a == "--" {
			args, rest = args[:i], args[i+1:]
			break
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				help(e.stdout, c, fs)
				return nil
			}
			return usageErrorf(c.Name, "%s\nrun 'normsim %s -h' for help", flagError(err, args, fs), c.Name)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	err := do(append(pos, rest...))
	if err != nil && !errors.As(err, new(*exitError)) {
		return failure(c.Name, err)
	}
	return err
}

func help(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: normsim %s\n\n%s\n", c.Usage, strings.TrimSpace(c.Help))
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nflags:")
		printFlags(w, fs)
	}
}

// dashes is how the help and the messages write a flag: "-o" for a
// one-letter flag, "--force" for the others, as the usage lines do (Go's
// flag package takes either form).
func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// printFlags lists fs's flags as the usage lines write them: "--force",
// "-o DIR", with the placeholder named in backquotes in the usage text.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		arg, text := flag.UnquoteUsage(f)
		head := dashes(f.Name)
		if arg != "" {
			head += " " + arg
		}
		fmt.Fprintf(w, "  %s\n      %s\n", head, text)
	})
}

// flagError rewrites an error of Go's flag package in the command's own
// words: the flag as the user typed it ("--bogus", not "-bogus"), with a
// suggestion for a misspelt one.
func flagError(err error, args []string, fs *flag.FlagSet) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		typed := "-" + name
		for _, a := range args {
			if k, _, _ := strings.Cut(a, "="); strings.TrimLeft(k, "-") == name && strings.HasPrefix(k, "-") {
				typed = k
				break
			}
		}
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		msg = fmt.Sprintf("unknown flag %s", typed)
		if s := scenarios.Suggest(name, names); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", dashes(s))
		} else if len(names) > 0 {
			for i := range names {
				names[i] = dashes(names[i])
			}
			msg += fmt.Sprintf(" (flags: %s)", strings.Join(names, ", "))
		}
		return msg
	}
	// "invalid value "x" for flag -seed: ...", "flag needs an argument: -o"
	fs.VisitAll(func(f *flag.Flag) {
		msg = strings.Replace(msg, "flag -"+f.Name+":", "flag "+dashes(f.Name)+":", 1)
		msg = strings.Replace(msg, "argument: -"+f.Name, "argument: "+dashes(f.Name), 1)
	})
	return msg
}

// pathFlag is the value of -o: a path that may not be empty, since an
// empty -o would otherwise mean the default silently.
type pathFlag string

func (p *pathFlag) String() string { return string(*p) }

func (p *pathFlag) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("want a path, not an empty string")
	}
	*p = pathFlag(v)
	return nil
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// multiFlag collects a repeated flag (--set).
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// wrap breaks text into lines of at most width bytes: the first starts
// with prefix, the others with as many spaces.
func wrap(text, prefix string, width int) string {
	var b strings.Builder
	pad := strings.Repeat(" ", len(prefix))
	line, empty := prefix, true
	for _, w := range strings.Fields(text) {
		if !empty && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line, empty = pad, true
		}
		if !empty {
			line += " "
		}
		line += w
		empty = false
	}
	if !empty {
		b.WriteString(line + "\n")
	}
	return b.String()
}
