package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// quiet returns a small world of the general model with every source of
// noise and learning switched off, for the analytic checks to switch on
// what they measure.
func quiet(n int) Config {
	c := DefaultConfig()
	c.World.States = n
	c.World.Power = Dist{Kind: DistConstant, Value: 1}
	c.World.Blocs = 1
	c.World.Forensics = Dist{Kind: DistConstant, Value: 1}
	c.World.Initial = InitialConfig{Pattern: InitRandom, Escalators: 0, Site: -1}
	c.World.Boldness = Dist{Kind: DistConstant, Value: 0}
	c.World.Vengefulness = Dist{Kind: DistConstant, Value: 0}
	c.Decision.Rule = RuleThreshold
	c.Learning.Rule = LearnNone
	c.Attribution.BackgroundRate = 0
	c.Attribution.FalseFlag = 0
	c.Payoffs.Spillover = 0
	c.Run.Steps = 100
	return c
}

func newCyber(t testing.TB, c Config, seed uint64) *cyber {
	t.Helper()
	w, err := New(c, rand.NewPCG(seed, 0))
	if err != nil {
		t.Fatal(err)
	}
	return w.k.(*cyber)
}

// within fails unless |got - want| <= 4 se: a check that fails by chance
// about once in 16,000 runs, and always fails when the engine is off by
// more than a few standard errors.
func within(t *testing.T, what string, got, want, se float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > 4*se {
		t.Errorf("%s = %.5f, want %.5f +- %.5f (4 standard errors)", what, got, want, 4*se)
	} else {
		t.Logf("%s = %.5f, want %.5f +- %.5f", what, got, want, 4*se)
	}
}

// batchMean steps k batches*size times and returns the mean of metric m
// and its standard error by batch means, which allows for the
// autocorrelation of a time series (the batches must be long compared
// with the correlation time).
func batchMean(k kernel, m Metric, batches, size int) (mean, se float64) {
	var row Row
	means := make([]float64, batches)
	for b := range means {
		s := 0.0
		for range size {
			k.step(&row)
			s += row[m]
		}
		means[b] = s / float64(size)
	}
	mean, sd := meanSDOf(means)
	return mean, sd / math.Sqrt(float64(batches))
}

// meanSDOf returns the mean and population standard deviation of x.
func meanSDOf(x []float64) (float64, float64) {
	var s, ss float64
	for _, v := range x {
		s += v
	}
	m := s / float64(len(x))
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return m, math.Sqrt(ss / float64(len(x)))
}

// TestSignalDetectionRates checks the attribution of MODEL.md step 4
// against signal-detection theory (Green and Swets 1966): with evidence
// Normal(d', 1) for the culprit and Normal(0, 1) for each innocent and an
// evidence standard tau, the culprit is named with TPR = 1 - Phi(tau - d')
// and each innocent suspect with FPR = 1 - Phi(tau). A false flag swaps
// the two; joint attribution by k + 1 states of equal skill d has
// d' = d sqrt(k + 1).
func TestSignalDetectionRates(t *testing.T) {
	phi := distuv.UnitNormal.CDF
	cases := []struct {
		name             string
		d, tau, flag     float64
		partners         int
		wantTPR, wantFPR float64
		suspects, blocs  int
	}{
		{name: "plain", d: 1.2, tau: 0.7, suspects: 3, wantTPR: 1 - phi(0.7-1.2), wantFPR: 1 - phi(0.7)},
		{name: "strict-standard", d: 1.0, tau: 2.0, suspects: 4, wantTPR: 1 - phi(1.0), wantFPR: 1 - phi(2.0)},
		{name: "false-flag", d: 1.5, tau: 1.0, flag: 1, suspects: 1,
			// The culprit looks innocent and the one suspect guilty.
			wantTPR: 1 - phi(1.0), wantFPR: 1 - phi(1.0-1.5)},
		{name: "joint", d: 0.8, tau: 1.5, partners: 3, suspects: 2,
			wantTPR: 1 - phi(1.5-0.8*2), wantFPR: 1 - phi(1.5)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := quiet(60)
			c.World.Revisionists = 60 // every state escalates whatever S
			c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 1}
			c.World.Forensics = Dist{Kind: DistConstant, Value: tc.d}
			c.Attribution.EvidenceStandard = tc.tau
			c.Attribution.Suspects = tc.suspects
			c.Attribution.FalseFlag = tc.flag
			c.Attribution.Joint = tc.partners > 0
			c.Attribution.JointPartners = tc.partners
			k := newCyber(t, c, 7)
			var row Row
			var esc, ta, fa float64
			for range 2000 {
				k.step(&row)
				esc += row[Escalations]
				ta += row[TrueAccusations]
				fa += row[FalseAccusations]
			}
			if row[Detections] != row[Escalations] {
				t.Fatalf("with S = 1 every escalation is detected: %v of %v", row[Detections], row[Escalations])
			}
			tpr, fpr := ta/esc, fa/(esc*float64(tc.suspects))
			within(t, "TPR", tpr, tc.wantTPR, math.Sqrt(tc.wantTPR*(1-tc.wantTPR)/esc))
			within(t, "FPR", fpr, tc.wantFPR, math.Sqrt(tc.wantFPR*(1-tc.wantFPR)/(esc*float64(tc.suspects))))
		})
	}
}

