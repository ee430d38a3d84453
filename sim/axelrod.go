package sim

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"sync/atomic"

	"github.com/normsim/normsim/agents"
)

// Galan and Izquierdo's (2005, section 5) regions of the trait space, by
// the population's mean boldness and mean vengefulness: the norm has
// collapsed at mean boldness >= 6/7 and mean vengefulness <= 1/7, and is
// established at mean boldness <= 2/7 and mean vengefulness >= 5/7.
const (
	AxelrodCollapseBoldness        = 6.0 / 7
	AxelrodCollapseVengefulness    = 1.0 / 7
	AxelrodEstablishedBoldness     = 2.0 / 7
	AxelrodEstablishedVengefulness = 5.0 / 7
)

const (
	axelrodRegionTolerance = 1e-9 // the means are sums of k/7 over n
	axelrodInversionLimit  = 24.0 // n p above which the binomial sampler works in chunks
	axelrodAliasMax        = 1024 // largest world with tables of the number who see a defection
)

// isAxelrod reports whether cfg is Axelrod's norms (or metanorms) game:
// threshold decisions, axelrod learning, every other state a target.
func isAxelrod(cfg *Config) bool {
	return cfg.Decision.Rule == RuleThreshold && cfg.Learning.Rule == LearnAxelrod &&
		cfg.Opportunity.Targets == TargetsAll && cfg.Topology.Kind == TopoComplete
}

