package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/normsim/normsim/plots"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
	"github.com/normsim/normsim/sweep"
)

// sweepCommand is `normsim sweep`.
var sweepCommand = &command{
	Name:    "sweep",
	Summary: "run an experiment: a scenario's [sweep] design, in parallel, resumable, shardable",
	Usage: "sweep FILE|NAME [-o DIR] [--workers N] [--resume] [--force] [--quiet] [--dry-run]\n" +
		"                     [--shard i/n] [--shards N] [--set key=value]... [--replicates N] [--steps N] [--seed N]",
	Help: `Sweep runs the experiment of a scenario's [sweep] section: every design point
(a combination of parameter values: grid, lhs, sobol or morris), each
--replicates times, and writes into DIR (default runs/NAME-sweep-seedN):

  scenario.toml    the resolved scenario, flags included
  sweep.json       what the sweep is (scenario hash, design, program)
  .journal         (hidden) the journal: one line per finished run, written at once;
                   status, --resume and merge read it
  .lock            (hidden) held while a sweep writes DIR
  runs.csv         one row per run: parameter values, seed, outcome, final metrics
  points.csv       one row per design point: outcome shares (Wilson intervals),
                   metric means (t intervals)
  sensitivity.csv  Sobol' or Morris indices (sobol and morris designs)
  summary.json     provenance and counts
  *.png, *.svg     charts: the established share (phase diagram of two grid
                   parameters; one line per parameter, averaging the others),
                   the mean final restraint_rate per parameter, and Sobol'
                   indices (sobol designs)

Every key of the format can be swept, with the file's validation: each run
applies its point's values to the scenario (as --set does), takes the run's
own seed and runs one replicate; every point is checked before anything
starts. Integer keys (world.states, forum.every, ...) need integer values in
a grid; lhs, sobol and morris round them to the nearest integer (runs.csv
keeps the sampled value). A scenario without [sweep] can get one from --set
(--set 'sweep.parameters."forum.pull"=[0.2,0.5,0.8]'). --replicates sets
sweep.replicates (per point), --seed the master seed (sweep.seed; default
run.seed), --steps run.steps. Events after run.steps (the file's, --steps,
or a point's when run.steps is swept) are skipped, as 'run --steps' skips
them.

--dry-run checks everything, prints the number of points and runs and an
estimate of the time (from timing one short replicate), and writes nothing.

Interruptions: Ctrl-C or SIGTERM stops cleanly, and the runs that finished
stay in the journal (so do they after kill -9 or a crash): run the same
command with --resume to run only the missing ones; the outputs are then
byte-identical to an uninterrupted sweep's. A DIR that holds a sweep is
refused without --resume (continue it) or --force (start over).

Shards split a sweep over processes or machines: --shard i/n runs the runs
whose index modulo n is i, with i counted from 0 (0 <= i < n). Without
--shard, a Slurm job array gives the shard (task SLURM_ARRAY_TASK_ID of
the array's SLURM_ARRAY_TASK_MIN, _STEP and _COUNT: --array=1-4 and
--array=0-6:2 give shards 0 to 3 too; a one-task array, such as one task
resubmitted with sbatch --array=2, is refused), or a Kubernetes Indexed
Job (JOB_COMPLETION_INDEX, with the number of shards from --shards N).
A shard without runs (more shards than runs) succeeds. Each shard writes
its own DIR (default runs/NAME-sweep-seedN-shardIofN), and a DIR that
holds another shard is refused; 'normsim merge' combines them, 'normsim
status' tells which runs are missing.

Exit codes: 0 done, 1 a failure or an interruption (resume it), 2 invalid
input (a bad scenario or design point, a bad flag, a DIR holding a sweep).`,
	Flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		o := &sweepOptions{}
		fs.Var((*pathFlag)(&o.out), "o", "write the sweep into `DIR` (default runs/NAME-sweep-seedN, with a short hash of any --set)")
		fs.IntVar(&o.workers, "workers", 0, "execute `N` runs at once (default: one per core, no more than fit in memory); results do not depend on it")
		fs.BoolVar(&o.resume, "resume", false, "continue the sweep in DIR: run only its missing runs (a new or empty DIR just starts)")
		fs.BoolVar(&o.force, "force", false, "start over in a DIR that holds a sweep, deleting its results")
		fs.BoolVar(&o.quiet, "quiet", false, "no progress bar and no description")
		fs.BoolVar(&o.dryRun, "dry-run", false, "check, count the runs, estimate the time; run and write nothing")
		fs.StringVar(&o.shard, "shard", "", "run only shard `i/n`: the runs whose index modulo n is i, 0 <= i < n (0-based)")
		fs.Func("shards", "number of shards `N`, with the shard index from JOB_COMPLETION_INDEX (Kubernetes Indexed Job)", func(v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return errors.New("want an integer")
			}
			o.shards, o.shardsGiven = n, true
			return nil
		})
		fs.Var(&o.sets, "set", "set one key of the scenario, sweep.* keys too, as `key=value` (repeatable)")
		fs.StringVar(&o.replicates, "replicates", "", "run `N` replicates per design point (sets sweep.replicates)")
		fs.StringVar(&o.steps, "steps", "", "run `N` steps per run (sets run.steps)")
		fs.StringVar(&o.seed, "seed", "", "use master seed `N` for the sweep (sets sweep.seed; default run.seed)")
		return func(args []string) error { return runSweep(e, o, args) }
	},
}

