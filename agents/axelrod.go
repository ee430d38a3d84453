package agents

import (
	"math"
	"math/rand/v2"
	"slices"
)

// The pure parts of Axelrod's (1986) norms and metanorms games, "An
// Evolutionary Approach to Norms", American Political Science Review 80(4),
// 1095-1111, with the details Axelrod left open as Galan and Izquierdo
// (2005) name them, "Appearances Can Be Deceiving: Lessons Learned
// Re-Implementing Axelrod's 'Evolutionary Approach to Norms'", JASSS 8(3) 2.
// Package sim plays the games; this file encodes the traits, scores a
// generation and breeds the next one.

// AxelrodLevels is the number of levels of a 3-bit trait: boldness and
// vengefulness take the values 0/7, 1/7, ..., 7/7 (Axelrod 1986).
const AxelrodLevels = 8

// AxelrodLevel returns the 3-bit level of a trait value x: min(7, floor(8x)),
// clamped to [0, 7]. It maps each k/7 to k, and a value drawn uniformly on
// [0, 1] to a level drawn uniformly from the eight (Axelrod's random bits).
func AxelrodLevel(x float64) uint8 {
	switch {
	case !(x > 0): // also NaN
		return 0
	case x >= 1:
		return 7
	}
	return uint8(min(7, math.Floor(8*x)))
}

// AxelrodValue returns the trait value of a level: level/7.
func AxelrodValue(level uint8) float64 { return float64(level&7) / 7 }

// Genome is an agent's six bits: boldness in bits 0-2 and vengefulness in
// bits 3-5, each the binary code of its level (Axelrod 1986: "six bits").
type Genome uint8

// MakeGenome packs two levels (each 0-7) into a genome.
func MakeGenome(boldness, vengefulness uint8) Genome {
	return Genome(boldness&7 | (vengefulness&7)<<3)
}

// Boldness returns the boldness level, 0-7.
func (g Genome) Boldness() uint8 { return uint8(g) & 7 }

// Vengefulness returns the vengefulness level, 0-7.
func (g Genome) Vengefulness() uint8 { return uint8(g) >> 3 & 7 }

// Mutate returns g with each of its six bits flipped independently with
// probability mu (Axelrod 1986: "a 1% chance that each bit of an
// individual's new strategy will be altered"). It draws one number per bit;
// [MutateGenomes] does the same to a population in O(1 + 6 n mu) draws.
func (g Genome) Mutate(mu float64, rnd *rand.Rand) Genome {
	for b := range 6 {
		if rnd.Float64() < mu {
			g ^= 1 << b
		}
	}
	return g
}

// MutateGenomes flips each bit of every genome in gs independently with
// probability mu, as [Genome.Mutate] does, but jumps from one flipped bit
// to the next by geometric waiting times, so that it costs O(1 + 6 n mu)
// draws instead of 6 n.
func MutateGenomes(gs []Genome, mu float64, rnd *rand.Rand) {
	switch {
	case !(mu > 0) || len(gs) == 0:
		return
	case mu >= 1:
		for i := range gs {
			gs[i] ^= 63
		}
		return
	}
	lq := math.Log1p(-mu)
	bits := float64(6 * len(gs))
	pos := -1.0 // last flipped bit
	for {
		// Failures before the next flip: floor(log U / log(1-mu)) is
		// geometric with success probability mu.
		g := math.Floor(math.Log(1-rnd.Float64()) / lq)
		pos += g + 1
		if !(pos < bits) {
			return
		}
		p := int(pos)
		gs[p/6] ^= 1 << (p % 6)
	}
}

// NormsTally is what happened to one agent in one generation of the norms
// or metanorms game.
type NormsTally struct {
	Defections      int // its own defections
	Hurt            int // defections by others, each of which hurt it
	Punished        int // times it was punished for a defection
	Punishments     int // punishments it dealt
	MetaPunished    int // times it was punished for not punishing (metanorms)
	MetaPunishments int // metapunishments it dealt
}

// NormsPayoffs are the magnitudes of the payoffs of the norms and
// metanorms games; Axelrod's are T = 3, H = 1, P = 9, E = 2 and
// P' = 9, E' = 2. Harm, punishments and costs are subtracted.
type NormsPayoffs struct {
	Temptation          float64 // T, to the defector
	Harm                float64 // H, to each other agent
	Punishment          float64 // P, to the punished defector
	EnforcementCost     float64 // E, to the punisher
	MetaPunishment      float64 // P', to the agent punished for not punishing
	MetaEnforcementCost float64 // E', to the metapunisher
}

// Score returns the payoff of a tally:
// T d - H h - P p - E e - P' p' - E' e'. Axelrod's (1986) Table 1 works
// one such score by hand: one defection, 36 defections by others, punished
// once, 9 punishments dealt, T = 3, H = 1, P = 9, E = 2: 3 - 36 - 9 - 18 =
// -60.
func (p *NormsPayoffs) Score(t *NormsTally) float64 {
	return p.Temptation*float64(t.Defections) - p.Harm*float64(t.Hurt) -
		p.Punishment*float64(t.Punished) - p.EnforcementCost*float64(t.Punishments) -
		p.MetaPunishment*float64(t.MetaPunished) - p.MetaEnforcementCost*float64(t.MetaPunishments)
}