// axelrodKernel is Axelrod's (1986) norms and metanorms games, "An
// Evolutionary Approach to Norms", APSR 80(4), with the choices he left
// open as Galan and Izquierdo (2005), JASSS 8(3) 2, name them
// ([AxelrodConfig]). It is exact: every agent's tallies have the
// distribution of the game played one agent and one draw at a time, but it
// draws many trials per random word (below).
//
// # One step: a generation
//
// N = World.States agents, each with a boldness b and a vengefulness v of
// 3 bits (levels k/7, [agents.Genome]). Each agent has Opportunity.PerStep
// opportunities, each taken with probability Opportunity.Rate; each comes
// with its own chance of being seen S from Opportunity.Seen ("uniform" or
// "constant"); the agent defects iff S < b. So an agent's number of
// defections is Binomial(opportunities, P(S < b)), and the S of each
// defection is drawn from Seen conditioned on S < b. A defection gives the
// defector T = Payoffs.Temptation and every other agent -H
// (Payoffs.Harm). Each other agent sees it with probability S and, if it
// sees it, punishes with probability v: the defector gets -P
// (Payoffs.Punishment), the punisher -E (Payoffs.EnforcementCost). With
// Metanorms.Enabled, an agent j that saw the defection and did not punish
// is seen by each of the other N-2 agents (neither the defector nor j)
// with the same S, and each that sees it punishes it with probability its
// own vengefulness: j gets -P' (Metanorms.Punishment), the metapunisher
// -E' (Metanorms.EnforcementCost). Axelrod (1986, note 2): "the chance of
// being seen not punishing is the same as the chance of the original
// defection being seen", and vengefulness against non-punishment is
// vengefulness against defection.
//
// Exactness and speed: who pays is always drawn, never only how many,
// since payoffs are individual and drive selection. An agent's number of
// defections is a Binomial draw (by inversion). The observers of a
// defection are lanes of a bit mask over the agents sorted by vengefulness
// level, and a set of lanes that share a probability p (all observers for
// "sees", one level's observers for "punishes", one candidate's
// non-punishers for "metapunishes") is drawn at once: each lane's trial
// compares its own uniform 53-bit number with p, and those numbers are
// drawn one bit position at a time for all undecided lanes, most
// significant bit first, so each random word settles about half of them
// (about log2(lanes) + 2 words for any number of lanes up to 64, against
// one draw per lane; with 20 agents one 64-bit output serves three bit
// positions). That is exactly the distribution of one Float64() < p per
// agent. The metapunishments of a defection, one trial per (non-punisher,
// agent of vengefulness > 0) pair, are drawn by candidate or by
// non-punisher, whichever takes fewer words. When nobody but the defector
// has vengefulness > 0 (the collapsed norm), a defection only adds to
// Detections, and the number of the N-1 others who see it is drawn from its
// closed-form distribution with S integrated out (Binomial(N-1, S) mixed
// over S; an alias table per boldness level, for N <= 1024).
//
// Every Learning.Every generations the genetic algorithm of
// [agents.Breeder] makes the next generation from the payoffs summed since
// the last one (with Every = 1, Axelrod's, the payoffs of the generation):
// Axelrod.Selection picks the parents, Axelrod.Refill brings Axelrod's and
// the average rule back to N, Axelrod.Equal decides what happens when all
// payoffs are equal, Axelrod.SD names the standard deviation; then each of
// the six bits of each offspring flips with probability Learning.Mutation.
// Payoffs start from zero every generation.
//
// Initial traits: World.Boldness and World.Vengefulness draw a value x per
// agent ("levels": a level uniformly; "uniform", "normal", "constant",
// "values" as usual, clamped to [0,1]) and the level is
// [agents.AxelrodLevel](x) = min(7, floor(8x)), which maps k/7 to k and a
// uniform [0,1] to a uniform level (Axelrod's random bits). An initial
// escalator (World.Initial) gets boldness 7/7. Axelrod's game has none:
// set World.Initial.Escalators = 0.
//
// # Metrics of a step (a generation)
//
//   - RestraintRate and RestraintCompliant: 1 - defections/opportunities
//     (empty without opportunity, as at step 0).
//   - Opportunities: opportunities taken; Escalations: defections.
//   - Detections: sightings of defections (observer-defection pairs).
//   - TrueAccusations: punishments of defectors; FalseAccusations: 0.
//   - Responses: punishments plus metapunishments.
//   - Spirals, Collateral, forum, adoption and attribution counts: 0;
//     SpiralLength, Stringency, LegitimacyMean, restraint by power
//     tercile: empty.
//   - BeliefRestraintMean/SD: the mean and (population) sd over agents of
//     1 - boldness. The Axelrod games have no beliefs: the traits are the
//     norm, and 1 - b is the restraint an agent with boldness b shows, and
//     so expects of its like, when S is uniform on [0,1].
//   - BeliefResponseMean/SD: the mean and sd of vengefulness, read the
//     same way as the expected response to a seen defection.
//   - ExpectationGap: BeliefRestraintMean - RestraintRate.
//   - BoldnessMean, VengefulnessMean: the mean traits.
//   - CredibilityMean: 1. PayoffMean: the mean payoff of the generation.
//
// Counts describe the generation played in the step; the trait metrics
// describe the population after the step's learning, the one that plays
// next (so the row of step 100 is Axelrod's generation 100). The initial
// row has the initial traits and zero counts.
//
// The outcome of a replicate is named by Galan and Izquierdo's regions on
// the final mean traits: [Collapsed] at mean boldness >= 6/7 and mean
// vengefulness <= 1/7, [Established] at mean boldness <= 2/7 and mean
// vengefulness >= 5/7, [Contested] otherwise.
//
// Random numbers: the kernel seeds its own PCG from two draws of the
// world's stream, so that the hot loop calls a concrete generator; all its
// draws come from that one stream, in a fixed order.
type axelrodKernel struct {
	n    int
	rng  pcg
	rnd  *rand.Rand   // wraps &rng, for the agents package
	stop *atomic.Bool // the run's stop flag (see stopped)
	// res holds resBits unused random bits (low bits first) of the
	// stream for the bit-sliced draws.
	res     uint64
	resBits int
	every   int
	t       int

	// Parameters, re-read by reconfigure.
	pay       agents.NormsPayoffs
	metanorms bool
	perStep   int
	rate      float64
	seenConst bool
	seenLo    float64 // uniform S on [seenLo, seenHi]; constant S = seenLo
	seenHi    float64
	pDefect   [agents.AxelrodLevels]float64 // P(S < b) by boldness level
	seenWidth [agents.AxelrodLevels]float64 // S | S < b is uniform on [seenLo, seenLo+seenWidth[b])
	vLevel    [agents.AxelrodLevels]float64 // k/7
	mutation  float64
	breeder   agents.Breeder
	// seenBy[b] samples the number of the n-1 others who see a defection
	// by an agent of boldness level b, S drawn and integrated out; used
	// when nobody can punish (nil for large worlds).
	seenBy [agents.AxelrodLevels]*axelrodAlias

	genome []agents.Genome
	next   []agents.Genome

	// The agents sorted by vengefulness level: order[start[k]:start[k+1]]
	// are the members of level k, pos[i] is i's place in order. Masks
	// have one bit per place, in words of 64.
	order     []int32
	pos       []int32
	start     [agents.AxelrodLevels + 1]int32
	words     int
	all       []uint64 // every place
	levelMask []uint64 // level l: levelMask[l*words : (l+1)*words]
	candMask  []uint64 // the places of levels with vengefulness > 0
	non       []uint64 // the non-punishers of the current defection
	metaL     []uint8  // levels with members and vengefulness > 0
	metaCount int      // members of the levels in metaL
	rowCost   float64  // words to draw one non-punisher's metapunishers, about

	// Tallies of the generation.
	defs, punished, punishes, metaPunished, metaPunishes []int32
	payoff, fitness                                      []float64
	parents                                              []int32

	opps, defections, detections, punishments, metaPunishments int
	payoffSum                                                  float64
}

