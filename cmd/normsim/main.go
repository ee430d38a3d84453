package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/normsim/normsim/sim"
)

func main() {
	sim.LimitRuntimeMemory()
	ctx, cancel := interruptible()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, stderrIsTerminal())
	cancel()
	os.Exit(code)
}

// interruptible returns a context cancelled by the first SIGINT or
// SIGTERM, with an [interruption] as its cause, so that messages say
// "interrupted by Ctrl-C", not "context canceled". After the first
// signal the default handling is back: a second Ctrl-C quits at once.
func interruptible() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s, ok := <-sigs
		signal.Stop(sigs)
		if ok {
			cancel(interruption{s})
		}
	}()
	return ctx, func() { signal.Stop(sigs); close(sigs); cancel(nil) }
}

// interruption is the cause of a cancelled run: the signal that stopped it.
type interruption struct{ sig os.Signal }

func (i interruption) Error() string {
	if i.sig == os.Interrupt {
		return "interrupted by Ctrl-C (SIGINT)"
	}
	return "stopped by SIGTERM"
}

// stderrIsTerminal reports whether stderr is a terminal, where a progress
// bar makes sense.
func stderrIsTerminal() bool {
	fi, err := os.Stderr.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
