package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/normsim/normsim/agents"
)

// Tests of the mechanisms of MODEL.md version 2, each against a value
// derived by hand from the model's formulas.

// beliefWorld is a stationary world with a known escalation rate: k
// revisionists always escalate, the others (threshold rule, boldness 0)
// never do; S is constant, so detection does not depend on the choice;
// nobody is accused wrongly and nobody punishes.
func beliefWorld(n, k int, s, correction float64) Config {
	c := quiet(n)
	c.World.Revisionists = k
	c.Opportunity.Seen = Dist{Kind: DistConstant, Value: s}
	c.Attribution.Suspects = 0
	c.Expectations = ExpectationsConfig{Smoothing: 0.05, InitialRestraint: 0.5, InitialResponse: 0.5, PublicWeight: 0, Correction: correction}
	return c
}

// TestBeliefsAsCounts checks MODEL.md step 8 in a stationary world. A
// non-revisionist is the target of Binomial opportunities from its N-1
// neighbours, of which k escalate always (p = k/(N-1) per opportunity),
// each seen with chance s. Its counts grow by the detected escalations and
// by its expected exposure (1 per step) times the detection rate it
// assumes, s^ = 1 - correction (1 - s); O is deterministic, so at the
// stationary state E[r] = 1 - E[E]/O = 1 - p s / s^. With correction 1 the
// belief is unbiased (1 - p); with 0 it is inflated to 1 - p s, the
// unseen share looking like restraint.
func TestBeliefsAsCounts(t *testing.T) {
	const n, k, s = 101, 20, 0.4
	p := float64(k) / float64(n-1)
	for _, corr := range []float64{1, 0.5, 0} {
		c := beliefWorld(n, k, s, corr)
		kern := newCyber(t, c, 31)
		var row Row
		for range 400 { // forget the prior: (1 - 0.05)^400 < 1e-8
			kern.step(&row)
		}
		mean, se := batchMean(kern, BeliefRestraintMean, 40, 100)
		want := 1 - p*s/(1-corr*(1-s))
		within(t, fmt.Sprintf("mean restraint belief, correction %g", corr), mean, want, se)
	}
}

// TestPublicRecord checks the public record of step 8: with
// expectations.public_weight w and nothing private (S = 0 for the victims,
// every incident reported... here: incidents are seen with S = 1 and
// reported with probability 1, and states rely on the public record only
// through a tiny exposure), the record adds w observations per step whose
// escalation share is the reported incidents over the expected
// opportunities times the assumed coverage. With correction 1 the
// coverage is E[S] (reporting + (1 - reporting) ...) = 1 and the belief
// is unbiased, 1 - p with p the world's escalation rate k/N.
func TestPublicRecord(t *testing.T) {
	const n, k = 100, 25
	c := beliefWorld(n, k, 1, 1)
	c.Expectations.PublicWeight = 50 // the public record dominates the private one
	c.Attribution.Reporting = 1
	kern := newCyber(t, c, 37)
	var row Row
	for range 400 {
		kern.step(&row)
	}
	mean, se := batchMean(kern, BeliefRestraintMean, 40, 100)
	// Escalations per opportunity over the world: k of n actors escalate.
	within(t, "belief from the public record", mean, 1-float64(k)/float64(n), se+0.002)
}