func newAxelrodKernel(cfg *Config, rnd *rand.Rand, stop *atomic.Bool) (kernel, error) {
	n := cfg.World.States
	if n < 2 {
		return nil, fmt.Errorf("sim: the axelrod kernel needs at least 2 states, got %d", n)
	}
	if s := cfg.Opportunity.Seen.Kind; s != DistConstant && s != DistUniform {
		return nil, fmt.Errorf("sim: the axelrod kernel draws opportunity.seen from a constant or uniform distribution, not %s", s)
	}
	k := &axelrodKernel{n: n, stop: stop}
	k.rng = pcg{rnd.Uint64(), rnd.Uint64()}
	k.rnd = rand.New(&k.rng)
	i32 := func() []int32 { return make([]int32, n) }
	k.genome, k.next = make([]agents.Genome, n), make([]agents.Genome, n)
	k.order, k.pos = i32(), i32()
	k.defs, k.punished, k.punishes, k.metaPunished, k.metaPunishes = i32(), i32(), i32(), i32(), i32()
	k.payoff, k.fitness = make([]float64, n), make([]float64, n)
	k.parents = i32()
	k.words = (n + 63) / 64
	k.all = make([]uint64, k.words)
	for p := range n {
		k.all[p>>6] |= 1 << (p & 63)
	}
	k.levelMask = make([]uint64, agents.AxelrodLevels*k.words)
	k.candMask, k.non = make([]uint64, k.words), make([]uint64, k.words)
	k.metaL = make([]uint8, 0, agents.AxelrodLevels)
	for l := range agents.AxelrodLevels {
		k.vLevel[l] = agents.AxelrodValue(uint8(l))
	}
	k.reconfigure(cfg)

	w := &cfg.World
	for i := range n {
		b := agents.AxelrodLevel(clamp01(w.Boldness.sample(k.rnd, i)))
		v := agents.AxelrodLevel(clamp01(w.Vengefulness.sample(k.rnd, i)))
		k.genome[i] = agents.MakeGenome(b, v)
	}
	k.initialEscalators(cfg)
	k.group()
	return k, nil
}

// initialEscalators gives boldness 7/7 to the initial escalators.
func (k *axelrodKernel) initialEscalators(cfg *Config) {
	initialEscalators(cfg, k.rnd, func(i int) {
		if i >= 0 && i < k.n {
			k.genome[i] = agents.MakeGenome(7, k.genome[i].Vengefulness())
		}
	})
}