// getenv reads the scheduler variables that give a shard; tests replace it.
var getenv = os.Getenv

type sweepOptions struct {
	out, shard, replicates, steps, seed string
	workers, shards                     int
	shardsGiven                         bool // --shards was given (--shards 0 is refused)
	sets                                multiFlag
	resume, force, quiet, dryRun        bool
}

// sweepProgram identifies the engine in a sweep's manifest: a directory is
// resumed or merged only by the same version.
var sweepProgram = programVersion

func runSweep(e *env, o *sweepOptions, args []string) error {
	const cmd = "sweep"
	if len(args) != 1 {
		return usageErrorf(cmd, "want one scenario (a file or a shipped name), got %d arguments\nrun 'normsim sweep -h' for help", len(args))
	}
	switch {
	case o.workers < 0:
		return usageErrorf(cmd, "--workers = %d: want 0 (all cores) or more", o.workers)
	case o.shards < 0 || o.shardsGiven && o.shards == 0:
		return usageErrorf(cmd, "--shards %d: want the number of shards, 1 or more", o.shards)
	case o.resume && o.force:
		return usageErrorf(cmd, "--resume continues the sweep in DIR and --force starts it over: give one of them")
	}
	p, err := planSweep(e, o, args[0])
	if err != nil {
		return err
	}
	s, d, shard, source := p.s, p.d, p.shard, p.source

	dir := o.out
	if dir == "" {
		dir = filepath.Join("runs", fmt.Sprintf("%s-sweep-seed%d", s.Name, d.Seed)+changedSuffix(s, len(o.sets) > 0 || o.replicates != "" || o.steps != ""))
		if !shard.Whole() {
			dir += fmt.Sprintf("-shard%dof%d", shard.Index, shard.Count)
		}
	}
	workers, err := sweepWorkers(o.workers, p.pc.Fit())
	if err != nil {
		return err
	}
	if o.dryRun {
		return sweepDryRun(e, s, d, p.pc, p.points, shard, source, workers, dir)
	}

	rn := &sweep.Runner{
		Dir: dir, Workers: workers, Shard: shard,
		Scenario: s.Name, ScenarioHash: s.Hash(), Program: sweepProgram,
		Metrics: sweep.EngineMetrics, Force: o.force,
		Do:         p.pc.Do,
		Provenance: map[string]string{"scenario_file": s.File},
	}
	if source != "" {
		rn.Provenance["shard_from"] = source
	}
	if err := prepareSweepDir(rn, d, o, s); err != nil {
		return err
	}

	if !o.quiet {
		fmt.Fprintf(e.stdout, "%s: %s\n", s.Name, s.Title)
		np, nr, _ := d.Count()
		fmt.Fprintf(e.stdout, "%s design: %s x %s = %s", d.Kind, plural(np, "point", "points"), plural(d.Replicates, "replicate", "replicates"), plural(nr, "run", "runs"))
		if !shard.Whole() {
			fmt.Fprintf(e.stdout, "; shard %s: %d runs", shard, shard.Size(nr))
			if source != "" {
				fmt.Fprintf(e.stdout, " (from %s)", source)
			}
		}
		fmt.Fprintf(e.stdout, "; %d workers -> %s\n", workers, dir)
	}
	return executeSweep(e, o, rn, d)
}