// TestBackgroundIncidents checks that non-state incidents strike each
// state with probability background_rate per step and that a victim who
// sees one names each innocent suspect with the false positive rate.
func TestBackgroundIncidents(t *testing.T) {
	c := quiet(200)
	c.Opportunity.Rate = 0
	c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 0.5}
	c.Attribution.BackgroundRate = 0.03
	c.Attribution.EvidenceStandard = 0.5
	c.Attribution.Suspects = 2
	k := newCyber(t, c, 3)
	var row Row
	var det, fa float64
	steps := 3000
	for range steps {
		k.step(&row)
		det += row[Detections]
		fa += row[FalseAccusations]
	}
	n := float64(200 * steps)
	wantDet := 0.03 * 0.5
	within(t, "detected background incidents per state-step", det/n, wantDet, math.Sqrt(wantDet*(1-wantDet)/n))
	fpr := 1 - distuv.UnitNormal.CDF(0.5)
	within(t, "FPR on background incidents", fa/(2*det), fpr, math.Sqrt(fpr*(1-fpr)/(2*det)))
}

// TestForumDeGroot checks phase 9 against DeGroot (1974): with fixed
// participants and weights, repeated forums are the linear map
// E <- W E with W = (I - diag(lambda)) + lambda w^T, and beliefs converge
// to the consensus pi^T E(0), pi the left eigenvector of W for eigenvalue
// 1, normalised to sum 1 (Golub and Jackson 2010, Theorem 1). Dominance
// and buy-in make pi differ from the voice weights w.
func TestForumDeGroot(t *testing.T) {
	power := []float64{1, 2, 4, 8, 0.5, 3}
	n := len(power)
	c := quiet(n)
	c.Opportunity.Rate = 0
	c.World.Power = Dist{Kind: DistValues, Values: power}
	c.Expectations.InitialSpread = 0.3
	c.Expectations.Smoothing = 0 // only the forum moves beliefs
	c.Forum = ForumConfig{Every: 1, Inclusivity: 1, Dominance: 1.5, Pull: 0.4, CodifiedConformity: 1, BuyIn: true, Tolerance: 0.25, Consensus: 1}
	k := newCyber(t, c, 11)
	e0 := append([]float64(nil), k.beliefR...)

	// The weight matrix of one forum.
	w := make([]float64, n)
	sum := 0.0
	for i, p := range power {
		w[i] = math.Pow(p, 1.5)
		sum += w[i]
	}
	W := mat.NewDense(n, n, nil)
	for i := range n {
		lambda := 0.4 * math.Min(1, w[i]/sum*float64(n))
		for j := range n {
			x := lambda * w[j] / sum
			if i == j {
				x += 1 - lambda
			}
			W.Set(i, j, x)
		}
	}
	var eig mat.Eigen
	if !eig.Factorize(W, mat.EigenLeft) {
		t.Fatal("eigen decomposition failed")
	}
	vals := eig.Values(nil)
	var left mat.CDense
	eig.LeftVectorsTo(&left)
	best := 0
	for i, v := range vals {
		if math.Abs(real(v)-1) < math.Abs(real(vals[best])-1) {
			best = i
		}
	}
	pi := make([]float64, n)
	norm := 0.0
	for i := range n {
		pi[i] = real(left.At(i, best))
		norm += pi[i]
	}
	want := 0.0
	for i := range n {
		pi[i] /= norm
		want += pi[i] * e0[i]
	}
	var row Row
	for range 20000 {
		k.step(&row)
	}
	for i, b := range k.beliefR {
		if math.Abs(b-want) > 1e-9 {
			t.Errorf("state %d: belief %.12f, want the DeGroot consensus %.12f", i, b, want)
		}
	}
	// The consensus is not the plain voice-weighted mean: buy-in matters.
	plain := 0.0
	for i := range n {
		plain += w[i] / sum * e0[i]
	}
	if math.Abs(plain-want) < 1e-3 {
		t.Errorf("test is too weak: consensus %.5f equals the voice-weighted mean %.5f", want, plain)
	}
}