// TestOutcomesOnTwoAxes reaches each outcome of MODEL.md's table in a
// constructed world: practice from who escalates, expectations from what
// states see.
func TestOutcomesOnTwoAxes(t *testing.T) {
	base := quiet(40)
	base.Run = RunConfig{Steps: 300, Replicates: 2, Seed: 3, RecordEvery: 10}
	base.Convergence = ConvergenceConfig{Window: 50, Epsilon: 0.05, Delta: 0.01, High: 0.8, Low: 0.2}
	bold := Dist{Kind: DistConstant, Value: 1} // escalates whenever S < 1
	cases := []struct {
		name string
		set  func(c *Config)
		want Outcome
	}{
		{"established: nobody escalates, and states expect it", func(c *Config) {
			c.Expectations.InitialRestraint = 0.5
		}, Established},
		{"collapsed: everyone escalates, and states see it", func(c *Config) {
			c.World.Boldness = bold
			c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 0.5}
		}, Collapsed},
		{"hollow: everyone escalates, unseen, and states do not correct", func(c *Config) {
			c.World.Boldness = bold
			c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 0}
			c.Expectations.Correction = 0
			c.Expectations.InitialRestraint = 1
		}, Hollow},
		{"latent: nobody escalates, but beliefs are frozen low", func(c *Config) {
			c.Expectations.InitialRestraint = 0
			c.Expectations.Smoothing = 0
		}, Latent},
		{"contested: half escalate", func(c *Config) {
			c.World.Revisionists = 20 // practice counts the others...
			c.World.Boldness = Dist{Kind: DistValues, Values: []float64{0, 1}}
			c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 0.5}
		}, Contested},
	}
	for _, tc := range cases {
		c := base
		tc.set(&c)
		res, err := Run(context.Background(), c, RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Replicates {
			if r.Outcome != tc.want {
				t.Errorf("%s: replicate %d is %s (practice %.3f, expectations %.3f)", tc.name, r.Index, r.Outcome, r.FinalRestraint, r.FinalBelief)
			}
		}
	}
}

// TestDeterrence checks the logit rule's expected cost for a constructed
// target against MODEL.md step 2, D = S delta^L [TPR rho P (1 + A) +
// TPRpub R W]: the target's rates with false flags mixed in, A the
// expected allies (solidarity c (allies)) and co-signers, W its expected
// belief with denial against the attacker's credibility. The escalation
// frequency of a world of identical states matches the logit of G - D - C.
func TestDeterrence(t *testing.T) {
	const n = 60
	c := quiet(n)
	c.World.Blocs = 1
	c.Decision = DecisionConfig{Rule: RuleLogit, Precision: 1.2, Conformity: 1.5, Discount: 0.9}
	c.World.Boldness = Dist{Kind: DistConstant, Value: 0.7}
	c.World.Forensics = Dist{Kind: DistConstant, Value: 1.3}
	c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 0.8}
	c.Expectations = ExpectationsConfig{Smoothing: 0, InitialRestraint: 0.6, InitialResponse: 0.3, PublicWeight: 1, Correction: 1}
	c.Credibility = CredibilityConfig{Initial: 0.7, Verification: 0, Rate: 0.1}
	c.Attribution = AttributionConfig{EvidenceStandard: 1, PublicStandard: 1.8, Suspects: 2, FalseFlag: 0.2,
		Lag: 2, Cosign: 0.5, Cosigners: 3, Denial: 0.4, JointPartners: 2, Recovery: 0.05}
	c.Response.AllianceSolidarity = 0.02
	c.Payoffs = PayoffConfig{Temptation: 3, Harm: 1, Punishment: 4, EnforcementCost: 1, Reputation: 2}
	k := newCyber(t, c, 41)

	phi := distuv.UnitNormal.CDF
	ff := 0.2
	tpr := (1-ff)*(1-phi(1-1.3)) + ff*(1-phi(1))
	tprPub := (1-ff)*(1-phi(1.8-1.3)) + ff*(1-phi(1.8))
	cred := 0.7
	cos := 3 * 0.5 * cred // expected co-signers of a public accusation
	cAcc := 1 - (1-cred)*math.Pow(1-cred, cos)
	w := (1-0.4)*cAcc + 0.4*cAcc/(cAcc+cred)
	allies := 0.02*w*float64(n-1) + cos*tprPub/tpr
	d := 0.8 * math.Pow(0.9, 2) * (tpr*0.3*4*(1+allies) + tprPub*2*w)
	want := agents.Logistic(1.2 * (2*0.7*3 - d - 1.5*0.6))
	// The rates come from the tabulated detection curve (error below 1.2e-7,
	// see detectionCurve), the rest is exact. tpr and tprPub take it with
	// weight 1 - ff = 0.8; d = 0.648 (1.2 tpr (1 + 1.18 w) + 1.2 cos tprPub +
	// 2 w tprPub) with w <= 1 and cos = 1.05 then errs by under 0.648 x 5.9 x
	// 0.8 x 1.2e-7 = 3.7e-7, and the logit's slope is at most beta / 4 =
	// 0.3: the probability errs by under 1.1e-7.
	if got := agents.Logistic(k.escalationLogit(0, 1, 0.8)); math.Abs(got-want) > 1e-6 {
		t.Fatalf("escalation probability %.15f, want %.15f from MODEL.md's formula", got, want)
	}
	var row Row
	var esc, opp float64
	for range 1000 {
		k.step(&row)
		esc += row[Escalations]
		opp += row[Opportunities]
	}
	within(t, "escalation frequency", esc/opp, want, math.Sqrt(want*(1-want)/opp))
}

