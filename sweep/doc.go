// Package sweep runs experiments: many runs of one scenario over a
// [Design] of parameter values (grid, Latin hypercube, Sobol' or Morris),
// in parallel, crash-safely, resumably and split into shards, and writes
// per-point summaries and sensitivity indices. It is what `normsim sweep`,
// `normsim merge` and `normsim status` do; docs/sweeps.md is the guide to
// designs, seeds, the files of a sweep directory, resume, sharding and
// recipes for GNU parallel, Slurm and Kubernetes.
//
// A [Runner] executes a design with a Do function that runs one replicate:
// [NewPoints] turns design points into validated engine configurations,
// and [Points.Do] runs one on package sim as `normsim run` runs that
// replicate ([EngineMetrics] are its columns). [Runner.Execute] runs a
// shard into a directory, [Merge] combines shard directories, [Status]
// lists the missing runs, [Describe] prints a dry run and [ShardFromEnv]
// reads the shard of a Slurm array or Kubernetes Indexed Job. The charts
// read a sweep's outputs back through the package: [ReadManifest],
// [PoolRuns] (runs pooled by parameter value or bin), [ReadSensitivity],
// [SobolByOutput] and [MorrisOf].
package sweep
