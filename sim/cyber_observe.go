package sim

import "math"

// observe fills row with the step's counts and the population's state
// (MODEL.md "What the stepper records"). Beliefs are averaged over the
// states that are not revisionists; traits, credibility, forensics and
// payoffs over all.
func (k *cyber) observe(row *Row) {
	clearRow(row)
	s := &k.steps
	var sR, sR2, sP, sP2, nc float64
	for i := range k.n {
		if k.revisionist[i] {
			continue
		}
		r, p := k.beliefR[i], k.beliefP[i]
		sR += r
		sR2 += r * r
		sP += p
		sP2 += p * p
		nc++
	}
	n := float64(k.n)
	row[RestraintRate] = 1 - rate(float64(s.esc), float64(s.opps))
	row[RestraintCompliant] = 1 - rate(float64(s.escC), float64(s.oppsC))
	for t, m := range [3]Metric{RestraintLow, RestraintMid, RestraintHigh} {
		row[m] = 1 - rate(float64(s.escT[t]), float64(s.oppsT[t]))
	}
	for t, m := range [3]Metric{AdoptionLow, AdoptionMid, AdoptionHigh} {
		if k.terN[t] > 0 {
			row[m] = k.adoptT[t] / k.terN[t]
		}
	}
	row[Opportunities] = float64(s.opps)
	row[Escalations] = float64(s.esc)
	row[Detections] = float64(s.det)
	row[Reported] = float64(s.reported)
	row[TrueAccusations] = float64(s.trueAcc)
	row[FalseAccusations] = float64(s.falseAcc)
	row[PublicAccusations] = float64(s.pubAcc)
	row[PrivateAccusations] = float64(s.privAcc)
	row[Cosigned] = float64(s.cosigned)
	row[Denied] = float64(s.denied)
	row[Misrepresentations] = float64(s.misrep)
	row[Responses] = float64(s.resp)
	row[Spirals] = float64(s.spirals)
	row[SpiralLength] = rate(float64(s.spiralLen), float64(s.spirals))
	row[Collateral] = s.collateral
	if nc > 0 {
		mR, mP := sR/nc, sP/nc
		row[BeliefRestraintMean] = mR
		row[BeliefRestraintSD] = math.Sqrt(math.Max(0, sR2/nc-mR*mR))
		row[BeliefResponseMean] = mP
		row[BeliefResponseSD] = math.Sqrt(math.Max(0, sP2/nc-mP*mP))
		row[ExpectationGap] = mR - row[RestraintCompliant]
	}
	row[Adoption] = k.adoptN / n
	row[AdoptionPower] = clamp01(k.adoptPower / k.totalPower) // a running sum: no rounding above 1
	if k.hasText {
		row[Stringency] = k.sigma
	}
	row[LegitimacyMean] = rate(k.legitSum, k.adoptN)
	row[BoldnessMean] = k.sumBold / n
	row[VengefulnessMean] = k.sumVenge / n
	row[CredibilityMean] = k.sumCred / n
	row[ForensicsMean] = k.sumForensics / n
	row[PayoffMean] = s.meanPay
	if k.forumMet {
		row[ForumMarker] = 1
	}
	if k.forumFailed {
		row[ForumFailed] = 1
	}
}
