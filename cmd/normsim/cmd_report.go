package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/plots"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

func init() {
	register(&command{
		Name:    "report",
		Summary: "write a handout: one self-contained HTML file with text, charts and goals",
		Usage:   "report FILE|NAME|DIR [-o FILE] [--force] [--set key=value]... [--seed N] [--replicates N] [--steps N] [--workers N]",
		Help: `Report writes a handout for a class: one HTML file that needs nothing else
(the charts are inline SVG; nothing is loaded from the network) and prints
on A4, each part on a new page. It holds the scenario's [info] text, the
goals of its [[expect]] entries graded as 'normsim check' grades them, the
outcomes with their intervals, the final values, the charts with how to
read them, the parameters that differ from the defaults, the timeline of
events, and the resolved scenario with its seed, hash and program version,
which reproduce the results.

Given a scenario (a file or a shipped name), report runs it first; --set,
--seed, --replicates, --steps and --workers work as for 'normsim run'.
Given a run directory (what 'normsim run' or 'normsim check -o' wrote),
report reads its results and scenario.toml instead of running.

The handout goes to -o FILE (default NAME.html, or DIR/handout.html for a
run directory); an existing FILE is not overwritten without --force. The
same scenario and seed give the same bytes.`,
		Flags: func(fs *flag.FlagSet, e *env) func([]string) int {
			o := &reportOptions{}
			fs.Var((*pathFlag)(&o.out), "o", "write the handout to `FILE` (default NAME.html, or DIR/handout.html)")
			o.scenarioFlags.register(fs)
			fs.BoolVar(&o.force, "force", false, "overwrite an existing FILE")
			return func(args []string) int { return runReport(e, o, args) }
		},
	})
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

func runReport(e *env, o *reportOptions, args []string) int {
	if len(args) != 1 {
		e.errorf("report", "want one scenario (a file or a shipped name) or run directory, got %d arguments\nrun 'normsim report -h' for help", len(args))
		return exitUsage
	}
	if o.workers < 0 {
		e.errorf("report", "--workers = %d: want 0 (all cores) or more", o.workers)
		return exitUsage
	}
	if arg := args[0]; isRunDir(arg) {
		if len(o.sets) > 0 || o.seed != "" || o.replicates != "" || o.steps != "" {
			e.errorf("report", "%s is a finished run: --set, --seed, --replicates and --steps change a scenario, not its results (run it again with 'normsim run')", arg)
			return exitUsage
		}
		out := o.out
		if out == "" {
			out = filepath.Join(arg, "handout.html")
		}
		if code := e.checkFileOut("report", out, o.force); code != exitOK {
			return code
		}
		h, code := handoutFromDir(e, arg)
		if code != exitOK {
			return code
		}
		return e.writeHandout(out, h)
	}
	s, cfg, code := o.load(e, "report", args[0])
	if code != exitOK {
		return code
	}
	out := o.out
	if out == "" {
		out = s.Name + ".html"
	}
	if code := e.checkFileOut("report", out, o.force); code != exitOK {
		return code
	}
	res, code := simulate(e, "report", cfg, o.workers, false)
	if code != exitOK {
		return code
	}
	m := results.Meta{Scenario: s.Name, Title: s.Title, Version: programVersion, Hash: s.Hash(), Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates}
	src := fmt.Sprintf("Ran by normsim report %s.", strings.Join(quoteArgs(args[0], o), " "))
	h, code := buildHandout(e, s, cfg, res, m, src, "")
	if code != exitOK {
		return code
	}
	return e.writeHandout(out, h)
}

func (e *env) writeHandout(out string, h *handout) int {
	if err := results.WriteFile(out, func(w io.Writer) error { return renderHandout(w, h) }); err != nil {
		return e.failed("report", err)
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", out)
	return exitOK
}

// checkFileOut checks, before anything runs, that a file can be written
// at path: not a directory, not an existing file unless force, in a
// directory that exists and can be written.
func (e *env) checkFileOut(cmd, path string, force bool) int {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		e.errorf(cmd, "-o %s is a directory: give the file to write (for example %s)", path, filepath.Join(path, "handout.html"))
		return exitUsage
	case err == nil && !force:
		e.errorf(cmd, "%s exists: not overwritten (use --force to replace it, or another -o)", path)
		return exitUsage
	case err != nil:
		if _, lerr := os.Lstat(path); lerr == nil {
			target, _ := os.Readlink(path)
			e.errorf(cmd, "-o %s is a symbolic link to %s, which does not exist", path, target)
			return exitUsage
		}
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		e.errorf(cmd, "-o %s: the directory %s does not exist", path, dir)
		return exitUsage
	}
	f, err := os.CreateTemp(dir, ".normsim-write-test-*")
	if err != nil {
		e.errorf(cmd, "cannot write in %s: %v", dir, err)
		return exitFailure
	}
	f.Close()
	os.Remove(f.Name())
	return exitOK
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
func handoutFromDir(e *env, dir string) (*handout, int) {
	s, err := scenarios.Load(filepath.Join(dir, results.ScenarioFile))
	if err != nil {
		return nil, e.invalid("report", err)
	}
	cfg, err := s.Config()
	if err != nil {
		return nil, e.invalid("report", err)
	}
	res, sum, err := results.Read(dir)
	if err != nil {
		e.errorf("report", "%v", err)
		return nil, exitUsage
	}
	if len(res.Replicates) == 0 {
		e.errorf("report", "%s: no finished replicate to report", dir)
		return nil, exitFailure
	}
	res.Config, res.Events = cfg, cfg.Events
	m := results.Meta{Scenario: sum.Scenario, Title: sum.Title, Version: sum.Provenance.Version,
		Hash: sum.Provenance.ScenarioHash, Seed: sum.Provenance.Seed, Replicates: sum.Replicates.Requested}
	incomplete := ""
	if !sum.Complete {
		incomplete = fmt.Sprintf("%d of %d replicates finished. %s", sum.Replicates.Finished, sum.Replicates.Requested, sum.Note)
	}
	h, code := buildHandout(e, s, cfg, res, m, fmt.Sprintf("Results read from the run directory %s.", dir), incomplete)
	if h != nil && sum.Kernel != "" {
		h.Kernel = sum.Kernel
	}
	return h, code
}

// buildHandout gathers what the handout shows.
func buildHandout(e *env, s *scenarios.Scenario, cfg sim.Config, res *sim.Result, m results.Meta, source, incomplete string) (*handout, int) {
	h := &handout{
		Name: s.Name, Title: s.Title, File: s.File,
		What: s.Info.What, How: s.Info.How, Notice: s.Info.Notice, Try: s.Info.Try,
		Source: source, Kernel: sim.Kernel(&cfg), Steps: cfg.Run.Steps,
		Requested: m.Replicates, Finished: len(res.Replicates), Seed: m.Seed,
		Version: m.Version, Hash: m.Hash, Incomplete: incomplete,
		Events: cfg.Events, Resolved: string(s.Resolved()),
	}
	if h.Title == "" {
		h.Title = s.Name
	}
	if m.Version != programVersion {
		h.ReportVersion = programVersion
	}
	for _, r := range s.Info.References {
		h.References = append(h.References, linkify(r))
	}
	if len(s.Expect) > 0 {
		h.Goals = goals.Grade(s.Expect, res.Replicates)
		for _, g := range h.Goals {
			if g.Pass {
				h.GoalsMet++
			}
		}
	}
	sm := stats.Summarize(&res.Config, res.Replicates)
	h.Outcomes, h.Converged = sm.Outcomes, sm.Converged
	for i, p := range sm.QuantileProbs {
		h.ConvSteps = append(h.ConvSteps, convQuantile{P: p, Step: sm.Quantiles[i]})
	}
	h.Finals = finalRows(res.Replicates)

	var err error
	if h.Params, err = changedParams(s); err != nil {
		e.errorf("report", "%v", err)
		return nil, exitFailure
	}
	pm := plots.Meta{Scenario: m.Scenario, Seed: m.Seed, Replicates: m.Replicates, Version: m.Version, Hash: m.Hash}
	for _, name := range plots.Charts(res) {
		fig, err := plots.Draw(name, res, pm)
		if err != nil {
			e.errorf("report", "%v", err)
			return nil, exitFailure
		}
		var buf bytes.Buffer
		if err := fig.WriteSVG(&buf); err != nil {
			e.errorf("report", "%v", err)
			return nil, exitFailure
		}
		txt := chartText[name]
		if txt[0] == "" {
			txt[0] = name
		}
		svg, err := inlineSVG(buf.Bytes(), txt[0])
		if err != nil {
			e.errorf("report", "%v", err)
			return nil, exitFailure
		}
		h.Charts = append(h.Charts, chart{Name: name, Title: txt[0], Reading: txt[1], SVG: svg})
	}
	return h, exitOK
}

// finalRows summarises every metric's final value over replicates, with
// final_restraint first; the forum and event markers are left out.
func finalRows(reps []sim.Replicate) []finalRow {
	row := func(name string, value func(sim.Replicate) float64) finalRow {
		f := finalRow{Name: name, Min: math.Inf(1), Max: math.Inf(-1)}
		x := make([]float64, len(reps))
		for i, r := range reps {
			x[i] = value(r)
			f.Min, f.Max = math.Min(f.Min, x[i]), math.Max(f.Max, x[i])
		}
		f.Mean, f.SD = math.NaN(), math.NaN()
		if len(x) > 0 {
			f.Mean, _, _ = stats.Mean(x, stats.Real)
		}
		if len(x) > 1 {
			var ss float64
			for _, v := range x {
				ss += (v - f.Mean) * (v - f.Mean)
			}
			f.SD = math.Sqrt(ss / float64(len(x)-1))
		}
		return f
	}
	out := []finalRow{row("final_restraint", func(r sim.Replicate) float64 { return r.FinalRestraint })}
	for m := range sim.NumMetrics {
		switch m {
		case sim.ForumMarker, sim.EventMarker:
			continue
		}
		out = append(out, row(m.String(), func(r sim.Replicate) float64 { return r.Window[m] }))
	}
	return out
}
