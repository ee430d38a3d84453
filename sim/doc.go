// Package sim is the normsim engine: the world of states, the stepper that
// advances it phase by phase as MODEL.md describes, and the recorder that
// turns a run into time series, convergence steps and outcomes.
//
// A [Config] is typed and validated ([Config.Validate]); it knows nothing of
// TOML. [New] builds one replicate's [World] from a Config and a
// rand.Source; [Run] runs every replicate in parallel, replicate r drawing
// from PCG(seed, r), so results are identical whatever the number of
// workers.
//
// # Kernels
//
// One model, three implementations of its step, chosen by [Kernel] (whose
// name every output records):
//
//   - "cyber": the general model of MODEL.md (opportunity, choice, payoffs,
//     attribution, response, metanorms, credibility, expectations, forums,
//     learning, events) on any topology.
//   - "axelrod": Axelrod's (1986) norms and metanorms games, chosen when the
//     rule is threshold, learning is axelrod and every other state is a
//     target; exact and fast (bit-sliced Bernoulli draws grouped by
//     vengefulness level; see the axelrodKernel doc for its metrics).
//   - "game": a symmetric 2x2 game played with every neighbour, chosen when
//     the decision rule is game; "lattice-game" is its byte-lattice fast
//     path for Nowak and May's (1992) setting (Moore lattice,
//     best-neighbour learning, synchronous), identical step by step.
//
// The special kernels are the general model with the phases that the
// classics lack switched off; they exist for speed, and the choice is
// reported in every output.
package sim