func (k *axelrodKernel) reconfigure(cfg *Config) {
	p, m := &cfg.Payoffs, &cfg.Metanorms
	k.pay = agents.NormsPayoffs{
		Temptation: p.Temptation, Harm: p.Harm, Punishment: p.Punishment,
		EnforcementCost: p.EnforcementCost,
		MetaPunishment:  m.Punishment, MetaEnforcementCost: m.EnforcementCost,
	}
	k.metanorms = m.Enabled
	k.perStep, k.rate = cfg.Opportunity.PerStep, cfg.Opportunity.Rate
	k.every = max(1, cfg.Learning.Every)
	k.mutation = cfg.Learning.Mutation

	s := &cfg.Opportunity.Seen
	k.seenConst = s.Kind == DistConstant || s.Max <= s.Min
	if s.Kind == DistConstant {
		k.seenLo, k.seenHi = s.Value, s.Value
	} else {
		k.seenLo, k.seenHi = s.Min, s.Max
	}
	for l := range agents.AxelrodLevels {
		b := agents.AxelrodValue(uint8(l))
		switch {
		case k.seenConst:
			k.pDefect[l] = 0
			if k.seenLo < b {
				k.pDefect[l] = 1
			}
		default:
			k.pDefect[l] = math.Min(1, math.Max(0, (b-k.seenLo)/(k.seenHi-k.seenLo)))
			k.seenWidth[l] = math.Max(0, math.Min(b, k.seenHi)-k.seenLo)
		}
	}

	if k.n <= axelrodAliasMax {
		for l := range agents.AxelrodLevels {
			if k.seenBy[l] == nil {
				k.seenBy[l] = newAxelrodAlias(k.n)
			}
			k.seenBy[l].build(k.seenCounts(uint8(l)))
		}
	}

	setBreeder(&k.breeder, &cfg.Axelrod)
}

// setBreeder sets the selection rules of b from Galan and Izquierdo's
// switches, keeping b's scratch space.
func setBreeder(b *agents.Breeder, x *AxelrodConfig) {
	b.Selection, b.Refill, b.Equal, b.SampleSD = x.Selection, x.Refill, x.Equal, x.SD == SDSample
}

func (k *axelrodKernel) agentSteps() int { return k.n }

// group sorts the agents into their vengefulness levels (a counting sort)
// and builds the level masks over positions in that order.
func (k *axelrodKernel) group() {
	var count [agents.AxelrodLevels]int32
	for _, g := range k.genome {
		count[g.Vengefulness()]++
	}
	k.start[0] = 0
	for l := range agents.AxelrodLevels {
		k.start[l+1] = k.start[l] + count[l]
	}
	next := k.start
	for i, g := range k.genome {
		l := g.Vengefulness()
		k.order[next[l]] = int32(i)
		k.pos[i] = next[l]
		next[l]++
	}
	clear(k.levelMask)
	clear(k.candMask)
	k.metaL, k.metaCount, k.rowCost = k.metaL[:0], 0, 0
	for l := range agents.AxelrodLevels {
		lm := k.levelMask[l*k.words : (l+1)*k.words]
		for p := k.start[l]; p < k.start[l+1]; p++ {
			lm[p>>6] |= 1 << (p & 63)
		}
		if l > 0 && count[l] > 0 {
			k.metaL = append(k.metaL, uint8(l))
			k.metaCount += int(count[l])
			k.rowCost += 1.5 + float64(bits.Len32(uint32(count[l])))
			for w := range k.words {
				k.candMask[w] |= lm[w]
			}
		}
	}
}

// bernoulli returns the lanes of mask that succeed in independent
// Bernoulli trials with the probability of threshold thr (see
// axelrodThreshold): each lane's trial compares a uniform 53-bit number u
// with thr, u < thr, and the bits of the lanes' numbers are drawn one word
// per bit position, most significant first, for all undecided lanes at
// once. A lane is decided at the first bit where u and thr differ, so each
// word settles about half the undecided lanes: about log2(lanes) + 2 words
// instead of one per lane, with the distribution of one draw per lane.
func (k *axelrodKernel) bernoulli(mask, thr uint64) uint64 {
	if mask == 0 || thr == 0 {
		return 0
	}
	if thr >= 1<<53 {
		return mask
	}
	// Below the lowest 1 of thr an equal prefix can only be >= thr.
	low := bits.TrailingZeros64(thr)
	// The lanes lie in the low width bits, so one 64-bit output gives the
	// bits of several positions (3 for 20 agents): a reservoir of unused
	// random bits, every bit used once.
	width := bits.Len64(mask)
	var hit uint64
	und := mask
	hi, lo := k.rng.hi, k.rng.lo
	res, left := k.res, k.resBits
	for b := 52; b >= low && und != 0; b-- {
		if left < width {
			hi, lo, res = pcgNext(hi, lo)
			left = 64
		}
		w := res
		res >>= width & 63
		left -= width
		t := -(thr >> b & 1) // all ones where thr has a 1 at bit b
		hit |= und &^ w & t  // u has 0 where thr has 1: u < thr
		und &^= w ^ t        // decided where u's bit differs from thr's
	}
	k.rng.hi, k.rng.lo = hi, lo
	k.res, k.resBits = res, left
	return hit
}

