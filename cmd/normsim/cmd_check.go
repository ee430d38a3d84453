package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

func init() {
	register(&command{
		Name:    "check",
		Summary: "run a scenario and grade its [[expect]] goals: PASS or FAIL",
		Usage:   "check FILE|NAME [--set key=value]... [--seed N] [--replicates N] [--steps N] [--workers N] [-o DIR] [--force] [--quiet]",
		Help: `Check runs a scenario (a file, a shipped name, or an exercise such as
exercises/restraint-emerges) and grades each of its [[expect]] goals: a
statistic over replicates (mean, share of an outcome, or quantile) of one
column of replicates.csv, with bounds. It prints one line per goal,
starting with PASS or FAIL, with the measured value and its 95% interval
(mean: Student's t; share: Wilson; quantile: order statistics), and the
goal's hint when it fails. A goal passes when the measured value is within
its bounds; "close call" means the interval crosses a bound, so another
seed could change the verdict.

Exit codes, for grading with a script: 0 when every goal passes, 1 when a
goal fails (or the run fails), 2 for invalid input (a bad scenario or flag,
or a scenario without [[expect]] goals).

Check writes no files unless -o DIR is given: then DIR gets what 'normsim
run' writes, plus goals.csv (one row per goal).`,
		Flags: func(fs *flag.FlagSet, e *env) func([]string) int {
			o := &runOptions{}
			fs.Var((*pathFlag)(&o.out), "o", "also write the run and goals.csv into `DIR`")
			o.scenarioFlags.register(fs)
			fs.BoolVar(&o.force, "force", false, "overwrite an existing result in DIR")
			fs.BoolVar(&o.quiet, "quiet", false, "no progress bar and no scenario description")
			return func(args []string) int { return runCheck(e, o, args) }
		},
	})
}

// simulate runs cfg with a progress bar when stderr is a terminal. It
// returns the exit code of a failed or interrupted run.
func simulate(e *env, cmd string, cfg sim.Config, workers int, quiet bool) (*sim.Result, int) {
	res, err := runReplicates(e, cfg, workers, quiet)
	if err != nil {
		if e.ctx.Err() != nil && errors.Is(err, e.ctx.Err()) {
			e.errorf(cmd, "interrupted (%v) after %d of %d replicates: no verdict", err, len(res.Replicates), cfg.Run.Replicates)
			return nil, exitFailure
		}
		return nil, e.failed(cmd, err)
	}
	return res, exitOK
}

func runCheck(e *env, o *runOptions, args []string) int {
	if len(args) != 1 {
		e.errorf("check", "want one scenario (a file or a shipped name), got %d arguments\nrun 'normsim check -h' for help", len(args))
		return exitUsage
	}
	s, cfg, code := o.load(e, "check", args[0])
	if code != exitOK {
		return code
	}
	if len(s.Expect) == 0 {
		e.errorf("check", "%s: no [[expect]] goals to check: add one, e.g.\n\n[[expect]]\nmetric = \"restraint_rate\"\nstat = \"mean\"\nat_least = 0.7\nhint = \"...\"", s.File)
		return exitUsage
	}
	var st *results.Staging
	if o.out != "" {
		if st, code = e.stage("check", o.out, o.force); code != exitOK {
			return code
		}
		defer st.Abort() // nothing is left behind unless committed
	}
	if !o.quiet {
		describe(e.stdout, s)
	}
	res, code := simulate(e, "check", cfg, o.workers, o.quiet)
	if code != exitOK {
		return code
	}
	fmt.Fprintf(e.stdout, "%d replicates of %d steps, seed %d (kernel %s), in %s\n\n", len(res.Replicates), cfg.Run.Steps, cfg.Run.Seed,
		sim.Kernel(&cfg), res.Wall.Round(time.Millisecond))

	rs := grade(s.Expect, res.Replicates)
	printGoals(e.stdout, rs)
	n := 0
	for _, r := range rs {
		if r.Pass {
			n++
		}
	}
	verdict := "PASS"
	if n < len(rs) {
		verdict = "FAIL"
	}
	fmt.Fprintf(e.stdout, "\n%s: %d of %d goals met: %s\n", s.Name, n, len(rs), verdict)

	if st != nil {
		if err := saveCheck(st, s, cfg, res, rs); err != nil {
			return e.failed("check", err)
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", o.out)
	}
	if n < len(rs) {
		return exitFailure
	}
	return exitOK
}

// printGoals prints one line per goal result, with the hint (and any
// note) of a failed goal below it.
func printGoals(w io.Writer, rs []goalResult) {
	for _, r := range rs {
		fmt.Fprintln(w, r.line())
		if r.Note != "" {
			fmt.Fprint(w, wrap("note: "+r.Note, "      ", 78))
		}
		if !r.Pass && r.Goal.Hint != "" {
			fmt.Fprint(w, wrap("hint: "+r.Goal.Hint, "      ", 78))
		}
	}
}

// saveCheck writes what `normsim run` writes, and goals.csv, and commits
// them.
func saveCheck(st *results.Staging, s *scenarios.Scenario, cfg sim.Config, res *sim.Result, rs []goalResult) error {
	dir := st.Dir
	m := results.Meta{Scenario: s.Name, Title: s.Title, Version: sim.Version, Hash: s.Hash(), Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates}
	if err := results.WriteBytes(filepath.Join(dir, results.ScenarioFile), s.Resolved()); err != nil {
		return err
	}
	if _, err := results.Save(dir, m, res, true, ""); err != nil {
		return err
	}
	if _, err := saveCharts(dir, res, m); err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	if err := results.WriteFile(filepath.Join(dir, goalsFile), func(w io.Writer) error { return writeGoals(w, m, rs) }); err != nil {
		return err
	}
	return st.Commit()
}

// goalsFile is the name of the graded goals in a check's output directory.
const goalsFile = "goals.csv"

// writeGoals writes goals.csv: one row per goal, in file order.
func writeGoals(out io.Writer, m results.Meta, rs []goalResult) error {
	w := csv.NewWriter(out)
	head := []string{"scenario", "version", "scenario_hash", "seed", "goal", "metric", "stat", "outcome", "q", "at_least", "at_most",
		"value", "lo", "hi", "method", "n", "pass", "close", "note"}
	if err := w.Write(head); err != nil {
		return err
	}
	opt := func(p *float64) string {
		if p == nil {
			return ""
		}
		return results.FormatFloat(*p)
	}
	for i, r := range rs {
		g := r.Goal
		q := ""
		if g.Stat == "quantile" {
			q = results.FormatFloat(g.Q)
		}
		rec := []string{m.Scenario, m.Version, m.Hash, strconv.FormatUint(m.Seed, 10), strconv.Itoa(i + 1), g.Metric, g.Stat, g.Outcome, q,
			opt(g.AtLeast), opt(g.AtMost), results.FormatFloat(r.Value), results.FormatFloat(r.Lo), results.FormatFloat(r.Hi), r.Method,
			strconv.Itoa(r.N), strconv.FormatBool(r.Pass), strconv.FormatBool(r.Close), r.Note}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
