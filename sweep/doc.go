// Package sweep runs experiments: many runs of one scenario over a design
// of parameter values, in parallel, crash-safely, resumably and split over
// machines, with per-point summaries and global sensitivity analysis.
//
// The package knows nothing of TOML, of charts or of the engine: the
// command builds a [Design] from the scenario's sweep section and gives
// the [Runner] a Do function that runs one replicate. Everything below is
// what `normsim sweep`, `normsim merge` and `normsim status` do.
//
// # Designs
//
// A [Design] lists parameters (scenario keys such as
// "attribution.evidence_standard") and how to combine them; each
// combination is a design point, run Replicates times.
//
//   - grid: every combination of each parameter's list of values (a range
//     {from, to, steps} becomes a list, see [Range]); points in row-major
//     order, the last parameter varying fastest. Points = product of the
//     list lengths.
//   - lhs: a Latin hypercube of Samples points in [min, max] per parameter:
//     each parameter's range is cut into Samples equal bins and every bin
//     holds exactly one point (McKay, Beckman and Conover 1979).
//     Points = Samples.
//   - sobol: the design of Saltelli et al. (2010) for variance-based
//     sensitivity: from a 2k-dimensional Sobol' sequence (Joe and Kuo 2008
//     direction numbers, up to k = 20 parameters), matrices A and B, and
//     for each parameter i the matrix AB^i (A with column i from B).
//     Points = Samples x (k + 2); a power of two for Samples (e.g. 256,
//     1024) keeps the sequence balanced.
//   - morris: Samples trajectories (r) on a grid of Levels levels (p,
//     default 4); each trajectory starts at a random grid point and moves
//     every parameter once, in random order, by Delta = p/(2(p-1)) of its
//     range (Morris 1991). Points = r x (k + 1); r = 10 to 50 is usual
//     for screening.
//
// # Seeds
//
// One master seed (the design's Seed: the scenario's master seed)
// determines everything. Design point p
// gets the seed [PointSeed](seed, p) (SplitMix64), and replicate r of the
// point runs on the stream PCG(point seed, r), exactly as `normsim run`
// with that seed runs its replicate r. With common_seed, every point uses
// the master seed itself (common random numbers: replicate r meets the
// same luck at every point, which sharpens comparisons). Latin hypercube
// and Morris points and the bootstrap come from PCG streams of the master
// seed. So a run's result depends only on the scenario, the design and its
// place in the design: never on the machine, the time, the number of
// workers, the shard, or what else ran.
//
// # Files
//
// A sweep directory (-o DIR) holds:
//
//   - sweep.json, the manifest: format, scenario name and hash, program
//     version, the normalized design, metric and outcome names, counts,
//     and the shard if any. It is written first (atomically); resume and
//     merge compare it.
//   - .journal, the journal (hidden): one line per finished run, appended with a
//     single write(2) as soon as the run ends, in completion order. A line
//     is the runs.csv row (less the provenance columns) plus a CRC-32
//     of it. Nothing else is held in
//     memory while runs execute.
//   - runs.csv: one row per run, sorted by run index: scenario, version
//     and scenario_hash (the provenance, the same in every row), run,
//     point, the parameter values, seed, replicate, outcome, converged (the
//     convergence step, empty if expectations never converged, as in
//     replicates.csv), then the final value of every metric.
//   - points.csv: one row per design point: scenario, version,
//     scenario_hash, point, parameter values, seed, runs; for each outcome its share with a 95% Wilson interval
//     (established_share, established_lo, established_hi, ...); the share
//     of runs that converged (with its Wilson interval) and their mean
//     convergence step; for each metric the mean over replicates with a
//     95% Student-t interval (restraint_rate_mean, _lo, _hi, ...).
//   - sensitivity.csv (sobol and morris designs): the provenance, the
//     design's seed, output, parameter, statistic, value, lo, hi. The outputs are every outcome share and
//     every metric mean of points.csv (the response at a design point is
//     the average over its replicates). Sobol: S1 (first-order, Saltelli
//     et al. 2010) and ST (total, Jansen 1999). Morris: mu_star (mean
//     absolute elementary effect, Campolongo et al. 2007; near 0 means the
//     parameter does not matter), mu, and sigma (non-linearity or
//     interactions). Elementary effects are per unit of the parameter's
//     whole range. lo and hi are 95% bootstrap percentile intervals
//     (Bootstrap resamples, default 200).
//   - summary.json: provenance (scenario, hash, program, design, Go
//     version, platform, wall time, date, workers, merged directories) and
//     outcome counts.
//
// Floats are written in the shortest form that reads back exactly. The CSV
// files contain no time, host, worker or shard number: the same sweep
// gives the same bytes however it was run.
//
// # Interruptions and resume
//
// Ctrl-C or SIGTERM stops a sweep cleanly (runs in flight are abandoned,
// not recorded); kill -9, a crash or a lost node stops it anywhere. In
// every case the journal holds each run that finished, and at worst one
// incomplete last line, which resume drops. Then
//
//	normsim sweep exp.toml -o DIR --resume
//
// runs only the missing runs and writes outputs byte-identical to those of
// an uninterrupted sweep. Resume refuses a DIR whose manifest differs (the
// scenario, the design or the program changed); a new or empty DIR simply
// starts, so a job script can always pass --resume. Without --resume, a
// DIR that holds a sweep is refused, finished or not; --force starts over.
// Each line is written before the run counts as done; it survives the
// death of the process, and with fsync (Runner.Sync) a power cut too, at
// the price of a disk flush per run. Memory stays bounded, whatever the
// number of runs: the runs done are a bitmap in blocks of 65,536, where a
// block done entirely (or not at all) costs nothing (so a sweep that runs
// in order holds a few blocks, and at most one bit a run), the outputs
// read the journal in run order through an external sort (chunks of 32 MB
// sorted into temporary files and merged), and one design point's
// replicates are held at a time. What one sweep may hold is capped
// ([MaxRuns], [MaxPoints], [MaxReplicates]).
//
// # Sharding
//
// --shard i/n runs the runs whose index modulo n is i (0 <= i < n): a
// deterministic slice, spread evenly over the design. Without --shard,
// the command takes the shard from Slurm job arrays
// (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN and
// SLURM_ARRAY_TASK_STEP) or from a Kubernetes Indexed Job
// (JOB_COMPLETION_INDEX, with the number of shards from --shards N, since
// Kubernetes does not export it); see [ShardFromEnv]. A one-task Slurm
// array (sbatch --array=2, resubmitting one task) is refused: it does not
// tell the number of shards. A shard directory records its shard in
// sweep.json and gets its own runs.csv (its runs only, with no shard
// column); points.csv and sensitivity.csv need the whole sweep, so merge
// writes them. A shard may have no run (more shards than runs): it
// succeeds with an empty journal and a runs.csv of the header alone.
//
//	normsim merge DIR... -o OUT
//
// combines shard directories (in any order, even partial ones) into OUT,
// whose runs.csv, points.csv and sensitivity.csv are byte for byte those
// of the same sweep run on one machine. It refuses directories of
// different sweeps, and a run whose results differ between directories.
// When runs are missing it says which, and leaves OUT ready for
// `normsim sweep exp.toml -o OUT --resume` to run just those.
//
//	normsim status DIR...
//
// lists, for each directory and for all together, the runs done and the
// missing run indices, compactly ("0-99,205-298:3"). It only reads, so it
// can watch a running sweep.
//
// # Running big sweeps
//
// First, count and time it: `normsim sweep exp.toml --dry-run` prints the
// number of points and runs and an estimate of the time.
//
// On one machine, use every core; rerun with --resume after any stop:
//
//	normsim sweep exp.toml -o results/exp --workers 16
//
// With GNU parallel, four shards on one or several hosts (--sshlogin), then
// the merge:
//
//	parallel -j 4 normsim sweep exp.toml --shard {}/4 -o results/shard-{} --resume --quiet ::: 0 1 2 3 &&
//	  normsim merge results/shard-* -o results/exp
//
// On a Slurm cluster, a job array (sweep.sbatch) without --shard, which
// normsim reads from the array, whatever its range; --requeue plus
// --resume lets a preempted or requeued task continue where it stopped:
//
//	#!/bin/bash
//	#SBATCH --job-name=normsim-sweep
//	#SBATCH --array=0-3
//	#SBATCH --cpus-per-task=2
//	#SBATCH --time=02:00:00
//	#SBATCH --requeue
//	normsim sweep exp.toml -o "results/shard-${SLURM_ARRAY_TASK_ID}" \
//	    --workers "${SLURM_CPUS_PER_TASK:-1}" --resume --quiet
//
// with the merge to run when every task has succeeded:
//
//	jobid=$(sbatch --parsable sweep.sbatch)
//	sbatch --dependency=afterok:$jobid --kill-on-invalid-dep=yes --wrap 'normsim merge results/shard-* -o results/exp'
//	normsim status results/shard-*   # at any time
//
// If a task fails or is cancelled, Slurm cancels the merge job (without
// --kill-on-invalid-dep it would wait forever); normsim status tells the
// shards that miss runs; rerun each with scontrol requeue JOBID_TASK (while
// Slurm remembers the job) or with an explicit --shard i/n --resume into
// its directory, then run the merge. The README's recipe is tested on a
// real one-node Slurm by .ci/slurm-test.
//
// On Kubernetes, an Indexed Job whose pods share a volume (ReadWriteMany);
// the pod's index (JOB_COMPLETION_INDEX) is the shard, and --shards is
// the Job's completions:
//
//	apiVersion: batch/v1
//	kind: Job
//	metadata:
//	  name: normsim-sweep
//	spec:
//	  completionMode: Indexed
//	  completions: 8
//	  parallelism: 8
//	  backoffLimit: 16
//	  template:
//	    spec:
//	      restartPolicy: OnFailure
//	      containers:
//	      - name: sweep
//	        image: registry.example.org/normsim:latest
//	        command: ["sh", "-c"]
//	        args:
//	        - normsim sweep /work/exp.toml --shards 8
//	          -o "/work/results/shard-$JOB_COMPLETION_INDEX" --resume --quiet
//	        resources:
//	          requests: {cpu: "4"}
//	        volumeMounts:
//	        - {name: work, mountPath: /work}
//	      volumes:
//	      - name: work
//	        persistentVolumeClaim: {claimName: normsim-work}
//
// and, after `kubectl wait --for=condition=complete --timeout=24h
// job/normsim-sweep`, a pod on the same volume runs
// `normsim merge /work/results/shard-* -o /work/results/exp`. If the Job
// fails, normsim status tells the shards that miss runs; create the Job
// again and every pod resumes its shard.
//
// Shards may also be rerun elsewhere: copying a shard directory to another
// machine and resuming it there gives the same bytes.
//
// # Using the package
//
// The command builds a Design and a Runner:
//
//	d := sweep.Design{Kind: sweep.Grid, Replicates: 3, Seed: seed, Params: []sweep.Param{
//		{Key: "forum.inclusivity", Values: []float64{0.2, 0.8}},
//	}}
//	rn := &sweep.Runner{Dir: out, Workers: n, Shard: shard,
//		Scenario: name, ScenarioHash: hash, Program: version,
//		Metrics: names, Do: runOne}
//	err := rn.Execute(ctx, d, resume) // ctx from signal.NotifyContext(SIGINT, SIGTERM)
//
// where runOne applies the run's Values to a copy of the scenario's
// configuration, sets its seed to the run's Seed, runs replicate
// run.Replicate, and returns ctx.Err() if it was cancelled. [Merge] and
// [Status] need only directories; [Describe] prints a dry run.
//
// References: M. D. McKay, R. J. Beckman, W. J. Conover (1979),
// Technometrics 21(2) 239-245. M. D. Morris (1991), Technometrics 33(2)
// 161-174. F. Campolongo, J. Cariboni, A. Saltelli (2007), Environ. Model.
// Softw. 22 1509-1518. I. M. Sobol' (1993), Math. Model. Comput. Exp. 1
// 407-414. M. J. W. Jansen (1999), Comput. Phys. Commun. 117 35-43.
// A. Saltelli et al. (2010), Comput. Phys. Commun. 181 259-270. T.
// Ishigami, T. Homma (1990), Proc. ISUMA 398-403. S. Joe, F. Y. Kuo
// (2008), SIAM J. Sci. Comput. 30 2635-2654. E. B. Wilson (1927), JASA 22
// 209-212. G. L. Steele, D. Lea, C. H. Flood (2014), OOPSLA 453-472.
package sweep