// TestLagQueue checks the lag of step 4: geometric with mean L (P(lag = j)
// = (1 - q) q^j, q = L/(1+L)), truncated at 10 L + 1 steps, so the mean
// lag of the truncated law is sum_j j P(j) + (10L+1) P(lag > 10L+1). Every
// accusation made is taken up exactly once, at its lag, also when an
// event lengthens the lag while accusations wait.
func TestLagQueue(t *testing.T) {
	const mean = 3.0
	var r ring
	r.resize(mean)
	rnd := rand.New(rand.NewPCG(5, 5))
	q := mean / (1 + mean)
	want := 0.0
	for j := range r.maxLag {
		want += float64(j) * (1 - q) * math.Pow(q, float64(j))
	}
	want += float64(r.maxLag) * math.Pow(q, float64(r.maxLag))
	const draws = 200000
	sum, sum2 := 0.0, 0.0
	for range draws {
		x := float64(r.draw(rnd))
		sum += x
		sum2 += x * x
	}
	m := sum / draws
	within(t, "mean lag", m, want, math.Sqrt((sum2/draws-m*m)/draws))

	// Under load, through the engine: every accusation takes effect once
	// (here every incident makes exactly one: the culprit is always named
	// and there are no suspects).
	c := quiet(80)
	c.World.Revisionists = 80
	c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 1}
	c.World.Forensics = Dist{Kind: DistConstant, Value: 40}
	c.Attribution.EvidenceStandard, c.Attribution.Suspects = 0, 0
	c.Attribution.Lag = 2
	k := newCyber(t, c, 43)
	var row Row
	made, taken := 0, 0
	for step := range 300 {
		if step == 150 {
			c2 := c
			c2.Attribution.Lag = 6 // an event lengthens the lag
			k.reconfigure(&c2)
		}
		before := k.incident
		k.step(&row)
		made += int(k.incident - before)
		taken += int(row[TrueAccusations] + row[FalseAccusations])
	}
	waiting := 0
	for _, b := range k.pending.buckets {
		waiting += len(b)
	}
	if made != taken+waiting {
		t.Errorf("%d accusations made, %d taken up and %d waiting", made, taken, waiting)
	}
}

// TestExposureAndRecovery checks exposure and recovery (step 4): a public
// accusation multiplies the accuser's forensics by 1 - exposure, and each
// step closes the share recovery of the gap to the base: after one
// exposure, d_t = d0 - (d0 (exposure)) (1 - recovery)^t.
func TestExposureAndRecovery(t *testing.T) {
	c := quiet(10)
	c.World.Forensics = Dist{Kind: DistConstant, Value: 2}
	c.Attribution.Exposure, c.Attribution.Recovery = 0.3, 0.1
	c.Opportunity.Rate = 0
	k := newCyber(t, c, 47)
	k.expose(3)
	var row Row
	for step := 1; step <= 20; step++ {
		k.step(&row)
		want := 2 - 2*0.3*math.Pow(0.9, float64(step))
		if math.Abs(k.forensics[3]-want) > 1e-12 || k.forensics[4] != 2 {
			t.Fatalf("step %d: forensics %.12f (and %v for an unexposed state), want %.12f", step, k.forensics[3], k.forensics[4], want)
		}
	}
	// The target's deterrence terms follow its forensics.
	if tpr := 1 - distuv.UnitNormal.CDF(1.5-k.dprime(3)); math.Abs(k.p[3].tprOwn-tpr) > 0.4*forensicsTol+1.2e-7 {
		t.Errorf("the cached rate %v does not follow the exposed forensics (%v)", k.p[3].tprOwn, tpr)
	}
}