// TestTitForTatNoise checks the reciprocal rule against the classic result
// on noisy tit-for-tat (Molander 1985; Nowak and Sigmund 1993): when each
// perceived move is wrong with the same probability, two TFT players
// cooperate half the time in the long run, whatever the error rate. Here
// perception errors come from attribution: a missed culprit (probability
// m = (1 - TPR)(1 - FPR)) makes an escalation look like restraint, and a
// background incident blamed on the other (q = FPR) makes restraint look
// like escalation. Each player's moves form a two-state chain with
// stationary cooperation m / (m + q): one half when m = q.
func TestTitForTatNoise(t *testing.T) {
	q := 0.1
	tau := distuv.UnitNormal.Quantile(1 - q)
	// 1 - TPR = q / (1 - q) makes m = q.
	dSym := tau - distuv.UnitNormal.Quantile(q/(1-q))
	cases := []struct {
		name     string
		d, tau   float64
		wantCoop float64
	}{
		{"symmetric", dSym, tau, 0.5},
		{"asymmetric", 1.8, 1.6, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			phi := distuv.UnitNormal.CDF
			tpr, fpr := 1-phi(tc.tau-tc.d), 1-phi(tc.tau)
			m, qq := (1-tpr)*(1-fpr), fpr
			want := m / (m + qq)
			if tc.wantCoop != 0 && math.Abs(want-tc.wantCoop) > 1e-12 {
				t.Fatalf("set-up: stationary cooperation %v, want %v", want, tc.wantCoop)
			}
			k := reciprocalPair(t, [4]float64{1, 0, 1, 0}, tc.d, tc.tau, 5)
			mean, se := batchMean(k, RestraintRate, 200, 1000)
			within(t, "long-run cooperation", mean, want, se)
		})
	}
}

// reciprocalPair returns two states playing the memory-one strategy p
// (chances of restraint after CC, CD, DC, DD) who see every opportunity
// (S = 1) and attribute it with forensics d and evidence standard tau,
// each suffering a background incident every step that may be blamed on
// the other; it has run 1000 steps of burn-in.
func reciprocalPair(t *testing.T, p [4]float64, d, tau float64, seed uint64) *cyber {
	t.Helper()
	c := quiet(2)
	c.Decision.Rule = RuleReciprocal
	c.Decision.Reciprocal = p
	c.Decision.ReciprocalInitial = 1
	c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 1}
	c.World.Forensics = Dist{Kind: DistConstant, Value: d}
	c.Attribution.EvidenceStandard = tau
	c.Attribution.Suspects = 1
	c.Attribution.BackgroundRate = 1
	k := newCyber(t, c, seed)
	var row Row
	for range 1000 {
		k.step(&row)
	}
	return k
}

