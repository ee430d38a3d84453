package sim

import (
	"math"
	"math/rand/v2"
)

// Phases 4 to 7 after the lag: an accusation takes effect (exposure,
// co-signing, denial), the response and its allies, spirals, metanorms and
// the verification that moves credibility.

// accusation is one accusation waiting for its lag.
type accusation struct {
	due                int // the step it takes effect
	accuser, accused   int32
	incident           uint32
	s                  float32 // the incident's chance of being seen (metanorms)
	correct, public    bool
	reported           bool   // the incident was reported publicly when detected
	partOff, partCount uint32 // its joint investigators, in the bucket's arena
}

// ring holds the accusations that wait for their lag, in one bucket per
// step of the lag's range, reused from step to step, so that the queue
// allocates nothing once its buckets have grown to the load. The lag is
// geometric with mean L, P(lag = j) = (1 - q) q^j with q = L / (1 + L),
// truncated at 10 L + 1 steps (the tail beyond has chance q^(10L+2), below
// e^-9): the only departure from MODEL.md, so that the queue is bounded.
type ring struct {
	mean    float64
	lq      float64 // log q
	maxLag  int
	buckets [][]accusation
	arena   [][]int32
}

// resize sets the lag's mean. When the range grows (at the start, or by
// an event) the buckets grow and the waiting accusations are filed again.
func (r *ring) resize(mean float64) {
	r.mean = mean
	r.maxLag = 0
	if mean > 0 {
		r.lq = math.Log(mean / (1 + mean))
		r.maxLag = int(math.Ceil(10*mean)) + 1
	}
	if len(r.buckets) >= r.maxLag+1 {
		return
	}
	old, oldArena := r.buckets, r.arena
	r.buckets, r.arena = make([][]accusation, r.maxLag+1), make([][]int32, r.maxLag+1)
	for b := range r.buckets {
		r.buckets[b] = make([]accusation, 0, 64)
	}
	for b, list := range old {
		for _, e := range list {
			r.push(e.due, e, oldArena[b][e.partOff:e.partOff+e.partCount])
		}
	}
}

// draw draws a lag.
func (r *ring) draw(rnd *rand.Rand) int {
	if r.maxLag == 0 {
		return 0
	}
	return min(geometric(rnd, r.lq), r.maxLag)
}

// push queues e (with its joint investigators) for step due.
// When a bucket is full, every bucket grows to twice its size at once:
// the buckets fill alike, so the queue stops allocating after a few
// doublings early in a run instead of once per bucket each time one of
// them sees a new record.
func (r *ring) push(due int, e accusation, partners []int32) {
	b := due % len(r.buckets)
	if len(r.buckets[b]) == cap(r.buckets[b]) {
		r.grow(2 * cap(r.buckets[b]))
	}
	if need := len(r.arena[b]) + len(partners); need > cap(r.arena[b]) {
		r.growArena(2 * need)
	}
	e.due = due
	e.partOff, e.partCount = uint32(len(r.arena[b])), uint32(len(partners))
	r.arena[b] = append(r.arena[b], partners...)
	r.buckets[b] = append(r.buckets[b], e)
}

// grow gives every bucket room for n accusations.
func (r *ring) grow(n int) {
	for b, list := range r.buckets {
		if cap(list) < n {
			r.buckets[b] = append(make([]accusation, 0, n), list...)
		}
	}
}

// growArena gives every bucket's joint investigators room for n entries.
func (r *ring) growArena(n int) {
	for b, list := range r.arena {
		if cap(list) < n {
			r.arena[b] = append(make([]int32, 0, n), list...)
		}
	}
}

// due runs the accusations whose lag ends at this step, in the order they
// were made, then empties their bucket. The incidents they concern enter
// the public record once each, with the largest weight among their public
// accusations (none if the incident was reported when detected: it is in
// the record already).
func (k *cyber) due() {
	b := k.t % len(k.pending.buckets)
	list, arena := k.pending.buckets[b], k.pending.arena[b]
	var id uint32
	best := 0.0
	for i := range list {
		e := &list[i]
		if i == 0 || e.incident != id {
			k.steps.pubRecord += best
			id, best = e.incident, 0
		}
		k.partners = append(k.partners[:0], arena[e.partOff:e.partOff+e.partCount]...)
		if w := k.takeEffect(e); e.public && !e.reported {
			best = math.Max(best, w)
		}
	}
	k.steps.pubRecord += best
	k.pending.buckets[b], k.pending.arena[b] = list[:0], arena[:0]
}

