// Package scenarios reads scenario files: strict TOML that describes
// everything a normsim run needs, and the scenarios that ship with normsim.
//
// A scenario says only what differs from the defaults (sim.DefaultConfig);
// schema = 1 and name are required. [Open] takes a path or a shipped name,
// [Load] a path, [Parse] bytes; [Scenario.Config] returns the validated
// sim.Config, [Scenario.Set] changes one key as --set does, and
// [Scenario.Resolved] writes the canonical form with every key, which
// [Scenario.Hash] identifies in every output. [Reference] is the key
// reference of the README.
//
// # Strictness
//
// BurntSushi/toml v1.6.0 maps loosely (STYLE.md 2.5): keys match
// case-insensitively, -1 decoded into a uint64 wraps, nan is accepted, and
// a type mismatch stops decoding at the first one. So the loader does not
// decode into tagged structs: it lets the library parse the document into
// a generic tree (which reports syntax errors and duplicate keys with a
// position), then walks the tree against its own table of keys (schema.go)
// and reports, all at once: unknown keys with a did-you-mean (keys whose
// case differs are unknown keys, named as such), wrong types, NaN and
// infinities, negative seeds, unsupported schema versions and, through
// sim's Config.Validate, every range and consistency problem (counts,
// probabilities, lattice size, events after the last step, worlds larger
// than sim.MaxStates, refused before anything is allocated). It also
// refuses runs whose recorded time series would not fit in 1 GiB.
//
// The library keeps key positions private, so a small scanner (scan.go)
// finds where each key path is written (table headers, dotted and quoted
// keys, keys inside inline tables, array elements) and every problem
// carries file:line:col, or the nearest enclosing key's position.
//
// # Values with their own syntax
//
// Distributions (a number, { dist = "pareto"|"normal"|"uniform"|
// "constant"|"levels", ... } or { values = [...] }), world.initial (one of
// { escalators }, { pattern = "single", site }, { escalating }),
// world.blocs (a count or one bloc per state), decision.reciprocal (a
// preset name or { cc, cd, dc, dd, initial }) and topology.pairs.
// Resolved writes each in its table form.
package scenarios
