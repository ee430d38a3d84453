package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"

	"github.com/normsim/normsim/agents"
)

// cyber is the general model of MODEL.md. One step runs the phases in the
// order MODEL.md lists them, each a method named after it:
//
//	opportunities   1-3  opportunity, choice, payoffs and collateral damage
//	attribute       4    detection and signal-detection attribution
//	accuse, respond 5-7  responses, allies, spirals, metanorms, credibility
//	background      4    non-state incidents and the wrongful accusations they cause
//	expectations    8    beliefs move towards what each state observed
//	forum           9    pooled reports and DeGroot pull towards a weighted consensus
//	learn           10   traits change by the learning rule
//
// Events (11) are applied by the stepper before the step they are set at.
//
// Choices made while modelling, where MODEL.md leaves room:
//
//   - Within a step, states act in index order, but every choice reads the
//     beliefs, traits and perceived moves of the step before (perceptions
//     are buffered and applied at the end of the step), so the order does
//     not favour anyone.
//   - Logit rule: U_e = 2 b_i T - S TPR_j rho_i (P + R), the temptation
//     (scaled by the state's boldness b_i, so b = 1/2 is neutral) less the
//     expected punishment: the chance the victim j sees and names it, times
//     the state's belief that attributed escalations are punished, times
//     the cost of punishment and reputation. U_r = kappa m_i r_i, the
//     conformity to the expected norm (r_i: the state's restraint belief;
//     m_i = forum.codified_conformity for states that took part in a
//     codifying forum, 1 otherwise). P(escalate) = 1/(1+exp(-beta(U_e-U_r))).
//   - Initial escalators (world.initial) start with boldness 1. Under the
//     logit rule they escalate whatever the utilities for as long as their
//     boldness stays 1: a hard core that only learning (imitating a
//     better-scoring state) converts; a state that imitates one gets its
//     boldness, not its status. Under the reciprocal rule they always
//     escalate (ALLD); under the threshold rule boldness 1 escalates
//     whenever S < 1.
//   - Responses (all rules): the accuser punishes with probability equal to
//     its vengefulness, as in Axelrod's game.
//   - Beliefs: each step a state sees (a) the outcome of every opportunity
//     against it (an escalation if it named the actor, restraint otherwise,
//     so an undetected or unattributed escalation looks like restraint),
//     each wrongful accusation it made counting as an escalation by the
//     innocent; (b) the public record: the public accusations of the step,
//     scaled by the publicity rate, against the step's opportunities,
//     weighted as expectations.public_weight observations. Its observed
//     restraint share is the weighted mix, and the belief moves towards it
//     by alpha. The response belief is built the same way from the
//     accusations it made or suffered and the public ones.
//   - Collateral damage on a complete topology is kept as one running sum
//     applied to everyone, so that it costs O(1) per incident.
//   - Metanorms: a state that made a public accusation and did not respond
//     is seen by each other state with the incident's S, who punishes it
//     with its vengefulness.
//   - Background incidents strike each state with probability
//     background_rate per step (drawn by geometric skips, exact); a victim
//     that sees one names each of `suspects` innocents with the false
//     positive rate.
//   - Joint attribution: the victim pools evidence with
//     attribution.joint_partners random members of its bloc; the
//     reputation cost of their public accusation is R (1 - prod (1 - c_j))
//     over the joint accusers (the chance at least one is believed), and a
//     verification moves the credibility of every one of them.
//   - Allies: each member of the victim's bloc (other than the victim and
//     the accused) joins a response with probability alliance_solidarity;
//     their number is binomial and they are drawn at random from the bloc.
type cyber struct {
	cfg  *Config
	rnd  *rand.Rand
	stop *atomic.Bool // the run's stop flag (see stopped)
	n    int
	adj  *Adjacency

	// State, one slice per attribute, except p: the attributes that an
	// incident touches at a random state (victim, suspect, ally), packed
	// into one cache line per state.
	p                []peer
	power, forensics []float64
	bloc             []int32
	bold             []float64
	beliefR, beliefP []float64
	acc              []float64
	escalator        []bool // starts (and stays, under the reciprocal rule) an escalator
	signatory        []bool // took part in a codifying forum

	// Reports pooled since the state's last forum.
	poolRes, poolN, poolHit, poolRespN []float32
	// Actions since the last learning round, for reinforcement learning.
	nEsc, nOpp []int32

	// Blocs as CSR lists of members.
	blocOff, blocMem []int32

	// Reciprocal memory per ordered pair: bit 0 = my last move to j was D,
	// bit 1 = j's last move to me was perceived as D, bit 2 = we have met.
	mem      []uint8
	percepts []percept

	// Scratch.
	stamp     []uint32
	stampNow  uint32
	newBold   []float64
	newVenge  []float64
	forumPart []int32
	forumW    []float64
	partners  []int32 // the bloc partners of the current joint attribution
	breeder   agents.Breeder
	parents   []int32 // axelrod learning: the parent of each new state

	fpr      float64
	codified bool
	collAll  float64 // collateral owed by everyone this step (complete topology)
	t        int

	// Step counts.
	opps, esc, det, trueAcc, falseAcc, resp     int
	spirals, spiralLen                          int
	collateral                                  float64
	pubAcc, pubRespN, pubRespHit                int
	forumMet                                    bool
	meanR, sdR, meanP, sdP, meanB, meanV, meanC float64
	meanPay                                     float64
}

