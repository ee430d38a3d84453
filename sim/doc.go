// Package sim is the normsim engine: the typed configuration, the world of
// states, the kernels that step it, and the recorder that turns a run into
// time series, convergence steps and outcomes.
//
// A [Config] knows nothing of TOML; [Config.Validate] checks it, budget
// included ([MemoryLimit], [MaxStepWork]); [Params] is the registry of its
// keys that scenarios and the workbench are built from. [New] builds one
// replicate's [World] from a Config and a rand.Source ([World.Step],
// [World.Apply] for events); [Run] runs every replicate in parallel and
// [RunReplicate] one, replicate r drawing from PCG(seed, r), so results do
// not depend on the number of workers.
//
// [Kernel] names the implementation New picks, which every output records:
// "cyber", the general model of docs/MODEL.md on any topology, with the
// threshold, logit and reciprocal rules; "axelrod", Axelrod's (1986) norms
// and metanorms games (threshold rule, axelrod learning, every other state
// a target), exact and much faster than the cyber kernel, which plays them
// too; "game", the symmetric 2x2 game of decision.rule = game, which the
// cyber kernel lacks; "lattice-game", its byte-lattice fast path for Nowak
// and May's (1992) setting, identical step by step (see sim/game.go).
package sim