// pcg is math/rand/v2's PCG (a 128-bit LCG with the DXSM output function),
// kept here so that the hot loops can hold its state in registers;
// TestAxelrodPCG checks that it yields the same numbers as rand.PCG.
type pcg struct{ hi, lo uint64 }

// pcgNext advances the state (hi, lo) and returns it with the next output.
func pcgNext(hi, lo uint64) (uint64, uint64, uint64) {
	const (
		mulHi    = 2549297995355413924
		mulLo    = 4865540595714422341
		incHi    = 6364136223846793005
		incLo    = 1442695040888963407
		cheapMul = 0xda942042e4dd58b5
	)
	h, l := bits.Mul64(lo, mulLo)
	h += hi*mulLo + lo*mulHi
	l, c := bits.Add64(l, incLo, 0)
	h, _ = bits.Add64(h, incHi, c)
	x := h
	x ^= x >> 32
	x *= cheapMul
	x ^= x >> 48
	x *= l | 1
	return h, l, x
}

// Uint64 returns the next output of the stream.
func (p *pcg) Uint64() uint64 {
	var x uint64
	p.hi, p.lo, x = pcgNext(p.hi, p.lo)
	return x
}

// axelrodThreshold returns t such that a uniform 53-bit u is below t with
// probability p (to 2^-53, the resolution of rand.Float64() < p).
func axelrodThreshold(p float64) uint64 {
	switch {
	case !(p > 0):
		return 0
	case p >= 1:
		return 1 << 53
	}
	return uint64(p * 0x1p53)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// seenCounts returns the distribution of the number K of the c = n-1
// others who see a defection by an agent of boldness level b: Binomial(c, S)
// mixed over S ~ Seen conditioned on S < b. For S uniform on [a, a+w),
// P(K = k) = (1/w) integral_a^{a+w} C(c,k) s^k (1-s)^(c-k) ds, and the
// integral from 0 to x is P(Binomial(c+1, x) >= k+1) / (c+1).
func (k *axelrodKernel) seenCounts(b uint8) []float64 {
	c := k.n - 1
	p := make([]float64, c+1)
	if k.pDefect[b] == 0 {
		p[0] = 1 // never used: this level does not defect
		return p
	}
	if k.seenConst || k.seenWidth[b] <= 0 {
		binomialPMF(c, k.seenLo, p)
		return p
	}
	a, w := k.seenLo, k.seenWidth[b]
	hi, lo := make([]float64, c+2), make([]float64, c+2)
	binomialPMF(c+1, a+w, hi)
	binomialPMF(c+1, a, lo)
	// Tails P(X >= j) for j = c+1 down to 1.
	th, tl := 0.0, 0.0
	for j := c + 1; j >= 1; j-- {
		th += hi[j]
		tl += lo[j]
		p[j-1] = math.Max(0, th-tl) / (float64(c+1) * w)
	}
	return p
}

// binomialPMF fills p[0..n] with the Binomial(n, x) probabilities.
func binomialPMF(n int, x float64, p []float64) {
	for j := range n + 1 {
		switch {
		case x <= 0:
			p[j] = b2f(j == 0)
		case x >= 1:
			p[j] = b2f(j == n)
		default:
			lg, _ := math.Lgamma(float64(n + 1))
			lj, _ := math.Lgamma(float64(j + 1))
			lnj, _ := math.Lgamma(float64(n - j + 1))
			p[j] = math.Exp(lg - lj - lnj + float64(j)*math.Log(x) + float64(n-j)*math.Log1p(-x))
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// axelrodAlias samples an index with given probabilities in O(1) (Walker's
// alias method, Vose's construction).
type axelrodAlias struct {
	prob  []float64
	alias []int32
	small []int32
	large []int32
}

func newAxelrodAlias(n int) *axelrodAlias {
	return &axelrodAlias{prob: make([]float64, n), alias: make([]int32, n),
		small: make([]int32, 0, n), large: make([]int32, 0, n)}
}

// build sets the table for probabilities p (len(p) = len(a.prob)), which
// it normalizes.
func (a *axelrodAlias) build(p []float64) {
	n := len(p)
	total := 0.0
	for _, x := range p {
		total += x
	}
	small, large := a.small[:0], a.large[:0]
	for i, x := range p {
		a.prob[i] = x * float64(n) / total
		a.alias[i] = int32(i)
		if a.prob[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		a.alias[s] = l
		a.prob[l] -= 1 - a.prob[s]
		if a.prob[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range large {
		a.prob[i] = 1
	}
	for _, i := range small { // rounding leftovers
		a.prob[i] = 1
	}
}

// sample draws an index.
func (a *axelrodAlias) sample(k *axelrodKernel) int {
	u := k.uniform() * float64(len(a.prob))
	i := int(u)
	if u-float64(i) < a.prob[i] {
		return i
	}
	return int(a.alias[i])
}

// uniform returns a float64 uniform on [0, 1).
func (k *axelrodKernel) uniform() float64 {
	return float64(k.rng.Uint64()>>11) * 0x1p-53
}

// binomial draws from Binomial(n, p) by inversion: O(1 + n min(p, 1-p)).
func (k *axelrodKernel) binomial(n int, p float64) int {
	switch {
	case n <= 0 || !(p > 0):
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - k.binomial(n, 1-p)
	}
	x := 0
	for n > 0 {
		m := n
		if float64(m)*p > axelrodInversionLimit {
			m = max(1, int(axelrodInversionLimit/p))
		}
		x += k.binomialInv(m, p)
		n -= m
	}
	return x
}

// binomialInv inverts the Binomial(n, p) distribution function, p <= 0.5,
// n p small enough that (1-p)^n does not underflow.
func (k *axelrodKernel) binomialInv(n int, p float64) int {
	q := 1 - p
	f := 1.0 // (1-p)^n by squaring
	for b, e := q, n; e > 0; e >>= 1 {
		if e&1 == 1 {
			f *= b
		}
		b *= b
	}
	u := k.uniform()
	r := p / q
	x := 0
	for x < n && u >= f {
		u -= f
		x++
		f *= r * float64(n-x+1) / float64(x)
	}
	return x
}

// seen draws the S of a defection by an agent of boldness level b: Seen
// conditioned on S < b.
func (k *axelrodKernel) seen(b uint8) float64 {
	if k.seenConst {
		return k.seenLo
	}
	return k.seenLo + k.seenWidth[b]*k.uniform()
}

func (k *axelrodKernel) step(row *Row) {
	k.t++
	clear(k.defs)
	clear(k.punished)
	clear(k.punishes)
	clear(k.metaPunished)
	clear(k.metaPunishes)
	k.opps, k.defections, k.detections, k.punishments, k.metaPunishments = 0, 0, 0, 0, 0

	// Opportunities and defections.
	for i, g := range k.genome {
		o := k.perStep
		if k.rate < 1 {
			o = k.binomial(o, k.rate)
		}
		k.opps += o
		d := k.binomial(o, k.pDefect[g.Boldness()])
		k.defs[i] = int32(d)
		k.defections += d
	}
	// Sightings and punishments: the order of the defections does not
	// matter, since everything is tallied and paid at the end.
	for i, d := range k.defs {
		if d == 0 {
			continue
		}
		if stopped(k.stop) {
			return // the run is cancelled: this step is discarded
		}
		g := k.genome[i]
		b := g.Boldness()
		if k.seenBy[b] != nil && k.metaCount == b2i(g.Vengefulness() > 0) {
			// Nobody else can punish: a defection only counts its
			// sightings, whose number has a closed form with S integrated
			// out.
			for range d {
				k.detections += k.seenBy[b].sample(k)
			}
			continue
		}
		for range d {
			k.defection(int32(i), k.seen(b))
		}
	}
	k.settle()
	if k.t%k.every == 0 {
		k.breed()
	}
	k.fill(row)
}

// defection plays the sightings, punishments and (with metanorms)
// metapunishments of one defection by agent i seen with chance s: every
// other agent sees it with probability s, and one that sees it punishes
// with probability its vengefulness. Agents are lanes of bit masks over
// their positions in vengefulness order.
func (k *axelrodKernel) defection(i int32, s float64) {
	pi := k.pos[i]
	thrS := axelrodThreshold(s)
	var thrV [agents.AxelrodLevels]uint64
	for _, l := range k.metaL {
		thrV[l] = axelrodThreshold(k.vLevel[l])
	}
	npun, nnon := 0, 0
	for w := range k.words {
		lanes := k.all[w]
		if int(pi>>6) == w {
			lanes &^= 1 << (pi & 63)
		}
		seen := k.bernoulli(lanes, thrS)
		k.detections += bits.OnesCount64(seen)
		var pun uint64
		cm := seen & k.candMask[w] // those who may punish
		for _, l := range k.metaL {
			if m := cm & k.levelMask[int(l)*k.words+w]; m != 0 {
				pun |= k.bernoulli(m, thrV[l])
			}
		}
		for m := pun; m != 0; m &= m - 1 {
			k.punishes[k.order[w<<6+bits.TrailingZeros64(m)]]++
		}
		npun += bits.OnesCount64(pun)
		k.non[w] = seen &^ pun
		nnon += bits.OnesCount64(k.non[w])
	}
	k.punished[i] += int32(npun)
	k.punishments += npun
	if !k.metanorms || nnon == 0 || k.metaCount == 0 {
		return
	}
	// The metapunishments are independent Bernoulli(s v_x) trials, one
	// per (non-punisher j, agent x with v_x > 0), x != i, j: draw them by
	// candidate (over the non-punishers) or by non-punisher (over the
	// candidates, level by level), whichever takes fewer words.
	cand := k.metaCount
	if k.genome[i].Vengefulness() > 0 {
		cand--
	}
	colCost := float64(cand) * (1.5 + float64(bits.Len(uint(nnon))))
	if colCost <= float64(nnon)*k.rowCost {
		k.metaByCandidate(pi, s)
	} else {
		k.metaByNonPunisher(pi, s)
	}
}

// metaByCandidate: each agent x of vengefulness v_x > 0 (not the defector,
// at position pi) metapunishes each non-punisher other than itself with
// probability s v_x.
func (k *axelrodKernel) metaByCandidate(pi int32, s float64) {
	total := 0
	for _, l := range k.metaL {
		thr := axelrodThreshold(s * k.vLevel[l])
		for px := k.start[l]; px < k.start[l+1]; px++ {
			if px == pi {
				continue
			}
			n := 0
			for w := range k.words {
				pool := k.non[w]
				if int(px>>6) == w {
					pool &^= 1 << (px & 63)
				}
				hit := k.bernoulli(pool, thr)
				for m := hit; m != 0; m &= m - 1 {
					k.metaPunished[k.order[w<<6+bits.TrailingZeros64(m)]]++
				}
				n += bits.OnesCount64(hit)
			}
			k.metaPunishes[k.order[px]] += int32(n)
			total += n
		}
	}
	k.metaPunishments += total
}

// metaByNonPunisher: each non-punisher j is metapunished by each agent x
// of vengefulness v_x > 0, neither the defector (at position pi) nor j,
// with probability s v_x.
func (k *axelrodKernel) metaByNonPunisher(pi int32, s float64) {
	var thr [agents.AxelrodLevels]uint64
	for _, l := range k.metaL {
		thr[l] = axelrodThreshold(s * k.vLevel[l])
	}
	total := 0
	for wj := range k.words {
		for mj := k.non[wj]; mj != 0; mj &= mj - 1 {
			pj := int32(wj<<6 + bits.TrailingZeros64(mj))
			n := 0
			for w := range k.words {
				lanes := k.candMask[w]
				if int(pi>>6) == w {
					lanes &^= 1 << (pi & 63)
				}
				if int(pj>>6) == w {
					lanes &^= 1 << (pj & 63)
				}
				for _, l := range k.metaL {
					m := lanes & k.levelMask[int(l)*k.words+w]
					if m == 0 {
						continue
					}
					hit := k.bernoulli(m, thr[l])
					for h := hit; h != 0; h &= h - 1 {
						k.metaPunishes[k.order[w<<6+bits.TrailingZeros64(h)]]++
					}
					n += bits.OnesCount64(hit)
				}
			}
			k.metaPunished[k.order[pj]] += int32(n)
			total += n
		}
	}
	k.metaPunishments += total
}

// settle pays every agent its score for the generation.
func (k *axelrodKernel) settle() {
	k.payoffSum = 0
	for i := range k.n {
		// agents.NormsPayoffs.Score, the payoff of Axelrod's Table 1.
		t := agents.NormsTally{
			Defections:      int(k.defs[i]),
			Hurt:            k.defections - int(k.defs[i]),
			Punished:        int(k.punished[i]),
			Punishments:     int(k.punishes[i]),
			MetaPunished:    int(k.metaPunished[i]),
			MetaPunishments: int(k.metaPunishes[i]),
		}
		p := k.pay.Score(&t)
		k.payoff[i] = p
		k.fitness[i] += p
		k.payoffSum += p
	}
}

// breed replaces the population by the offspring of the parents the
// breeder picks from the payoffs since the last round, mutated.
func (k *axelrodKernel) breed() {
	k.breeder.Parents(k.fitness, k.parents, k.rnd)
	for i, p := range k.parents {
		k.next[i] = k.genome[p]
	}
	agents.MutateGenomes(k.next, k.mutation, k.rnd)
	k.genome, k.next = k.next, k.genome
	clear(k.fitness)
	k.group()
}

func (k *axelrodKernel) observe(row *Row) {
	k.opps, k.defections, k.detections, k.punishments, k.metaPunishments = 0, 0, 0, 0, 0
	k.payoffSum = 0
	k.fill(row)
}

// fill writes the metrics of the last step (see axelrodKernel).
func (k *axelrodKernel) fill(row *Row) {
	clearRow(row)
	n := float64(k.n)
	row[RestraintRate] = 1 - rate(float64(k.defections), float64(k.opps))
	row[RestraintCompliant] = row[RestraintRate]
	row[Opportunities] = float64(k.opps)
	row[Escalations] = float64(k.defections)
	row[Detections] = float64(k.detections)
	row[TrueAccusations] = float64(k.punishments)
	row[Responses] = float64(k.punishments + k.metaPunishments)

	var sb, sb2, sv, sv2 int
	for _, g := range k.genome {
		b, v := int(g.Boldness()), int(g.Vengefulness())
		sb += b
		sb2 += b * b
		sv += v
		sv2 += v * v
	}
	mb, mv := float64(sb)/(7*n), float64(sv)/(7*n)
	sdb := math.Sqrt(math.Max(0, float64(k.n*sb2-sb*sb))) / (7 * n)
	sdv := math.Sqrt(math.Max(0, float64(k.n*sv2-sv*sv))) / (7 * n)
	row[BeliefRestraintMean] = 1 - mb
	row[BeliefRestraintSD] = sdb
	row[BeliefResponseMean] = mv
	row[BeliefResponseSD] = sdv
	row[ExpectationGap] = row[BeliefRestraintMean] - row[RestraintRate]
	row[BoldnessMean] = mb
	row[VengefulnessMean] = mv
	row[CredibilityMean] = 1
	row[PayoffMean] = k.payoffSum / n
}

// outcome names the outcome by Galan and Izquierdo's regions.
func (k *axelrodKernel) outcome(final *Row, _ float64) Outcome {
	return AxelrodRegion(final[BoldnessMean], final[VengefulnessMean])
}

// AxelrodRegion names Galan and Izquierdo's (2005) region of a population
// with mean boldness b and mean vengefulness v: [Collapsed] when b >= 6/7
// and v <= 1/7, [Established] when b <= 2/7 and v >= 5/7, [Contested]
// otherwise.
func AxelrodRegion(b, v float64) Outcome {
	const e = axelrodRegionTolerance
	switch {
	case b >= AxelrodCollapseBoldness-e && v <= AxelrodCollapseVengefulness+e:
		return Collapsed
	case b <= AxelrodEstablishedBoldness+e && v >= AxelrodEstablishedVengefulness-e:
		return Established
	}
	return Contested
}