// sweepPlan is a sweep checked before anything runs: its scenario, its
// design and design points (every one checked), and the shard to run.
type sweepPlan struct {
	s      *scenarios.Scenario
	d      sweep.Design
	points [][]float64
	pc     *sweep.Points
	shard  sweep.Shard
	source string // where the shard came from: "" for --shard, or no shard
}

// planSweep opens the scenario with the flags and checks its sweep: its
// error is invalid input (or an internal error from checking the points).
func planSweep(e *env, o *sweepOptions, arg string) (*sweepPlan, error) {
	const cmd = "sweep"
	s, err := sweepScenario(e, o, arg)
	if err != nil {
		return nil, invalidInput(cmd, err)
	}
	cfg, err := s.Config()
	if err != nil {
		return nil, invalidInput(cmd, err)
	}
	p := &sweepPlan{s: s}
	if p.d, err = sweepDesign(s, cfg); err != nil {
		return nil, usageErrorf(cmd, "%s: %v", s.File, err)
	}
	if p.shard, p.source, err = sweepShard(o); err != nil {
		return nil, usageErrorf(cmd, "%v", err)
	}
	if p.points, err = p.d.Points(); err != nil {
		return nil, usageErrorf(cmd, "%s: %v", s.File, err)
	}
	p.pc = sweep.NewPoints(cfg, p.d)
	err = p.pc.Check(p.points)
	if isInternal(err) {
		return nil, failure(cmd, err)
	}
	if err != nil {
		return nil, usageErrorf(cmd, "%s: %v", s.File, err)
	}
	return p, nil
}

// executeSweep runs the sweep (with a progress bar on a terminal), draws
// its charts when it is whole, and reports it.
func executeSweep(e *env, o *sweepOptions, rn *sweep.Runner, d sweep.Design) error {
	const cmd = "sweep"
	dir, shard := rn.Dir, rn.Shard
	var bar *runsBar
	if e.terminal && !o.quiet {
		bar = newRunsBar(e.rawStderr)
	}
	before := -1 // the runs done when the execution began (its first report)
	rn.Progress = func(done, total int) {
		if before < 0 {
			before = done
		}
		if bar != nil {
			bar.update(done, total)
		}
	}
	start := time.Now()
	err := rn.Execute(e.ctx, d, o.resume)
	if bar != nil {
		bar.stop()
	}
	if err != nil {
		if e.ctx.Err() != nil && errors.Is(err, e.ctx.Err()) {
			done := ""
			if st, serr := sweep.Status([]string{dir}); serr == nil && len(st.Dirs) == 1 {
				done = fmt.Sprintf(" with %d of %d runs done", st.Dirs[0].Done, st.Dirs[0].Total)
			}
			return failuref(cmd, "%s%s; the finished runs are kept in %s: run the same command with --resume to finish",
				e.interrupted(), done, dir)
		}
		return failure(cmd, err)
	}
	var chartsErr error
	var files []string
	if shard.Whole() {
		paths, notes, err := drawSweepCharts(dir)
		for _, n := range notes {
			fmt.Fprintf(e.stderr, "normsim %s: note: %s\n", cmd, n)
		}
		if err != nil {
			chartsErr = e.printed(failuref(cmd, "charts: %v", err))
		}
		files = paths
	}
	sweepReport(e, dir, time.Since(start), files, before)
	if !shard.Whole() {
		fmt.Fprintf(e.stdout, "shard %s done; when every shard is, combine them: normsim merge DIR... -o OUT\n", shard)
	}
	return chartsErr
}

