package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"testing"

	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// TestExitErrors: the error a command returns decides, in one place, what
// is printed on stderr and the exit code.
func TestExitErrors(t *testing.T) {
	scenarioErr := &scenarios.Error{Problems: []scenarios.Problem{{File: "a.toml", Msg: "first"}, {File: "a.toml", Msg: "second"}}}
	for _, c := range []struct {
		name string
		err  error
		code int
		want string // stderr
	}{
		{"nil", nil, 0, ""},
		{"silent", silentExit(exitFailure), 1, ""},
		{"silent ok", silentExit(exitOK), 0, ""},
		{"usage", usageErrorf("run", "want %d scenario\nrun 'normsim run -h' for help", 1), 2, "normsim run: want 1 scenario\nrun 'normsim run -h' for help\n"},
		{"normsim itself", usageErrorf("", "unknown command %q", "x"), 2, "normsim: unknown command \"x\"\n"},
		{"invalid scenario", invalidInput("show", scenarioErr), 2, "normsim show: invalid scenario:\n  a.toml: first\n  a.toml: second\n"},
		{"invalid other", invalidInput("show", errors.New("no such")), 2, "normsim show: no such\n"},
		{"failure", failure("sweep", errors.New("disk full")), 1, "normsim sweep: disk full\n"},
		{"failuref", failuref("plot", "charts: %v", errors.New("no font")), 1, "normsim plot: charts: no font\n"},
		{"internal", failure("run", &sim.InternalError{Value: "boom", Stack: []byte("the stack")}), 3,
			"normsim run: internal error (a bug in normsim, not a problem with the input): boom\n\nthe stack\nPlease report it, with the command that caused it.\n"},
		{"plain", errors.New("plain"), 1, "normsim: plain\n"},
	} {
		var stderr bytes.Buffer
		e := &env{ctx: context.Background(), stderr: &stderr}
		if code := e.exit(c.err); code != c.code || stderr.String() != c.want {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", c.name, code, stderr.String(), c.code, c.want)
		}
	}
}

// TestCommandPlainError: a command that returns an error of its own (not
// made by usageErrorf, failure...) fails, exit 1, in its name.
func TestCommandPlainError(t *testing.T) {
	var stdout, stderr bytes.Buffer
	e := &env{ctx: context.Background(), stdout: &stdout, stderr: &stderr}
	c := &command{Name: "zz", Flags: func(*flag.FlagSet, *env) func([]string) error {
		return func([]string) error { return errors.New("plain") }
	}}
	if code := e.exit(parseAndRun(e, c, nil)); code != 1 || stderr.String() != "normsim zz: plain\n" {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestPrintedFirst: an error printed at once (printed) comes before what
// the command prints next, and the command still exits with its code.
func TestPrintedFirst(t *testing.T) {
	var stderr bytes.Buffer
	e := &env{ctx: context.Background(), stderr: &stderr}
	err := e.printed(failuref("merge", "charts: %s", "x"))
	stderr.WriteString("normsim: warning: after\n")
	if code := e.exit(err); code != 1 || stderr.String() != "normsim merge: charts: x\nnormsim: warning: after\n" {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
