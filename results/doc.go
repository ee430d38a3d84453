// Package results writes a run's output files and reads them back.
//
// A run directory holds:
//
//   - scenario.toml: the fully resolved scenario (written by the command);
//     running it again gives byte-identical CSVs.
//   - timeseries.csv: tidy, one row per replicate and recorded step:
//     scenario, version, scenario_hash, seed, replicate, step, then one
//     column per metric (sim.MetricNames). Step 0 is the initial state.
//   - replicates.csv: one row per finished replicate: scenario, version,
//     scenario_hash, seed, replicate, outcome, converged (the convergence
//     step, empty when expectations never converged), final_restraint
//     (the restraint rate over the last convergence window, which names
//     the outcome), then every metric's final value.
//   - lattice.csv (lattice worlds only): snapshots of replicate 0:
//     scenario, version, scenario_hash, seed, replicate, step, width,
//     height, cells (row-major, one digit per site: 0 = C after C, 1 = D
//     after D, 2 = C after D, 3 = D after C).
//   - summary.json: outcome shares with 95% Wilson intervals, convergence
//     quantiles, final means and sds, the kernel, and provenance (program
//     and Go version, scenario hash, seed, wall time); "complete" is false
//     when the run was interrupted.
//   - INCOMPLETE: present only when the run was interrupted.
//
// Floats are written with strconv.FormatFloat(x, 'g', -1, 64), so they
// read back exactly. The CSVs hold nothing that depends on where, when or
// how the run was made (no time, host or worker count): the same scenario
// and seed give the same bytes. Every file is written atomically (a
// temporary file in the same directory, fsync, rename).
package results
