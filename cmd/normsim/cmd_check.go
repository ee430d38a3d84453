package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// checkCommand is `normsim check`.
var checkCommand = &command{
	Name:    "check",
	Summary: "run a scenario and grade its [[expect]] goals (PASS or FAIL) and claims (SUPPORTED or NOT)",
	Usage:   "check FILE|NAME [--set key=value]... [--seed N] [--replicates N] [--steps N] [--workers N] [-o DIR] [--force] [--quiet]",
	Help: `Check runs a scenario (a file, a shipped name, or an exercise such as
exercises/restraint-emerges) and grades its [[expect]] entries.

A goal is a statistic over replicates (mean, share of an outcome, or
quantile) of one column of replicates.csv, with bounds. Check prints one
line per goal, starting with PASS or FAIL, with the measured value and its
95% interval (mean: Student's t, cut to the column's range; share: Wilson;
quantile: order statistics), and the goal's hint when it fails. A goal
passes when the measured value is within its bounds; "close call" means
the interval crosses a bound, so another seed could change the verdict.

A claim is a direction: the mean of a column must increase, decrease, peak,
dip or differ as one key varies over a list of values. Check runs every
variant with the same replicate seeds (common random numbers), so that the
differences between variants are paired, and prints each variant's mean
with its 95% interval, the paired differences with theirs, and SUPPORTED
or NOT SUPPORTED: a difference counts when its 95% interval excludes zero.

--robust also tests each claim in 18 settings beyond the scenario's own
(50, 193 and 1,000 states; complete, blocs and scale-free networks;
decision precision 2 and 5) and says in how many it is supported; a claim
supported in fewer than two thirds of them is fragile. The verdict (and
the exit code) stays the one of the scenario's own set-up.

Exit codes, for grading with a script: 0 when every goal passes and every
claim is supported, 1 when one does not (or the run fails), 2 for invalid
input (a bad scenario or flag, or a scenario without [[expect]] entries).

Check writes no files unless -o DIR is given: then DIR gets what 'normsim
run' writes, plus goals.csv (one row per goal) and claims.csv (one row per
claim variant); with --robust also robustness.csv (one row per claim and
setting) and robustness.png/.svg (the chart of the claims study).`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		o := &runOptions{}
		fs.Var((*pathFlag)(&o.out), "o", "also write the run, goals.csv and claims.csv into `DIR`")
		o.scenarioFlags.register(fs)
		fs.BoolVar(&o.force, "force", false, "overwrite an existing result in DIR")
		fs.BoolVar(&o.quiet, "quiet", false, "no progress bar and no scenario description")
		fs.BoolVar(&o.robust, "robust", false, "also test every claim in 18 other worlds (sizes, networks, precisions)")
		return func(args []string) error { return runCheck(e, o, args) }
	},
}

// simulate runs cfg with a progress bar when stderr is a terminal. Its
// error is that of a failed or interrupted run.
func simulate(e *env, cmd string, cfg sim.Config, workers int, quiet bool) (*sim.Result, error) {
	res, err := runReplicates(e, cfg, workers, quiet)
	if err != nil {
		if e.ctx.Err() != nil && errors.Is(err, e.ctx.Err()) {
			return nil, failuref(cmd, "%s after %d of %d replicates: no verdict", e.interrupted(), len(res.Replicates), cfg.Run.Replicates)
		}
		return nil, failure(cmd, err)
	}
	return res, nil
}