// takeEffect runs phases 4 to 7 for one accusation of a by v whose lag is
// over, and returns the weight W it is believed with. A public one exposes
// v's sources and methods, gathers co-signers and may be denied; then v,
// its co-signers and the allies who join respond; an innocent who is
// punished counter-responds (a spiral) and counts the response as an
// escalation against it; an unanswered public accusation may be
// metapunished; a verification moves the credibility of every accuser.
func (k *cyber) takeEffect(e *accusation) float64 {
	s := &k.steps
	v, a := int(e.accuser), int(e.accused)
	if e.correct {
		s.trueAcc++
	} else {
		s.falseAcc++
	}
	if k.tally != nil {
		k.tally[v].acc++
	}
	if k.mem != nil {
		k.percepts = append(k.percepts, percept{observer: int32(v), actor: int32(a), defect: true})
	}
	var w float64
	if e.public {
		s.pubAcc++
		k.expose(v)
		w = k.publicWeight(v, a)
	} else {
		s.privAcc++
		k.cosigners = k.cosigners[:0]
		doubt := 1 - k.p[v].cred
		for _, m := range k.partners {
			doubt *= 1 - k.p[m].cred
		}
		w = 1 - doubt
	}
	punished := k.respond(v, a, w)
	s.ownRespN[v]++
	if punished {
		s.ownRespHit[v]++
		if k.tally != nil {
			k.tally[v].resp++
		}
	}
	if e.public {
		s.pubAccW += w
		s.ownRespN[a]++
		if punished {
			s.pubRespW += w
			s.ownRespHit[a]++
		}
	}
	if punished && !e.correct {
		s.ownSeen[a]++ // the innocent sees an unprovoked attack
		k.spiral(a, v)
	}
	if e.public && !punished && k.cfg.Metanorms.Enabled {
		k.metanorms(v, a, float64(e.s))
	}
	if r := k.cfg.Credibility; r.Verification > 0 && k.rnd.Float64() < r.Verification {
		k.verified(v, e.correct, r.Rate)
		for _, m := range k.cosigners {
			k.verified(int(m), e.correct, r.Rate)
		}
		for _, m := range k.partners {
			k.verified(int(m), e.correct, r.Rate)
		}
	}
	return w
}

// expose lowers a public accuser's forensics by attribution.exposure: its
// sources and methods are revealed.
func (k *cyber) expose(v int) {
	if x := k.cfg.Attribution.Exposure; x > 0 {
		k.sumForensics -= k.forensics[v] * x
		k.forensics[v] *= 1 - x
		k.exposed = true
		k.markDirty(v, dirtyRates)
	}
}

// recover moves every exposed state's forensics back towards its base by
// attribution.recovery per step (within 1e-9 they snap back), and marks
// for refresh the states whose forensics have moved by forensicsTol since
// their rates were computed.
func (k *cyber) recover() {
	rate := k.cfg.Attribution.Recovery
	if rate <= 0 || !k.exposed {
		return
	}
	k.exposed = false
	f0, f, rated := k.forensics0, k.forensics[:len(k.forensics0)], k.fRated[:len(k.forensics0)]
	moved := 0.0
	for i := range f0 {
		gap := f0[i] - f[i]
		if gap == 0 {
			continue
		}
		old := f[i]
		if rest := gap * (1 - rate); rest < 1e-9 && rest > -1e-9 {
			f[i] = f0[i]
		} else {
			f[i] += rate * gap
			k.exposed = true
		}
		moved += f[i] - old
		if d := f[i] - float64(rated[i]); d > forensicsTol || d < -forensicsTol || f[i] == f0[i] {
			k.markDirty(i, dirtyRates)
		}
	}
	k.sumForensics += moved
}

// verified moves the credibility of accuser v after a verification: up by
// eta (1 - c) when the accusation was right, down by eta c when wrong.
func (k *cyber) verified(v int, correct bool, eta float64) {
	old := k.p[v].cred
	if correct {
		k.p[v].cred += eta * (1 - k.p[v].cred)
	} else {
		k.p[v].cred -= eta * k.p[v].cred
	}
	k.sumCred += k.p[v].cred - old
	k.markDirty(v, dirtyCred)
}

// respond is phase 5: the accuser v and each co-signer punish a with
// probability equal to their vengefulness; allies from v's bloc join with
// alliance_solidarity times W each, and punish with their vengefulness.
// It reports whether anyone punished.
func (k *cyber) respond(v, a int, w float64) bool {
	punished := k.punish(v, a)
	for _, m := range k.cosigners {
		punished = k.punish(int(m), a) || punished
	}
	sol := k.cfg.Response.AllianceSolidarity * w
	if sol <= 0 {
		return punished
	}
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
		punished = k.punish(m, a) || punished
	}
	return punished
}

// punish: r punishes a with probability equal to r's vengefulness.
func (k *cyber) punish(r, a int) bool {
	if k.rnd.Float64() >= k.p[r].venge {
		return false
	}
	p := &k.cfg.Payoffs
	k.steps.resp++
	k.p[a].payoff -= p.Punishment
	k.p[r].payoff -= p.EnforcementCost
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
		k.steps.spirals++
		k.steps.spiralLen += n
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
	k.stamp[v], k.stamp[a] = k.stampNow, k.stampNow
	for range binomial(k.rnd, others, s) {
		var o int
		for {
			o = k.rnd.IntN(k.n)
			if k.stamp[o] != k.stampNow {
				break
			}
		}
		k.stamp[o] = k.stampNow
		if k.rnd.Float64() < k.p[o].venge {
			k.steps.resp++
			k.p[v].payoff -= m.Punishment
			k.p[o].payoff -= m.EnforcementCost
		}
	}
}

// settlePayoffs adds the step's payoffs (and the collateral owed by all)
// to what each state has earned since the last learning round.
func (k *cyber) settlePayoffs() {
	sum := 0.0
	for i := range k.n {
		x := k.p[i].payoff - k.steps.collAll
		k.acc[i] += x
		sum += x
		k.p[i].payoff = 0
	}
	k.steps.meanPay = sum / float64(k.n)
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
