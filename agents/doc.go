// Package agents holds the states' decision and learning rules as pure
// functions (and a few small types) of a state's traits, what it observes
// and a random stream. It knows nothing of the world: package sim computes
// what each state observes and calls these rules.
//
// Decision rules (MODEL.md, "Decision rules"): the logit rule is
// [EscalationProb] ([EscalationLogit], drawn by [LogisticAbove]) of the
// gain [Gain], the deterrence [Deterrence] (with [Late], and [Belief] and
// [ExpectedBelief], the weight an accusation is believed with) and the
// norm's cost [NormCost]; [Detection] gives the signal-detection rates of
// attribution; [Game] is the symmetric 2x2 game. Axelrod's (1986)
// threshold rule and memory-one reciprocity are one comparison each, made
// in package sim. Learning rules: Axelrod's genetic algorithm ([Genome],
// [Breeder], [MutateGenomes]), Fermi imitation ([Fermi]), best-neighbour
// ([BestNeighbour], Nowak and May 1992) and Bush-Mosteller reinforcement
// ([BushMosteller], [ReinforceCooperation]). [MoranFixation] and
// [FermiFixation] are the fixation probabilities the tests check
// imitation against.
package agents