func runCheck(e *env, o *runOptions, args []string) error {
	if len(args) != 1 {
		return usageErrorf("check", "want one scenario (a file or a shipped name), got %d arguments\nrun 'normsim check -h' for help", len(args))
	}
	s, cfg, err := o.load(e, "check", args[0])
	if err != nil {
		return err
	}
	if len(s.Expect) == 0 {
		return usageErrorf("check", "%s: no [[expect]] goals or claims to check: add one, e.g.\n\n[[expect]]\nmetric = \"final_restraint\"\nstat = \"mean\"\nat_least = 0.7\nhint = \"...\"", s.File)
	}
	var st *results.Staging
	if o.out != "" {
		if st, err = stage("check", o.out, o.force); err != nil {
			return err
		}
		defer st.Abort() // nothing is left behind unless committed
	}
	if !o.quiet {
		describe(e.stdout, s)
	}
	res, err := simulate(e, "check", cfg, o.workers, o.quiet)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d replicates of %d steps, seed %d (kernel %s), in %s\n\n", len(res.Replicates), cfg.Run.Steps, cfg.Run.Seed,
		sim.Kernel(&cfg), res.Wall.Round(time.Millisecond))

	rs := goals.Grade(s.Expect, res.Replicates)
	printGoals(e.stdout, rs)
	var rob [][]goals.Claim
	claims, err := testClaims(e, s, o)
	if err != nil {
		return err
	}
	if o.robust && len(claims) > 0 {
		if rob, err = robustClaims(e, s, o, claims); err != nil {
			return err
		}
	}
	met := 0
	for _, r := range rs {
		if r.Pass {
			met++
		}
	}
	for _, c := range claims {
		if c.Supported {
			met++
		}
	}
	total := len(rs) + len(claims)
	verdict := "PASS"
	if met < total {
		verdict = "FAIL"
	}
	fmt.Fprintf(e.stdout, "\n%s: %d of %d goals and claims met: %s\n", s.Name, met, total, verdict)

	if st != nil {
		if err := saveCheck(st, s, cfg, res, rs, claims, rob); err != nil {
			return failure("check", err)
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", o.out)
	}
	if met < total {
		return silentExit(exitFailure) // the verdict is printed
	}
	return nil
}

// testClaims runs and reports every claim of s, with the run's replicates,
// steps and seed.
func testClaims(e *env, s *scenarios.Scenario, o *runOptions) ([]goals.Claim, error) {
	var out []goals.Claim
	for _, c := range s.Expect {
		if !c.IsClaim() {
			continue
		}
		cl, err := goals.Run(e.ctx, s, c, sim.RunOptions{Workers: o.workers})
		if err != nil {
			if e.ctx.Err() != nil {
				return nil, failuref("check", "%s while testing a claim: no verdict", e.interrupted())
			}
			return nil, failuref("check", "%v", err)
		}
		fmt.Fprintln(e.stdout)
		cl.Report(e.stdout)
		if !cl.Supported && c.Hint != "" {
			fmt.Fprint(e.stdout, wrap("hint: "+c.Hint, "       ", 78))
		}
		out = append(out, cl)
	}
	return out, nil
}

// robustClaims tests the claims of s in the robustness settings and
// prints, for each, in how many it is supported and where it fails.
// It returns the claims as tested in each setting (rob[i][j]: claim i in
// setting j), for the files of -o.
func robustClaims(e *env, s *scenarios.Scenario, o *runOptions, own []goals.Claim) ([][]goals.Claim, error) {
	settings := goals.Settings()
	fmt.Fprintf(e.stdout, "\nrobustness: every claim in %d settings (%d paired replicates each)\n", len(settings), own[0].Replicates)
	rob, err := goals.Robust(e.ctx, s, settings, sim.RunOptions{Workers: o.workers}, nil)
	if err != nil {
		return nil, failuref("check", "%v", err)
	}
	for i, c := range own {
		f := goals.NewFinding(s.Name, c, rob[i], settings)
		line := fmt.Sprintf("  %s: supported in %d of %d settings", c.Expect.Claim, f.Robust, f.Settings)
		if f.Fragile() {
			line += " (fragile)"
		}
		fmt.Fprintln(e.stdout, line)
		if len(f.Fails) > 0 {
			fmt.Fprint(e.stdout, wrap("not with: "+strings.Join(f.Fails, ", "), "      ", 78))
		}
	}
	return rob, nil
}

// printGoals prints one line per goal result, with the hint (and any
// note) of a failed goal below it.
func printGoals(w io.Writer, rs []goals.Result) {
	for _, r := range rs {
		fmt.Fprintln(w, r.Line())
		if r.Note != "" {
			fmt.Fprint(w, wrap("note: "+r.Note, "      ", 78))
		}
		if !r.Pass && r.Goal.Hint != "" {
			fmt.Fprint(w, wrap("hint: "+r.Goal.Hint, "      ", 78))
		}
	}
}

