package sim

// Phase 8: expectations as discounted counts (MODEL.md step 8).
//
// State i keeps E_i, the escalations it counts, and O_i, the
// opportunities it could have seen, both discounted by 1 - alpha per step,
// and believes that others hold back with r_i = clamp(1 - E_i / O_i, 0, 1).
// Each step it adds:
//
//   - its own incidents: every detected incident against it (attributed
//     or not, a background incident looks the same) and every punishment
//     it suffered as an innocent, against its expected exposure (the
//     opportunities aimed at it) times the detection rate it assumes;
//   - the public record, as expectations.public_weight observations: the
//     incidents made public this step (a reported incident counts 1, one
//     only accused publicly counts the largest weight W its accusations
//     are believed with; each incident once; a misrepresentation counts
//     its W) over the world's expected opportunities times the coverage it
//     assumes.
//
// The assumed detection rate and coverage are 1 - correction (1 - true
// rate): with expectations.correction = 1 the estimate is unbiased, with
// 0 what is not seen looks like restraint. The response belief rho_i is
// the discounted share of accusations followed by a response, from those
// the state made or publicly suffered and the believed public ones
// (weighted by W), as public_weight observations. Initial counts encode
// the initial beliefs with a prior weight of 1/alpha observations. With
// alpha = 0 beliefs do not move.

// initBeliefs sets i's counts to beliefs r and rho with the prior weight.
func (k *cyber) initBeliefs(i int, r, rho float64) {
	w := 1.0
	if a := k.cfg.Expectations.Smoothing; a > 0 {
		w = 1 / a
	}
	k.oppCount[i], k.escCount[i] = w, (1-r)*w
	k.respN[i], k.respHit[i] = w, rho*w
	k.beliefR[i], k.beliefP[i] = r, rho
}

// setBelief moves i's restraint and response beliefs to r and rho,
// keeping the weight of its counts (forums pull beliefs directly).
func (k *cyber) setBelief(i int, r, rho float64) {
	k.escCount[i] = (1 - r) * k.oppCount[i]
	k.respHit[i] = rho * k.respN[i]
	k.beliefR[i], k.beliefP[i] = r, rho
}

// expectations is phase 8 for every state that is not a revisionist
// (revisionists' beliefs move nothing). The own counts are also kept for
// the next forum, which pools them.
func (k *cyber) expectations() {
	e := &k.cfg.Expectations
	alpha := e.Smoothing
	if alpha <= 0 {
		return
	}
	s := &k.steps
	keep := 1 - alpha
	pw := e.PublicWeight
	pubR, pubP := 0.0, 0.0
	hasR, hasP := false, false
	if cov := 1 - e.Correction*(1-k.coverage); pw > 0 && k.oppsExp*cov > 0 {
		pubR, hasR = s.pubRecord/(k.oppsExp*cov), true
	}
	if pw > 0 && s.pubAccW > 0 {
		pubP, hasP = s.pubRespW/s.pubAccW, true
	}
	for i := range k.n {
		if k.revisionist[i] {
			continue
		}
		own := k.inflow[i] // times the detection rate it assumes (inflows)
		k.escCount[i] = keep*k.escCount[i] + float64(s.ownSeen[i])
		k.oppCount[i] = keep*k.oppCount[i] + own
		if hasR {
			k.escCount[i] += pw * pubR
			k.oppCount[i] += pw
		}
		k.respHit[i] = keep*k.respHit[i] + float64(s.ownRespHit[i])
		k.respN[i] = keep*k.respN[i] + float64(s.ownRespN[i])
		if hasP {
			k.respHit[i] += pw * pubP
			k.respN[i] += pw
		}
		if k.oppCount[i] > 0 {
			k.beliefR[i] = clamp01(1 - k.escCount[i]/k.oppCount[i])
		}
		if k.respN[i] > 0 {
			k.beliefP[i] = clamp01(k.respHit[i] / k.respN[i])
		}
		if k.oppCount[i] < 1e-200 { // no observation for ages: keep the ratio, not denormals
			k.escCount[i], k.oppCount[i] = k.escCount[i]*1e100, k.oppCount[i]*1e100
		}
		if k.respN[i] < 1e-200 {
			k.respHit[i], k.respN[i] = k.respHit[i]*1e100, k.respN[i]*1e100
		}
		if k.poolE != nil {
			k.poolE[i] += s.ownSeen[i]
			k.poolO[i] += float32(own)
		}
	}
}