// prepareSweepDir checks the sweep's directory (refusing a file, a run's
// result, another sweep without --resume or --force) and writes the
// resolved scenario into it.
func prepareSweepDir(rn *sweep.Runner, d sweep.Design, o *sweepOptions, s *scenarios.Scenario) error {
	const cmd = "sweep"
	if err := checkOutDir(cmd, rn.Dir); err != nil {
		return err
	}
	if err := checkSweepDir(rn, d, o.resume, o.force); err != nil {
		return err
	}
	if err := checkNotRunDir(cmd, rn.Dir, o.force); err != nil {
		return err
	}
	if err := os.MkdirAll(rn.Dir, 0o755); err != nil {
		return failure(cmd, err)
	}
	if o.force {
		removeSweepCharts(rn.Dir)
	}
	if err := results.WriteBytes(filepath.Join(rn.Dir, results.ScenarioFile), s.Resolved()); err != nil {
		return failure(cmd, err)
	}
	return nil
}

// sweepWorkers returns the number of runs executed at once: --workers, or
// one per core, and no more worlds at once than fit in memory (fit).
func sweepWorkers(workers, fit int) (int, error) {
	switch {
	case workers == 0:
		return min(runtime.GOMAXPROCS(0), fit), nil
	case workers > fit:
		return 0, usageErrorf("sweep", "--workers %d: the largest world of the sweep fits %d times in memory (limit %d GiB): use fewer workers", workers, fit, sim.MemoryLimit>>30)
	}
	return workers, nil
}

// sweepScenario opens the scenario and applies the flags: --set first,
// then --steps, --replicates and --seed (which name themselves in
// messages).
func sweepScenario(e *env, o *sweepOptions, arg string) (*scenarios.Scenario, error) {
	s, late, err := scenarios.OpenDroppingLateEvents(arg)
	if err != nil {
		return nil, err
	}
	for _, d := range late {
		fmt.Fprintf(e.stderr, "normsim sweep: warning: %s: skipping %s, after run.steps\n", s.File, d)
	}
	if err := s.SetAll(assigns("--set", o.sets)...); err != nil {
		return nil, err
	}
	if s.Sweep == nil {
		return nil, fmt.Errorf("%s: scenario %q has no [sweep] section: add one (design, replicates, and [sweep.parameters] with the keys to vary; see 'normsim sweep -h'), or give it with --set 'sweep.parameters.\"forum.pull\"=[0.2,0.8]'",
			s.File, s.Name)
	}
	if err := applyFlags(e, "sweep", s, o.steps,
		flagKey{"--steps", "run.steps", o.steps}, flagKey{"--replicates", "sweep.replicates", o.replicates},
		flagKey{"--seed", "sweep.seed", o.seed}); err != nil {
		return nil, err
	}
	return s, nil
}

// sweepDesign builds the design of s's [sweep] section: its parameters in
// file order, grid lists and ranges, bounds for the sampling designs.
func sweepDesign(s *scenarios.Scenario, cfg sim.Config) (sweep.Design, error) {
	sw := s.Sweep
	d := sweep.Design{Kind: sw.Design, Replicates: sw.Replicates, Samples: sw.Samples, Seed: cfg.Run.Seed}
	if sw.Seed != nil {
		d.Seed = uint64(*sw.Seed)
	}
	for _, p := range sw.Params {
		switch p.Key {
		case "run.seed":
			return d, fmt.Errorf("sweep.parameters.%q: a sweep gives every run its own seed, derived from the master seed (sweep.seed, or run.seed); vary sweep.replicates instead", p.Key)
		case "run.replicates":
			return d, fmt.Errorf("sweep.parameters.%q: every run of a sweep is one replicate; set the replicates per point with sweep.replicates", p.Key)
		}
		q := sweep.Param{Key: p.Key}
		switch p.Kind {
		case "list":
			q.Values = append([]float64(nil), p.Values...)
		case "range":
			v, err := sweep.Range(p.From, p.To, p.Steps)
			if err != nil {
				return d, fmt.Errorf("sweep.parameters.%q: %v", p.Key, err)
			}
			q.Values = v
		default:
			q.Min, q.Max = p.Min, p.Max
		}
		d.Params = append(d.Params, q)
	}
	d = d.Normalize()
	if err := d.Validate(); err != nil {
		return d, err
	}
	if _, _, err := d.Count(); err != nil {
		return d, err
	}
	return d, nil
}

