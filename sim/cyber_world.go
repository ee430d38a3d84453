package sim

import (
	"math"
	"slices"
)

// allocate makes every per-state buffer once per replicate.
func (k *cyber) allocate() {
	n := k.n
	f := func() []float64 { return make([]float64, n) }
	f32 := func() []float32 { return make([]float32, n) }
	i32 := func() []int32 { return make([]int32, n) }
	k.p = make([]peer, n)
	k.power, k.inflow, k.forensics0, k.forensics = f(), f(), f(), f()
	k.pub, k.fRated = make([]float32, n), make([]float32, n)
	k.bold = f()
	k.counts, k.beliefR, k.beliefP = make([]counts, n), f(), f()
	k.acc, k.newBold, k.newVenge = f(), f(), f()
	k.bloc = i32()
	if k.cfg.Forum.Every > 0 {
		k.stringency, k.threshold, k.legitimacy, k.forumW = f(), f(), f(), f()
		k.poolE, k.poolO = f32(), f32()
	}
	switch k.cfg.Learning.Rule {
	case LearnReinforcement:
		k.tally = make([]tally, n)
	case LearnAxelrod:
		k.parents = i32()
	}
	k.revisionist, k.adopted, k.isDirty = make([]bool, n), make([]bool, n), make([]uint8, n)
	k.tercile, k.last = make([]uint8, n), make([]uint8, n)
	k.stamp = make([]uint32, n)
	k.forumPart, k.changes, k.dirty = make([]int32, 0, n), make([]int32, 0, n), make([]int32, 0, n)
	k.partners = make([]int32, 0, min(k.cfg.Attribution.JointPartners, n)) // never more than the bloc
	k.cosigners = make([]int32, 0, min(k.cfg.Attribution.Cosigners, n))
	k.steps.ownSeen, k.steps.ownRespN, k.steps.ownRespHit = f32(), f32(), f32()
}

// populate draws every state's attributes (MODEL.md, World): power, bloc,
// forensics, traits, credibility, preferences and initial beliefs, in
// index order; then the power links, the revisionists and the initial
// escalators.
func (k *cyber) populate() {
	w, e := &k.cfg.World, &k.cfg.Expectations
	for i := range k.n {
		if i&0xffff == 0 && stopped(k.stop) {
			return // the construction is given up (newCyberKernel checks)
		}
		k.power[i] = w.Power.sample(k.rnd, i)
		k.bloc[i] = int32(i % max(1, w.Blocs))
		if len(w.BlocOf) == k.n {
			k.bloc[i] = int32(w.BlocOf[i])
		}
		k.forensics0[i] = math.Max(0, w.Forensics.sample(k.rnd, i))
		k.bold[i] = clamp01(w.Boldness.sample(k.rnd, i))
		k.p[i].venge = clamp01(w.Vengefulness.sample(k.rnd, i))
		k.p[i].cred = k.cfg.Credibility.Initial
		// Drawn in every world, kept where there are forums, so that
		// worlds with and without forums share their random numbers.
		s, th := w.Stringency.sample(k.rnd, i), w.Threshold.sample(k.rnd, i)
		if k.stringency != nil {
			k.stringency[i], k.threshold[i] = clamp01(s), clamp01(th)
		}
		k.initBeliefs(i, clamp01(e.InitialRestraint+e.InitialSpread*k.rnd.NormFloat64()),
			clamp01(e.InitialResponse+e.InitialSpread*k.rnd.NormFloat64()))
	}
	k.powerLinks()
	k.buildBlocs()
	k.drawRevisionists()
	initialEscalators(k.cfg, k.rnd, func(i int) { k.bold[i] = 1 })
	for i := range k.n {
		k.totalPower += k.power[i]
		k.sumForensics += k.forensics[i]
		if !k.revisionist[i] {
			k.terN[k.tercile[i]]++
		}
	}
	k.traitSums()
}

// traitSums sums the traits for the recorded row (after every change).
func (k *cyber) traitSums() {
	k.sumBold, k.sumVenge = 0, 0
	for i := range k.n {
		k.sumBold += k.bold[i]
		k.sumVenge += k.p[i].venge
	}
}

// powerLinks applies the power-linked attributes of MODEL.md: forensics
// scale with (p / mean p)^phi, preferred stringency falls by slope ln(p /
// median p), and the power terciles.
func (k *cyber) powerLinks() {
	w := &k.cfg.World
	order := make([]int32, k.n)
	mean := 0.0
	for i := range k.n {
		order[i] = int32(i)
		mean += k.power[i] / float64(k.n)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmpFloat(k.power[a], k.power[b]) })
	median := k.power[order[k.n/2]]
	if k.n%2 == 0 {
		median = (median + k.power[order[k.n/2-1]]) / 2
	}
	for rank, i := range order {
		k.tercile[i] = uint8(3 * rank / k.n)
		if phi := w.ForensicsPowerExponent; phi != 0 {
			k.forensics0[i] *= math.Pow(k.power[i]/mean, phi)
		}
		if sl := w.StringencyPowerSlope; sl != 0 && k.stringency != nil {
			k.stringency[i] = clamp01(k.stringency[i] - sl*math.Log(k.power[i]/median))
		}
	}
	copy(k.forensics, k.forensics0)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// drawRevisionists marks the revisionists: the listed states, or an exact
