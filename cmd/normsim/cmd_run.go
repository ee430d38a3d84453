package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

func init() {
	register(&command{
		Name:    "run",
		Summary: "run a scenario and write its results and charts",
		Usage:   "run FILE|NAME [-o DIR] [--seed N] [--replicates N] [--steps N] [--workers N] [--set key=value]... [--force] [--quiet]",
		Help: `Run runs every replicate of a scenario (a file, or a shipped name: see
'normsim list') and writes into DIR (default runs/NAME-seedN):

  scenario.toml    the resolved scenario, flags included: running it again
                   gives byte-identical CSVs
  timeseries.csv   every recorded step of every replicate
  replicates.csv   one row per replicate: outcome, convergence, final values
  lattice.csv      lattice snapshots (lattice worlds only)
  summary.json     outcome shares, convergence times, provenance
  *.png, *.svg     the charts

--seed, --replicates and --steps are the same as --set run.seed=N and so on,
and are checked like the file. When --steps shortens a run, events after its
end are skipped with a warning. An existing result is not overwritten
without --force. Ctrl-C stops cleanly: finished replicates are written and
the directory is marked INCOMPLETE.`,
		Flags: func(fs *flag.FlagSet, e *env) func([]string) int {
			o := &runOptions{}
			fs.StringVar(&o.out, "o", "", "output `DIR` (default runs/NAME-seedN)")
			o.scenarioFlags.register(fs)
			fs.BoolVar(&o.force, "force", false, "overwrite an existing result in DIR")
			fs.BoolVar(&o.quiet, "quiet", false, "no progress bar and no scenario description")
			return func(args []string) int { return runRun(e, o, args) }
		},
	})
}

type runOptions struct {
	out string
	scenarioFlags
	force, quiet bool
}

// scenarioFlags are the flags of run, check and report that change the
// scenario or how it runs.
type scenarioFlags struct {
	seed, replicates, steps string
	workers                 int
	sets                    multiFlag
}

// flagKey is a flag whose value sets a scenario key.
type flagKey struct{ flag, key, value string }

// applyFlags applies the flags that set scenario keys, after --set: with
// --steps (steps, when given) it first skips the events after the new last
// step, with a warning; then it sets every flag given, all checked
// together, each problem naming its flag.
func applyFlags(e *env, cmd string, s *scenarios.Scenario, steps string, flags ...flagKey) error {
	if steps != "" {
		if n, err := strconv.Atoi(steps); err == nil && n >= 1 {
			for _, d := range s.DropEventsAfter(n) {
				fmt.Fprintf(e.stderr, "normsim %s: warning: --steps %d: skipping event %s\n", cmd, n, d)
			}
		}
	}
	var as []scenarios.Assign
	for _, f := range flags {
		if f.value != "" {
			as = append(as, scenarios.Assign{Origin: f.flag, Text: f.key + "=" + f.value})
		}
	}
	return s.SetAll(as...)
}

// assigns turns key=value texts from one origin into assignments.
func assigns(origin string, texts []string) []scenarios.Assign {
	out := make([]scenarios.Assign, len(texts))
	for i, t := range texts {
		out[i] = scenarios.Assign{Origin: origin, Text: t}
	}
	return out
}

func (f *scenarioFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.seed, "seed", "", "master seed `N` (run.seed)")
	fs.StringVar(&f.replicates, "replicates", "", "number of replicates `N` (run.replicates)")
	fs.StringVar(&f.steps, "steps", "", "steps per replicate `N` (run.steps)")
	fs.IntVar(&f.workers, "workers", 0, "replicates run at once `N` (default: all cores); results do not depend on it")
	fs.Var(&f.sets, "set", "change a key, `key=value` (repeatable)")
}