// Selection is a rule that picks the parents of the next generation from
// the payoffs of the last (Galan and Izquierdo 2005, section 5).
type Selection uint8

// The selection rules.
const (
	// SelectAxelrod: a payoff at least one standard deviation above the
	// mean gives two offspring, at least one below gives none, any other
	// one (Axelrod 1986); the population is then brought back to n by
	// the [Refill] rule.
	SelectAxelrod Selection = iota
	// SelectTournament: n times, two agents drawn uniformly at random
	// (with replacement), the one with the higher payoff reproduces, a tie
	// is broken at random.
	SelectTournament
	// SelectRoulette: n draws with probability proportional to payoff
	// minus the generation's minimum payoff; uniform draws when every
	// payoff is equal.
	SelectRoulette
	// SelectAverage: a payoff at or above the mean gives two offspring,
	// below it none; then the [Refill] rule.
	SelectAverage
)

// Refill is how an offspring list whose length is not n is brought back to
// n (Axelrod 1986 keeps the population constant without saying how).
type Refill uint8

// The refill rules.
const (
	// RefillRandom eliminates uniformly random offspring while there are
	// more than n, and replicates a uniformly random member of the list
	// (copies included) while there are fewer (Galan and Izquierdo 2005).
	RefillRandom Refill = iota
	// RefillRanked eliminates the offspring of the lowest payoffs first,
	// and replicates those of the highest payoffs first (ties in random
	// order).
	RefillRanked
)

// Equal is what Axelrod's and the average rule do when every payoff is
// equal (in the metanorms game, a generation with no defection at all).
type Equal uint8

// The rules for equal payoffs.
const (
	// EqualReplicateTwice replicates every agent twice and then eliminates
	// half of the offspring at random (Galan and Izquierdo 2005, note 4):
	// neutral drift.
	EqualReplicateTwice Equal = iota
	// EqualKeep gives every agent one offspring.
	EqualKeep
)

// AxelrodOffspring sets counts[i] to the number of offspring of the agent
// with payoff[i] under Axelrod's rule: 2 when payoff >= mean + sd, 0 when
// payoff <= mean - sd, 1 otherwise, sd being the population (divide by n)
// or, with sample, the sample (divide by n-1) standard deviation. When
// every payoff is equal it sets no count and returns true.
func AxelrodOffspring(payoff []float64, sample bool, counts []uint8) (allEqual bool) {
	mean, equal := meanEqual(payoff)
	if equal {
		return true
	}
	ss := 0.0
	for _, p := range payoff {
		ss += (p - mean) * (p - mean)
	}
	div := float64(len(payoff))
	if sample {
		div--
	}
	sd := math.Sqrt(ss / div)
	for i, p := range payoff {
		switch {
		case p >= mean+sd:
			counts[i] = 2
		case p <= mean-sd:
			counts[i] = 0
		default:
			counts[i] = 1
		}
	}
	return false
}

// AverageOffspring sets counts[i] to 2 when payoff[i] is at or above the
// mean and to 0 otherwise. When every payoff is equal it sets no count and
// returns true.
func AverageOffspring(payoff []float64, counts []uint8) (allEqual bool) {
	mean, equal := meanEqual(payoff)
	if equal {
		return true
	}
	for i, p := range payoff {
		counts[i] = 0
		if p >= mean {
			counts[i] = 2
		}
	}
	return false
}

func meanEqual(payoff []float64) (mean float64, equal bool) {
	equal = true
	for _, p := range payoff {
		mean += p
		equal = equal && p == payoff[0]
	}
	return mean / float64(len(payoff)), equal
}

// Breeder picks the parents of each generation by a selection rule. It
// keeps its buffers between calls, so that breeding does not allocate.
type Breeder struct {
	Selection Selection
	Refill    Refill
	Equal     Equal
	// SampleSD makes Axelrod's rule use the sample standard deviation
	// (divide by n-1) instead of the population one (divide by n).
	SampleSD bool

	counts    []uint8
	offspring []int32
	key       []uint64
	cum       []float64
}

// Parents fills parents (one entry per member of the next generation, as
// many as there are payoffs) with the index of each new member's parent,
// drawn by the breeder's rules from the generation's payoffs. It reports
// whether every payoff was equal. Parents are listed in parent order for
// Axelrod's and the average rule, in draw order for the others.
func (b *Breeder) Parents(payoff []float64, parents []int32, rnd *rand.Rand) (allEqual bool) {
	n := len(payoff)
	if len(parents) != n {
		panic("agents: Breeder.Parents: len(parents) != len(payoff)")
	}
	if n == 0 {
		return true
	}
	if cap(b.counts) < n {
		b.counts = make([]uint8, n)
		b.offspring = make([]int32, 0, 2*n)
		b.key = make([]uint64, 2*n)
		b.cum = make([]float64, n)
	}
	switch b.Selection {
	case SelectTournament:
		_, allEqual = meanEqual(payoff)
		tournament(payoff, parents, rnd)
		return allEqual
	case SelectRoulette:
		return b.roulette(payoff, parents, rnd)
	}
	counts := b.counts[:n]
	if b.Selection == SelectAverage {
		allEqual = AverageOffspring(payoff, counts)
	} else {
		allEqual = AxelrodOffspring(payoff, b.SampleSD, counts)
	}
	if allEqual {
		if b.Equal == EqualKeep {
			for i := range parents {
				parents[i] = int32(i)
			}
			return true
		}
		for i := range counts {
			counts[i] = 2
		}
	}
	off := b.offspring[:0]
	for i, c := range counts {
		for range c {
			off = append(off, int32(i))
		}
	}
	b.offspring = off
	if b.Refill == RefillRanked && !allEqual {
		b.refillRanked(payoff, parents, rnd)
	} else {
		b.refillRandom(parents, rnd)
	}
	return allEqual
}