// number drawn without replacement (a partial Fisher-Yates shuffle).
// Revisionists start bold and never adopt.
func (k *cyber) drawRevisionists() {
	w := &k.cfg.World
	if len(w.RevisionistList) > 0 {
		for _, i := range w.RevisionistList {
			k.revisionist[i] = true
		}
	} else if w.Revisionists > 0 {
		idx := make([]int32, k.n)
		for i := range idx {
			idx[i] = int32(i)
		}
		for j := range min(w.Revisionists, k.n) {
			r := j + k.rnd.IntN(k.n-j)
			idx[j], idx[r] = idx[r], idx[j]
			k.revisionist[idx[j]] = true
		}
	}
	for i := range k.n {
		if k.revisionist[i] {
			k.bold[i] = 1
		}
	}
}

// buildBlocs lists the members of each bloc (CSR).
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

// blocSize returns the number of members of b.
func (k *cyber) blocSize(b int32) int { return int(k.blocOff[b+1] - k.blocOff[b]) }

// capabilities sets each state's chance to take up an opportunity:
// min(1, rate w_i) with w_i = N p_i^gamma / sum_j p_j^gamma (MODEL.md
// step 1); with gamma = 0, w_i = 1 and the chance is the rate for all
// (take is nil).
func (k *cyber) capabilities() {
	o := &k.cfg.Opportunity
	if o.PowerExponent == 0 {
		k.take = nil
		return
	}
	if k.take == nil {
		k.take = make([]float64, k.n)
	}
	sum := 0.0
	for i := range k.n {
		sum += math.Pow(k.power[i], o.PowerExponent)
	}
	for i := range k.n {
		k.take[i] = math.Min(1, o.Rate*float64(k.n)*math.Pow(k.power[i], o.PowerExponent)/sum)
	}
}

// inflows sets each state's expected exposure: the opportunities aimed at
// it per step, sum over neighbours j of per_step take_j / deg_j (or
// per_step take_j when an escalation hurts every neighbour), times the
// detection rate the state assumes, 1 - correction (1 - E[S]): the
// opportunities its beliefs count it could have seen (MODEL.md step 8).
func (k *cyber) inflows() {
	k.seenMean = meanSeen(&k.cfg.Opportunity.Seen)
	defer func() {
		seen := 1 - k.cfg.Expectations.Correction*(1-k.seenMean)
		for i := range k.inflow {
			k.inflow[i] *= seen
		}
	}()
	per := float64(k.cfg.Opportunity.PerStep)
	all := k.cfg.Opportunity.Targets == TargetsAll
	k.oppsExp = 0
	for j := range k.n {
		k.oppsExp += per * k.chance(j)
	}
	if k.adj.Complete {
		total := k.oppsExp
		for i := range k.n {
			other := total - per*k.chance(i)
			if all {
				k.inflow[i] = other
			} else if k.n > 1 {
				k.inflow[i] = other / float64(k.n-1)
			}
		}
		return
	}
	clear(k.inflow)
	for j := range k.n {
		nb := k.adj.Neighbours(j)
		if len(nb) == 0 {
			continue
		}
		x := per * k.chance(j)
		if !all {
			x /= float64(len(nb))
		}
		for _, i := range nb {
			if int(i) != j {
				k.inflow[i] += x
			}
		}
	}
}

// chance is state i's chance to take up an opportunity.
func (k *cyber) chance(i int) float64 {
	if k.take == nil {
		return k.cfg.Opportunity.Rate
	}
	return k.take[i]
}

// neighbourPower sums each state's neighbours' power, the denominator of
// the power-weighted adoption share a cascade compares with a threshold.
func (k *cyber) neighbourPower() {
	if k.adj.Complete || k.stringency == nil {
		return // no text can be in force without forums
	}
	k.nbAdopt, k.nbPower = make([]float64, k.n), make([]float64, k.n)
	for i := range k.n {
		for _, j := range k.adj.Neighbours(i) {
			if int(j) != i {
				k.nbPower[i] += k.power[j]
			}
		}
	}
}

// clamp01 clamps x to [0, 1] (NaN stays NaN); by comparisons, which are
// cheaper than math.Min and math.Max in the hot loops.
func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}
