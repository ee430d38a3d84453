package sim

import (
	"math"
	"math/rand/v2"

	"github.com/normsim/normsim/agents"
)

// Phases 1 to 3: opportunity, choice, payoffs.

// opportunities runs phases 1 to 3 for every state: each of its
// opportunities is taken with probability min(1, rate w_i), aimed at a
// random neighbour (or at all of them), seen with a chance S drawn from
// opportunity.seen; the state's rule chooses, and an escalation is paid
// for and handed on to detection and attribution.
func (k *cyber) opportunities() {
	o := &k.cfg.Opportunity
	all := o.Targets == TargetsAll
	for i := range k.n {
		if stopped(k.stop) {
			return // the run is cancelled: this step is discarded
		}
		take := k.chance(i)
		for range o.PerStep {
			if take < 1 && k.rnd.Float64() >= take {
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
			esc := k.choose(i, j, s)
			k.count(i, esc)
			if k.mem != nil {
				k.percepts = append(k.percepts, percept{observer: int32(i), actor: int32(j), defect: esc, own: true})
			}
			if !esc {
				if k.mem != nil {
					k.percepts = append(k.percepts, percept{observer: int32(j), actor: int32(i)})
				}
				continue
			}
			k.escalate(i, j, s)
		}
	}
}

// count records an opportunity of i and its choice.
func (k *cyber) count(i int, esc bool) {
	s := &k.steps
	s.opps++
	k.last[i] = 1
	e := 0
	if esc {
		e = 1
		k.last[i] = 2
		s.esc++
	}
	if k.tally != nil {
		k.tally[i].opp++
		k.tally[i].esc += int32(e)
	}
	if !k.revisionist[i] {
		s.oppsC++
		s.escC += e
		s.oppsT[k.tercile[i]]++
		s.escT[k.tercile[i]] += e
	}
}

// opportunityAll is an opportunity whose escalation hurts every neighbour
// (Axelrod's setting in the general model): each neighbour is a victim
// that may see and attribute it. The choice is weighed against the first
// neighbour (logit) or against no one (threshold).
func (k *cyber) opportunityAll(i int) {
	s := k.seen()
	j0 := k.adj.Random(i, k.rnd)
	if j0 < 0 {
		return
	}
	esc := k.choose(i, j0, s)
	k.count(i, esc)
	if !esc {
		return
	}
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
	case DistUniform:
		return d.Min + (d.Max-d.Min)*k.rnd.Float64()
	case DistConstant:
		return d.Value
	}
	return clamp01(d.sample(k.rnd, 0))
}

