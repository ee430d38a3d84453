package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	hp "github.com/normsim/normsim/handout"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// reportCommand is `normsim report`.
var reportCommand = &command{
	Name:    "report",
	Summary: "write a handout: one self-contained HTML file with text, charts and goals",
	Usage:   "report FILE|NAME|DIR [-o FILE] [--force] [--set key=value]... [--seed N] [--replicates N] [--steps N] [--workers N]",
	Help: `Report writes a handout for a class: one HTML file that needs nothing else
(the charts are inline SVG; nothing is loaded from the network), laid out
to print on A4. Whatever does not belong on paper goes into a collapsed
appendix, which prints only when it is opened first in the browser.

Given a scenario (a file or a shipped name), report runs it, as 'normsim
run' would with --set, --seed, --replicates, --steps and --workers, and
writes a handout of two or three pages: the scenario's [info] text (an
exercise's solution in a box of its own), its goals graded and its claims
tested as 'normsim check' does, the outcomes with their intervals, the key
measures, the charts with how to read them, the parameters that differ from
the defaults and the timeline of events; the appendix holds every measure
and the resolved scenario with its seed, hash and program version, which
reproduce the results. Given a run directory (what 'normsim run' or
'normsim check -o' wrote), report reads its results and scenario.toml
instead of running (claims are run again: they need their variants).

Given a sweep directory (what 'normsim sweep' or 'normsim merge' wrote),
report writes the sweep's handout: the design, the table of its points
(points.csv), its charts and its sensitivity indices.

Given the name claims, report tests every claim of the claims study
(scenarios/claims, about 10 seconds) and writes the study's handout: the
argument, how claims are tested, then one section per claim starting a
page (at most two): the claim, its set-up and mechanism, the variants'
table and chart, the verdict with its effect size and, when docs/claims
(from the repository's root) holds the study's findings, its robustness.
Given a directory that 'normsim claims --robust -o DIR' wrote, it takes
the robustness from there. --seed, --replicates, --steps and --set apply to
every claim's scenario. Default -o: claims.html for the study,
DIR/handout.html for a sweep.

The handout goes to -o FILE (default NAME.html, or DIR/handout.html for a
run directory); an existing FILE is not overwritten without --force. The
same scenario and seed give the same bytes.`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		o := &reportOptions{}
		fs.Var((*pathFlag)(&o.out), "o", "write the handout to `FILE` (default NAME.html, or DIR/handout.html)")
		o.scenarioFlags.register(fs)
		fs.BoolVar(&o.force, "force", false, "overwrite an existing FILE")
		return func(args []string) error { return runReport(e, o, args) }
	},
}

// resultsOut is the handout file of a results directory dir (a finished
// run or sweep, what): -o, or dir/handout.html, checked for overwriting;
// the flags that change a scenario are refused, with how to rerun it.
func (o *reportOptions) resultsOut(dir, what, rerun string) (string, error) {
	if o.changed() || o.seed != "" {
		return "", usageErrorf("report", "%s is %s: --set, --seed, --replicates and --steps change a scenario, not its results (%s)", dir, what, rerun)
	}
	out := o.out
	if out == "" {
		out = filepath.Join(dir, "handout.html")
	}
	return out, checkFileOut("report", out, o.force)
}

type reportOptions struct {
	out   string
	force bool
	scenarioFlags
}

// isRunDir reports whether arg is a directory holding a run's results.
func isRunDir(arg string) bool {
	fi, err := os.Stat(arg)
	return err == nil && fi.IsDir() && results.Exists(arg)
}