// load opens a scenario and applies --set, then --steps (skipping the
// events after the new end, with a warning), --seed and --replicates, all
// checked like the file. On failure it returns the exit code.
func (f *scenarioFlags) load(e *env, cmd, arg string) (*scenarios.Scenario, sim.Config, int) {
	if f.workers < 0 {
		e.errorf(cmd, "--workers = %d: want 0 (all cores) or more", f.workers)
		return nil, sim.Config{}, exitUsage
	}
	s, err := scenarios.Open(arg)
	if err != nil {
		return nil, sim.Config{}, e.invalid(cmd, err)
	}
	if err := s.SetAll(assigns("--set", f.sets)...); err != nil {
		return nil, sim.Config{}, e.invalid(cmd, err)
	}
	if err := applyFlags(e, cmd, s, f.steps,
		flagKey{"--seed", "run.seed", f.seed}, flagKey{"--replicates", "run.replicates", f.replicates},
		flagKey{"--steps", "run.steps", f.steps}); err != nil {
		return nil, sim.Config{}, e.invalid(cmd, err)
	}
	cfg, err := s.Config()
	if err != nil {
		return nil, sim.Config{}, e.invalid(cmd, err)
	}
	if fe := sim.CheckWorkers(&cfg, min(f.workers, cfg.Run.Replicates)); fe != nil {
		e.errorf(cmd, "--workers %d: %s", f.workers, fe.Msg)
		return nil, sim.Config{}, exitUsage
	}
	return s, cfg, exitOK
}

func runRun(e *env, o *runOptions, args []string) int {
	if len(args) != 1 {
		e.errorf("run", "want one scenario (a file or a shipped name), got %d arguments\nrun 'normsim run -h' for help", len(args))
		return exitUsage
	}
	s, cfg, code := o.load(e, "run", args[0])
	if code != exitOK {
		return code
	}

	dir := o.out
	if dir == "" {
		dir = filepath.Join("runs", fmt.Sprintf("%s-seed%d", s.Name, cfg.Run.Seed))
	}
	if results.Exists(dir) && !o.force {
		e.errorf("run", "%s already holds a result: not overwritten (use --force to replace it, or -o for another directory)", dir)
		return exitUsage
	}
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, os.ErrNotExist)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		e.errorf("run", "%v", err)
		return exitFailure
	}

	if !o.quiet {
		describe(e.stdout, s)
	}
	res, runErr := runReplicates(e, cfg, o.workers, o.quiet)
	interrupted := runErr != nil && (errors.Is(runErr, e.ctx.Err()) && e.ctx.Err() != nil)
	if runErr != nil && !interrupted {
		e.errorf("run", "%v", runErr)
		if created {
			os.Remove(dir) // only if still empty
		}
		return exitFailure
	}

	m := results.Meta{Scenario: s.Name, Title: s.Title, Version: sim.Version, Hash: s.Hash(), Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates}
	note := ""
	if interrupted {
		note = fmt.Sprintf("interrupted (%v) after %d of %d replicates", runErr, len(res.Replicates), cfg.Run.Replicates)
	}
	if err := results.WriteBytes(filepath.Join(dir, results.ScenarioFile), s.Resolved()); err != nil {
		e.errorf("run", "%v", err)
		return exitFailure
	}
	paths, err := results.Save(dir, m, res, !interrupted, note)
	if err != nil {
		e.errorf("run", "%v", err)
		return exitFailure
	}
	code = exitOK
	if len(res.Replicates) > 0 {
		charts, err := saveCharts(dir, res, m)
		if err != nil {
			e.errorf("run", "charts: %v", err)
			code = exitFailure
		}
		paths = append(paths, charts...)
	}
	report(e.stdout, cfg, res, dir, paths)
	if interrupted {
		e.errorf("run", "%s: wrote the %d finished replicates to %s, marked INCOMPLETE", note, len(res.Replicates), dir)
		return exitFailure
	}
	return code
}

