package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"

	"github.com/normsim/normsim/agents"
)

// newGameKernel builds the game kernel: a symmetric 2x2 game (Config.Game:
// Reward R, Temptation T, Sucker S, Punishment P) played by every state
// with each of its neighbours, the spatial classic of Nowak and May (1992), "Evolutionary
// games and spatial chaos", Nature 359, 826-829, on any topology. Restraint
// is cooperation (C), escalation is defection (D).
//
// # One step
//
//  1. Play. Every state plays the game once with each neighbour (on a
//     lattice, the 8 Moore or 4 von Neumann neighbours, and itself too when
//     Topology.Self; fixed edges unless Torus; other topologies from
//     BuildTopology, where Self is ignored as BuildTopology ignores it; on a
//     complete topology payoffs come from the counts of C and D in O(1),
//     never from pairs, so that a synchronous learning round costs O(N)
//     and an asynchronous one O(1)). Payoffs accumulate.
//  2. Learn, at steps t with t % Learning.Every == 0, by Learning.Rule:
//     "best-neighbour" (each state takes the strategy of the highest
//     accumulated payoff among itself and its neighbours; a tie between the
//     best C and the best D keeps the current strategy: see
//     [agents.BestNeighbour]); "imitation" (a neighbour j drawn uniformly is
//     copied with probability agents.Fermi(Selection, pi_i, pi_j));
//     "reinforcement" (Bush-Mosteller: see below); "none". Schedule
//     "synchronous" revises every state at once from the strategies and
//     payoffs of the round (double buffer); "asynchronous" revises one state
//     drawn uniformly per learning round, so that imitation on a complete
//     topology is the pairwise-comparison process of Traulsen, Nowak and
//     Pacheco (2006), Phys. Rev. E 74, 011909.
//  3. Mutate (only at learning rounds): each state flips its strategy with
//     probability Learning.Mutation (drawn by geometric skipping, exact in
//     distribution and cheap when the rate is small).
//  4. Reset: every state's accumulated payoff returns to 0 after a learning
//     round (also the states that did not revise under the asynchronous
//     schedule). Strategies change only at learning rounds, so with
//     Every > 1 the game is replayed unchanged and the payoffs compared are
//     the sums over the Every rounds.
//
// Reinforcement: each state keeps a propensity p to cooperate (0.5 at the
// start, whatever its first strategy, as in Macy and Flache 2002). At a
// learning round the stimulus is (payoff per game - Learning.Aspiration)
// divided by the largest |payoff of one game - aspiration| (so it lies in
// [-1, 1]; [agents.Game.Stimulus]), where payoff per game is the
// accumulated payoff over the number of games played since the last round;
// the action just played is reinforced with rate Learning.Rate
// ([agents.ReinforceCooperation]), then the next action is drawn: C with
// probability p. A state with no games keeps its propensity.
//
// Initial conditions (World.Initial): "random" (each state a defector with
// probability Escalators, drawn in index order), "single" (one defector at
// Site, or at the lattice centre (Width/2, Height/2) when Site < 0; state
// N/2 on other topologies), "list" (the states in Escalating defect): see
// initialEscalators, which every kernel shares.
//
// # Metrics
//
// The state metrics describe the strategies after the step (step 0: the
// initial strategies), like the lattice snapshots; the per-step metrics
// describe the game played during the step (0 at step 0).
//
//   - RestraintRate: share of cooperators (at step 0 too, although
//     Opportunities is 0 there). BoldnessMean: share of defectors.
//   - Opportunities: N (0 at step 0). Escalations: number of defectors (0 at
//     step 0).
//   - BeliefRestraintMean, BeliefRestraintSD: mean and population sd over
//     states of the share of cooperators among a state's neighbours (itself
//     excluded: what it observes of the others); states without neighbours
//     are left out (when none has one, the mean is the restraint rate and
//     the sd 0).
//   - ExpectationGap: BeliefRestraintMean - RestraintRate.
//   - PayoffMean: mean payoff per state in the step's game.
//   - CredibilityMean: 1. Detections, accusations, responses, spirals,
//     collateral, BeliefResponse*, VengefulnessMean, ForumMarker, Codified:
//     0.
//
// # Fast path
//
// The Nowak-May lattice (Moore neighbourhood, best-neighbour, synchronous,
// width and height >= 3, fixed or periodic boundary, any game, any
// Every and Mutation) runs on a padded byte lattice (see game_lattice.go);
// it gives exactly the strategies of the general path, step by step.
//
// The kernel refuses the axelrod learning rule.
func newGameKernel(cfg *Config, rnd *rand.Rand, stop *atomic.Bool) (kernel, error) {
	return newGameKernelPath(cfg, rnd, true, stop)
}