// TestNoNoiseRestraintStays checks that a world where nobody is tempted
// and nothing is misattributed stays all-restraint: no escalation, no
// accusation, beliefs drift only towards restraint.
func TestNoNoiseRestraintStays(t *testing.T) {
	for _, rule := range []LearningRule{LearnImitation, LearnBestNeighbour, LearnReinforcement, LearnAxelrod} {
		c := quiet(50)
		c.World.Vengefulness = Dist{Kind: DistUniform, Min: 0, Max: 1}
		c.Learning.Rule = rule
		c.Learning.Every = 1
		c.Learning.Mutation = 0
		c.Forum.Every = 5
		k := newCyber(t, c, 1)
		var row Row
		for s := range 300 {
			k.step(&row)
			if row[RestraintRate] != 1 || row[Escalations] != 0 || row[TrueAccusations]+row[FalseAccusations] != 0 {
				t.Fatalf("%s, step %d: restraint %v, escalations %v, accusations %v+%v", rule, s+1,
					row[RestraintRate], row[Escalations], row[TrueAccusations], row[FalseAccusations])
			}
		}
		if row[BeliefRestraintMean] < 0.999 {
			t.Errorf("%s: restraint belief %v after 300 steps of observed restraint, want ~1", rule, row[BeliefRestraintMean])
		}
	}
}

// TestPayoffsAddUp checks the accounting of phases 3 and 5: the payoffs of
// a step sum to escalations (T - H) less collateral damage less (P + E)
// for every punishment, ally's response, metanorm punishment and spiral
// move (reputation off, so that credibility does not enter).
func TestPayoffsAddUp(t *testing.T) {
	for _, topo := range []TopologyKind{TopoComplete, TopoSmallWorld} {
		c := quiet(80)
		c.Topology.Kind = topo
		c.World.Boldness = Dist{Kind: DistUniform, Min: 0, Max: 1}
		c.World.Vengefulness = Dist{Kind: DistUniform, Min: 0, Max: 1}
		c.World.Blocs = 3
		c.Payoffs.Spillover = 0.3
		c.Payoffs.Reputation = 0
		c.Metanorms = MetanormsConfig{Enabled: true, Punishment: 9, EnforcementCost: 2}
		c.Response.AllianceSolidarity = 0.2
		c.Attribution.BackgroundRate = 0.05
		c.Attribution.FalseFlag = 0.2
		c.Learning.Rule = LearnImitation
		c.Learning.Every = 3
		k := newCyber(t, c, 9)
		p := c.Payoffs
		var row Row
		for s := range 200 {
			k.step(&row)
			want := row[Escalations]*(p.Temptation-p.Harm) - row[Collateral] -
				(p.Punishment+p.EnforcementCost)*(row[Responses]+row[SpiralLength]*row[Spirals])
			got := row[PayoffMean] * float64(c.World.States)
			if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Fatalf("%s step %d: payoffs sum to %v, want %v", topo, s+1, got, want)
			}
		}
	}
}

