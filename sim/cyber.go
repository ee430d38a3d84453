package sim

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"

	"github.com/normsim/normsim/agents"
)

// cyber is the general model of MODEL.md (version 2). Its step runs the
// phases in MODEL.md's order, each in a file named after it:
//
//	cyber_world.go        the world: states, power links, revisionists
//	cyber_choice.go       1-3  opportunity, choice (deterrence cache), payoffs
//	cyber_attribution.go  4    detection, reporting, attribution, lag, misrepresentation
//	cyber_response.go     5-7  exposure, co-signing, denial, response, spirals,
//	                           metanorms, credibility
//	cyber_beliefs.go      8    expectations as discounted counts
//	cyber_norms.go        9-10 forums that negotiate; cascades and renunciation
//	cyber_learning.go     11   learning
//	cyber_observe.go           the recorded row
//
// Events (12) are applied by the stepper before the step they are set at.
// Within a step, states act in index order, but every choice reads the
// beliefs, traits and deterrence terms of the step before, so the order
// favours no one. The modelling choices MODEL.md leaves open are written
// where they are made, and listed in docs/MODEL.md.
type cyber struct {
	cfg  *Config
	rnd  *rand.Rand
	stop *atomic.Bool // the run's stop flag (see stopped)
	n    int
	adj  *Adjacency

	// p packs what an incident touches at a random state (victim,
	// suspect, ally, target of a choice) into one cache line per state.
	p []peer

	// The world (cyber_world.go).
	power       []float64
	take        []float64 // chance to take up each opportunity, min(1, rate w_i); nil when w_i = 1
	inflow      []float64 // expected opportunities aimed at the state per step, times the assumed detection rate
	forensics0  []float64 // base d' (power-linked)
	forensics   []float64 // current d' (exposure lowers it)
	bloc        []int32
	blocOff     []int32 // blocs as CSR lists of members
	blocMem     []int32
	bold        []float64
	revisionist []bool
	tercile     []uint8 // power tercile, 0 = lowest
	stringency  []float64
	threshold   []float64
	last        []uint8 // last action: 0 none, 1 restrained, 2 escalated

	// Beliefs as discounted counts (cyber_beliefs.go): E and O of the
	// restraint belief, and the response belief's hits over its weight.
	counts           []counts
	beliefR, beliefP []float64 // r_i and rho_i, derived from the counts
	poolE, poolO     []float32 // own counts since the state's last forum (with forums)

	// The norm (cyber_norms.go). stringency, threshold, legitimacy,
	// poolE, poolO and forumW exist only in worlds with forums.
	adopted      []bool
	legitimacy   []float64
	sigma        float64 // the text in force
	hasText      bool
	nbAdopt      []float64 // power of adopting neighbours (not on complete)
	nbPower      []float64 // power of all neighbours (not on complete)
	adoptPower   float64   // power of all adopters (complete)
	totalPower   float64
	forumPart    []int32
	forumW       []float64
	changes      []int32 // scratch: states whose adoption changes this round
	forumMet     bool
	forumFailed  bool
	forumHeld    int
	forumSuccess int

	// Attribution (cyber_attribution.go, cyber_response.go).
	pending   ring // accusations waiting for their lag
	incident  uint32
	fpr       float64
	fprPub    float64
	lqFPR     float64        // log(1 - fpr)
	partners  []int32        // scratch: joint investigators of the current incident
	cosigners []int32        // scratch: co-signers of the current accusation
	dirty     []int32        // states whose forensics changed since the last refresh
	isDirty   []uint8        // what refresh must recompute (dirtyRates, dirtyCred)
	exposed   bool           // some state's forensics are below their base
	late      float64        // delta^L, the discount of a late punishment
	fRated    []float32      // the forensics each state's cached rates were computed at
	curve     detectionCurve // 1 - Phi(tau - d'), tabulated
	curvePub  detectionCurve // the same at the public standard
	logDoubt  float64        // log(1 - mean credibility) of the last refresh
	pub       []float32      // each state's part of the public record's coverage, tprPub W
	pubSum    float64        // their sum
	full      bool           // refresh every state's terms at the next refresh
	cbarUsed  float64        // the mean credibility of the last full refresh
	// Running sums for the recorded row: credibility, forensics; traits
	// (recomputed after learning); adopters (count, legitimacy, by tercile).
	sumCred, sumForensics, sumBold, sumVenge float64
	adoptN, legitSum                         float64
	adoptT, terN                             [3]float64

	coverage float64 // expected share of escalations that reach the public record
	oppsExp  float64 // expected opportunities per step, over the world
	seenMean float64 // E[S]

	// Learning (cyber_learning.go), and reciprocal memories.
	acc               []float64 // payoff since the last learning round
	tally             []tally   // reinforcement learning only
	newBold, newVenge []float64
	breeder           agents.Breeder
	parents           []int32
	mem               []uint8
	percepts          []percept
	stamp             []uint32
	stampNow          uint32

	t     int
	steps stepCounts
}

