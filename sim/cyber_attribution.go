package sim

import (
	"math"

	"github.com/normsim/normsim/agents"
)

// Phase 4: detection, reporting and attribution, the lag before an
// accusation takes effect, background incidents and misrepresentation.

// victim is phase 4 for victim j of an escalation by i seen with chance
// s: j detects it with chance s, counts it as an escalation whether or
// not it can name anyone, may report it publicly, and attributes it.
func (k *cyber) victim(i, j int, s float64) {
	if k.rnd.Float64() >= s {
		if k.mem != nil { // undetected: it looks like restraint to the victim
			k.percepts = append(k.percepts, percept{observer: int32(j), actor: int32(i)})
		}
		return
	}
	reported := k.detected(j)
	if !k.attribute(j, i, s, reported) && k.mem != nil {
		k.percepts = append(k.percepts, percept{observer: int32(j), actor: int32(i)})
	}
}

// detected records a detected incident against v (MODEL.md step 8: an
// escalation in v's own count, attributed or not) and reports it publicly
// with chance attribution.reporting: it enters the public record, naming
// nobody.
func (k *cyber) detected(v int) (reported bool) {
	s := &k.steps
	s.det++
	s.ownSeen[v]++
	if r := k.cfg.Attribution.Reporting; r > 0 && k.rnd.Float64() < r {
		s.reported++
		s.pubRecord++
		return true
	}
	return false
}

// attribute is the signal-detection attribution of phase 4 by victim v of
// an incident by culprit c (c < 0: a background incident with no state
// culprit). The culprit and attribution.suspects innocent neighbours of v
// are candidates; a candidate's evidence x is Normal(d', 1) if it points at
// them and Normal(0, 1) otherwise, and v accuses those with x > tau,
// publicly those with x > tau_pub. One uniform draw u per candidate gives
// both: named when u < 1 - Phi(tau - mu), public when u < 1 - Phi(tau_pub -
// mu). A false flag (attribution.false_flag) makes the culprit's evidence
// point at one of the innocents instead. The innocents are exchangeable, so
// only those who are named are drawn. Every accusation of the incident
// waits the same lag (geometric, mean attribution.lag). It reports whether
// the culprit was named.
func (k *cyber) attribute(v, c int, s float64, reported bool) bool {
	a := &k.cfg.Attribution
	k.partners = k.partners[:0]
	tpr, d := k.p[v].tprOwn, -1.0
	if a.Joint {
		d = k.jointDPrime(v)
		tpr, _ = k.detection(d)
	}
	// The public rate is looked up only when someone is named.
	pubRate := func() float64 {
		if d < 0 {
			d = k.dprime(v)
		}
		return k.curvePub.at(d)
	}
	k.incident++
	lag := k.pending.draw(k.rnd)
	innocents := a.Suspects
	flag := c >= 0 && innocents > 0 && a.FalseFlag > 0 && k.rnd.Float64() < a.FalseFlag
	named := false
	if c >= 0 {
		if u := k.rnd.Float64(); !flag && u < tpr {
			named = true
			k.accuse(v, c, true, u < pubRate(), s, lag, reported)
		} else if flag && u < k.fpr {
			named = true
			k.accuse(v, c, true, u < k.fprPub, s, lag, reported)
		}
	}
	// The innocents named: the false flag's scapegoat with the culprit's
	// rates, the others with the false positive rates.
	k.stampNow++
	k.stamp[v] = k.stampNow
	if c >= 0 {
		k.stamp[c] = k.stampNow
	}
	if flag {
		innocents--
		if u := k.rnd.Float64(); u < tpr {
			k.accuseInnocent(v, u < pubRate(), s, lag, reported)
		}
	}
	for range k.namedInnocents(innocents) {
		k.accuseInnocent(v, k.rnd.Float64()*k.fpr < k.fprPub, s, lag, reported)
	}
	return named
}

// namedInnocents draws how many of n innocents are named, each with the
// false positive rate.
func (k *cyber) namedInnocents(n int) int {
	if n >= 4 && k.fpr <= 0.5 {
		return binomialSkip(k.rnd, n, k.lqFPR) // geometric skips: a draw and a log a name, and one more
	}
	named := 0
	for range n {
		if k.rnd.Float64() < k.fpr {
			named++
		}
	}
	return named
}

// accuseInnocent accuses an innocent neighbour of v that is not yet part
// of the incident (a small neighbourhood may have none left).
func (k *cyber) accuseInnocent(v int, public bool, s float64, lag int, reported bool) {
	for try := 0; try < 32; try++ {
		x := k.adj.Random(v, k.rnd)
		if x >= 0 && k.stamp[x] != k.stampNow {
			k.stamp[x] = k.stampNow
			k.accuse(v, x, false, public, s, lag, reported)
			return
		}
	}
}

// jointDPrime is the sensitivity when v pools its evidence with
// attribution.joint_partners distinct other members of its bloc drawn at
// random (fewer if the bloc is smaller): d' = sqrt(sum d_j^2) over the
// pooled states, the sensitivity of independent evidence combined. The
// partners are kept in k.partners: they accuse with v.
func (k *cyber) jointDPrime(v int) float64 {
	a := &k.cfg.Attribution
	d := k.dprime(v)
	sum := d * d
	b := k.bloc[v]
	lo, hi := k.blocOff[b], k.blocOff[b+1]
	partners := min(a.JointPartners, int(hi-lo)-1)
	if partners > 0 {
		k.stampNow++
		k.stamp[v] = k.stampNow
		for range partners {
			m := v
			for k.stamp[m] == k.stampNow {
				m = int(k.blocMem[lo+k.rnd.Int32N(hi-lo)])
			}
			k.stamp[m] = k.stampNow
			k.partners = append(k.partners, int32(m))
			dm := k.dprime(m)
			sum += dm * dm
		}
	}
	return math.Sqrt(sum)
}