// TestAxelrodPayoffsInGeneralModel checks that the general model with
// every state a target (opportunity.targets = "all"), perfect attribution
// and public accusations plays Axelrod's (1986) norms and metanorms games:
// with S ~ U(0, 1) and fixed traits, the expected total payoff of a
// generation of R opportunities each is, in closed form,
//
//	R [ T sum_j b_j - H (N-1) sum_j b_j
//	    - (P + E) sum_j (b_j^2 / 2) sum_{k!=j} v_k
//	    - (P' + E') sum_j (b_j^3 / 3) sum_{k!=j} (1 - v_k) sum_{l!=j,k} v_l ]
//
// since j defects when S < b_j, each other k sees it with probability S
// and punishes with probability v_k, and each l sees a non-punisher with
// the same S (E[S 1{S<b}] = b^2/2, E[S^2 1{S<b}] = b^3/3).
func TestAxelrodPayoffsInGeneralModel(t *testing.T) {
	for _, meta := range []bool{false, true} {
		c := quiet(20)
		c.Opportunity.Targets = TargetsAll
		c.Opportunity.PerStep = 4
		c.World.Boldness = Dist{Kind: DistLevels}
		c.World.Vengefulness = Dist{Kind: DistLevels}
		c.World.Forensics = Dist{Kind: DistConstant, Value: 40} // TPR = 1
		c.Attribution.EvidenceStandard = 0
		c.Attribution.Suspects = 0
		c.Attribution.PublicStandard = 0
		c.Payoffs.Reputation = 0
		c.Metanorms = MetanormsConfig{Enabled: meta, Punishment: 9, EnforcementCost: 2}
		k := newCyber(t, c, 21)
		p := c.Payoffs
		n := k.n
		var sb, sv float64
		for i := range n {
			sb += k.bold[i]
			sv += k.p[i].venge
		}
		want := p.Temptation*sb - p.Harm*float64(n-1)*sb
		for j := range n {
			b := k.bold[j]
			vOthers := sv - k.p[j].venge
			want -= (p.Punishment + p.EnforcementCost) * b * b / 2 * vOthers
			if meta {
				for kk := range n {
					if kk == j {
						continue
					}
					l := sv - k.p[j].venge - k.p[kk].venge
					want -= (9 + 2) * b * b * b / 3 * (1 - k.p[kk].venge) * l
				}
			}
		}
		want *= 4 / float64(n) // per state, 4 opportunities a generation
		mean, se := batchMean(k, PayoffMean, 100, 200)
		within(t, fmt.Sprintf("mean payoff per generation (metanorms %v)", meta), mean, want, se)
	}
}

// TestReciprocalMarkovChain checks the reciprocal rule for any memory-one
// strategy against the exact Markov chain of two players who see each
// other's moves through noisy attribution (Nowak and Sigmund 1990, 1993):
// a move C is perceived as D with probability q (a background incident
// blamed on the other, q = FPR) and D as C with probability m (the culprit
// missed, m = (1 - TPR)(1 - FPR)); each player then restrains with the
// probability its strategy gives (my last move, their perceived last
// move). The long-run cooperation of the simulated pair must match the
// stationary distribution of the 4-state chain of (my move, their move).
func TestReciprocalMarkovChain(t *testing.T) {
	phi := distuv.UnitNormal.CDF
	cases := []struct {
		name   string
		p      [4]float64 // CC, CD, DC, DD
		d, tau float64
	}{
		{"tit-for-tat", [4]float64{1, 0, 1, 0}, 2.0, 1.3},
		{"win-stay-lose-shift", [4]float64{1, 0, 0, 1}, 2.0, 1.3},
		{"generous-tit-for-tat", [4]float64{1, 1.0 / 3, 1, 1.0 / 3}, 1.5, 1.0},
		{"grim-ish", [4]float64{0.95, 0.05, 0.3, 0}, 2.5, 1.6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tpr, fpr := 1-phi(tc.tau-tc.d), 1-phi(tc.tau)
			m, q := (1-tpr)*(1-fpr), fpr
			// perceived[x][y]: probability of perceiving y when x was played (0 = C, 1 = D).
			perceived := [2][2]float64{{1 - q, q}, {m, 1 - m}}
			// restrain(my, seen) is the chance of C.
			restrain := func(my, seen int) float64 { return tc.p[2*my+seen] }
			P := mat.NewDense(4, 4, nil)
			for a := range 2 {
				for b := range 2 {
					var pa, pb float64 // chances that a and b play C next
					for s := range 2 {
						pa += perceived[b][s] * restrain(a, s)
						pb += perceived[a][s] * restrain(b, s)
					}
					for a2 := range 2 {
						for b2 := range 2 {
							x := pa
							if a2 == 1 {
								x = 1 - pa
							}
							y := pb
							if b2 == 1 {
								y = 1 - pb
							}
							P.Set(2*a+b, 2*a2+b2, x*y)
						}
					}
				}
			}
			// Stationary distribution by power iteration.
			pi := mat.NewVecDense(4, []float64{0.25, 0.25, 0.25, 0.25})
			next := mat.NewVecDense(4, nil)
			for range 10000 {
				next.MulVec(P.T(), pi)
				pi, next = next, pi
			}
			want := pi.AtVec(0) + pi.AtVec(1) // player a cooperates

			k := reciprocalPair(t, tc.p, tc.d, tc.tau, 17)
			mean, se := batchMean(k, RestraintRate, 200, 5000) // long batches: near-absorbing strategies mix slowly
			within(t, "long-run cooperation", mean, want, se)
		})
	}
}