func runReport(e *env, o *reportOptions, args []string) error {
	if len(args) != 1 {
		return usageErrorf("report", "want one scenario (a file or a shipped name) or run directory, got %d arguments\nrun 'normsim report -h' for help", len(args))
	}
	if done, err := reportOther(e, o, args[0]); done {
		return err
	}
	if o.workers < 0 {
		return usageErrorf("report", "--workers = %d: want 0 (all cores) or more", o.workers)
	}
	if arg := args[0]; isRunDir(arg) {
		out, err := o.resultsOut(arg, "a finished run", "run it again with 'normsim run'")
		if err != nil {
			return err
		}
		h, err := handoutFromDir(e, arg)
		if err != nil {
			return err
		}
		return writeDoc(e, out, h)
	}
	s, cfg, err := o.load(e, "report", args[0])
	if err != nil {
		return err
	}
	out := o.out
	if out == "" {
		out = s.Name + ".html"
	}
	if err := checkFileOut("report", out, o.force); err != nil {
		return err
	}
	res, err := simulate(e, "report", cfg, o.workers, false)
	if err != nil {
		return err
	}
	m := results.Meta{Scenario: s.Name, Title: s.Title, Version: programVersion, Hash: s.Hash(), Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates}
	src := fmt.Sprintf("Ran by normsim report %s.", strings.Join(quoteArgs(args[0], o), " "))
	h, err := buildHandout(e, s, cfg, res, m, src, "")
	if err != nil {
		return err
	}
	return writeDoc(e, out, h)
}

// checkFileOut checks, before anything runs, that a file can be written
// at path: not a directory, not an existing file unless force, in a
// directory that exists and can be written.
func checkFileOut(cmd, path string, force bool) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return usageErrorf(cmd, "-o %s is a directory: give the file to write (for example %s)", path, filepath.Join(path, "handout.html"))
	case err == nil && !force:
		return usageErrorf(cmd, "%s exists: not overwritten (use --force to replace it, or another -o)", path)
	case err != nil:
		if _, lerr := os.Lstat(path); lerr == nil {
			target, _ := os.Readlink(path)
			return usageErrorf(cmd, "-o %s is a symbolic link to %s, which does not exist", path, target)
		}
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return usageErrorf(cmd, "-o %s: the directory %s does not exist", path, dir)
	}
	f, err := os.CreateTemp(dir, ".normsim-write-test-*")
	if err != nil {
		return failuref(cmd, "cannot write in %s: %v", dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// quoteArgs rebuilds the arguments that changed the scenario, for the
// handout's provenance line.
func quoteArgs(arg string, o *reportOptions) []string {
	parts := []string{arg}
	for _, s := range o.sets {
		parts = append(parts, "--set "+s)
	}
	for _, f := range []struct{ name, v string }{{"--seed", o.seed}, {"--replicates", o.replicates}, {"--steps", o.steps}} {
		if f.v != "" {
			parts = append(parts, f.name+" "+f.v)
		}
	}
	return parts
}

// handoutFromDir builds the handout of a finished run.
func handoutFromDir(e *env, dir string) (*handout, error) {
	rd, err := readRunDir("report", dir)
	if err != nil {
		return nil, err
	}
	if len(rd.res.Replicates) == 0 {
		return nil, failuref("report", "%s: no finished replicate to report", dir)
	}
	sum := rd.sum
	incomplete := ""
	if !sum.Complete {
		incomplete = fmt.Sprintf("%d of %d replicates finished. %s", sum.Replicates.Finished, sum.Replicates.Requested, sum.Note)
	}
	h, err := buildHandout(e, rd.s, rd.cfg, rd.res, rd.meta, fmt.Sprintf("Results read from the run directory %s.", dir), incomplete)
	if h != nil && sum.Kernel != "" {
		h.Kernel = sum.Kernel
	}
	return h, err
}

// buildHandout gathers what the handout shows (package handout does).
func buildHandout(e *env, s *scenarios.Scenario, cfg sim.Config, res *sim.Result, m results.Meta, source, incomplete string) (*handout, error) {
	h, err := hp.NewRun(e.ctx, hp.Input{Scenario: s, Config: cfg, Result: res, Meta: m, Program: programVersion, Source: source, Incomplete: incomplete})
	if err != nil {
		if e.ctx.Err() != nil {
			return nil, failuref("report", "%s while testing a claim: no handout", e.interrupted())
		}
		return nil, failuref("report", "%v", err)
	}
	return h, nil
}
