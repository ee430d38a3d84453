// Package agents holds the decision and learning rules of the states, as
// pure functions of a state's traits, what it observes and a random
// stream. It knows nothing of the world: package sim computes what each
// state observes and calls these rules.
//
// Decision rules (MODEL.md, "Decision rules"): threshold (Axelrod 1986),
// logit (expected utility with precision beta), game (a symmetric 2x2
// game) and reciprocal (memory-one reciprocity on perceived moves).
// Learning rules: the axelrod genetic algorithm, Fermi imitation,
// best-neighbour (Nowak and May 1992), Bush-Mosteller reinforcement.
package agents
