package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/serve"
	"github.com/normsim/normsim/sim"
)

// The serve command is glue: the workbench is the serve package.

// serveCommand is `normsim serve`.
var serveCommand = &command{
	Name:    "serve",
	Summary: "a live workbench in the browser: sliders, go, charts that move, exercises with check",
	Usage:   "serve [NAME|FILE] [--addr 127.0.0.1:8080] [--open]",
	Help: `Serve starts the workbench: a web page where you pick a scenario or an
exercise (or open a file), set its parameters with sliders, switches and
selects, press go and watch the charts and the world move; an exercise
shows its task and goals, and "check" grades the current settings as
'normsim check' does. The scenario downloads as TOML, with its handout, and
the page's address restores its settings.

The model runs here; the page needs nothing from the network. Serve listens
on 127.0.0.1 (this machine only) unless --addr says otherwise, prints the
address, and with --open opens it in the default browser. Ctrl-C stops it.`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0: any free port)")
		open := fs.Bool("open", false, "open the page in the default browser")
		return func(args []string) error { return runServe(e, *addr, *open, args) }
	},
}

func runServe(e *env, addr string, open bool, args []string) error {
	if len(args) > 1 {
		return usageErrorf("serve", "want at most one scenario (a file or a shipped name), got %d arguments\nrun 'normsim serve -h' for help", len(args))
	}
	opt := serve.Options{Handout: serveHandout, Version: programVersion}
	if len(args) == 1 {
		opt.Scenario = args[0]
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return usageErrorf("serve", "%v", err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		opt.AllowHost = func(string) bool { return true } // served to others by name or address
	}
	srv, err := serve.New(opt)
	if err != nil {
		ln.Close()
		return invalidInput("serve", err)
	}
	defer srv.Close()
	url := "http://" + displayAddr(ln.Addr().String()) + "/"
	fmt.Fprintf(e.stdout, "normsim workbench at %s (Ctrl-C stops it)\n", url)
	if open {
		if err := openBrowser(url); err != nil {
			fmt.Fprintf(e.stderr, "normsim serve: cannot open a browser (%v): open %s yourself\n", err, url)
		}
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return failuref("serve", "%v", err)
	case <-e.ctx.Done():
	}
	srv.Close() // ends the streams, so that Shutdown need not wait for them
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(e.stderr, "normsim serve: %v\n", err) // stopped all the same: exit 0
	}
	fmt.Fprintln(e.stdout, "normsim workbench stopped")
	return nil
}

// displayAddr writes a listening address as a browser can open it: the
// unspecified address as localhost.
func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// openBrowser opens url with the system's opener, where there is one; it
// reports an opener that fails at once (xdg-open with no browser to open).
func openBrowser(url string) error {
	var cmd string
	var args []string
	switch runtime.GOOS {
	case "darwin":
		cmd = "open"
	case "windows":
		cmd, args = "rundll32", []string{"url.dll,FileProtocolHandler"}
	default:
		cmd = "xdg-open"
	}
	path, err := exec.LookPath(cmd)
	if err != nil {
		return fmt.Errorf("no %s", cmd)
	}
	c := exec.Command(path, append(args, url)...)
	if err := c.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%s: %v", cmd, err)
		}
	case <-time.After(3 * time.Second): // still opening: a browser started
	}
	return nil
}

// serveHandout runs s and writes its handout, as 'normsim report' does.
func serveHandout(ctx context.Context, s *scenarios.Scenario, w io.Writer) error {
	e := &env{ctx: ctx, stdout: io.Discard, stderr: io.Discard}
	cfg, err := s.Config()
	if err != nil {
		return err
	}
	res, err := sim.Run(ctx, cfg, sim.RunOptions{})
	if err != nil {
		return err
	}
	m := results.Meta{Scenario: s.Name, Title: s.Title, Version: programVersion, Hash: s.Hash(), Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates}
	h, err := buildHandout(e, s, cfg, res, m, "Made in the normsim workbench (normsim serve).", "")
	if err != nil {
		return errors.New(strings.TrimSpace(err.Error())) // the message report prints, as text
	}
	return renderHandout(w, h)
}