// describe prints what the scenario is and what to notice.
func describe(w io.Writer, s *scenarios.Scenario) {
	fmt.Fprintf(w, "%s: %s\n", s.Name, s.Title)
	if s.Info.What != "" {
		fmt.Fprint(w, wrap(s.Info.What, "  ", 78))
	}
	if len(s.Info.Notice) > 0 {
		fmt.Fprintln(w, "Notice:")
		for _, n := range s.Info.Notice {
			fmt.Fprint(w, wrap(n, "  - ", 78))
		}
	}
	if s.Sweep != nil {
		fmt.Fprintf(w, "(This runs the scenario once; its [sweep] runs with: normsim sweep %s)\n", s.Name)
	}
	fmt.Fprintln(w)
}

// report prints the outcome shares and convergence of a run, and where
// its files are.
func report(w io.Writer, cfg sim.Config, res *sim.Result, dir string, paths []string) {
	sm := sim.Summarize(res.Replicates)
	fmt.Fprintf(w, "%d of %d replicates of %d steps in %s (kernel %s)\n", len(res.Replicates), cfg.Run.Replicates, cfg.Run.Steps,
		res.Wall.Round(time.Millisecond), sim.Kernel(&cfg))
	if len(res.Replicates) == 0 {
		return
	}
	var parts []string
	for _, sh := range sm.Shares {
		parts = append(parts, fmt.Sprintf("%s %.2f [%.2f, %.2f]", sh.Outcome, sh.Share, sh.Lo, sh.Hi))
	}
	fmt.Fprintf(w, "outcomes (95%% Wilson intervals): %s\n", strings.Join(parts, ", "))
	if sm.Converged == 0 {
		fmt.Fprintf(w, "convergence: expectations converged in none of the %d replicates\n", len(res.Replicates))
	} else {
		q := func(i int) string {
			if math.IsNaN(sm.Quantiles[i]) {
				return "-"
			}
			return strconv.FormatFloat(sm.Quantiles[i], 'f', -1, 64)
		}
		fmt.Fprintf(w, "convergence: %d of %d replicates converged, median step %s (10%%-90%%: %s-%s)\n",
			sm.Converged, len(res.Replicates), q(2), q(0), q(4))
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	fmt.Fprintf(w, "wrote %s: scenario.toml %s\n", dir, strings.Join(names, " "))
}

// runReplicates runs every replicate of cfg, with a progress bar on
// stderr when it is a terminal and quiet is not set. On interruption it
// returns the finished replicates with the context's error.
func runReplicates(e *env, cfg sim.Config, workers int, quiet bool) (*sim.Result, error) {
	var done, steps atomic.Int64
	if e.terminal && !quiet {
		stopBar := progress(e.stderr, &done, &steps, cfg.Run.Replicates, cfg.Run.Steps)
		defer stopBar()
	}
	start := time.Now()
	res, err := sim.Run(e.ctx, cfg, sim.RunOptions{Workers: workers, Steps: &steps, Done: func(sim.Replicate) error {
		done.Add(1)
		return nil
	}})
	if res != nil && res.Wall == 0 {
		res.Wall = time.Since(start)
	}
	return res, err
}

// progress draws a progress bar with an ETA on w until the returned
// function is called.
func progress(w io.Writer, done, steps *atomic.Int64, total, perReplicate int) func() {
	start := time.Now()
	stop := make(chan struct{})
	finished := make(chan struct{})
	all := float64(total) * float64(max(perReplicate, 1))
	draw := func() {
		n := int(done.Load())
		frac := math.Min(1, float64(steps.Load())/all) // steps within replicates too
		const width = 30
		fill := int(width * frac)
		eta := "?"
		if frac > 0 {
			left := time.Duration(float64(time.Since(start)) / frac * (1 - frac))
			eta = left.Round(time.Second).String()
		}
		fmt.Fprintf(w, "\r[%s%s] %d/%d replicates, ETA %s   ", strings.Repeat("=", fill), strings.Repeat(" ", width-fill), n, total, eta)
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				draw()
				fmt.Fprintln(w)
				return
			case <-t.C:
				draw()
			}
		}
	}()
	return func() { close(stop); <-finished }
}
