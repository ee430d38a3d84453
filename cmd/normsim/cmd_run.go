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

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// runCommand is `normsim run`.
var runCommand = &command{
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
end are skipped with a warning. Ctrl-C or SIGTERM stops cleanly: finished
replicates are written and the directory is marked INCOMPLETE.

The files are written into .NAME.partial beside DIR and renamed to DIR
when all are written, so DIR always holds one whole result; a run killed
with kill -9 leaves DIR as it was. An existing result is not overwritten
without --force, which replaces it as a whole. A second run into a DIR that
is being written is refused.`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		o := &runOptions{}
		fs.Var((*pathFlag)(&o.out), "o", "write the results into `DIR` (default runs/NAME-seedN, with a short hash of any --set)")
		o.scenarioFlags.register(fs)
		fs.BoolVar(&o.force, "force", false, "overwrite an existing result in DIR")
		fs.BoolVar(&o.quiet, "quiet", false, "no progress bar and no scenario description")
		return func(args []string) error { return runRun(e, o, args) }
	},
}

type runOptions struct {
	out string
	scenarioFlags
	force, quiet bool
	robust       bool // check: also test the claims in the robustness settings
}

// scenarioFlags are the flags of run, check and report that change the
// scenario or how it runs.
type scenarioFlags struct {
	seed, replicates, steps string
	workers                 int
	sets                    multiFlag
}

// changed reports whether the flags change the scenario beyond its seed.
func (f *scenarioFlags) changed() bool {
	return len(f.sets) > 0 || f.replicates != "" || f.steps != ""
}

// changedSuffix is what a default output directory adds for a scenario
// changed by --set, --replicates or --steps: "-" and six hex digits of the
// resolved scenario's hash, so that "normsim run baseline --set ..." does
// not collide with the plain run's runs/baseline-seed1 (nor with another
// change's).
func changedSuffix(s *scenarios.Scenario, changed bool) string {
	if !changed {
		return ""
	}
	return "-" + s.Hash()[:6]
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
				fmt.Fprintf(e.stderr, "normsim %s: warning: --steps %d: skipping %s\n", cmd, n, d)
			}
		}
	}
	var as []scenarios.Assign
	var problems []scenarios.Problem
	for _, f := range flags {
		if f.value == "" {
			continue
		}
		if _, err := strconv.ParseInt(f.value, 10, 64); errors.Is(err, strconv.ErrRange) {
			problems = append(problems, scenarios.Problem{File: f.flag, Key: f.key, Value: f.value,
				Msg: "out of range of a 64-bit integer: want at most 9223372036854775807"})
			continue
		}
		as = append(as, scenarios.Assign{Origin: f.flag, Text: f.key + "=" + f.value})
	}
	if len(problems) > 0 {
		return &scenarios.Error{Problems: problems}
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
	fs.StringVar(&f.seed, "seed", "", "use master seed `N` (sets run.seed)")
	fs.StringVar(&f.replicates, "replicates", "", "run `N` replicates (sets run.replicates)")
	fs.StringVar(&f.steps, "steps", "", "run `N` steps per replicate (sets run.steps; events after it are skipped)")
	fs.IntVar(&f.workers, "workers", 0, "run `N` replicates at once (default: one per core, no more than fit in memory); results do not depend on it")
	fs.Var(&f.sets, "set", "set one key of the scenario, as `key=value` (repeatable)")
}

// load opens a scenario and applies --set, then --steps (skipping the
// events after the new end, with a warning), --seed and --replicates, all
// checked like the file. Its error is invalid input.
func (f *scenarioFlags) load(e *env, cmd, arg string) (*scenarios.Scenario, sim.Config, error) {
	if f.workers < 0 {
		return nil, sim.Config{}, usageErrorf(cmd, "--workers = %d: want 0 (all cores) or more", f.workers)
	}
	s, err := scenarios.Open(arg)
	if err != nil {
		return nil, sim.Config{}, invalidInput(cmd, err)
	}
	if err := s.SetAll(assigns("--set", f.sets)...); err != nil {
		return nil, sim.Config{}, invalidInput(cmd, err)
	}
	if err := applyFlags(e, cmd, s, f.steps,
		flagKey{"--seed", "run.seed", f.seed}, flagKey{"--replicates", "run.replicates", f.replicates},
		flagKey{"--steps", "run.steps", f.steps}); err != nil {
		return nil, sim.Config{}, invalidInput(cmd, err)
	}
	cfg, err := s.Config()
	if err != nil {
		return nil, sim.Config{}, invalidInput(cmd, err)
	}
	if fe := sim.CheckWorkers(&cfg, min(f.workers, cfg.Run.Replicates)); fe != nil {
		return nil, sim.Config{}, usageErrorf(cmd, "--workers %d: %s", f.workers, fe.Msg)
	}
	return s, cfg, nil
}

func runRun(e *env, o *runOptions, args []string) error {
	if len(args) != 1 {
		return usageErrorf("run", "want one scenario (a file or a shipped name), got %d arguments\nrun 'normsim run -h' for help", len(args))
	}
	s, cfg, err := o.load(e, "run", args[0])
	if err != nil {
		return err
	}

	dir := o.out
	if dir == "" {
		dir = filepath.Join("runs", fmt.Sprintf("%s-seed%d", s.Name, cfg.Run.Seed)+changedSuffix(s, o.changed()))
	}
	st, err := stage("run", dir, o.force)
	if err != nil {
		return err
	}
	defer st.Abort() // nothing is left behind unless committed

	if !o.quiet {
		describe(e.stdout, s)
	}
	res, runErr := runReplicates(e, cfg, o.workers, o.quiet)
	interrupted := runErr != nil && (errors.Is(runErr, e.ctx.Err()) && e.ctx.Err() != nil)
	if runErr != nil && !interrupted {
		return failure("run", runErr)
	}
	m := results.Meta{Scenario: s.Name, Title: s.Title, Version: programVersion, Hash: s.Hash(), Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates}
	note := ""
	if interrupted {
		note = fmt.Sprintf("%s after %d of %d replicates", e.interrupted(), len(res.Replicates), cfg.Run.Replicates)
	}
	paths, err := writeRun(e, "run", st, s, m, res, note)
	if paths == nil {
		return err
	}
	report(e.stdout, cfg, res, dir, paths)
	if interrupted {
		return failuref("run", "%s: wrote the %d finished replicates to %s, marked INCOMPLETE", note, len(res.Replicates), dir)
	}
	return err
}

// writeRun writes a run's files into the staging directory and commits
// it; note, when not empty, marks the run incomplete. It returns the paths
// written (nil when nothing could be committed) and the error: a failure
// to draw the charts is one, printed at once (before the report), but the
// data files are kept.
func writeRun(e *env, cmd string, st *results.Staging, s *scenarios.Scenario, m results.Meta, res *sim.Result, note string) ([]string, error) {
	if err := results.WriteBytes(filepath.Join(st.Dir, results.ScenarioFile), s.Resolved()); err != nil {
		return nil, failure(cmd, err)
	}
	paths, err := results.Save(st.Dir, m, res, note == "", note)
	if err != nil {
		return nil, failure(cmd, err)
	}
	var chartsErr error
	if len(res.Replicates) > 0 {
		charts, err := saveCharts(st.Dir, res, m)
		if err != nil {
			chartsErr = e.printed(failuref(cmd, "charts: %v", err))
		}
		paths = append(paths, charts...)
	}
	if err := st.Commit(); err != nil {
		return nil, failure(cmd, err)
	}
	return paths, chartsErr
}

// stage prepares writing a result into dir (see results.Stage): an
// existing result without --force, or a dir that cannot hold one, is a
// usage error; another process writing it, or a directory that cannot be
// created, a failure. Both are found before anything runs.
func stage(cmd, dir string, force bool) (*results.Staging, error) {
	st, err := results.Stage(dir, force)
	switch {
	case err == nil:
		return st, nil
	case errors.Is(err, results.ErrExists):
		return nil, usageErrorf(cmd, "%s already holds a result: not overwritten (use --force to replace it, or -o for another directory)", dir)
	case errors.Is(err, results.ErrNotResultDir):
		return nil, usageErrorf(cmd, "-o: %s", strings.TrimPrefix(err.Error(), "results: "))
	}
	return nil, failuref(cmd, "%s", strings.TrimPrefix(err.Error(), "results: "))
}

// checkOutDir refuses, as a usage error, a -o that cannot be made a
// directory: an existing file, or a symbolic link to nothing (which
// mkdir reported as "file exists").
func checkOutDir(cmd, dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case err != nil:
		return nil // absent: it is created
	case fi.Mode()&os.ModeSymlink != 0:
		if _, err := os.Stat(dir); err != nil {
			target, _ := os.Readlink(dir)
			return usageErrorf(cmd, "-o %s is a symbolic link to %s, which does not exist", dir, target)
		}
		return checkOutDir(cmd, mustEval(dir))
	case !fi.IsDir():
		return usageErrorf(cmd, "-o %s exists and is not a directory", dir)
	}
	return nil
}

func mustEval(path string) string {
	if p, err := filepath.EvalSymlinks(path); err == nil {
		return p
	}
	return path
}

// describe prints what the scenario is and what to notice.
func describe(w io.Writer, s *scenarios.Scenario) {
	fmt.Fprintf(w, "%s: %s\n", s.Name, s.Title)
	if s.Info.What != "" {
		fmt.Fprint(w, wrap(s.Info.What, "  ", 78))
	}
	if len(s.Info.Notice) > 0 {
		fmt.Fprintln(w, "Notice:")
		if c := s.NoticeCaveat(); c != "" {
			fmt.Fprint(w, wrap(c, "  ", 78))
		}
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
	sm := stats.Summarize(&res.Config, res.Replicates)
	fmt.Fprintf(w, "%d of %d replicates of %d steps in %s (kernel %s)\n", len(res.Replicates), cfg.Run.Replicates, cfg.Run.Steps,
		res.Wall.Round(time.Millisecond), sim.Kernel(&cfg))
	if len(res.Replicates) == 0 {
		return
	}
	var parts []string
	for _, sh := range sm.Outcomes {
		parts = append(parts, fmt.Sprintf("%s %.2f [%.2f, %.2f]", sh.Outcome, sh.Share, sh.Lo, sh.Hi))
	}
	fmt.Fprintf(w, "outcomes (95%% Wilson intervals): %s\n", strings.Join(parts, ", "))
	if sm.Converged == 0 {
		if len(res.Replicates) == 1 {
			fmt.Fprintln(w, "convergence: expectations did not converge in the one replicate")
		} else {
			fmt.Fprintf(w, "convergence: expectations converged in none of the %d replicates\n", len(res.Replicates))
		}
	} else {
		q := func(i int) string { return stepText(sm.Quantiles[i]) }
		fmt.Fprintf(w, "convergence: %d of %s converged, median step %s (10%%-90%%: %s-%s)\n",
			sm.Converged, plural(len(res.Replicates), "replicate", "replicates"), q(2), q(0), q(4))
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	fmt.Fprintf(w, "wrote %s: scenario.toml %s\n", dir, strings.Join(names, " "))
}

// stepText formats a quantile of steps as a reader writes it: "31.9",
// not "31.900000000000002" (quantiles interpolate); "-" for none.
func stepText(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return goals.Num(x)
}

// runReplicates runs every replicate of cfg, with a progress bar on
// stderr when it is a terminal and quiet is not set. On interruption it
// returns the finished replicates with the context's error.
func runReplicates(e *env, cfg sim.Config, workers int, quiet bool) (*sim.Result, error) {
	var done, steps atomic.Int64
	if e.terminal && !quiet {
		stopBar := progress(e.rawStderr, &done, &steps, cfg.Run.Replicates, cfg.Run.Steps)
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
