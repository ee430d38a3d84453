package agents

import "math"

// Game is a symmetric 2x2 game in the usual notation: a cooperator meeting
// a cooperator earns Reward (R), a cooperator meeting a defector earns
// Sucker (S), a defector meeting a cooperator earns Temptation (T) and a
// defector meeting a defector earns Punishment (P). In normsim, cooperate
// means restraint and defect means escalation. The Prisoner's Dilemma is
// T > R > P >= S; Nowak and May (1992), Nature 359, 826-829, use R = 1,
// T = b, S = P = 0.
type Game struct {
	Reward, Sucker, Temptation, Punishment float64
}

// Payoff returns the total payoff of a state that plays the game once with
// each of nC cooperators and nD defectors: nC R + nD S for a cooperator,
// nC T + nD P for a defector. Every kernel computes payoffs with this one
// expression, so that fast and general implementations agree to the bit.
func (g Game) Payoff(cooperate bool, nC, nD int) float64 {
	if cooperate {
		return float64(nC)*g.Reward + float64(nD)*g.Sucker
	}
	return float64(nC)*g.Temptation + float64(nD)*g.Punishment
}

// Bounds returns the smallest and largest payoff of a single game.
func (g Game) Bounds() (lo, hi float64) {
	lo = min(g.Reward, g.Sucker, g.Temptation, g.Punishment)
	hi = max(g.Reward, g.Sucker, g.Temptation, g.Punishment)
	return lo, hi
}

// Stimulus returns the Bush-Mosteller stimulus of an average payoff per
// game against an aspiration level: (perGame - aspiration) divided by the
// largest |payoff - aspiration| that a single game can give, so that it
// lies in [-1, 1] (Macy and Flache 2002, PNAS 99(3), 7229-7236). It
// is 0 when every payoff equals the aspiration.
func (g Game) Stimulus(perGame, aspiration float64) float64 {
	lo, hi := g.Bounds()
	scale := max(math.Abs(hi-aspiration), math.Abs(lo-aspiration))
	if scale == 0 {
		return 0
	}
	return min(1, max(-1, (perGame-aspiration)/scale))
}

// BestNeighbour is the update rule of Nowak and May (1992): a state takes
// the strategy of the highest scorer among itself and its neighbours.
// bestC and bestD are the highest payoffs of the cooperators and of the
// defectors in that neighbourhood (-Inf when there is none). It returns
// whether the state cooperates next: the better of the two, and its
// current strategy when they tie (a tie with itself keeps the current
// strategy; a tie between a cooperating and a defecting neighbour does too,
// which keeps the rule symmetric and independent of the order of the
// neighbours).
func BestNeighbour(bestC, bestD float64, cooperate bool) bool {
	switch {
	case bestC > bestD:
		return true
	case bestD > bestC:
		return false
	}
	return cooperate
}

// ReinforceCooperation returns a state's new probability of cooperating
// after it played cooperate (true) or defect (false) and received the
// stimulus s in [-1, 1], with learning rate l: Bush-Mosteller
// reinforcement of the action taken (Macy and Flache 2002). A
// satisfying cooperation makes cooperating more likely, a satisfying
// defection makes defecting more likely, and disappointments the reverse.
func ReinforceCooperation(p float64, cooperate bool, s, l float64) float64 {
	if cooperate {
		return BushMosteller(p, s, l)
	}
	return 1 - BushMosteller(1-p, s, l)
}

// FermiFixation returns the probability that a single mutant fixes in a
// population of n under the pairwise-comparison (Fermi) process with
// selection intensity beta, when the mutant's payoff exceeds the
// residents' by the constant dpi: (1 - e^{-beta dpi}) / (1 - e^{-n beta
// dpi}), and 1/n when beta dpi = 0. Traulsen, Nowak and Pacheco (2006),
// Phys. Rev. E 74, 011909, with constant payoffs.
func FermiFixation(beta, dpi float64, n int) float64 {
	x := beta * dpi
	if x == 0 {
		return 1 / float64(n)
	}
	// -expm1(-x) = 1 - e^{-x}, accurate for small x.
	return math.Expm1(-x) / math.Expm1(-float64(n)*x)
}

// MoranFixation returns the probability that a single mutant of relative
// fitness r fixes in a Moran process of population n:
// (1 - 1/r) / (1 - 1/r^n), and 1/n when r = 1. Nowak, Sasaki, Taylor and
// Fudenberg (2004), Nature 428, 646-650, with constant fitness.
func MoranFixation(r float64, n int) float64 {
	// With x = ln r, (1 - e^{-x}) / (1 - e^{-n x}): accurate near r = 1.
	return FermiFixation(1, math.Log1p(r-1), n)
}
