// Package results writes a run's output files and reads them back; the
// README ("Outputs") describes every file and column.
//
// [Stage] prepares a run directory: the files go into a hidden staging
// directory that [Staging.Commit] renames into place, so the directory
// always holds one complete (or clearly incomplete) result. [Save] writes
// timeseries.csv, replicates.csv, lattice.csv (lattice worlds: snapshots
// of replicate 0), summary.json ([Summarize]) and, for an interrupted run,
// INCOMPLETE; the command adds scenario.toml, the resolved scenario that
// gives the same CSVs again. [Read] loads a run directory back into a
// [sim.Result] for `normsim plot`.
//
// Every CSV row starts with scenario, version, scenario_hash, seed and
// replicate. Floats are written by [FormatFloat] (strconv 'g', -1), so
// they read back exactly; a NaN, nothing to measure, is an empty cell. The
// CSVs hold nothing that depends on where, when or how the run was made:
// the same scenario and seed give the same bytes. Every file is written
// atomically ([WriteFile]: a temporary file in the same directory, fsync,
// rename).
package results
