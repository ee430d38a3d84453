package main

import (
	"errors"
	"fmt"

	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1 // a runtime failure, or an interrupted run
	exitUsage    = 2 // a usage error or invalid input
	exitInternal = 3 // an internal error: a bug in normsim (a panic, recovered)
)

// exitError is a command's error with the exit code it means. Commands
// return one (made by the functions below) and print nothing of it: run
// prints it, once, and exits with its code ([env.exit]).
type exitError struct {
	code     int
	cmd      string // the command the message names: "normsim CMD: ..."; "" for normsim itself
	err      error  // nil for a silent exit: the command has printed its own report
	scenario bool   // err is an invalid scenario: its problems are listed, one a line
}

// Error is the message as printed, without its final newline.
func (x *exitError) Error() string {
	name := "normsim"
	if x.cmd != "" {
		name += " " + x.cmd
	}
	var ie *sim.InternalError
	switch {
	case x.err == nil:
		return fmt.Sprintf("%s: exit %d", name, x.code)
	case x.code == exitInternal && errors.As(x.err, &ie):
		return fmt.Sprintf("%s: internal error (a bug in normsim, not a problem with the input): %v\n\n%s\nPlease report it, with the command that caused it.",
			name, ie.Value, ie.Stack)
	case x.scenario:
		return fmt.Sprintf("%s: invalid scenario:\n%s", name, indent(x.err.Error()))
	}
	return name + ": " + x.err.Error()
}

func (x *exitError) Unwrap() error { return x.err }

// usageErrorf is a usage error or invalid input, exit 2.
func usageErrorf(cmd, format string, args ...any) error {
	return &exitError{code: exitUsage, cmd: cmd, err: fmt.Errorf(format, args...)}
}

// invalidInput is invalid input, exit 2: a scenario error is printed with
// every problem, one a line.
func invalidInput(cmd string, err error) error {
	return &exitError{code: exitUsage, cmd: cmd, err: err, scenario: errors.As(err, new(*scenarios.Error))}
}

// failure is a runtime failure, exit 1, or an internal error (a panic
// recovered in the engine or the command), exit 3, printed with its stack.
func failure(cmd string, err error) error {
	code := exitFailure
	if isInternal(err) {
		code = exitInternal
	}
	return &exitError{code: code, cmd: cmd, err: err}
}

// failuref is a runtime failure, exit 1, in words.
func failuref(cmd, format string, args ...any) error {
	return &exitError{code: exitFailure, cmd: cmd, err: fmt.Errorf(format, args...)}
}

// silentExit is the exit code of a command that has printed its own
// report (check's FAIL, status's missing runs): run prints nothing more.
// It is nil for exitOK.
func silentExit(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

// isInternal reports whether err is an internal error: a panic, recovered.
func isInternal(err error) bool {
	return errors.As(err, new(*sim.InternalError))
}

// exit is the one place where an error becomes an exit code: it prints
// err on stderr (nothing for nil or a silent exit) and returns its code.
// An error that is not an exitError is a failure of normsim.
func (e *env) exit(err error) int {
	if err == nil {
		return exitOK
	}
	var x *exitError
	if !errors.As(err, &x) {
		return e.exit(failure("", err))
	}
	if x.err != nil {
		fmt.Fprintln(e.stderr, x.Error())
	}
	return x.code
}

// printed prints err now, as run would at the end, and returns the silent
// exit of its code: for an error that must come before what the command
// prints next (charts that failed, before the report of the data files).
func (e *env) printed(err error) error {
	return silentExit(e.exit(err))
}
