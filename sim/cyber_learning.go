package sim

import (
	"math"

	"github.com/normsim/normsim/agents"
)

// Phase 11: learning. Traits (boldness, vengefulness) change by the
// learning rule, from the payoffs earned since the last round, which are
// then reset. Revisionists never learn (others may copy them).

func (k *cyber) learn() {
	switch k.cfg.Learning.Rule {
	case LearnImitation:
		k.imitate()
	case LearnBestNeighbour:
		k.bestNeighbour()
	case LearnReinforcement:
		k.reinforce()
	case LearnAxelrod:
		k.axelrodGA()
	case LearnConformist:
		k.conform()
	}
	clear(k.acc)
	clear(k.tally)
	k.traitSums()
}

// mutate redraws each trait uniformly on [0,1] with probability
// learning.mutation.
func (k *cyber) mutate(b, v *float64) {
	mu := k.cfg.Learning.Mutation
	if mu <= 0 {
		return
	}
	if k.rnd.Float64() < mu {
		*b = k.rnd.Float64()
	}
	if k.rnd.Float64() < mu {
		*v = k.rnd.Float64()
	}
}

// revise runs one learning round of a rule that computes each state's new
// traits with pick (which returns the state whose traits i takes, i
// itself to keep its own): synchronously, every state from the traits of
// the round before; asynchronously, one state drawn at random. New traits
// mutate. Revisionists keep theirs.
func (k *cyber) revise(pick func(i int) int) {
	one := func(i int) {
		nb, nv := k.bold[i], k.p[i].venge
		if !k.revisionist[i] {
			j := pick(i)
			nb, nv = k.bold[j], k.p[j].venge
			k.mutate(&nb, &nv)
		}
		k.newBold[i], k.newVenge[i] = nb, nv
	}
	if k.cfg.Learning.Schedule == Asynchronous {
		i := k.rnd.IntN(k.n)
		one(i)
		k.bold[i], k.p[i].venge = k.newBold[i], k.newVenge[i]
		return
	}
	for i := range k.n {
		one(i)
	}
	k.bold, k.newBold = k.newBold, k.bold
	for i := range k.n {
		k.p[i].venge = k.newVenge[i]
	}
}

// imitate: a revising state i picks a random neighbour j and copies its
// traits with the Fermi probability 1/(1+exp(-beta (pi_j - pi_i)))
// (Traulsen et al. 2006).
func (k *cyber) imitate() {
	beta := k.cfg.Learning.Selection
	k.revise(func(i int) int {
		j := k.adj.Random(i, k.rnd)
		if j >= 0 && k.rnd.Float64() < agents.Fermi(beta, k.acc[i], k.acc[j]) {
			return j
		}
		return i
	})
}

// bestNeighbour: each state copies the traits of the best scorer among
// itself and its neighbours; a tie with itself keeps its own (Nowak and
// May 1992).
func (k *cyber) bestNeighbour() {
	best := 0
	if k.adj.Complete {
		for i := range k.n {
			if k.acc[i] > k.acc[best] {
				best = i
			}
		}
	}
	k.revise(func(i int) int {
		if k.adj.Complete {
			if k.acc[best] > k.acc[i] {
				return best
			}
			return i
		}
		b := i
		for _, j := range k.adj.Neighbours(i) {
			if k.acc[j] > k.acc[b] {
				b = int(j)
			}
		}
		return b
	})
}

// conform: a revising state samples learning.sample neighbours (with
// replacement) and copies the traits of a random member of the majority
// among them by last action, escalated or restrained (ties: either side at
// random); sampled states that have not acted yet do not count (Boyd and
// Richerson 1985's conformist transmission).
func (k *cyber) conform() {
	m := k.cfg.Learning.Sample
	k.revise(func(i int) int {
		var esc, res, lastEsc, lastRes int
		for range m {
			j := k.adj.Random(i, k.rnd)
			if j < 0 {
				break
			}
			switch k.last[j] {
			case 2:
				esc++
				if esc == 1 || k.rnd.IntN(esc) == 0 { // a uniform member, by reservoir sampling (no draw for the first)
					lastEsc = j
				}
			case 1:
				res++
				if res == 1 || k.rnd.IntN(res) == 0 {
					lastRes = j
				}
			}
		}
		switch {
		case esc+res == 0:
			return i
		case esc > res || esc == res && k.rnd.IntN(2) == 0:
			return lastEsc
		}
		return lastRes
	})
}

// reinforce: Bush-Mosteller. The stimulus is the payoff per opportunity
// since the last round against learning.aspiration, scaled to [-1, 1] by
// the largest such distance in the population; a state that mostly
// escalated reinforces (or weakens) its boldness, one that mostly
// restrained its restraint (1 - boldness); likewise vengefulness from its
// responses to its own accusations (Macy and Flache 2002).
func (k *cyber) reinforce() {
	l := &k.cfg.Learning
	sup := 0.0
	for i := range k.n {
		sup = math.Max(sup, math.Abs(k.perOpp(i)-l.Aspiration))
	}
	if sup == 0 {
		return
	}
	for i := range k.n {
		if k.revisionist[i] {
			continue
		}
		s := (k.perOpp(i) - l.Aspiration) / sup
		t := &k.tally[i]
		if t.opp > 0 {
			if 2*t.esc >= t.opp {
				k.bold[i] = agents.BushMosteller(k.bold[i], s, l.Rate)
			} else {
				k.bold[i] = 1 - agents.BushMosteller(1-k.bold[i], s, l.Rate)
			}
		}
		if t.acc > 0 {
			if 2*t.resp >= t.acc {
				k.p[i].venge = agents.BushMosteller(k.p[i].venge, s, l.Rate)
			} else {
				k.p[i].venge = 1 - agents.BushMosteller(1-k.p[i].venge, s, l.Rate)
			}
		}
		k.mutate(&k.bold[i], &k.p[i].venge)
	}
}

func (k *cyber) perOpp(i int) float64 {
	return k.acc[i] / float64(max(1, k.tally[i].opp))
}

// axelrodGA is Axelrod's (1986) genetic algorithm on the traits, for
// configurations that use axelrod learning outside the Axelrod kernel:
// the same selection rules and Galan and Izquierdo switches
// (agents.Breeder, axelrod.*) pick each new state's parent from the
// payoffs since the last round; traits then mutate by learning.mutation,
// as continuous values (redrawn uniformly) rather than bits. Revisionists
// keep their place and traits.
func (k *cyber) axelrodGA() {
	k.breeder.Parents(k.acc, k.parents, k.rnd)
	k.revise(func(i int) int { return int(k.parents[i]) })
}