// saveCheck writes what `normsim run` writes, goals.csv, claims.csv and
// a chart per claim, and commits them.
func saveCheck(st *results.Staging, s *scenarios.Scenario, cfg sim.Config, res *sim.Result, rs []goals.Result, claims []goals.Claim, rob [][]goals.Claim) error {
	dir := st.Dir
	m := results.Meta{Scenario: s.Name, Title: s.Title, Version: programVersion, Hash: s.Hash(), Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates}
	if err := results.WriteBytes(filepath.Join(dir, results.ScenarioFile), s.Resolved()); err != nil {
		return err
	}
	if _, err := results.Save(dir, m, res, true, ""); err != nil {
		return err
	}
	if _, err := saveCharts(dir, res, m); err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	if _, err := saveClaimCharts(dir, claims, m); err != nil {
		return fmt.Errorf("claim charts: %w", err)
	}
	if err := results.WriteFile(filepath.Join(dir, goalsFile), func(w io.Writer) error { return writeGoals(w, m, rs) }); err != nil {
		return err
	}
	if len(claims) > 0 {
		if err := results.WriteFile(filepath.Join(dir, claimsFile), func(w io.Writer) error { return writeClaims(w, m, claims) }); err != nil {
			return err
		}
	}
	if rob != nil {
		if err := saveRobustness(dir, s, m, claims, rob); err != nil {
			return err
		}
	}
	return st.Commit()
}

// saveRobustness writes robustness.csv (as the claims study writes it)
// and the robustness chart of a check --robust.
func saveRobustness(dir string, s *scenarios.Scenario, m results.Meta, claims []goals.Claim, rob [][]goals.Claim) error {
	settings := goals.Settings()
	prov := []string{s.Name, programVersion, m.Hash, strconv.FormatUint(m.Seed, 10)}
	rows := [][]string{robustnessHeader}
	for i, c := range claims {
		rows = append(rows, robustnessRows(prov, c.Expect.Claim, rob[i], settings)...)
	}
	if err := results.WriteFile(filepath.Join(dir, RobustnessFile), func(w io.Writer) error { return writeCSV(w, rows) }); err != nil {
		return err
	}
	if err := saveRobustChart(dir, settings, rob, m); err != nil {
		return fmt.Errorf("robustness chart: %w", err)
	}
	return nil
}

// claimsFile is the name of the tested claims in a check's output
// directory.
const claimsFile = "claims.csv"

// writeClaims writes claims.csv: one row per variant of each claim, with
// the variant's mean and interval, the paired difference from the
// variant before and the claim's verdict.
func writeClaims(out io.Writer, m results.Meta, cs []goals.Claim) error {
	w := csv.NewWriter(out)
	head := []string{"scenario", "version", "scenario_hash", "seed", "claim", "text", "metric", "trend", "key", "value",
		"n", "mean", "lo", "hi", "diff", "diff_lo", "diff_hi", "supported"}
	if err := w.Write(head); err != nil {
		return err
	}
	f := results.FormatFloat
	for i, c := range cs {
		e := c.Expect
		for j, v := range e.Values {
			d := goals.Diff{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
			if j > 0 {
				d = c.Steps[j-1]
			}
			rec := []string{m.Scenario, m.Version, m.Hash, strconv.FormatUint(m.Seed, 10), strconv.Itoa(i + 1), e.Claim, e.Metric, e.Trend,
				e.Vary, f(v), strconv.Itoa(len(c.X[j])), f(c.Mean[j]), f(c.Lo[j]), f(c.Hi[j]), f(d.Mean), f(d.Lo), f(d.Hi),
				strconv.FormatBool(c.Supported)}
			if err := w.Write(rec); err != nil {
				return err
			}
		}
	}
	w.Flush()
	return w.Error()
}

// goalsFile is the name of the graded goals in a check's output directory.
const goalsFile = "goals.csv"

// writeGoals writes goals.csv: one row per goal, in file order.
func writeGoals(out io.Writer, m results.Meta, rs []goals.Result) error {
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
