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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, stderrIsTerminal())
	stop()
	os.Exit(code)
}

// stderrIsTerminal reports whether stderr is a terminal, where a progress
// bar makes sense.
func stderrIsTerminal() bool {
	fi, err := os.Stderr.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