// TestLogitChoice checks the logit rule of MODEL.md step 2 against its
// formula: with beliefs held fixed (smoothing 0) and S, forensics and the
// traits constant, each opportunity escalates with probability
// 1 / (1 + exp(-beta (G - D - C))), G = 2 b T,
// D = S [TPR rho P (1 + A) + TPRpub R W] and C = kappa r, here with one
// bloc, no allies or co-signers (A = 0), no denial (W = c), no lag.
func TestLogitChoice(t *testing.T) {
	c := quiet(100)
	c.Decision = DecisionConfig{Rule: RuleLogit, Precision: 1.5, Conformity: 2, Discount: 0.9, Reciprocal: [4]float64{1, 0, 1, 0}, ReciprocalInitial: 1}
	c.World.Boldness = Dist{Kind: DistConstant, Value: 0.4}
	c.World.Forensics = Dist{Kind: DistConstant, Value: 1.2}
	c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 0.6}
	c.Expectations = ExpectationsConfig{Smoothing: 0, InitialRestraint: 0.7, InitialResponse: 0.4, PublicWeight: 1, Correction: 1}
	c.Attribution.EvidenceStandard = 1.0
	c.Attribution.PublicStandard = 1.5
	c.Credibility.Initial = 0.6
	k := newCyber(t, c, 23)
	p := c.Payoffs
	phi := distuv.UnitNormal.CDF
	tpr, tprPub := 1-phi(1.0-1.2), 1-phi(1.5-1.2)
	g := 2 * 0.4 * p.Temptation
	d := 0.6 * (tpr*0.4*p.Punishment + tprPub*p.Reputation*0.6)
	want := 1 / (1 + math.Exp(-1.5*(g-d-2*0.7)))
	var row Row
	var esc, opp float64
	for range 2000 {
		k.step(&row)
		esc += row[Escalations]
		opp += row[Opportunities]
	}
	within(t, "escalation probability", esc/opp, want, math.Sqrt(want*(1-want)/opp))
}

// TestJointAccusationWeight checks that joint, verified attributions carry
// more weight (MODEL.md step 4): the reputation cost of a public
// accusation is R times the accuser's credibility c, and for a joint
// attribution by k + 1 states R (1 - (1 - c)^(k+1)), the chance that at
// least one of them is believed. Only reputation moves payoffs here, so
// the step's payoffs sum to minus that cost per accusation, exactly.
func TestJointAccusationWeight(t *testing.T) {
	for _, partners := range []int{0, 2} {
		c := quiet(40)
		c.World.Revisionists = 40 // every state escalates
		c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 1}
		c.World.Forensics = Dist{Kind: DistConstant, Value: 40} // the culprit is always named
		c.Attribution.EvidenceStandard = 0
		c.Attribution.Suspects = 0
		c.Attribution.PublicStandard = 0
		c.Attribution.Joint = partners > 0
		c.Attribution.JointPartners = partners
		c.Payoffs = PayoffConfig{Reputation: 1}
		c.Credibility = CredibilityConfig{Initial: 0.3, Verification: 0}
		k := newCyber(t, c, 29)
		want := 1 - math.Pow(1-0.3, float64(partners+1))
		var row Row
		for s := range 20 {
			k.step(&row)
			got := -row[PayoffMean] * 40 / row[TrueAccusations]
			if row[TrueAccusations] != row[Escalations] || math.Abs(got-want) > 1e-12 {
				t.Fatalf("%d partners, step %d: %v accusations of %v escalations, cost %.6f each, want %.6f",
					partners, s+1, row[TrueAccusations], row[Escalations], got, want)
			}
		}
	}
}
