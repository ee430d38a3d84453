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

// counts are a state's belief counts: the escalations it counts and the
// opportunities it could have seen (the restraint belief), the accusations
// followed by a response and all it weighed (the response belief).
type counts struct{ esc, opp, hit, n float64 }

// initBeliefs sets i's counts to beliefs r and rho with the prior weight.
func (k *cyber) initBeliefs(i int, r, rho float64) {
	w := 1.0
	if a := k.cfg.Expectations.Smoothing; a > 0 {
		w = 1 / a
	}
	k.counts[i] = counts{esc: (1 - r) * w, opp: w, hit: rho * w, n: w}
	k.beliefR[i], k.beliefP[i] = r, rho
}

// setBelief moves i's restraint and response beliefs to r and rho,
// keeping the weight of its counts (forums pull beliefs directly).
func (k *cyber) setBelief(i int, r, rho float64) {
	c := &k.counts[i]
	c.esc, c.hit = (1-r)*c.opp, rho*c.n
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
	// The public record's part, the same for every state: pw observations
	// of the escalation rate it shows, and of the share of believed public
	// accusations that were answered.
	var pubE, pubO, pubH, pubN float64
	if cov := 1 - e.Correction*(1-k.coverage); pw > 0 && k.oppsExp*cov > 0 {
		pubE, pubO = pw*s.pubRecord/(k.oppsExp*cov), pw
	}
	if pw > 0 && s.pubAccW > 0 {
		pubH, pubN = pw*s.pubRespW/s.pubAccW, pw
	}
	n := k.n
	cs, rev, inflow := k.counts[:n], k.revisionist[:n], k.inflow[:n]
	seen, rn, rh := s.ownSeen[:n], s.ownRespN[:n], s.ownRespHit[:n]
	br, bp := k.beliefR[:n], k.beliefP[:n]
	for i := range cs {
		if rev[i] {
			continue
		}
		c := &cs[i]
		c.esc = keep*c.esc + float64(seen[i]) + pubE
		c.opp = keep*c.opp + inflow[i] + pubO // inflow: the exposure times the detection rate assumed
		c.hit = keep*c.hit + float64(rh[i]) + pubH
		c.n = keep*c.n + float64(rn[i]) + pubN
		if c.opp > 0 {
			br[i] = clamp01(1 - c.esc/c.opp)
		}
		if c.n > 0 {
			bp[i] = clamp01(c.hit / c.n)
		}
		if c.opp < 1e-200 || c.n < 1e-200 { // no observation for ages: keep the ratios, not denormals
			c.esc, c.opp, c.hit, c.n = c.esc*1e100, c.opp*1e100, c.hit*1e100, c.n*1e100
		}
	}
	if k.poolE != nil {
		for i := range k.poolE {
			k.poolE[i] += s.ownSeen[i]
			k.poolO[i] += float32(k.inflow[i])
		}
	}
}