// isLatticeGame reports whether cfg runs on the fast Nowak-May lattice
// path of the game kernel.
func isLatticeGame(cfg *Config) bool {
	t := &cfg.Topology
	return cfg.Decision.Rule == RuleGame && t.Kind == TopoLattice && t.Neighbourhood == Moore &&
		cfg.Learning.Rule == LearnBestNeighbour && cfg.Learning.Schedule == Synchronous &&
		t.Width >= 3 && t.Height >= 3
}

// newGameKernelPath builds the game kernel; fast = false forces the
// general path (the tests compare the two).
func newGameKernelPath(cfg *Config, rnd *rand.Rand, fast bool, stop *atomic.Bool) (kernel, error) {
	switch cfg.Learning.Rule {
	case LearnBestNeighbour, LearnImitation, LearnReinforcement, LearnNone:
	default:
		return nil, fmt.Errorf("sim: the game kernel has no learning rule %q (want best-neighbour, imitation, reinforcement or none)", cfg.Learning.Rule)
	}
	if fast && isLatticeGame(cfg) {
		return newNowakMay(cfg, rnd), nil
	}
	k, err := newGameGeneral(cfg, rnd, stop)
	if err != nil {
		return nil, err
	}
	if cfg.Topology.Kind == TopoLattice {
		return &gameLatticeKernel{k}, nil
	}
	return k, nil
}

// Strategies are bytes: 1 = cooperate (restraint), 0 = defect.
const (
	defect    uint8 = 0
	cooperate uint8 = 1
)

// initialStrategies sets the initial defectors of c (all cooperators on
// entry), by initialEscalators.
func initialStrategies(c []uint8, cfg *Config, rnd *rand.Rand) {
	initialEscalators(cfg, rnd, func(i int) { c[i] = defect })
}

// nextMutant returns the index after i of the next state that mutates when
// each mutates with probability mu (logq = log(1 - mu) < 0), or n when there
// is none: geometric skipping, one draw per mutant.
func nextMutant(rnd *rand.Rand, i, n int, logq float64) int {
	gap := math.Floor(math.Log1p(-rnd.Float64()) / logq)
	if !(gap < float64(n-i)) { // also catches NaN
		return n
	}
	return i + 1 + int(gap)
}

// meanSD returns the mean and population sd of values with sum s1 and sum
// of squares s2 over n of them.
func meanSD(s1, s2 float64, n int) (mean, sd float64) {
	mean = s1 / float64(n)
	v := s2/float64(n) - mean*mean
	if v > 0 {
		sd = math.Sqrt(v)
	}
	return mean, sd
}

// fillGameRow writes a step's metrics; perStep is false at step 0.
func fillGameRow(row *Row, n, coop int, beliefMean, beliefSD, payoffMean float64, perStep bool) {
	clearRow(row)
	r := float64(coop) / float64(n)
	row[RestraintRate] = r
	row[RestraintCompliant] = r
	row[BoldnessMean] = 1 - r
	row[BeliefRestraintMean] = beliefMean
	row[BeliefRestraintSD] = beliefSD
	row[ExpectationGap] = beliefMean - r
	row[CredibilityMean] = 1
	if perStep {
		row[Opportunities] = float64(n)
		row[Escalations] = float64(n - coop)
		row[PayoffMean] = payoffMean
	}
}

// snapshotCode returns Nowak and May's colour code from the strategies
// before (prev) and after (cur) a step.
func snapshotCode(prev, cur uint8) uint8 {
	switch {
	case cur == cooperate && prev == cooperate:
		return 0
	case cur == defect && prev == defect:
		return 1
	case cur == cooperate:
		return 2
	}
	return 3
}

// gameKernel is the general path of the game kernel: any topology, any
// learning rule.
type gameKernel struct {
	n        int
	rnd      *rand.Rand
	adj      *Adjacency
	complete bool
	self     bool // lattice: a site plays itself too
	width    int
	height   int

	game       agents.Game
	rule       LearningRule
	async      bool
	every      int
	mu         float64
	beta       float64
	aspiration float64
	rate       float64

	c    []uint8   // strategies
	next []uint8   // synchronous buffer
	prev []uint8   // strategies before the last learning round (lattice)
	nc   []int32   // cooperating neighbours, self excluded (nil when complete)
	pay  []float64 // accumulated payoffs (nil when complete)
	acc  [2]float64
	prop []float64 // reinforcement: propensity to cooperate

	t       int
	since   int // steps since the last learning round
	coop    int
	changed bool // the last step changed strategies

	beliefMean, beliefSD float64
}