// peer holds what an incident or a choice touches at a random state: 64
// bytes, one cache line.
type peer struct {
	payoff float64 // this step's payoff
	cred   float64 // credibility
	venge  float64 // vengefulness
	// The state's deterrence terms as a target, refreshed each step:
	// chance to name a culprit at all and publicly (false flags
	// included), expected others joining its response, expected
	// credibility of its accusers (with co-signers).
	tpr, tprPub, allies, cAcc float64
	// tprOwn is its chance to name a culprit on its own evidence.
	tprOwn float64
}

// tally counts a state's choices and accusations since the last learning
// round, for reinforcement learning.
type tally struct{ esc, opp, acc, resp int32 }

// stepCounts are the counts of one step, for the recorded row.
type stepCounts struct {
	opps, esc, det, reported           int
	oppsC, escC                        int // among non-revisionists
	oppsT, escT                        [3]int
	trueAcc, falseAcc, pubAcc, privAcc int
	cosigned, denied, misrep, resp     int
	spirals, spiralLen                 int
	collateral, collAll                float64
	pubRecord                          float64 // believed public incidents, each counted once
	pubAccW, pubRespW                  float64 // believed public accusations, and those answered
	ownSeen, ownRespN, ownRespHit      []float32
	meanPay                            float64
}

// percept is a move seen through attribution, applied at the end of the
// step: observer perceived actor's move as D or C; or actor's own move.
type percept struct {
	observer, actor int32
	defect          bool
	own             bool
}

func newCyberKernel(cfg *Config, rnd *rand.Rand, stop *atomic.Bool) (kernel, error) {
	k := &cyber{cfg: cfg, rnd: rnd, n: cfg.World.States, stop: stop}
	k.allocate()
	k.populate()
	if stopped(stop) {
		return nil, errStopped
	}
	adj, err := buildTopology(cfg, k.bloc, rnd, stop)
	if err != nil {
		return nil, err
	}
	k.adj = adj
	if cfg.Decision.Rule == RuleReciprocal {
		if adj.Complete {
			k.mem = make([]uint8, k.n*k.n)
		} else {
			k.mem = make([]uint8, len(adj.Nbrs))
		}
		k.percepts = make([]percept, 0, 4*k.n)
	}
	k.neighbourPower()
	k.reconfigure(cfg)
	return k, nil
}

func (k *cyber) agentSteps() int { return k.n * k.cfg.Opportunity.PerStep }

// reconfigure re-derives what depends on parameters an event may change.
func (k *cyber) reconfigure(cfg *Config) {
	k.cfg = cfg
	k.capabilities()
	k.inflows()
	k.pending.resize(cfg.Attribution.Lag)
	setBreeder(&k.breeder, &cfg.Axelrod)
	k.reconfigureRates()
	k.refresh()
}

// step is one round of MODEL.md, phase by phase.
func (k *cyber) step(row *Row) {
	k.t++
	k.begin()
	k.opportunities() // 1-3, with detection, reporting and attribution (4)
	k.background()    // 4: non-state incidents
	k.misrepresent()  // 4: opportunistic accusations
	k.due()           // 4-7: accusations whose lag is over take effect
	k.settlePayoffs()
	k.applyPercepts()
	k.recover()      // 4: forensics recover from exposure
	k.expectations() // 8
	if f := k.cfg.Forum.Every; f > 0 && k.t%f == 0 {
		k.forum() // 9
	}
	if k.hasText && k.t%k.cfg.Norms.Every == 0 {
		k.normDynamics() // 10
	}
	if k.cfg.Learning.Rule != LearnNone && k.t%k.cfg.Learning.Every == 0 {
		k.learn() // 11
	}
	k.refresh()
	k.observe(row)
}

// begin resets the step's counts.
func (k *cyber) begin() {
	s := &k.steps
	own, respN, respHit := s.ownSeen, s.ownRespN, s.ownRespHit
	*s = stepCounts{ownSeen: own, ownRespN: respN, ownRespHit: respHit}
	clear(own)
	clear(respN)
	clear(respHit)
	k.forumMet, k.forumFailed = false, false
}

// String describes the kernel, for debugging.
func (k *cyber) String() string { return fmt.Sprintf("cyber(n=%d, t=%d)", k.n, k.t) }