// TestCosignAndDenial checks co-signing and denial (step 4) on the
// reputation cost of public accusations, the only cost here: each of
// cosigners bloc partners co-signs with chance cosign c; the accusers are
// believed with the noisy-OR C = 1 - (1 - c)^(1 + m) over the m who
// co-signed, and, when the accused denies (chance denial), with W = C /
// (C + c). The mean cost per accusation is sum_m Binomial(m; K, cosign c)
// [(1 - denial) C_m + denial C_m / (C_m + c)].
func TestCosignAndDenial(t *testing.T) {
	const n, cred, cosign, denial = 30, 0.4, 0.5, 0.3
	const partners = 3
	c := quiet(n)
	c.World.Revisionists = n
	c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 1}
	c.World.Forensics = Dist{Kind: DistConstant, Value: 40}
	c.Attribution.EvidenceStandard, c.Attribution.PublicStandard = 0, 0
	c.Attribution.Cosign, c.Attribution.Cosigners, c.Attribution.Denial = cosign, partners, denial
	c.Payoffs = PayoffConfig{Reputation: 1}
	c.Credibility = CredibilityConfig{Initial: cred}
	k := newCyber(t, c, 53)
	b := distuv.Binomial{N: partners, P: cosign * cred}
	want, wantCos := 0.0, 1-b.Prob(0)
	for m := range partners + 1 {
		cm := 1 - math.Pow(1-cred, float64(1+m))
		want += b.Prob(float64(m)) * ((1-denial)*cm + denial*cm/(cm+cred))
	}
	var row Row
	var cost, acc, cosigned, denied float64
	var costs []float64
	for range 400 {
		k.step(&row)
		cost += -row[PayoffMean] * n
		acc += row[PublicAccusations]
		cosigned += row[Cosigned]
		denied += row[Denied]
		costs = append(costs, -row[PayoffMean]*n/row[PublicAccusations])
	}
	_, sd := meanSDOf(costs)
	within(t, "reputation cost per accusation", cost/acc, want, sd/math.Sqrt(float64(len(costs))))
	within(t, "share co-signed", cosigned/acc, wantCos, math.Sqrt(wantCos*(1-wantCos)/acc))
	within(t, "share denied", denied/acc, denial, math.Sqrt(denial*(1-denial)/acc))
}

// TestMisrepresentation checks the opportunistic accusations of step 4:
// each state makes one with chance misrepresentation times its boldness
// per step, against a state of another bloc, and verification catches it
// (credibility falls by eta c each time).
func TestMisrepresentation(t *testing.T) {
	const n, m = 90, 0.2
	c := quiet(n)
	c.World.Blocs = 3
	c.Opportunity.Rate = 0
	c.World.Boldness = Dist{Kind: DistValues, Values: []float64{0.25, 0.5, 1}}
	c.Attribution.Misrepresentation = m
	c.Payoffs = PayoffConfig{Misrepresentation: 2}
	c.Credibility = CredibilityConfig{Initial: 0.8, Verification: 1, Rate: 0.05}
	k := newCyber(t, c, 59)
	var row Row
	var total float64
	const steps = 500
	for range steps {
		k.step(&row)
		total += row[Misrepresentations]
	}
	want := m * (0.25 + 0.5 + 1) / 3 * n * steps
	within(t, "misrepresentations", total, want, math.Sqrt(want))
	// A state of boldness 1 is caught about m (1) per step and loses
	// credibility; one of boldness 0.25 less.
	if !(k.p[2].cred < k.p[0].cred && k.p[0].cred < 0.8) {
		t.Errorf("credibility after verified misrepresentations: %v (boldness 1), %v (0.25), from 0.8", k.p[2].cred, k.p[0].cred)
	}
}