// accuse queues v's accusation of a (with the incident's joint partners)
// to take effect lag steps from now.
func (k *cyber) accuse(v, a int, correct, public bool, s float64, lag int, reported bool) {
	k.pending.push(k.t+lag, accusation{
		accuser: int32(v), accused: int32(a), incident: k.incident, s: float32(s),
		correct: correct, public: public, reported: reported,
	}, k.partners)
}

// background is the non-state part of phase 4: each state suffers an
// incident with probability attribution.background_rate (drawn by
// geometric skips, exact); a victim that detects one counts it as an
// escalation (it looks the same) and may wrongly name innocents.
func (k *cyber) background() {
	p := k.cfg.Attribution.BackgroundRate
	if p <= 0 {
		return
	}
	incident := func(v int) {
		s := k.seen()
		if k.rnd.Float64() >= s {
			return
		}
		reported := k.detected(v)
		k.attribute(v, -1, s, reported)
	}
	if p >= 1 {
		for v := range k.n {
			incident(v)
		}
		return
	}
	lq := math.Log1p(-p)
	for v := geometric(k.rnd, lq); v < k.n; v += geometric(k.rnd, lq) + 1 {
		incident(v)
	}
}

// misrepresent is the opportunistic side of phase 4: each state, with
// chance attribution.misrepresentation times its boldness per step,
// publicly accuses a random state of another bloc with no incident behind
// it, for the political gain payoffs.misrepresentation. Partners may
// co-sign, the accused may deny, the accusation costs the accused R W and
// enters the public record like any other (with no response behind it),
// and verification may catch it, which costs its authors credibility.
func (k *cyber) misrepresent() {
	m := k.cfg.Attribution.Misrepresentation
	if m <= 0 || len(k.blocOff) < 3 {
		return // no chance, or no other bloc
	}
	lq := math.Log1p(-m)
	for i := geometric(k.rnd, lq); i < k.n; i += geometric(k.rnd, lq) + 1 {
		if m >= 1 || k.rnd.Float64() < k.bold[i] {
			k.misrepresentation(i)
		}
	}
}

func (k *cyber) misrepresentation(i int) {
	var a int
	for {
		a = k.rnd.IntN(k.n)
		if k.bloc[a] != k.bloc[i] {
			break
		}
	}
	s := &k.steps
	s.misrep++
	k.p[i].payoff += k.cfg.Payoffs.Misrepresentation
	k.partners = k.partners[:0]
	w := k.publicWeight(i, a)
	s.pubRecord += w
	s.pubAccW += w
	if r := k.cfg.Credibility; r.Verification > 0 && k.rnd.Float64() < r.Verification {
		k.verified(i, false, r.Rate)
		for _, c := range k.cosigners {
			k.verified(int(c), false, r.Rate)
		}
	}
}

// publicWeight makes i's accusation of a public (MODEL.md step 4): bloc
// partners co-sign (into k.cosigners), the accused may deny, and the
// accusation, believed with weight W, costs the accused R W. It returns W.
func (k *cyber) publicWeight(i, a int) float64 {
	s := &k.steps
	doubt := (1 - k.p[i].cred) * k.cosign(i, a)
	for _, m := range k.partners {
		doubt *= 1 - k.p[m].cred
	}
	denied := false
	if d := k.cfg.Attribution.Denial; d > 0 && k.rnd.Float64() < d {
		denied = true
		s.denied++
	}
	w := agents.Belief(1-doubt, k.p[a].cred, denied)
	k.p[a].payoff -= k.cfg.Payoffs.Reputation * w
	return w
}

// cosign draws the co-signers of i's public accusation of a: each of up to
// attribution.cosigners distinct partners of i's bloc (not a) co-signs
// with chance attribution.cosign times i's credibility. They are kept in
// k.cosigners; it returns the product of their doubts, prod (1 - c_j).
func (k *cyber) cosign(i, a int) float64 {
	at := &k.cfg.Attribution
	k.cosigners = k.cosigners[:0]
	b := k.bloc[i]
	lo, hi := k.blocOff[b], k.blocOff[b+1]
	others := int(hi-lo) - 1
	if k.bloc[a] == b {
		others--
	}
	asked := min(at.Cosigners, others)
	if asked <= 0 || at.Cosign <= 0 {
		return 1
	}
	p := at.Cosign * k.p[i].cred
	k.stampNow++
	k.stamp[i], k.stamp[a] = k.stampNow, k.stampNow
	doubt := 1.0
	for range asked {
		m := i
		for k.stamp[m] == k.stampNow {
			m = int(k.blocMem[lo+k.rnd.Int32N(hi-lo)])
		}
		k.stamp[m] = k.stampNow
		if k.rnd.Float64() < p {
			k.cosigners = append(k.cosigners, int32(m))
			doubt *= 1 - k.p[m].cred
		}
	}
	if len(k.cosigners) > 0 {
		k.steps.cosigned++
	}
	return doubt
}
