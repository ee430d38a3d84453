// Package scenarios reads scenario files, strict TOML that says everything
// a normsim run needs, and holds the scenarios that ship with normsim
// ([List], with the claims study of [Claims]; the exercises, [Exercises]).
//
// A scenario says only what differs from the defaults ([sim.DefaultConfig]);
// schema = 1 and name are required. [Open] takes a path or a shipped name,
// [Load] a path, [Parse] bytes; [Scenario.Config] returns the validated
// [sim.Config], [Scenario.Set] changes one key as --set does, and
// [Scenario.Resolved] writes the canonical form with every key (values with
// a syntax of their own in their table form), which [Scenario.Hash]
// identifies in every output. [Reference] is the README's key reference.
//
// The format, what loading refuses and the values with a syntax of their
// own are in the README ("Scenarios"). Loading reports every problem at
// once, at file:line:col. BurntSushi/toml maps loosely (keys match
// case-insensitively, -1 decoded into a uint64 wraps, nan is accepted, a
// type mismatch stops decoding), so the library only parses (syntax errors
// and duplicate keys), into a generic tree that the loader walks against
// its own table of keys (schema.go, from sim's registry); scan.go finds
// where each key is written (else the nearest enclosing key's position).
package scenarios