// TestCapabilityConcentration checks the power-linked capability of step
// 1: with gamma, state i takes up an opportunity with chance min(1, rate N
// p_i^gamma / sum p^gamma); the share of operations by the top four states
// is the sum of their chances over the sum of all.
func TestCapabilityConcentration(t *testing.T) {
	const n = 50
	c := quiet(n)
	c.World.Revisionists = n
	c.World.Power = Dist{Kind: DistPareto, Alpha: 1.16, Min: 1}
	c.Opportunity.PowerExponent = 1.5
	c.Opportunity.Rate = 0.1
	// Reinforcement learning keeps a tally of each state's opportunities;
	// it never revises in this run.
	c.Learning.Rule, c.Learning.Every = LearnReinforcement, 1_000_000
	k := newCyber(t, c, 61)
	chance := slices.Clone(k.take)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmpFloat(k.power[b], k.power[a]) })
	top, all := 0.0, 0.0
	for r, i := range order {
		want := math.Min(1, 0.1*n*math.Pow(k.power[i], 1.5)/powSum(k.power, 1.5))
		if math.Abs(chance[i]-want) > 1e-12 {
			t.Fatalf("state %d: chance %v, want %v", i, chance[i], want)
		}
		if r < 4 {
			top += want
		}
		all += want
	}
	var row Row
	for range 4000 {
		k.step(&row)
	}
	// The realized share, counted from the tally of each state's actions.
	var tot, topN float64
	for r, i := range order {
		x := float64(k.tally[i].opp)
		tot += x
		if r < 4 {
			topN += x
		}
	}
	want := top / all
	within(t, "share of operations by the top four", topN/tot, want, math.Sqrt(want*(1-want)/tot))
}

func powSum(p []float64, g float64) float64 {
	s := 0.0
	for _, x := range p {
		s += math.Pow(x, g)
	}
	return s
}

// normsWorld is a world of n states with the given power and preferred
// stringency, a forum at every step and no opportunity, for the tests of
// steps 9 and 10.
func normsWorld(power, stringency []float64) Config {
	c := quiet(len(power))
	c.Opportunity.Rate = 0
	c.World.Power = Dist{Kind: DistValues, Values: power}
	c.World.Stringency = Dist{Kind: DistValues, Values: stringency}
	c.Forum = ForumConfig{Every: 1, Inclusivity: 1, Dominance: 1, Pull: 0.5, CodifiedConformity: 2, BuyIn: true, Tolerance: 0.25, Consensus: 0.6}
	c.Norms = NormsConfig{Every: 1000, RenounceBelow: 0, OutsiderLegitimacy: 0.5}
	return c
}

// TestNegotiation checks step 9's negotiation on a constructed forum:
// with power 1, 2, 4, 8, 16 and dominance 1 the voices are p/31, the text
// is sigma* = sum w s = 14.1/31, and with preferences 0.9, 0.8, 0.7, 0.5,
// 0.3 the last three are within the tolerance 0.25: 3 of 5 accept. With
// consensus 0.6 the forum succeeds, the three adopt, and each takes as
// legitimacy its voice over its fair share 1/5, capped at 1: 4/31 x 5 for
// the third, 1 for the others; with consensus 0.7 it fails.
func TestNegotiation(t *testing.T) {
	power := []float64{1, 2, 4, 8, 16}
	pref := []float64{0.9, 0.8, 0.7, 0.5, 0.3}
	c := normsWorld(power, pref)
	k := newCyber(t, c, 67)
	var row Row
	k.step(&row)
	want := 14.1 / 31
	if !k.hasText || math.Abs(k.sigma-want) > 1e-12 || row[Stringency] != k.sigma || row[ForumFailed] != 0 {
		t.Fatalf("text %v (in force %v), want %v", k.sigma, k.hasText, want)
	}
	for i, on := range []bool{false, false, true, true, true} {
		if k.adopted[i] != on {
			t.Errorf("state %d adopted %v, want %v", i, k.adopted[i], on)
		}
	}
	for i, l := range map[int]float64{2: 4.0 / 31 * 5, 3: 1, 4: 1} {
		if math.Abs(k.legitimacy[i]-l) > 1e-12 {
			t.Errorf("state %d legitimacy %v, want %v", i, k.legitimacy[i], l)
		}
	}
	if row[Adoption] != 0.6 || math.Abs(row[AdoptionPower]-28.0/31) > 1e-12 {
		t.Errorf("adoption %v (power-weighted %v), want 0.6 (28/31)", row[Adoption], row[AdoptionPower])
	}
	c.Forum.Consensus = 0.7
	k = newCyber(t, c, 67)
	k.step(&row)
	if k.hasText || row[ForumFailed] != 1 || row[Adoption] != 0 {
		t.Errorf("consensus 0.7: text in force %v, failed %v, adoption %v; want a failed forum", k.hasText, row[ForumFailed], row[Adoption])
	}
}