// peer holds what an incident touches at a random state: 64 bytes.
type peer struct {
	payoff float64 // this step's payoff
	tpr    float64 // true positive rate of its own attributions
	venge  float64 // vengefulness
	cred   float64 // credibility
	// This step's observations: restraints seen of opportunities seen,
	// punished accusations of accusations made or suffered.
	obsRes, obsN, respHit, respN float32
	stamp                        uint32 // scratch mark for drawing distinct states
	nAcc, nResp                  int32  // accusations made and answered since the last learning round
	_                            int32
}

// percept is a move seen through attribution, applied at the end of the
// step: observer perceived actor's move as D or C; or actor's own move.
type percept struct {
	observer, actor int32
	defect          bool
	own             bool
}

func newCyberKernel(cfg *Config, rnd *rand.Rand, stop *atomic.Bool) (kernel, error) {
	n := cfg.World.States
	k := &cyber{cfg: cfg, rnd: rnd, n: n, stop: stop}
	f := func() []float64 { return make([]float64, n) }
	f32 := func() []float32 { return make([]float32, n) }
	i32 := func() []int32 { return make([]int32, n) }
	k.p = make([]peer, n)
	k.power, k.forensics, k.bold = f(), f(), f()
	k.beliefR, k.beliefP, k.acc = f(), f(), f()
	k.newBold, k.newVenge, k.forumW = f(), f(), f()
	k.poolRes, k.poolN, k.poolHit, k.poolRespN = f32(), f32(), f32(), f32()
	k.nEsc, k.nOpp = i32(), i32()
	k.bloc, k.forumPart = i32(), make([]int32, 0, n)
	k.partners = make([]int32, 0, min(cfg.Attribution.JointPartners, n)) // never more than the bloc
	k.parents = make([]int32, n)
	k.escalator, k.signatory = make([]bool, n), make([]bool, n)

	w := &cfg.World
	for i := range n {
		if i&0xffff == 0 && stopped(stop) {
			return nil, errStopped
		}
		k.power[i] = w.Power.sample(rnd, i)
		if len(w.BlocOf) == n {
			k.bloc[i] = int32(w.BlocOf[i])
		} else {
			k.bloc[i] = int32(i % w.Blocs)
		}
		k.forensics[i] = math.Max(0, w.Forensics.sample(rnd, i))
		k.bold[i] = clamp01(w.Boldness.sample(rnd, i))
		k.p[i].venge = clamp01(w.Vengefulness.sample(rnd, i))
		e := &cfg.Expectations
		k.beliefR[i] = clamp01(e.InitialRestraint + e.InitialSpread*rnd.NormFloat64())
		k.beliefP[i] = clamp01(e.InitialResponse + e.InitialSpread*rnd.NormFloat64())
		k.p[i].cred = cfg.Credibility.Initial
	}
	k.initialEscalators()
	k.buildBlocs()
	adj, err := buildTopology(cfg, k.bloc, rnd, stop)
	if err != nil {
		return nil, err
	}
	k.adj = adj
	if cfg.Decision.Rule == RuleReciprocal {
		if adj.Complete {
			k.mem = make([]uint8, n*n)
		} else {
			k.mem = make([]uint8, len(adj.Nbrs))
		}
		k.percepts = make([]percept, 0, 4*n)
	}
	k.reconfigure(cfg)
	return k, nil
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// initialEscalators marks the states that start as escalators: boldness 1
// (and, under the reciprocal rule, unconditional escalation).
func (k *cyber) initialEscalators() {
	initialEscalators(k.cfg, k.rnd, func(i int) { k.escalator[i], k.bold[i] = true, 1 })
}

func (k *cyber) buildBlocs() {
	nb := int32(0)
	for _, b := range k.bloc {
		nb = max(nb, b+1)
	}
	k.blocOff = make([]int32, nb+1)
	for _, b := range k.bloc {
		k.blocOff[b+1]++
	}
	for b := range nb {
		k.blocOff[b+1] += k.blocOff[b]
	}
	k.blocMem = make([]int32, k.n)
	fill := make([]int32, nb)
	for i, b := range k.bloc {
		k.blocMem[k.blocOff[b]+fill[b]] = int32(i)
		fill[b]++
	}
}

// reconfigure re-derives what depends on parameters an event may change:
// each state's true positive rate as a victim, which its attackers weigh
// (logit rule) and which names culprits when attribution is not joint.
// With joint attribution it is the rate at the expected pooled
// sensitivity, sqrt(d_i^2 + k mean d_j^2) over the k partners' bloc, so
// that would-be attackers are deterred by joint attribution as much as
// they are exposed by it.
func (k *cyber) reconfigure(cfg *Config) {
	k.cfg = cfg
	a := cfg.Attribution
	d2 := func(i int) float64 {
		d := math.Max(0, k.forensics[i]+a.PrivateSectorBoost)
		return d * d
	}
	var blocD2 []float64 // sum of d^2 per bloc
	if a.Joint {
		blocD2 = make([]float64, len(k.blocOff)-1)
		for i := range k.n {
			blocD2[k.bloc[i]] += d2(i)
		}
	}
	for i := range k.n {
		sum := d2(i)
		if a.Joint {
			b := k.bloc[i]
			if others := int(k.blocOff[b+1]-k.blocOff[b]) - 1; others > 0 {
				sum += float64(min(a.JointPartners, others)) * (blocD2[b] - sum) / float64(others)
			}
		}
		k.p[i].tpr, _ = agents.Detection(math.Sqrt(sum), a.EvidenceStandard)
	}
	_, k.fpr = agents.Detection(0, a.EvidenceStandard)
	if err := setBreeder(&k.breeder, &cfg.Axelrod); err != nil {
		panic(err) // the selection names were validated with the configuration
	}
}

func (k *cyber) agentSteps() int { return k.n * k.cfg.Opportunity.PerStep }

func (k *cyber) step(row *Row) {
	k.t++
	k.opps, k.esc, k.det, k.trueAcc, k.falseAcc, k.resp = 0, 0, 0, 0, 0, 0
	k.spirals, k.spiralLen, k.collateral = 0, 0, 0
	k.pubAcc, k.pubRespN, k.pubRespHit = 0, 0, 0
	k.collAll, k.forumMet = 0, false

	k.opportunities()
	k.background()
	k.settlePayoffs()
	k.applyPercepts()
	k.expectations()
	if f := k.cfg.Forum.Every; f > 0 && k.t%f == 0 {
		k.forum()
	}
	if k.cfg.Learning.Rule != LearnNone && k.t%k.cfg.Learning.Every == 0 {
		k.learn()
	}
	k.observe(row)
}

// opportunities runs phases 1 to 3 for every state: each of its
// opportunities is taken with probability opportunity.rate, aimed at a
// random neighbour (or at all of them), seen with a chance S drawn from
// opportunity.seen; the state's rule chooses, and an escalation is paid
// for and handed on to attribution.
func (k *cyber) opportunities() {
	o := &k.cfg.Opportunity
	all := o.Targets == "all"
	for i := range k.n {
		if stopped(k.stop) {
			return // the run is cancelled: this step is discarded
		}
		for range o.PerStep {
			if o.Rate < 1 && k.rnd.Float64() >= o.Rate {
				continue
			}
			if all {
				k.opportunityAll(i)
				continue
			}
			j := k.adj.Random(i, k.rnd)
			if j < 0 {
				continue
			}
			s := k.seen()
			k.opps++
			k.nOpp[i]++
			esc := k.choose(i, j, s)
			if k.mem != nil {
				k.percepts = append(k.percepts, percept{observer: int32(i), actor: int32(j), defect: esc, own: true})
			}
			if !esc {
				k.p[j].obsRes++
				k.p[j].obsN++
				if k.mem != nil {
					k.percepts = append(k.percepts, percept{observer: int32(j), actor: int32(i)})
				}
				continue
			}
			k.escalate(i, j, s)
		}
	}
}

// opportunityAll is an opportunity whose escalation hurts every neighbour
// (Axelrod's setting in the general model): each neighbour is a victim
// that may see and attribute it. The choice is made against the first
// neighbour's forensics (logit) or not at all (threshold).
func (k *cyber) opportunityAll(i int) {
	s := k.seen()
	k.opps++
	k.nOpp[i]++
	j0 := k.adj.Random(i, k.rnd)
	if j0 < 0 {
		return
	}
	if !k.choose(i, j0, s) {
		k.forNeighbours(i, func(j int) {
			k.p[j].obsRes++
			k.p[j].obsN++
		})
		return
	}
	k.esc++
	k.nEsc[i]++
	k.p[i].payoff += k.cfg.Payoffs.Temptation
	k.forNeighbours(i, func(j int) {
		k.p[j].payoff -= k.cfg.Payoffs.Harm
		k.victim(i, j, s)
	})
}

// forNeighbours calls f for every neighbour of i.
func (k *cyber) forNeighbours(i int, f func(j int)) {
	if k.adj.Complete {
		for j := range k.n {
			if j != i {
				f(j)
			}
		}
		return
	}
	for _, j := range k.adj.Neighbours(i) {
		if int(j) != i {
			f(int(j))
		}
	}
}

// seen draws the chance S that an opportunity is seen.
func (k *cyber) seen() float64 {
	d := &k.cfg.Opportunity.Seen
	switch d.Kind {
	case "uniform":
		return d.Min + (d.Max-d.Min)*k.rnd.Float64()
	case "constant":
		return d.Value
	}
	return clamp01(d.sample(k.rnd, 0))
}

// choose is phase 2: true when state i escalates against j, by its
// decision rule.
func (k *cyber) choose(i, j int, s float64) bool {
	switch k.cfg.Decision.Rule {
	case RuleThreshold:
		// Axelrod (1986): escalate when the chance of being seen is below
		// the state's boldness.
		return s < k.bold[i]
	case RuleLogit:
		if k.escalator[i] && k.bold[i] >= 1 {
			return true
		}
		p := &k.cfg.Payoffs
		ue := 2*k.bold[i]*p.Temptation - s*k.p[j].tpr*k.beliefP[i]*(p.Punishment+p.Reputation)
		m := 1.0
		if k.signatory[i] {
			m = k.cfg.Forum.CodifiedConformity
		}
		ur := k.cfg.Decision.Conformity * m * k.beliefR[i]
		return k.rnd.Float64() < agents.Logistic(k.cfg.Decision.Precision*(ue-ur))
	case RuleReciprocal:
		if k.escalator[i] {
			return true
		}
		d := &k.cfg.Decision
		m := k.mem[k.memIndex(i, j)]
		p := d.ReciprocalInitial
		if m&4 != 0 {
			// Index 2*(my last was D) + (their last seemed D): CC, CD, DC, DD.
			p = d.Reciprocal[(m&1)<<1|(m>>1)&1]
		}
		return k.rnd.Float64() >= p
	}
	return false
}

// memIndex is the index of the ordered pair (i, j) in the reciprocal
// memory.
func (k *cyber) memIndex(i, j int) int {
	if k.adj.Complete {
		return i*k.n + j
	}
	nb := k.adj.Neighbours(i)
	lo, hi := 0, len(nb)
	for lo < hi {
		m := (lo + hi) / 2
		if int(nb[m]) < j {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return int(k.adj.Off[i]) + lo
}

// escalate is phase 3 for one escalation of i against j, followed by the
// victim's detection and attribution.
func (k *cyber) escalate(i, j int, s float64) {
	p := &k.cfg.Payoffs
	k.esc++
	k.nEsc[i]++
	k.p[i].payoff += p.Temptation
	k.p[j].payoff -= p.Harm
	if p.Spillover > 0 && k.rnd.Float64() < p.Spillover {
		k.spill(i, j)
	}
	k.victim(i, j, s)
}

// spill charges collateral damage to every other neighbour of victim j
// (not the attacker i).
func (k *cyber) spill(i, j int) {
	hc := k.cfg.Payoffs.Collateral
	if k.adj.Complete {
		k.collAll += hc
		k.p[i].payoff += hc
		k.p[j].payoff += hc
		k.collateral += hc * float64(k.n-2)
		return
	}
	for _, m := range k.adj.Neighbours(j) {
		if int(m) != i && int(m) != j {
			k.p[m].payoff -= hc
			k.collateral += hc
		}
	}
}

// victim is phase 4 for victim j of an escalation by i seen with chance s.
func (k *cyber) victim(i, j int, s float64) {
	if k.rnd.Float64() >= s {
		// Undetected: it looks like restraint to the victim.
		k.p[j].obsRes++
		k.p[j].obsN++
		if k.mem != nil {
			k.percepts = append(k.percepts, percept{observer: int32(j), actor: int32(i)})
		}
		return
	}
	k.det++
	named := k.attribute(j, i, s)
	k.p[j].obsN++
	if !named {
		k.p[j].obsRes++
		if k.mem != nil {
			k.percepts = append(k.percepts, percept{observer: int32(j), actor: int32(i)})
		}
	}
}

// attribute is the signal-detection attribution of phase 4 by victim v of
// an incident by culprit c (c < 0: a background incident with no state
// culprit). Each of the culprit and attribution.suspects innocent
// neighbours of v is a candidate; a candidate's evidence is Normal(d', 1)
// if it points at them and Normal(0, 1) otherwise, and v names those whose
// evidence exceeds tau: the culprit with the true positive rate, each
// innocent with the false positive rate. A false flag (probability
// attribution.false_flag) makes the culprit's evidence point at one of
// the innocents instead. The innocents are exchangeable, so only those who
// are named are drawn (their number first, then who), which is the same in
// distribution and much cheaper. It reports whether the culprit was named.
func (k *cyber) attribute(v, c int, s float64) bool {
	a := &k.cfg.Attribution
	tpr := k.p[v].tpr
	k.partners = k.partners[:0]
	if a.Joint {
		tpr = k.jointTPR(v)
	}
	innocents := a.Suspects
	flag := c >= 0 && innocents > 0 && a.FalseFlag > 0 && k.rnd.Float64() < a.FalseFlag
	named := false
	if c >= 0 {
		p := tpr
		if flag {
			p = k.fpr
		}
		if k.rnd.Float64() < p {
			named = true
			k.accuse(v, c, true, s)
		}
	}
	// Who among the innocents is named: the false flag's scapegoat with
	// the true positive rate, the others with the false positive rate.
	wrong := 0
	if flag {
		innocents--
		if k.rnd.Float64() < tpr {
			wrong++
		}
	}
	if innocents <= 8 {
		for range innocents {
			if k.rnd.Float64() < k.fpr {
				wrong++
			}
		}
	} else {
		wrong += binomial(k.rnd, innocents, k.fpr)
	}
	if wrong == 0 {
		return named
	}
	k.stampNow++
	k.p[v].stamp = k.stampNow
	if c >= 0 {
		k.p[c].stamp = k.stampNow
	}
	for range wrong {
		x := -1
		for try := 0; try < 32; try++ { // a small neighbourhood may have too few innocents
			y := k.adj.Random(v, k.rnd)
			if y >= 0 && k.p[y].stamp != k.stampNow {
				x = y
				break
			}
		}
		if x < 0 {
			break
		}
		k.p[x].stamp = k.stampNow
		k.accuse(v, x, false, s)
		k.p[v].obsN++ // a wrongful accusation looks like an escalation by the innocent
	}
	return named
}

// jointTPR is the true positive rate when v pools its evidence with
// attribution.joint_partners distinct other members of its bloc drawn at
// random (fewer if the bloc is smaller): d' = sqrt(sum d_j^2) over the
// pooled states, the sensitivity of independent evidence combined.
func (k *cyber) jointTPR(v int) float64 {
	a := &k.cfg.Attribution
	d := math.Max(0, k.forensics[v]+a.PrivateSectorBoost)
	sum := d * d
	b := k.bloc[v]
	lo, hi := k.blocOff[b], k.blocOff[b+1]
	partners := min(a.JointPartners, int(hi-lo)-1)
	if partners > 0 {
		k.stampNow++
		k.p[v].stamp = k.stampNow
		for range partners {
			m := v
			for k.p[m].stamp == k.stampNow {
				m = int(k.blocMem[lo+k.rnd.Int32N(hi-lo)])
			}
			k.p[m].stamp = k.stampNow
			k.partners = append(k.partners, int32(m))
			dm := math.Max(0, k.forensics[m]+a.PrivateSectorBoost)
			sum += dm * dm
		}
	}
	tpr, _ := agents.Detection(math.Sqrt(sum), a.EvidenceStandard)
	return tpr
}

// accuse handles phases 5 to 7 for an accusation of a by v: publicity and
// reputation, the response and its allies, a spiral if an innocent is
// punished, metanorms if a public accusation goes unanswered, and the
// verification that moves v's credibility.
func (k *cyber) accuse(v, a int, correct bool, s float64) {
	cfg := k.cfg
	if correct {
		k.trueAcc++
	} else {
		k.falseAcc++
	}
	k.p[v].nAcc++
	if k.mem != nil {
		k.percepts = append(k.percepts, percept{observer: int32(v), actor: int32(a), defect: true})
	}
	public := cfg.Attribution.Publicity > 0 && k.rnd.Float64() < cfg.Attribution.Publicity
	if public {
		k.pubAcc++
		k.p[a].payoff -= cfg.Payoffs.Reputation * k.weight(v)
	}
	punished := k.respond(v, a)
	if punished {
		k.p[v].nResp++
		k.p[v].respHit++
		k.p[a].respHit++
	}
	k.p[v].respN++
	k.p[a].respN++
	if public {
		k.pubRespN++
		if punished {
			k.pubRespHit++
		}
	}
	if punished && !correct {
		// The innocent sees an unprovoked attack.
		k.p[a].obsN++
		k.spiral(a, v)
	}
	if public && !punished && cfg.Metanorms.Enabled {
		k.metanorms(v, a, s)
	}
	if r := cfg.Credibility; r.Verification > 0 && k.rnd.Float64() < r.Verification {
		k.verified(v, correct, r.Rate)
		for _, m := range k.partners {
			k.verified(int(m), correct, r.Rate)
		}
	}
}

// weight is the credibility behind an accusation by v: its own, or, for a
// joint attribution, the chance that at least one of the joint accusers is
// believed, 1 - prod (1 - c_j) (a noisy-OR), so that joint attributions
// carry more weight (MODEL.md step 4).
func (k *cyber) weight(v int) float64 {
	doubt := 1 - k.p[v].cred
	for _, m := range k.partners {
		doubt *= 1 - k.p[m].cred
	}
	return 1 - doubt
}

// verified moves the credibility of accuser v after a verification: up by
// eta (1 - c) when the accusation was right, down by eta c when wrong.
func (k *cyber) verified(v int, correct bool, eta float64) {
	if correct {
		k.p[v].cred += eta * (1 - k.p[v].cred)
	} else {
		k.p[v].cred -= eta * k.p[v].cred
	}
}

// respond is phase 5: v punishes a with probability equal to its
// vengefulness; allies from v's bloc join with alliance_solidarity each.
func (k *cyber) respond(v, a int) bool {
	p := &k.cfg.Payoffs
	if k.rnd.Float64() >= k.p[v].venge {
		return false
	}
	k.resp++
	k.p[a].payoff -= p.Punishment
	k.p[v].payoff -= p.EnforcementCost
	if sol := k.cfg.Response.AllianceSolidarity; sol > 0 {
		b := k.bloc[v]
		lo, hi := k.blocOff[b], k.blocOff[b+1]
		others := int(hi-lo) - 1
		if k.bloc[a] == b {
			others--
		}
		for range binomial(k.rnd, others, sol) {
			var m int
			for {
				m = int(k.blocMem[lo+k.rnd.Int32N(hi-lo)])
				if m != v && m != a {
					break
				}
			}
			k.resp++
			k.p[a].payoff -= p.Punishment
			k.p[m].payoff -= p.EnforcementCost
		}
	}
	return true
}

// spiral is the escalation spiral that starts when innocent a is punished
// by v: each side in turn counter-responds with its vengefulness, up to
// response.max_spiral moves.
func (k *cyber) spiral(a, v int) {
	p := &k.cfg.Payoffs
	actor, target, n := a, v, 0
	for n < k.cfg.Response.MaxSpiral && k.rnd.Float64() < k.p[actor].venge {
		k.p[target].payoff -= p.Punishment
		k.p[actor].payoff -= p.EnforcementCost
		n++
		actor, target = target, actor
	}
	if n > 0 {
		k.spirals++
		k.spiralLen += n
	}
}

// metanorms is phase 6: v made a public accusation of a and did not
// respond; each other state sees that with chance s and punishes v with
// its vengefulness (Axelrod's metanorms game).
func (k *cyber) metanorms(v, a int, s float64) {
	m := &k.cfg.Metanorms
	others := k.n - 2
	if others <= 0 {
		return
	}
	k.stampNow++
	k.p[v].stamp, k.p[a].stamp = k.stampNow, k.stampNow
	for range binomial(k.rnd, others, s) {
		var o int
		for {
			o = k.rnd.IntN(k.n)
			if k.p[o].stamp != k.stampNow {
				break
			}
		}
		k.p[o].stamp = k.stampNow
		if k.rnd.Float64() < k.p[o].venge {
			k.resp++
			k.p[v].payoff -= m.Punishment
			k.p[o].payoff -= m.EnforcementCost
		}
	}
}

// background is the non-state part of phase 4: each state suffers an
// incident with probability attribution.background_rate; a victim that
// sees it may wrongly name innocents.
func (k *cyber) background() {
	p := k.cfg.Attribution.BackgroundRate
	if p <= 0 {
		return
	}
	if p >= 1 {
		for v := range k.n {
			k.backgroundIncident(v)
		}
		return
	}
	lq := math.Log1p(-p)
	for v := geometric(k.rnd, lq); v < k.n; v += geometric(k.rnd, lq) + 1 {
		k.backgroundIncident(v)
	}
}

func (k *cyber) backgroundIncident(v int) {
	s := k.seen()
	if k.rnd.Float64() >= s {
		return
	}
	k.det++
	k.attribute(v, -1, s)
}

// settlePayoffs adds the step's payoffs (and the collateral owed by all)
// to what each state has earned since the last learning round.
func (k *cyber) settlePayoffs() {
	sum := 0.0
	for i := range k.n {
		x := k.p[i].payoff - k.collAll
		k.acc[i] += x
		sum += x
		k.p[i].payoff = 0
	}
	k.meanPay = sum / float64(k.n)
}

// applyPercepts updates the reciprocal pair memories with the moves of the
// step as each state perceived them: a state perceives D from whoever it
// accused, C from an opportunity against it that it did not attribute.
func (k *cyber) applyPercepts() {
	if k.mem == nil {
		return
	}
	// Perceived restraint first, then accusations, so that an accusation
	// wins over an unattributed opportunity of the same step.
	for pass := range 2 {
		for _, p := range k.percepts {
			o, a := int(p.observer), int(p.actor)
			idx := k.memIndex(o, a)
			switch {
			case p.own && pass == 0:
				k.mem[idx] = k.mem[idx]&^1 | 4
				if p.defect {
					k.mem[idx] |= 1
				}
			case !p.own && !p.defect && pass == 0:
				k.mem[idx] = k.mem[idx]&^2 | 4
			case !p.own && p.defect && pass == 1:
				k.mem[idx] |= 2 | 4
			}
		}
	}
	k.percepts = k.percepts[:0]
}

// expectations is phase 8: each state's beliefs move by alpha towards the
// rates it observed this step, private and public mixed; the private
// counts are kept for the next forum.
func (k *cyber) expectations() {
	e := &k.cfg.Expectations
	alpha := e.Smoothing
	wp := e.PublicWeight
	pubR, pubRW := 0.0, 0.0
	if pub := k.cfg.Attribution.Publicity; pub > 0 && k.opps > 0 && wp > 0 {
		pubR = 1 - math.Min(1, float64(k.pubAcc)/(pub*float64(k.opps)))
		pubRW = wp
	}
	pubP, pubPW := 0.0, 0.0
	if k.pubRespN > 0 && wp > 0 {
		pubP = float64(k.pubRespHit) / float64(k.pubRespN)
		pubPW = wp
	}
	for i := range k.n {
		if d := float64(k.p[i].obsN) + pubRW; d > 0 {
			x := (float64(k.p[i].obsRes) + pubRW*pubR) / d
			k.beliefR[i] += alpha * (x - k.beliefR[i])
		}
		if d := float64(k.p[i].respN) + pubPW; d > 0 {
			x := (float64(k.p[i].respHit) + pubPW*pubP) / d
			k.beliefP[i] += alpha * (x - k.beliefP[i])
		}
		k.poolRes[i] += k.p[i].obsRes
		k.poolN[i] += k.p[i].obsN
		k.poolHit[i] += k.p[i].respHit
		k.poolRespN[i] += k.p[i].respN
		k.p[i].obsRes, k.p[i].obsN, k.p[i].respHit, k.p[i].respN = 0, 0, 0, 0
	}
}

// forum is phase 9. Participants (each with probability
// forum.inclusivity, from the listed blocs only when forum.blocs is set)
// pool the incident reports they gathered since their last forum and all
// learn them (one observation, weight alpha); then each moves towards the
// weighted consensus, E_i <- (1 - lambda_i) E_i + lambda_i sum_j w_j E_j,
// with w_j proportional to power_j^dominance (DeGroot 1974). With buy-in,
// lambda_i = lambda min(1, w_i n), so a state whose voice is below its fair
// share 1/n buys in less. A consensus restraint belief at or above
// forum.codify codifies the norm; the participants then weigh conformity
// by forum.codified_conformity.
func (k *cyber) forum() {
	f := &k.cfg.Forum
	k.forumMet = true
	k.forumPart = k.forumPart[:0]
	for i := range k.n {
		if len(f.Blocs) > 0 && !containsInt(f.Blocs, int(k.bloc[i])) {
			continue
		}
		if f.Inclusivity >= 1 || k.rnd.Float64() < f.Inclusivity {
			k.forumPart = append(k.forumPart, int32(i))
		}
	}
	np := len(k.forumPart)
	if np == 0 {
		return
	}
	var res, n, hit, rn float64
	for _, i := range k.forumPart {
		res += float64(k.poolRes[i])
		n += float64(k.poolN[i])
		hit += float64(k.poolHit[i])
		rn += float64(k.poolRespN[i])
	}
	alpha := k.cfg.Expectations.Smoothing
	wsum := 0.0
	for _, i := range k.forumPart {
		if n > 0 {
			k.beliefR[i] += alpha * (res/n - k.beliefR[i])
		}
		if rn > 0 {
			k.beliefP[i] += alpha * (hit/rn - k.beliefP[i])
		}
		k.poolRes[i], k.poolN[i], k.poolHit[i], k.poolRespN[i] = 0, 0, 0, 0
		w := 1.0
		if f.Dominance != 0 {
			w = math.Pow(k.power[i], f.Dominance)
		}
		k.forumW[i] = w
		wsum += w
	}
	var cR, cP float64
	for _, i := range k.forumPart {
		cR += k.forumW[i] / wsum * k.beliefR[i]
		cP += k.forumW[i] / wsum * k.beliefP[i]
	}
	for _, i := range k.forumPart {
		lambda := f.Pull
		if f.BuyIn {
			lambda *= math.Min(1, k.forumW[i]/wsum*float64(np))
		}
		k.beliefR[i] = (1-lambda)*k.beliefR[i] + lambda*cR
		k.beliefP[i] = (1-lambda)*k.beliefP[i] + lambda*cP
	}
	if cR >= f.Codify {
		k.codified = true
		for _, i := range k.forumPart {
			k.signatory[i] = true
		}
	}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// learn is phase 10: traits (boldness, vengefulness) change by the
// learning rule, from the payoffs earned since the last round, which are
// then reset.
func (k *cyber) learn() {
	l := &k.cfg.Learning
	switch l.Rule {
	case LearnImitation:
		k.imitate()
	case LearnBestNeighbour:
		k.bestNeighbour()
	case LearnReinforcement:
		k.reinforce()
	case LearnAxelrod:
		k.axelrodGA()
	}
	for i := range k.n {
		k.acc[i] = 0
		k.nEsc[i], k.nOpp[i], k.p[i].nResp, k.p[i].nAcc = 0, 0, 0, 0
	}
}

// mutate redraws each trait of i uniformly on [0,1] with probability
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

// imitate: each revising state i picks a random neighbour j and copies its
// traits with the Fermi probability 1/(1+exp(-beta (pi_j - pi_i)))
// (Traulsen et al. 2006), then mutates. Synchronous: all states at once
// from the traits of the round before; asynchronous: one random state.
func (k *cyber) imitate() {
	beta := k.cfg.Learning.Selection
	revise := func(i int) {
		j := k.adj.Random(i, k.rnd)
		nb, nv := k.bold[i], k.p[i].venge
		if j >= 0 && k.rnd.Float64() < agents.Fermi(beta, k.acc[i], k.acc[j]) {
			nb, nv = k.bold[j], k.p[j].venge
		}
		k.mutate(&nb, &nv)
		k.newBold[i], k.newVenge[i] = nb, nv
	}
	if k.cfg.Learning.Schedule == "asynchronous" {
		i := k.rnd.IntN(k.n)
		revise(i)
		k.bold[i], k.p[i].venge = k.newBold[i], k.newVenge[i]
		return
	}
	for i := range k.n {
		revise(i)
	}
	k.swapTraits()
}

// swapTraits makes the traits computed in newBold and newVenge current.
func (k *cyber) swapTraits() {
	k.bold, k.newBold = k.newBold, k.bold
	for i := range k.n {
		k.p[i].venge = k.newVenge[i]
	}
}

// bestNeighbour: each state copies the traits of the best scorer among
// itself and its neighbours; a tie with itself keeps its own (Nowak and
// May 1992). Synchronous.
func (k *cyber) bestNeighbour() {
	if k.adj.Complete {
		best := 0
		for i := range k.n {
			if k.acc[i] > k.acc[best] {
				best = i
			}
		}
		for i := range k.n {
			nb, nv := k.bold[i], k.p[i].venge
			if k.acc[best] > k.acc[i] {
				nb, nv = k.bold[best], k.p[best].venge
			}
			k.mutate(&nb, &nv)
			k.newBold[i], k.newVenge[i] = nb, nv
		}
	} else {
		for i := range k.n {
			best := i
			for _, j := range k.adj.Neighbours(i) {
				if k.acc[j] > k.acc[best] {
					best = int(j)
				}
			}
			nb, nv := k.bold[best], k.p[best].venge
			k.mutate(&nb, &nv)
			k.newBold[i], k.newVenge[i] = nb, nv
		}
	}
	k.swapTraits()
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
		s := (k.perOpp(i) - l.Aspiration) / sup
		if k.nOpp[i] > 0 {
			if 2*k.nEsc[i] >= k.nOpp[i] {
				k.bold[i] = agents.BushMosteller(k.bold[i], s, l.Rate)
			} else {
				k.bold[i] = 1 - agents.BushMosteller(1-k.bold[i], s, l.Rate)
			}
		}
		if k.p[i].nAcc > 0 {
			if 2*k.p[i].nResp >= k.p[i].nAcc {
				k.p[i].venge = agents.BushMosteller(k.p[i].venge, s, l.Rate)
			} else {
				k.p[i].venge = 1 - agents.BushMosteller(1-k.p[i].venge, s, l.Rate)
			}
		}
		k.mutate(&k.bold[i], &k.p[i].venge)
	}
}

func (k *cyber) perOpp(i int) float64 {
	return k.acc[i] / float64(max(1, k.nOpp[i]))
}

// axelrodGA is Axelrod's (1986) genetic algorithm on the traits, for
// configurations that use axelrod learning outside the Axelrod kernel:
// the same selection rules and Galan and Izquierdo switches
// (agents.Breeder, axelrod.*) pick each new state's parent from the
// payoffs since the last round; traits then mutate by learning.mutation,
// as continuous values (redrawn uniformly) rather than bits.
func (k *cyber) axelrodGA() {
	k.breeder.Parents(k.acc, k.parents, k.rnd)
	for i, p := range k.parents {
		nb, nv := k.bold[p], k.p[p].venge
		k.mutate(&nb, &nv)
		k.newBold[i], k.newVenge[i] = nb, nv
	}
	k.swapTraits()
}

// observe fills row with the step's counts and the population's beliefs
// and traits.
func (k *cyber) observe(row *Row) {
	var sR, sR2, sP, sP2, sB, sV, sC float64
	for i := range k.n {
		r, p := k.beliefR[i], k.beliefP[i]
		sR += r
		sR2 += r * r
		sP += p
		sP2 += p * p
		sB += k.bold[i]
		sV += k.p[i].venge
		sC += k.p[i].cred
	}
	n := float64(k.n)
	mR, mP := sR/n, sP/n
	*row = Row{}
	row[RestraintRate] = 1
	if k.opps > 0 {
		row[RestraintRate] = 1 - float64(k.esc)/float64(k.opps)
	}
	row[Opportunities] = float64(k.opps)
	row[Escalations] = float64(k.esc)
	row[Detections] = float64(k.det)
	row[TrueAccusations] = float64(k.trueAcc)
	row[FalseAccusations] = float64(k.falseAcc)
	row[Responses] = float64(k.resp)
	row[Spirals] = float64(k.spirals)
	if k.spirals > 0 {
		row[SpiralLength] = float64(k.spiralLen) / float64(k.spirals)
	}
	row[Collateral] = k.collateral
	row[BeliefRestraintMean] = mR
	row[BeliefRestraintSD] = math.Sqrt(math.Max(0, sR2/n-mR*mR))
	row[BeliefResponseMean] = mP
	row[BeliefResponseSD] = math.Sqrt(math.Max(0, sP2/n-mP*mP))
	row[ExpectationGap] = mR - row[RestraintRate]
	row[BoldnessMean] = sB / n
	row[VengefulnessMean] = sV / n
	row[CredibilityMean] = sC / n
	row[PayoffMean] = k.meanPay
	if k.forumMet {
		row[ForumMarker] = 1
	}
	if k.codified {
		row[Codified] = 1
	}
}

// String describes the kernel, for debugging.
func (k *cyber) String() string { return fmt.Sprintf("cyber(n=%d, t=%d)", k.n, k.t) }
