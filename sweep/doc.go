// Package sweep runs experiments: many runs of one scenario over a
// [Design] of parameter values (grid, Latin hypercube, Sobol' or Morris),
// in parallel, crash-safely, resumably and split into shards, and writes
// per-point summaries and sensitivity indices. It is what `normsim sweep`,
// `normsim merge` and `normsim status` do; docs/sweeps.md is the guide to
// designs, seeds, the files of a sweep directory, resume, sharding and
// recipes for GNU parallel, Slurm and Kubernetes.
//
// The command builds a Design from the scenario's sweep table and a
// [Runner] whose Do function runs one replicate on the engine: the package
// never runs the engine itself, and uses package sim only for the names
// and ranges of outcomes and metrics and to report a panic in Do.
// [Runner.Execute] runs a shard into a directory, [Merge] combines shard
// directories, [Status] lists the missing runs, [Describe] prints a dry
// run and [ShardFromEnv] reads the shard of a Slurm array or Kubernetes
// Indexed Job. The charts read a sweep's outputs back through the package:
// [ReadManifest], [PoolRuns] (runs pooled by parameter value or bin),
// [ReadSensitivity], [SobolByOutput] and [MorrisOf].
package sweep