func tournament(payoff []float64, parents []int32, rnd *rand.Rand) {
	n := len(payoff)
	for k := range parents {
		a, c := rnd.IntN(n), rnd.IntN(n)
		switch {
		case payoff[c] > payoff[a]:
			a = c
		case payoff[c] == payoff[a] && rnd.IntN(2) == 1:
			a = c
		}
		parents[k] = int32(a)
	}
}

func (b *Breeder) roulette(payoff []float64, parents []int32, rnd *rand.Rand) bool {
	n := len(payoff)
	lo := payoff[0]
	for _, p := range payoff {
		lo = min(lo, p)
	}
	cum := b.cum[:n]
	total := 0.0
	for i, p := range payoff {
		total += p - lo
		cum[i] = total
	}
	if !(total > 0) {
		for k := range parents {
			parents[k] = int32(rnd.IntN(n))
		}
		return true
	}
	for k := range parents {
		u := rnd.Float64() * total
		// The first i with cum[i] > u: agents at the minimum (weight 0)
		// are never drawn.
		i, _ := slices.BinarySearch(cum, u)
		for i < n-1 && !(cum[i] > u) {
			i++
		}
		parents[k] = int32(i)
	}
	return false
}

// refillRandom brings b.offspring to len(parents) by random elimination
// (a uniformly random subset survives, as under one-by-one elimination) or
// random replication, and copies it to parents.
func (b *Breeder) refillRandom(parents []int32, rnd *rand.Rand) {
	n := len(parents)
	off := b.offspring
	if len(off) == 0 { // cannot happen with n >= 1, but stay total
		for i := range parents {
			parents[i] = int32(i)
		}
		return
	}
	if len(off) > n {
		// Partial Fisher-Yates: the first n are a uniform n-subset. Keep
		// them in parent order.
		for t := range n {
			r := t + rnd.IntN(len(off)-t)
			off[t], off[r] = off[r], off[t]
		}
		off = off[:n]
		slices.Sort(off)
	}
	for len(off) < n {
		off = append(off, off[rnd.IntN(len(off))])
	}
	b.offspring = off
	copy(parents, off)
}

// refillRanked brings b.offspring to len(parents) by eliminating the
// offspring of the lowest payoffs first or replicating those of the
// highest first, ties in random order, and copies it to parents.
func (b *Breeder) refillRanked(payoff []float64, parents []int32, rnd *rand.Rand) {
	n := len(parents)
	off := b.offspring
	if len(off) == n {
		copy(parents, off)
		return
	}
	// Sort ascending by the parent's payoff, ties by a random key.
	key := b.key[:len(off)]
	for i := range key {
		key[i] = rnd.Uint64()
	}
	sortByPayoff(off, key, payoff)
	if len(off) > n {
		copy(parents, off[len(off)-n:])
		return
	}
	m := len(off)
	for k := 0; len(off) < n; k++ {
		off = append(off, off[m-1-k%m])
	}
	b.offspring = off
	copy(parents, off)
}

// sortByPayoff sorts off (and key with it) by (payoff[off[i]], key[i])
// ascending: an insertion sort, which is fast for the small populations of
// the Axelrod games, and a heap sort beyond 64 entries.
func sortByPayoff(off []int32, key []uint64, payoff []float64) {
	less := func(i, j int) bool {
		pi, pj := payoff[off[i]], payoff[off[j]]
		return pi < pj || pi == pj && key[i] < key[j]
	}
	swap := func(i, j int) {
		off[i], off[j] = off[j], off[i]
		key[i], key[j] = key[j], key[i]
	}
	n := len(off)
	if n <= 64 {
		for i := 1; i < n; i++ {
			for j := i; j > 0 && less(j, j-1); j-- {
				swap(j, j-1)
			}
		}
		return
	}
	down := func(i, n int) {
		for {
			c := 2*i + 1
			if c >= n {
				return
			}
			if c+1 < n && less(c, c+1) {
				c++
			}
			if !less(i, c) {
				return
			}
			swap(i, c)
			i = c
		}
	}
	for i := n/2 - 1; i >= 0; i-- {
		down(i, n)
	}
	for end := n - 1; end > 0; end-- {
		swap(0, end)
		down(0, end)
	}
}