// sweepShard returns the shard from --shard, or else from the scheduler's
// environment (Slurm job arrays; Kubernetes Indexed Jobs with --shards),
// and names where it came from ("" for --shard or no shard).
func sweepShard(o *sweepOptions) (sweep.Shard, string, error) {
	if o.shard != "" {
		sh, err := sweep.ParseShard(o.shard)
		if err == nil {
			err = sh.Validate()
		}
		if err != nil {
			return sh, "", fmt.Errorf("--shard %s: want i/n with 0 <= i < n (shards are numbered from 0)", o.shard)
		}
		if o.shards > 0 && o.shards != sh.Count {
			return sh, "", fmt.Errorf("--shard %s and --shards %d disagree on the number of shards", o.shard, o.shards)
		}
		return sh, "", nil
	}
	sh, source, ok, err := sweep.ShardFromEnv(getenv, o.shards)
	if err != nil {
		return sh, "", err
	}
	if !ok {
		if o.shards > 1 {
			return sh, "", fmt.Errorf("--shards %d: no shard index in the environment (JOB_COMPLETION_INDEX, or SLURM_ARRAY_TASK_ID); give --shard i/n", o.shards)
		}
		return sweep.Shard{}, "", nil
	}
	return sh, source, nil
}

// checkSweepDir refuses, as invalid input, a DIR that holds a sweep when
// neither --resume nor --force is given, a DIR that holds another sweep to
// resume, and a DIR that holds another shard of this sweep (or the whole
// of it) than this command runs, with or without --resume. Execute checks
// again, under its lock.
func checkSweepDir(rn *sweep.Runner, d sweep.Design, resume, force bool) error {
	old, err := sweep.ReadManifest(rn.Dir)
	if errors.Is(err, fs.ErrNotExist) || force {
		return nil
	}
	if err != nil {
		return failuref("sweep", "%v", err)
	}
	m, err := rn.Manifest(d)
	if err != nil {
		return failuref("sweep", "%v", err)
	}
	diff := old.Diff(m)
	if diff == "" && shardOf(old) != shardOf(m) {
		return usageErrorf("sweep", "%s", otherShard(rn.Dir, shardOf(old), shardOf(m), rn.Provenance["shard_from"]))
	}
	if !resume {
		return usageErrorf("sweep", "%s already holds a sweep of %s: continue it with --resume, or start over with --force (or choose another -o)", rn.Dir, old.Scenario)
	}
	if diff != "" {
		return usageErrorf("sweep", "cannot resume %s: it holds another sweep (%s); use another -o, or --force to start over", rn.Dir, diff)
	}
	return nil
}

// checkNotRunDir refuses, as invalid input, a DIR that holds the result of
// a run (normsim run or check -o), which a sweep would mix its files with;
// with --force the run's files are removed first.
func checkNotRunDir(cmd, dir string, force bool) error {
	if _, err := sweep.ReadManifest(dir); !errors.Is(err, fs.ErrNotExist) || !results.Exists(dir) {
		return nil // a sweep directory, or nothing
	}
	if !force {
		return usageErrorf(cmd, "%s holds the result of a run, not a sweep: not overwritten (use --force to replace it, or another -o)", dir)
	}
	if err := removeRunFiles(dir); err != nil {
		return failure(cmd, err)
	}
	return nil
}