func newGameGeneral(cfg *Config, rnd *rand.Rand, stop *atomic.Bool) (*gameKernel, error) {
	n := cfg.World.States
	k := &gameKernel{n: n, rnd: rnd, every: cfg.Learning.Every, rule: cfg.Learning.Rule,
		async: cfg.Learning.Schedule == Asynchronous}
	topo := *cfg
	if cfg.Topology.Kind == TopoLattice {
		k.self = cfg.Topology.Self
		k.width, k.height = cfg.Topology.Width, cfg.Topology.Height
		topo.Topology.Self = false // self-play is k.self, not a self-loop
	}
	bloc := make([]int32, n)
	for i := range bloc {
		if len(cfg.World.BlocOf) == n {
			bloc[i] = int32(cfg.World.BlocOf[i])
		} else {
			bloc[i] = int32(i % max(1, cfg.World.Blocs))
		}
	}
	adj, err := buildTopology(&topo, bloc, rnd, stop)
	if err != nil {
		return nil, err
	}
	k.adj, k.complete = adj, adj.Complete
	k.reconfigure(cfg)

	k.c = make([]uint8, n)
	for i := range k.c {
		k.c[i] = cooperate
	}
	initialStrategies(k.c, cfg, rnd)
	if !k.async {
		k.next = make([]uint8, n)
	}
	if k.width > 0 {
		k.prev = make([]uint8, n)
	}
	if !k.complete {
		k.nc = make([]int32, n)
		k.pay = make([]float64, n)
	}
	if k.rule == LearnReinforcement {
		k.prop = make([]float64, n)
		for i := range k.prop {
			k.prop[i] = 0.5
		}
	}
	k.recount()
	return k, nil
}

func (k *gameKernel) reconfigure(cfg *Config) {
	g := cfg.Game
	k.game = agents.Game{Reward: g.Reward, Sucker: g.Sucker, Temptation: g.Temptation, Punishment: g.Punishment}
	k.mu = cfg.Learning.Mutation
	k.beta = cfg.Learning.Selection
	k.aspiration = cfg.Learning.Aspiration
	k.rate = cfg.Learning.Rate
}

func (k *gameKernel) agentSteps() int { return k.n }

func (k *gameKernel) observe(row *Row) {
	fillGameRow(row, k.n, k.coop, k.beliefMean, k.beliefSD, 0, false)
}

func (k *gameKernel) step(row *Row) {
	k.t++
	k.since++
	pm := k.play()
	k.changed = false
	if k.t%k.every == 0 {
		if k.prev != nil {
			copy(k.prev, k.c)
		}
		k.learn()
		k.mutate()
		k.belief()
		k.since = 0
		k.acc = [2]float64{}
		clear(k.pay)
		k.changed = true
	}
	fillGameRow(row, k.n, k.coop, k.beliefMean, k.beliefSD, pm, true)
}

// games returns the numbers of cooperators and defectors that state i plays.
func (k *gameKernel) games(i int) (nC, nD int) {
	if k.complete {
		nC = k.coop - int(k.c[i])
		return nC, k.n - 1 - nC
	}
	nC = int(k.nc[i])
	nD = k.adj.Degree(i) - nC
	if k.self {
		if k.c[i] == cooperate {
			nC++
		} else {
			nD++
		}
	}
	return nC, nD
}

// play plays one round, accumulates payoffs and returns the mean payoff.
func (k *gameKernel) play() float64 {
	if k.complete {
		var sum float64
		if k.coop > 0 {
			p := k.game.Payoff(true, k.coop-1, k.n-k.coop)
			k.acc[cooperate] += p
			sum += float64(k.coop) * p
		}
		if k.coop < k.n {
			p := k.game.Payoff(false, k.coop, k.n-k.coop-1)
			k.acc[defect] += p
			sum += float64(k.n-k.coop) * p
		}
		return sum / float64(k.n)
	}
	var sum float64
	for i := range k.n {
		nC, nD := k.games(i)
		p := k.game.Payoff(k.c[i] == cooperate, nC, nD)
		k.pay[i] += p
		sum += p
	}
	return sum / float64(k.n)
}

// payoff returns state i's accumulated payoff.
func (k *gameKernel) payoff(i int) float64 {
	if k.complete {
		return k.acc[k.c[i]]
	}
	return k.pay[i]
}

// set changes state i's strategy to s and keeps the counts up to date.
func (k *gameKernel) set(i int, s uint8) {
	if k.c[i] == s {
		return
	}
	k.c[i] = s
	d := int32(s) - int32(1-s) // +1 or -1
	k.coop += int(d)
	if !k.complete {
		for _, j := range k.adj.Neighbours(i) {
			k.nc[j] += d
		}
	}
}

// recount recomputes the counts of cooperators and the beliefs.
func (k *gameKernel) recount() {
	k.coop = 0
	for _, s := range k.c {
		k.coop += int(s)
	}
	if !k.complete {
		for i := range k.n {
			var s int32
			for _, j := range k.adj.Neighbours(i) {
				s += int32(k.c[j])
			}
			k.nc[i] = s
		}
	}
	k.belief()
}