// choose is phase 2: true when state i escalates against j, by its
// decision rule. Revisionists always escalate.
func (k *cyber) choose(i, j int, s float64) bool {
	if k.revisionist[i] {
		return true
	}
	switch k.cfg.Decision.Rule {
	case RuleThreshold:
		// Axelrod (1986): escalate when the chance of being seen is below
		// the state's boldness.
		return s < k.bold[i]
	case RuleLogit:
		return agents.LogisticAbove(k.escalationLogit(i, j, s), k.rnd.Float64())
	case RuleReciprocal:
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

// escalationLogit is the logit rule of MODEL.md step 2 for state i
// against target j: the argument beta (G - D - C) of its Logistic, with the target's deterrence terms cached
// by refresh.
func (k *cyber) escalationLogit(i, j int, s float64) float64 {
	c := k.cfg
	t := &k.p[j]
	w := agents.ExpectedBelief(t.cAcc, k.p[i].cred, c.Attribution.Denial)
	d := agents.Deterrence(s, k.late, t.tpr, k.beliefP[i], c.Payoffs.Punishment, t.allies, t.tprPub, c.Payoffs.Reputation, w)
	legit := 0.0
	if k.adopted[i] {
		legit = k.legitimacy[i]
	}
	norm := agents.NormCost(c.Decision.Conformity, k.beliefR[i], c.Forum.CodifiedConformity, k.adopted[i], legit, k.sigma)
	return agents.EscalationLogit(c.Decision.Precision, agents.Gain(k.bold[i], c.Payoffs.Temptation), d, norm)
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
	k.p[i].payoff += p.Temptation
	k.p[j].payoff -= p.Harm
	if p.Spillover > 0 && k.rnd.Float64() < p.Spillover {
		k.spill(i, j)
	}
	k.victim(i, j, s)
}

// spill charges collateral damage to every other neighbour of victim j
// (not the attacker i). On a complete topology it is one running sum
// charged to everyone, so that it costs O(1) per incident.
func (k *cyber) spill(i, j int) {
	hc := k.cfg.Payoffs.Collateral
	if k.adj.Complete {
		k.steps.collAll += hc
		k.p[i].payoff += hc
		k.p[j].payoff += hc
		k.steps.collateral += hc * float64(k.n-2)
		return
	}
	for _, m := range k.adj.Neighbours(j) {
		if int(m) != i && int(m) != j {
			k.p[m].payoff -= hc
			k.steps.collateral += hc
		}
	}
}

// refresh recomputes the deterrence terms of each state as a target, which
// would-be attackers weigh (MODEL.md step 2), from the forensics,
// credibility and parameters of the end of the step: the chance to name a
// culprit, at all and publicly, with false flags mixed in (a planted flag
// makes the culprit's evidence that of an innocent); the expected
// credibility of its accusers, co-signers and joint investigators
// included (a noisy-OR at the mean credibility); and the expected number
// of others who join its response: co-signers of a public accusation and
// allies who join with alliance_solidarity times the expected belief W.
// It also sets the expected coverage of the public record, which beliefs
// correct for.
//
// The terms are refreshed for the states marked dirty (credibility
// changed; forensics exposed, or recovered by more than forensicsTol since
// the rates were computed), and for every state when the parameters changed
// (reconfigure) or the mean credibility has moved by more than credTol
// since the last full refresh: the credibility terms of the other states
// wait for it, which keeps the cost of a step off the states nothing
// happened to.
func (k *cyber) refresh() {
	a := &k.cfg.Attribution
	cbar := k.sumCred / float64(k.n)
	full := k.full || math.Abs(cbar-k.cbarUsed) > credTol
	if a.Joint && len(k.dirty) > 0 {
		full = true // a partner's forensics enter every bloc member's rates
	}
	if full {
		k.sumCred = 0
		for i := range k.n {
			k.sumCred += k.p[i].cred
		}
		cbar = k.sumCred / float64(k.n)
		k.cbarUsed, k.full = cbar, false
		if a.Joint {
			for i := range k.n {
				k.markDirty(i, dirtyRates)
			}
		}
	}
	k.logDoubt = math.Log1p(-math.Min(cbar, 1-1e-12))
	for _, i := range k.dirty {
		what := k.isDirty[i]
		if what&dirtyRates != 0 {
			k.rates(int(i))
		}
		if !full {
			k.credTerms(int(i), cbar, what&dirtyCred != 0)
		}
		k.isDirty[i] = 0
	}
	k.dirty = k.dirty[:0]
	if full {
		for i := range k.n {
			k.credTerms(i, cbar, true)
		}
	}
	r := a.Reporting
	k.coverage = k.seenMean * (r + (1-r)*k.pubSum/float64(k.n))
}

// Tolerances of refresh: how far the mean credibility may move before
// every state's credibility terms are recomputed ((1 - cbar)^m moves by at
// most m credTol / (1 - cbar) in between), and how far forensics that
// recover from exposure may move before a state's rates are (its rates
// then differ from the exact ones by at most 0.4 forensicsTol, the
// largest slope of 1 - Phi).
const (
	credTol      = 0.01
	forensicsTol = 0.005
)

// reconfigureRates re-derives the rates every state shares (the false
// positive rates, the discount of lateness) and asks refresh for a full
// refresh.
func (k *cyber) reconfigureRates() {
	a, d := &k.cfg.Attribution, &k.cfg.Decision
	tau := a.EvidenceStandard
	_, k.fpr = agents.Detection(0, tau)
	_, k.fprPub = agents.Detection(0, math.Max(tau, a.PublicStandard))
	k.lqFPR = math.Log1p(-k.fpr)
	k.curve.set(tau)
	k.curvePub.set(math.Max(tau, a.PublicStandard))
	k.late = agents.Late(d.Discount, a.Lag)
	k.full = true
	for i := range k.n {
		k.markDirty(i, dirtyRates)
	}
}

// rates recomputes state i's detection rates: its own, and as a target
// (with joint investigation and false flags).
func (k *cyber) rates(i int) {
	a := &k.cfg.Attribution
	ff := a.FalseFlag
	if a.Suspects == 0 {
		ff = 0
	}
	t := &k.p[i]
	own, ownPub := k.detection(k.dprime(i))
	tpr, tprPub := own, ownPub
	if a.Joint {
		tpr, tprPub = k.expectedRates(i)
	}
	t.tpr = (1-ff)*tpr + ff*k.fpr
	t.tprPub = (1-ff)*tprPub + ff*k.fprPub
	t.tprOwn = own
	k.fRated[i] = float32(k.forensics[i])
}

// credTerms recomputes the credibility-dependent deterrence terms of state
// i as a target, at mean credibility cbar (the accusers' credibility only
// when cred is set: the rest follows its rates), and its part of the
// public record's expected coverage.
func (k *cyber) credTerms(i int, cbar float64, cred bool) {
	a := &k.cfg.Attribution
	t := &k.p[i]
	size := k.blocSize(k.bloc[i]) - 1
	cos := float64(min(a.Cosigners, size)) * a.Cosign * t.cred // expected co-signers of a public accusation
	if cred {
		m := cos
		if a.Joint {
			m += float64(min(a.JointPartners, size))
		}
		// The accusers' expected doubt is (1 - c_t) (1 - cbar)^m over m
		// co-signers and joint investigators.
		t.cAcc = t.cred
		if m > 0 {
			t.cAcc = 1 - (1-t.cred)*math.Exp(m*k.logDoubt)
		}
	}
	w := agents.ExpectedBelief(t.cAcc, cbar, a.Denial)
	t.allies = k.cfg.Response.AllianceSolidarity * w * float64(size)
	if t.tpr > 0 && cos > 0 {
		t.allies += cos * t.tprPub / t.tpr
	}
	pub := float32(t.tprPub * w)
	k.pubSum += float64(pub - k.pub[i])
	k.pub[i] = pub
}

// expectedRates returns the chance that victim i names a culprit at all
// and publicly, by signal detection on its d' (MODEL.md step 4); with
// joint investigation, at the expected pooled d' = sqrt(d_i^2 + k mean
// d_j^2) over k partners of its bloc, so that would-be attackers are
// deterred by joint attribution as much as they are exposed by it.
func (k *cyber) expectedRates(i int) (tpr, tprPub float64) {
	a := &k.cfg.Attribution
	sum := k.dprime(i)
	sum *= sum
	if a.Joint {
		b := k.bloc[i]
		if others := k.blocSize(b) - 1; others > 0 {
			all := 0.0
			for _, m := range k.blocMem[k.blocOff[b]:k.blocOff[b+1]] {
				if int(m) != i {
					d := k.dprime(int(m))
					all += d * d
				}
			}
			sum += float64(min(a.JointPartners, others)) * all / float64(others)
		}
	}
	return k.detection(math.Sqrt(sum))
}

// detection returns the true positive rates of an evidence strength d', at
// all and publicly (the larger of the two standards), from the tabulated
// curves.
func (k *cyber) detection(d float64) (tpr, tprPub float64) {
	return k.curve.at(d), k.curvePub.at(d)
}

// dprime is state i's current sensitivity: its forensics plus the private
// sector's boost, at least 0.
func (k *cyber) dprime(i int) float64 {
	if d := k.forensics[i] + k.cfg.Attribution.PrivateSectorBoost; d > 0 {
		return d
	}
	return 0
}

// What a state's refresh must recompute.
const (
	dirtyRates uint8 = 1 << iota // its forensics changed
	dirtyCred                    // its credibility changed
)

// markDirty asks refresh to recompute what changed at state i.
func (k *cyber) markDirty(i int, what uint8) {
	if k.isDirty[i] == 0 {
		k.dirty = append(k.dirty, int32(i))
	}
	k.isDirty[i] |= what
}

// meanSeen returns E[S], the mean chance that an operation is seen: exact
// for constant and uniform S, otherwise estimated from 4096 draws of a
// stream of its own (so that it does not disturb the world's).
func meanSeen(d *Dist) float64 {
	switch d.Kind {
	case DistConstant:
		return clamp01(d.Value)
	case DistUniform:
		return clamp01((d.Min + d.Max) / 2)
	}
	r := rand.New(rand.NewPCG(0x5eed, 0xc0ffee))
	s := 0.0
	for i := range 4096 {
		s += clamp01(d.sample(r, i))
	}
	return s / 4096
}