// removeRunFiles removes the files of a run (normsim run or check -o)
// from dir, before a sweep or a merge replaces them with a sweep's.
func removeRunFiles(dir string) error {
	names := []string{results.TimeseriesFile, results.ReplicatesFile, results.LatticeFile, results.SummaryFile,
		results.IncompleteFile, results.ScenarioFile, goalsFile, "handout.html"}
	for _, c := range []string{plots.ChartConvergence, plots.ChartAttribution, plots.ChartOutcomes, plots.ChartTraits, plots.ChartLattice} {
		names = append(names, c+".png", c+".svg")
	}
	for _, n := range names {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// otherShard says that dir holds shard have of the sweep while the
// command runs shard want (from source, when the environment gave it),
// and how to do what was probably meant.
func otherShard(dir string, have, want sweep.Shard, source string) string {
	what := "the whole sweep"
	switch {
	case !want.Whole() && source != "":
		what = fmt.Sprintf("shard %s (from %s)", want, source)
	case !want.Whole():
		what = "shard " + want.String()
	case source != "":
		what = fmt.Sprintf("the whole sweep (from %s)", source)
	}
	if have.Whole() {
		return fmt.Sprintf("%s holds the whole sweep, and this command runs %s: choose another -o for the shard, or continue the whole sweep with --shard 0/1 --resume", dir, what)
	}
	return fmt.Sprintf("%s holds shard %s of this sweep, and this command runs %s: "+
		"to continue that shard, give --shard %s --resume (in a Slurm job array, requeue its task with 'scontrol requeue JOBID_TASK' rather than resubmitting it with sbatch --array=TASK); "+
		"to combine finished shards, use 'normsim merge'; or choose another -o", dir, have, what, have)
}

func shardOf(m *sweep.Manifest) sweep.Shard {
	if m.Shard == nil || m.Shard.Whole() {
		return sweep.Shard{}
	}
	return *m.Shard
}

// sweepDryRun prints what the sweep would run and how long it would take,
// from timing one short replicate at a few design points.
func sweepDryRun(e *env, s *scenarios.Scenario, d sweep.Design, pc *sweep.Points, points [][]float64, shard sweep.Shard, source string, workers int, dir string) error {
	fmt.Fprintf(e.stdout, "%s: %s\n", s.Name, s.Title)
	var sum time.Duration
	var n int
	for _, p := range samplePoints(len(points)) {
		t, err := timeRun(e.ctx, pc, p, points[p], d, workers)
		if err != nil {
			if e.ctx.Err() != nil {
				return failuref("sweep", "%s", e.interrupted())
			}
			return failuref("sweep", "timing design point %d: %v", p, err)
		}
		sum += t
		n++
	}
	var perRun time.Duration
	if n > 0 {
		perRun = sum / time.Duration(n)
	}
	if err := sweep.Describe(e.stdout, d, shard, perRun, workers); err != nil {
		return usageErrorf("sweep", "%v", err)
	}
	if source != "" {
		fmt.Fprintf(e.stdout, "shard from %s\n", source)
	}
	fmt.Fprintf(e.stdout, "every design point checked; would write %s (dry run: nothing written)\n", dir)
	if st, err := sweep.Status([]string{dir}); err == nil && len(st.Dirs) == 1 {
		fmt.Fprintf(e.stdout, "note: %s already holds a sweep (%d of %d runs done): continue it with --resume, or start over with --force\n",
			dir, st.Dirs[0].Done, st.Dirs[0].Total)
	}
	return nil
}

// samplePoints returns the design points a dry run times: up to five,
// evenly spread from the first to the last.
func samplePoints(n int) []int {
	const k = 5
	if n <= k {
		ps := make([]int, n)
		for i := range ps {
			ps[i] = i
		}
		return ps
	}
	ps := make([]int, k)
	for i := range ps {
		ps[i] = i * (n - 1) / (k - 1)
	}
	return ps
}

// timeRun estimates the wall time of one wave of runs at design point p,
// as many at once as there are workers (so that the estimate includes
// what running side by side costs: shared caches, memory, turbo): it runs
// replicates 0 to workers-1 for 1, 2, 4, ... steps until a wave takes
// 300 ms or reaches the point's steps, and scales the time up to the full
// length (the events after a short wave's last step do not fire in it).
func timeRun(ctx context.Context, pc *sweep.Points, p int, values []float64, d sweep.Design, workers int) (time.Duration, error) {
	cfg, err := pc.Config(p, values)
	if err != nil {
		return 0, err
	}
	cfg.Run.Seed = sweep.PointSeed(d.Seed, p)
	full := cfg.Run.Steps
	workers = max(1, workers)
	for steps := 1; ; steps *= 2 {
		steps = min(steps, full)
		cfg.Run.Steps = steps
		start := time.Now()
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for r := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[r] = sim.RunReplicate(ctx, cfg, r)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return 0, err
		}
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		t := time.Since(start)
		if t >= 300*time.Millisecond || steps == full {
			return time.Duration(float64(t) * float64(full) / float64(steps)), nil
		}
	}
}