// belief computes the mean and sd of the share of cooperating neighbours.
func (k *gameKernel) belief() {
	r := float64(k.coop) / float64(k.n)
	k.beliefMean, k.beliefSD = r, 0
	if k.complete {
		if k.n < 2 {
			return
		}
		m := float64(k.n - 1)
		bc := float64(k.coop-1) / m // what a cooperator sees
		bd := float64(k.coop) / m   // what a defector sees
		nc, nd := float64(k.coop), float64(k.n-k.coop)
		k.beliefMean, k.beliefSD = meanSD(nc*bc+nd*bd, nc*bc*bc+nd*bd*bd, k.n)
		return
	}
	var s1, s2 float64
	cnt := 0
	for i := range k.n {
		d := k.adj.Degree(i)
		if d == 0 {
			continue
		}
		b := float64(k.nc[i]) / float64(d)
		s1 += b
		s2 += b * b
		cnt++
	}
	if cnt > 0 {
		k.beliefMean, k.beliefSD = meanSD(s1, s2, cnt)
	}
}

// learn runs one learning round: one random state revises (asynchronous)
// or every state does, from the strategies of the round before
// (synchronous).
func (k *gameKernel) learn() {
	var revise func(i int) uint8
	switch k.rule {
	case LearnBestNeighbour:
		revise = k.best
	case LearnImitation:
		revise = k.imitate
	case LearnReinforcement:
		revise = k.reinforce
	default:
		return
	}
	if k.async {
		i := k.rnd.IntN(k.n)
		k.set(i, revise(i))
		return
	}
	for i := range k.n {
		k.next[i] = revise(i)
	}
	k.c, k.next = k.next, k.c
	k.recount()
}

// best is the best-neighbour rule for state i.
func (k *gameKernel) best(i int) uint8 {
	var bestC, bestD float64
	if k.complete {
		bestC, bestD = math.Inf(-1), math.Inf(-1)
		if k.coop > 0 {
			bestC = k.acc[cooperate]
		}
		if k.coop < k.n {
			bestD = k.acc[defect]
		}
	} else {
		bestC, bestD = math.Inf(-1), math.Inf(-1)
		if k.c[i] == cooperate {
			bestC = k.pay[i]
		} else {
			bestD = k.pay[i]
		}
		for _, j := range k.adj.Neighbours(i) {
			p := k.pay[j]
			if k.c[j] == cooperate {
				bestC = max(bestC, p)
			} else {
				bestD = max(bestD, p)
			}
		}
	}
	if agents.BestNeighbour(bestC, bestD, k.c[i] == cooperate) {
		return cooperate
	}
	return defect
}

// imitate is the Fermi imitation rule for state i: a neighbour drawn
// uniformly is copied with probability Fermi(beta, pi_i, pi_j). The
// acceptance draw is made only when the two strategies differ.
func (k *gameKernel) imitate(i int) uint8 {
	j := k.adj.Random(i, k.rnd)
	if j < 0 || k.c[j] == k.c[i] {
		return k.c[i]
	}
	if k.rnd.Float64() < agents.Fermi(k.beta, k.payoff(i), k.payoff(j)) {
		return k.c[j]
	}
	return k.c[i]
}

// reinforce is Bush-Mosteller reinforcement for state i; it returns the
// next action.
func (k *gameKernel) reinforce(i int) uint8 {
	nC, nD := k.games(i)
	if g := nC + nD; g > 0 && k.since > 0 {
		per := k.payoff(i) / float64(g*k.since)
		s := k.game.Stimulus(per, k.aspiration)
		k.prop[i] = agents.ReinforceCooperation(k.prop[i], k.c[i] == cooperate, s, k.rate)
	}
	if k.rnd.Float64() < k.prop[i] {
		return cooperate
	}
	return defect
}

// mutate flips each state with probability mu.
func (k *gameKernel) mutate() {
	if k.mu <= 0 {
		return
	}
	logq := math.Log1p(-k.mu)
	for i := nextMutant(k.rnd, -1, k.n, logq); i < k.n; i = nextMutant(k.rnd, i, k.n, logq) {
		k.set(i, 1-k.c[i])
	}
}

// gameLatticeKernel is the general path on a lattice: it adds snapshots.
type gameLatticeKernel struct{ *gameKernel }

func (k *gameLatticeKernel) snapshot(step int) LatticeSnapshot {
	s := LatticeSnapshot{Step: step, Width: k.width, Height: k.height, Cells: make([]uint8, k.n)}
	for i, c := range k.c {
		p := c
		if k.changed {
			p = k.prev[i]
		}
		s.Cells[i] = snapshotCode(p, c)
	}
	return s
}

// strategies returns the strategies, by state (1 = cooperate).
func (k *gameKernel) strategies() []uint8 { return k.c }