// TestCascade checks step 10 against Granovetter (1978): on a complete
// topology with equal power and thresholds 0, 1/N, ..., (N-1)/N, once a
// text is in force the states adopt one per round until all have; raise
// the threshold 1/N to 2/N and only one adopts.
func TestCascade(t *testing.T) {
	const n = 20
	for _, blocked := range []bool{false, true} {
		power, pref := make([]float64, n), make([]float64, n)
		th := make([]float64, n)
		for i := range n {
			power[i], pref[i], th[i] = 1, 0.5, float64(i)/n
		}
		if blocked {
			th[1] = 2.0 / n
		}
		c := normsWorld(power, pref)
		c.World.Threshold = Dist{Kind: DistValues, Values: th}
		k := newCyber(t, c, 71)
		k.hasText, k.sigma = true, 0.5
		for round := 1; round <= n+5; round++ {
			k.normDynamics()
			adopters := 0
			for _, a := range k.adopted {
				if a {
					adopters++
				}
			}
			want := min(round, n)
			if blocked {
				want = 1
			}
			if adopters != want {
				t.Fatalf("blocked %v, round %d: %d adopters, want %d", blocked, round, adopters, want)
			}
		}
	}
}

// TestRenunciation checks step 10's decay: an adopter whose restraint
// belief falls below norms.renounce_below renounces at the next round; the
// others keep the norm.
func TestRenunciation(t *testing.T) {
	c := normsWorld([]float64{1, 1, 1, 1}, []float64{0.5, 0.5, 0.5, 0.5})
	c.Norms.RenounceBelow = 0.4
	c.World.Threshold = Dist{Kind: DistConstant, Value: 1} // no cascade
	k := newCyber(t, c, 73)
	k.hasText, k.sigma = true, 0.5
	for i := range 4 {
		k.setAdopted(i, true)
	}
	for i, r := range []float64{0.1, 0.39, 0.41, 0.9} {
		k.setBelief(i, r, 0.5)
	}
	k.normDynamics()
	for i, want := range []bool{false, false, true, true} {
		if k.adopted[i] != want {
			t.Errorf("state %d (belief %v): adopted %v, want %v", i, k.beliefR[i], k.adopted[i], want)
		}
	}
	if k.adoptPower != 2 {
		t.Errorf("the running sum of adopters' power is %v, want 2", k.adoptPower)
	}
}

// TestNormCost checks that adoption raises the norm cost of the logit rule
// as MODEL.md step 2 says, C = kappa r (1 + (mu - 1) a l sigma).
func TestNormCost(t *testing.T) {
	if got, want := agents.NormCost(2, 0.8, 3, true, 0.5, 0.6), 2*0.8*(1+2*0.5*0.6); math.Abs(got-want) > 1e-15 {
		t.Errorf("adopter: %v, want %v", got, want)
	}
	if got := agents.NormCost(2, 0.8, 3, false, 0.5, 0.6); got != 1.6 {
		t.Errorf("non-adopter: %v, want 1.6", got)
	}
}

// TestDetectionCurve checks the tabulated curve against 1 - Phi(tau - d)
// within its error bound (h^2/8 times the largest |phi'|, 1.2e-7).
func TestDetectionCurve(t *testing.T) {
	var c detectionCurve
	for _, tau := range []float64{-1, 0, 1.5, 4} {
		c.set(tau)
		worst := 0.0
		for d := -0.5; d < 14; d += 0.000731 {
			worst = math.Max(worst, math.Abs(c.at(d)-(1-distuv.UnitNormal.CDF(tau-d))))
		}
		if worst > 1.2e-7 {
			t.Errorf("tau %g: the curve errs by %g", tau, worst)
		}
	}
}
