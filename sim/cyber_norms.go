package sim

import "math"

// Phases 9 and 10: forums that pool reports, pull beliefs together and
// negotiate a norm text; cascades of adoption and renunciation.

// forum is phase 9. Participants (each state that is not a revisionist,
// with probability forum.inclusivity, from the listed blocs only when
// forum.blocs is set) pool the incident counts they gathered since their
// last forum and all learn the pooled restraint (one step of weight
// alpha); then each moves towards the voice-weighted consensus, E_i <- (1 -
// lambda_i) E_i + lambda_i sum_j w_j E_j, with w_j proportional to
// power_j^dominance (DeGroot 1974); with buy-in, lambda_i = lambda min(1,
// w_i n), so a state whose voice is below its fair share 1/n buys in less.
// Then they negotiate (see negotiate). Revisionists stay away: they want
// no norm.
func (k *cyber) forum() {
	f := &k.cfg.Forum
	k.forumMet = true
	k.forumHeld++
	k.forumPart = k.forumPart[:0]
	for i := range k.n {
		if k.revisionist[i] || len(f.Blocs) > 0 && !containsInt(f.Blocs, int(k.bloc[i])) {
			continue
		}
		if f.Inclusivity >= 1 || k.rnd.Float64() < f.Inclusivity {
			k.forumPart = append(k.forumPart, int32(i))
		}
	}
	np := len(k.forumPart)
	if np == 0 {
		k.forumFailed = true
		return
	}
	k.pool()
	wsum := 0.0
	for _, i := range k.forumPart {
		w := 1.0
		if f.Dominance != 0 {
			w = math.Pow(k.power[i], f.Dominance)
		}
		k.forumW[i] = w
		wsum += w
	}
	var cR, cP float64
	for _, i := range k.forumPart {
		k.forumW[i] /= wsum
		cR += k.forumW[i] * k.beliefR[i]
		cP += k.forumW[i] * k.beliefP[i]
	}
	for _, i := range k.forumPart {
		lambda := f.Pull * k.buyIn(int(i), np)
		k.setBelief(int(i), (1-lambda)*k.beliefR[i]+lambda*cR, (1-lambda)*k.beliefP[i]+lambda*cP)
	}
	k.negotiate(np)
}

// buyIn is a participant's voice share over its fair share 1/np, capped at
// 1, with forum.buy_in; 1 without.
func (k *cyber) buyIn(i, np int) float64 {
	if !k.cfg.Forum.BuyIn {
		return 1
	}
	return math.Min(1, k.forumW[i]*float64(np))
}

// pool shares the participants' own incident counts since their last
// forum: each learns the pooled restraint with weight alpha.
func (k *cyber) pool() {
	var e, o float64
	for _, i := range k.forumPart {
		e += float64(k.poolE[i])
		o += float64(k.poolO[i])
	}
	alpha := k.cfg.Expectations.Smoothing
	for _, i := range k.forumPart {
		if o > 0 {
			r := k.beliefR[i] + alpha*(clamp01(1-e/o)-k.beliefR[i])
			k.setBelief(int(i), r, k.beliefP[i])
		}
		k.poolE[i], k.poolO[i] = 0, 0
	}
}

// negotiate is the second half of phase 9: the proposed text is the
// voice-weighted mean of the participants' preferred stringencies,
// sigma* = sum_j w_j s_j; participant j accepts when |sigma* - s_j| <=
// forum.tolerance; the forum succeeds when the share accepting is at least
// forum.consensus. On success sigma* is the text in force, the accepting
// participants adopt it, and each sets its legitimacy to its voice share
// over its fair share, capped at 1 (forum.buy_in; without it, 1). On
// failure nothing is adopted.
func (k *cyber) negotiate(np int) {
	f := &k.cfg.Forum
	sigma := 0.0
	for _, i := range k.forumPart {
		sigma += k.forumW[i] * k.stringency[i]
	}
	accept := 0
	for _, i := range k.forumPart {
		if math.Abs(sigma-k.stringency[i]) <= f.Tolerance+1e-12 {
			accept++
		}
	}
	if float64(accept) < f.Consensus*float64(np)-1e-9 {
		k.forumFailed = true
		return
	}
	k.forumSuccess++
	k.sigma, k.hasText = sigma, true
	for _, i := range k.forumPart {
		if math.Abs(sigma-k.stringency[i]) <= f.Tolerance+1e-12 {
			k.setAdopted(int(i), true)
			k.setLegitimacy(int(i), k.buyIn(int(i), np))
		}
	}
}

// normDynamics is phase 10, every norms.every steps once a text is in
// force, for every state that is not a revisionist, all at once from the
// state of the round before (so that a cascade unfolds round by round, as
// an S-curve): a non-adopter adopts when the power-weighted share of
// adopters among its neighbours is at least its threshold (Granovetter
// 1978), with legitimacy norms.outsider_legitimacy; an adopter renounces
// when its restraint belief falls below norms.renounce_below.
func (k *cyber) normDynamics() {
	nm := &k.cfg.Norms
	k.changes = k.changes[:0]
	for i := range k.n {
		switch {
		case k.revisionist[i]:
		case !k.adopted[i] && k.adoptionShare(i) >= k.threshold[i]:
			k.changes = append(k.changes, int32(i))
		case k.adopted[i] && k.beliefR[i] < nm.RenounceBelow:
			k.changes = append(k.changes, int32(i))
		}
	}
	for _, i := range k.changes {
		on := !k.adopted[i]
		k.setAdopted(int(i), on)
		if on {
			k.setLegitimacy(int(i), nm.OutsiderLegitimacy)
		}
	}
}

// adoptionShare is the power-weighted share of adopters among i's
// neighbours (0 when it has none): O(1) from running sums.
func (k *cyber) adoptionShare(i int) float64 {
	if k.adj.Complete {
		own := 0.0
		if k.adopted[i] {
			own = k.power[i]
		}
		if rest := k.totalPower - k.power[i]; rest > 0 {
			return (k.adoptPower - own) / rest
		}
		return 0
	}
	if k.nbPower[i] > 0 {
		return k.nbAdopt[i] / k.nbPower[i]
	}
	return 0
}

// setLegitimacy sets i's legitimacy, keeping the adopters' sum.
func (k *cyber) setLegitimacy(i int, l float64) {
	if k.adopted[i] {
		k.legitSum += l - k.legitimacy[i]
	}
	k.legitimacy[i] = l
}

// setAdopted sets i's adoption and keeps the running sums of adopters'
// power: global on a complete topology, per neighbour otherwise.
func (k *cyber) setAdopted(i int, on bool) {
	if k.adopted[i] == on {
		return
	}
	k.adopted[i] = on
	d, sign := k.power[i], 1.0
	if !on {
		d, sign = -d, -1
		k.legitSum -= k.legitimacy[i]
	} else {
		k.legitSum += k.legitimacy[i]
	}
	k.adoptPower += d
	k.adoptN += sign
	if !k.revisionist[i] {
		k.adoptT[k.tercile[i]] += sign
	}
	if k.adj.Complete {
		return
	}
	for _, j := range k.adj.Neighbours(i) {
		if int(j) != i {
			k.nbAdopt[j] += d
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
