package sim

import (
	"context"
	"math"
	"math/rand/v2"

	"strings"
	"testing"

	"github.com/normsim/normsim/agents"
)

// Sources of the numbers in this file:
//
//   - Axelrod (1986), "An Evolutionary Approach to Norms", APSR 80(4),
//     1095-1111: the games, Table 1 (one agent's score worked by hand), Fig. 2
//     (norms game, 5 runs of 100 generations) and Fig. 4 (metanorms game).
//   - Galan and Izquierdo (2005), "Appearances Can Be Deceiving", JASSS 8(3) 2
//     (G&I): the regions (section 5: collapse at mean boldness >= 6/7 and mean
//     vengefulness <= 1/7, establishment at <= 2/7 and >= 5/7), Fig. 4 (norms
//     game: "the norm collapses almost always"), Fig. 5 (metanorms: "even
//     though after 100 generations the norm is almost always established, as
//     time goes by ... the norm usually collapses"), Fig. 9 (P' = 0.9,
//     E' = 0.2: "the norm quickly collapses"), Fig. 11 (T = 10: "the norm is
//     clearly established in almost all runs"), Fig. 12 (random tournament:
//     "the states where the norm has collapsed are quickly reached").
//
// The papers' text was read through the quotations in a public
// re-implementation's design notes (ndouglas/SugarScape,
// docs/superpowers/specs/2026-09-26-norms-design.md); the stored copies of
// the papers give only their openings. Shares are compared with 4 standard
// errors of a binomial proportion, sqrt(p(1-p)/R).

// axelrodConfig is Axelrod's (1986) setting: 20 agents with random 3-bit
// traits, 4 opportunities a generation each with S ~ U(0,1), every other
// agent hurt and a possible punisher, T = 3, H = 1, P = 9, E = 2 (and
// P' = 9, E' = 2 with metanorms), the genetic algorithm every generation
// with mutation 0.01 per bit, and Galan and Izquierdo's (2005) readings of
// what Axelrod left open (random refill, ties replicated twice, population
// standard deviation). Run.Steps is 100, Axelrod's run length.
func axelrodConfig(metanorms bool) Config {
	c := DefaultConfig()
	c.Name = "axelrod-norms"
	if metanorms {
		c.Name = "axelrod-metanorms"
	}
	c.Run.Steps = 100
	c.World.States = 20
	c.World.Boldness = Dist{Kind: DistLevels}
	c.World.Vengefulness = Dist{Kind: DistLevels}
	c.World.Initial = InitialConfig{Pattern: InitRandom, Escalators: 0, Site: -1}
	c.Topology.Kind = TopoComplete
	c.Opportunity = OpportunityConfig{Rate: 1, Targets: TargetsAll, PerStep: 4, Seen: Dist{Kind: DistUniform, Min: 0, Max: 1}}
	c.Payoffs.Temptation, c.Payoffs.Harm = 3, 1
	c.Payoffs.Punishment, c.Payoffs.EnforcementCost = 9, 2
	c.Metanorms = MetanormsConfig{Enabled: metanorms, Punishment: 9, EnforcementCost: 2}
	c.Decision.Rule = RuleThreshold
	c.Learning = LearningConfig{Sample: 5, Rule: LearnAxelrod, Every: 1, Mutation: 0.01, Selection: 1, Rate: 0.1, Schedule: Synchronous}
	c.Axelrod = AxelrodConfig{Selection: agents.SelectAxelrod, Refill: agents.RefillRandom, Equal: agents.EqualReplicateTwice, SD: SDPopulation}
	return c
}

func axelrodWorld(t *testing.T, c Config, seed uint64) (*World, *axelrodKernel) {
	t.Helper()
	if got := Kernel(&c); got != "axelrod" {
		t.Fatalf("Kernel = %q, want axelrod", got)
	}
	w, err := New(c, rand.NewPCG(seed, 0))
	if err != nil {
		t.Fatal(err)
	}
	return w, w.k.(*axelrodKernel)
}

// levels returns the trait values k/7 of the given levels.
func levels(ks ...float64) []float64 {
	v := make([]float64, len(ks))
	for i, k := range ks {
		v[i] = k / 7
	}
	return v
}

// TestAxelrodTable1 checks the engine's payoffs against Axelrod's (1986)
// Table 1, which scores one agent (B = 2/7, V = 4/7) by hand: it defected
// once (T = +3), was punished once (P = -9), was hurt by 36 defections of
// others (36 H = -36) and punished 9 of them (9 E = -18): -60.
func TestAxelrodTable1(t *testing.T) {
	_, k := axelrodWorld(t, axelrodConfig(true), 1)
	tally := agents.NormsTally{Defections: 1, Punished: 1, Hurt: 36, Punishments: 9}
	if got := k.pay.Score(&tally); got != -60 {
		t.Errorf("Table 1 score with the engine's payoffs = %v, want -60", got)
	}

	// A generation played by the engine whose score can be worked by hand:
	// S = 0 on every opportunity, so an agent with boldness > 0 defects on
	// all 4 and nobody is seen. Agent 0 (B = 2/7, Table 1's agent) and 9
	// agents with B = 1/7 defect 4 times each (40 defections); 10 agents
	// with B = 0 never do. Agent 0: 4 T - 36 H = 12 - 36 = -24; each bold
	// agent the same; each other -40 H = -40. Mean -32.
	c := axelrodConfig(false)
	c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 0}
	c.World.Boldness = Dist{Kind: DistValues, Values: levels(2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)}
	c.World.Vengefulness = Dist{Kind: DistValues, Values: levels(4)}
	w, k := axelrodWorld(t, c, 1)
	w.Step()
	for i, p := range k.payoff {
		want := -24.0
		if i >= 10 {
			want = -40
		}
		if p != want {
			t.Errorf("agent %d payoff = %v, want %v", i, p, want)
		}
	}
	r := w.Row()
	for _, m := range []struct {
		m    Metric
		want float64
	}{{PayoffMean, -32}, {Opportunities, 80}, {Escalations, 40}, {RestraintRate, 0.5}, {Detections, 0}, {Responses, 0}} {
		if r[m.m] != m.want {
			t.Errorf("%v = %v, want %v", m.m, r[m.m], m.want)
		}
	}
}

// TestAxelrodAccounting checks, every generation of random norms and
// metanorms games, that payoffs add up: the sum of payoffs is T D -
// H (N-1) D - (P+E) punishments - (P'+E') metapunishments (Axelrod 1986),
// and that the tallies agree from both ends.
func TestAxelrodAccounting(t *testing.T) {
	for _, meta := range []bool{false, true} {
		c := axelrodConfig(meta)
		w, k := axelrodWorld(t, c, 7)
		n := float64(c.World.States)
		for g := range 300 {
			w.Step()
			r := w.Row()
			pun, metaPun := r[TrueAccusations], r[Responses]-r[TrueAccusations]
			want := 3*r[Escalations] - (n-1)*r[Escalations] - 11*pun - 11*metaPun
			if got := n * r[PayoffMean]; math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Fatalf("metanorms %v generation %d: total payoff %v, want %v", meta, g, got, want)
			}
			var given, taken, mGiven, mTaken, defs int32
			for i := range k.n {
				given += k.punishes[i]
				taken += k.punished[i]
				mGiven += k.metaPunishes[i]
				mTaken += k.metaPunished[i]
				defs += k.defs[i]
				if k.defs[i] == 0 && k.punished[i] != 0 {
					t.Fatalf("agent %d punished without defecting", i)
				}
			}
			if given != taken || mGiven != mTaken || int(given) != int(pun) || float64(defs) != r[Escalations] {
				t.Fatalf("generation %d: punishments %d given, %d taken; metapunishments %d, %d", g, given, taken, mGiven, mTaken)
			}
			if !meta && mGiven != 0 {
				t.Fatalf("metapunishments in the norms game")
			}
		}
	}
}

// TestAxelrodExactDraws checks that the grouped, bit-sliced draws give
// every agent the tallies of the game played one draw at a time. With
// fixed traits (no learning), S ~ U(0,1) and 4 opportunities, agent a
// defects 4 b_a times a generation on average, a defection by i has
// E[S] = b_i/2 and E[S^2] = b_i^2/3 (S is uniform on [0, b_i)), so
// (Axelrod 1986; sums over other agents):
//
//	E[punished_a]        = 2 b_a^2 sum_{j!=a} v_j
//	E[punishments_a]     = 2 v_a sum_{i!=a} b_i^2
//	E[metapunished_a]    = 4/3 (1-v_a) sum_{i!=a} b_i^3 sum_{k!=i,a} v_k
//	E[metapunishments_a] = 4/3 v_a sum_{i!=a} b_i^3 sum_{j!=i,a} (1-v_j)
//
// Every agent's mean over the generations is within 4.5 standard errors.
func TestAxelrodExactDraws(t *testing.T) {
	b := levels(0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1, 3, 3, 3, 5, 5)
	v := levels(7, 6, 5, 4, 3, 2, 1, 0, 3, 3, 3, 3, 3, 5, 5, 0, 7, 1, 1, 2)
	axelrodCheckTallies(t, b, v, 40000)
}

// TestAxelrodLargeWorld is TestAxelrodExactDraws for 150 agents, whose
// lanes take three 64-bit words.
func TestAxelrodLargeWorld(t *testing.T) {
	rnd := rand.New(rand.NewPCG(21, 22))
	b, v := make([]float64, 150), make([]float64, 150)
	for i := range b {
		b[i] = float64(rnd.IntN(3)) / 7 // little boldness: few defections, a fast test
		v[i] = float64(rnd.IntN(8)) / 7
	}
	axelrodCheckTallies(t, b, v, 3000)
}

func axelrodCheckTallies(t *testing.T, b, v []float64, gens int) {
	t.Helper()
	c := axelrodConfig(true)
	c.World.States = len(b)
	c.Learning.Every = math.MaxInt32
	c.World.Boldness = Dist{Kind: DistValues, Values: b}
	c.World.Vengefulness = Dist{Kind: DistValues, Values: v}
	w, k := axelrodWorld(t, c, 3)
	n := len(b)
	sum, sum2 := make([][5]float64, n), make([][5]float64, n)
	for range gens {
		w.Step()
		for i := range n {
			for m, x := range [5]int32{k.defs[i], k.punished[i], k.punishes[i], k.metaPunished[i], k.metaPunishes[i]} {
				sum[i][m] += float64(x)
				sum2[i][m] += float64(x) * float64(x)
			}
		}
	}
	var sb, sb2, sb3, sv, s1v float64 // sums over all agents
	for i := range n {
		sb, sb2, sb3 = sb+b[i], sb2+b[i]*b[i], sb3+b[i]*b[i]*b[i]
		sv, s1v = sv+v[i], s1v+1-v[i]
	}
	want := func(m, a int) float64 {
		switch m {
		case 0:
			return 4 * b[a]
		case 1:
			return 2 * b[a] * b[a] * (sv - v[a])
		case 2:
			return 2 * v[a] * (sb2 - b[a]*b[a])
		case 3: // sum over i != a of b_i^3 (sum_v - v_i - v_a)
			return 4.0 / 3 * (1 - v[a]) * sumExcept(b, a, func(i int) float64 { return b[i] * b[i] * b[i] * (sv - v[i] - v[a]) })
		default:
			return 4.0 / 3 * v[a] * sumExcept(b, a, func(i int) float64 { return b[i] * b[i] * b[i] * (s1v - (1 - v[i]) - (1 - v[a])) })
		}
	}
	names := [5]string{"defections", "punished", "punishments", "metapunished", "metapunishments"}
	for m := range 5 {
		for a := range n {
			g := float64(gens)
			mean := sum[a][m] / g
			se := math.Sqrt(math.Max(0, sum2[a][m]/g-mean*mean) / g)
			if d := math.Abs(mean - want(m, a)); d > 4.5*se+1e-12 {
				t.Errorf("agent %d of %d %s: mean %.4f, want %.4f (%.1f standard errors)", a, n, names[m], mean, want(m, a), d/se)
			}
		}
	}
}

func sumExcept(x []float64, skip int, f func(int) float64) float64 {
	s := 0.0
	for i := range x {
		if i != skip {
			s += f(i)
		}
	}
	return s
}

// TestAxelrodRate checks that with Opportunity.Rate < 1 an agent has
// Binomial(PerStep, Rate) opportunities: their mean over generations is
// N PerStep Rate, within 4.5 standard errors.
func TestAxelrodRate(t *testing.T) {
	c := axelrodConfig(true)
	c.Opportunity.Rate = 0.3
	w, _ := axelrodWorld(t, c, 23)
	const gens = 20000
	s := 0.0
	for range gens {
		w.Step()
		s += w.Row()[Opportunities]
	}
	want := 20 * 4 * 0.3
	se := math.Sqrt(20 * 4 * 0.3 * 0.7 / gens)
	if math.Abs(s/gens-want) > 4.5*se {
		t.Errorf("opportunities per generation %.3f, want %.3f", s/gens, want)
	}
}

// TestAxelrodBernoulli checks the bit-sliced Bernoulli sampler: each lane
// succeeds with probability p and lanes are independent (pairs succeed
// together with probability p^2), within 4.5 standard errors.
func TestAxelrodBernoulli(t *testing.T) {
	_, k := axelrodWorld(t, axelrodConfig(false), 11)
	const draws = 200000
	for _, p := range []float64{1e-3, 0.07, 0.25, 0.5, 3.0 / 7, 0.9, 0.999} {
		for _, mask := range []uint64{1, 0xfffff, 0xa5a5, 1<<63 | 1} {
			var one, pair int
			lo := bits64Lowest(mask)
			hi := 63 - bits64Leading(mask)
			for range draws {
				h := k.bernoulli(mask, axelrodThreshold(p))
				if h&^mask != 0 {
					t.Fatalf("p %v mask %x: lanes %x outside the mask", p, mask, h)
				}
				one += int(h >> lo & 1)
				if h>>lo&1 == 1 && h>>hi&1 == 1 {
					pair++
				}
			}
			check := func(what string, got int, want float64) {
				se := math.Sqrt(want * (1 - want) / draws)
				if d := math.Abs(float64(got)/draws - want); d > 4.5*se+1e-12 {
					t.Errorf("p %v mask %x %s: share %v, want %v (%.1f standard errors)", p, mask, what, float64(got)/draws, want, d/se)
				}
			}
			check("lane", one, p)
			if hi != lo {
				check("pair", pair, p*p)
			}
		}
	}
	if k.bernoulli(0xff, 0) != 0 || k.bernoulli(0xff, axelrodThreshold(1)) != 0xff {
		t.Error("bernoulli at p = 0 or 1 is not certain")
	}
}

func bits64Lowest(x uint64) int {
	for i := range 64 {
		if x>>i&1 == 1 {
			return i
		}
	}
	return 64
}

func bits64Leading(x uint64) int {
	for i := 63; i >= 0; i-- {
		if x>>i&1 == 1 {
			return 63 - i
		}
	}
	return 64
}

// TestAxelrodBinomial checks the binomial sampler's mean and variance,
// n p and n p (1-p), within 4.5 standard errors, including large n drawn in
// chunks.
func TestAxelrodBinomial(t *testing.T) {
	_, k := axelrodWorld(t, axelrodConfig(false), 13)
	const draws = 100000
	for _, c := range []struct {
		n int
		p float64
	}{{4, 1.0 / 7}, {4, 6.0 / 7}, {19, 0.5}, {19, 0.03}, {1000, 0.3}, {100000, 0.001}} {
		var s, s2 float64
		for range draws {
			x := float64(k.binomial(c.n, c.p))
			if x < 0 || x > float64(c.n) {
				t.Fatalf("Binomial(%d, %v) = %v", c.n, c.p, x)
			}
			s += x
			s2 += x * x
		}
		mean, vr := s/draws, s2/draws-(s/draws)*(s/draws)
		wm, wv := float64(c.n)*c.p, float64(c.n)*c.p*(1-c.p)
		if d := math.Abs(mean - wm); d > 4.5*math.Sqrt(wv/draws) {
			t.Errorf("Binomial(%d, %v) mean %v, want %v", c.n, c.p, mean, wm)
		}
		// The variance of the sample variance is about 2 var^2 / draws
		// (plus a kurtosis term, small here).
		if d := math.Abs(vr - wv); d > 4.5*math.Sqrt(2*wv*wv/draws)+4.5*math.Sqrt(wv/draws) {
			t.Errorf("Binomial(%d, %v) variance %v, want %v", c.n, c.p, vr, wv)
		}
	}
}

// TestAxelrodPCG checks that the kernel's copy of PCG-DXSM yields the
// stream of math/rand/v2's PCG.
func TestAxelrodPCG(t *testing.T) {
	ref := rand.NewPCG(3, 4)
	p := pcg{3, 4}
	for i := range 1000 {
		if a, b := ref.Uint64(), p.Uint64(); a != b {
			t.Fatalf("output %d: %x, rand.PCG gives %x", i, b, a)
		}
	}
}

// axelrodShares runs reps replicates of c for steps generations and
// returns the shares established and collapsed at the end, and the mean
// final boldness and vengefulness with their standard errors.
func axelrodShares(t *testing.T, c Config, steps, reps int) (est, col float64, b, v, seB, seV float64) {
	t.Helper()
	c.Run.Steps, c.Run.RecordEvery = steps, steps
	var sb, sb2, sv, sv2 float64
	for r := range reps {
		rep, _, err := RunReplicate(context.Background(), c, r)
		if err != nil {
			t.Fatal(err)
		}
		switch rep.Outcome {
		case Established:
			est++
		case Collapsed:
			col++
		}
		x, y := rep.Final[BoldnessMean], rep.Final[VengefulnessMean]
		sb, sb2, sv, sv2 = sb+x, sb2+x*x, sv+y, sv2+y*y
	}
	n := float64(reps)
	b, v = sb/n, sv/n
	return est / n, col / n, b, v, math.Sqrt((sb2/n - b*b) / n), math.Sqrt((sv2/n - v*v) / n)
}

func shareSE(p float64, n int) float64 {
	return math.Sqrt(math.Max(p*(1-p), 1/float64(n)) / float64(n))
}

// TestAxelrod100Generations is Axelrod's (1986) 100-generation picture,
// over 400 runs instead of his 5.
//
// Norms game (his Fig. 2 and text): vengefulness falls, boldness first
// falls (vengeful agents punish) and then rises again as vengefulness
// fades; after 100 generations the outcomes vary (his five runs: one with
// moderate vengefulness and almost no boldness, two with little of either,
// two with much boldness and almost no vengefulness) and the norm is not
// established (G&I: establishment rare at 100). Metanorms game (his Fig.
// 4: "In all five runs a norm against defection was established"; G&I:
// "after 100 generations the norm is almost always established"): mean
// boldness in the established region (<= 2/7), mean vengefulness >= 5/7,
// and at least 80% of runs established.
func TestAxelrod100Generations(t *testing.T) {
	const reps = 400
	c := axelrodConfig(false)
	c.Run.Steps, c.Run.RecordEvery = 100, 1
	var meanB [101]float64
	var finalV, finalV2 float64
	var est, lowBvengeful, lowBoth, highB int
	for r := range reps {
		rep, _, err := RunReplicate(context.Background(), c, r)
		if err != nil {
			t.Fatal(err)
		}
		for s, row := range rep.Rows {
			meanB[rep.Steps[s]] += row[BoldnessMean] / reps
		}
		b, v := rep.Final[BoldnessMean], rep.Final[VengefulnessMean]
		finalV += v / reps
		finalV2 += v * v / reps
		if rep.Outcome == Established {
			est++
		}
		const e = 1e-9
		switch {
		case b <= 2.0/7+e && v >= 3.0/7-e:
			lowBvengeful++
		case b <= 2.0/7+e:
			lowBoth++
		case b >= 5.0/7-e && v <= 2.0/7+e:
			highB++
		}
	}
	seV := math.Sqrt((finalV2 - finalV*finalV) / reps)
	if finalV > 0.5-4*seV {
		t.Errorf("norms game: mean vengefulness at 100 = %.3f, want below the initial 0.5 (se %.3f)", finalV, seV)
	}
	low, at := meanB[0], 0
	for s, x := range meanB {
		if x < low {
			low, at = x, s
		}
	}
	if !(at >= 5 && at <= 60 && meanB[100]-low > 0.05) {
		t.Errorf("norms game: mean boldness bottoms out at %.3f at generation %d and ends at %.3f; want a fall and then a rise", low, at, meanB[100])
	}
	pEst := float64(est) / reps
	if pEst > 0.15 {
		t.Errorf("norms game: established in %.3f of runs at 100, want rare (<= 0.15)", pEst)
	}
	for _, cl := range []struct {
		name string
		k    int
	}{{"low boldness, moderate vengefulness", lowBvengeful}, {"little boldness and vengefulness", lowBoth}, {"much boldness, little vengefulness", highB}} {
		if p := float64(cl.k) / reps; p < 0.1 {
			t.Errorf("norms game at 100: %s in %.3f of runs; Axelrod saw it in 1 or 2 of 5", cl.name, p)
		}
	}
	t.Logf("norms game at 100: established %.3f; classes %d/%d/%d of %d; boldness min %.3f at %d, final %.3f; vengefulness %.3f",
		pEst, lowBvengeful, lowBoth, highB, reps, low, at, meanB[100], finalV)

	est2, col2, b, v, seB, seV2 := axelrodShares(t, axelrodConfig(true), 100, reps)
	if b+4*seB > AxelrodEstablishedBoldness || v-4*seV2 < AxelrodEstablishedVengefulness {
		t.Errorf("metanorms game at 100: mean boldness %.3f, vengefulness %.3f; want <= 2/7 and >= 5/7", b, v)
	}
	if est2 < 0.8 || col2 > 4*shareSE(0, reps) {
		t.Errorf("metanorms game at 100: established %.3f, collapsed %.3f; want almost always established", est2, col2)
	}
	t.Logf("metanorms game at 100: established %.3f, collapsed %.3f, boldness %.3f, vengefulness %.3f", est2, col2, b, v)
}

// TestAxelrodLongRun is Galan and Izquierdo's (2005) long-run picture, with
// run lengths that fit a test.
func TestAxelrodLongRun(t *testing.T) {
	meta := func(f func(*Config)) Config {
		c := axelrodConfig(true)
		f(&c)
		return c
	}
	cases := []struct {
		name        string
		cfg         Config
		steps, reps int
		est, col    float64 // at least this share (when > 0)
		maxEst      float64 // at most this share of established (when > 0)
		claim       string
	}{
		{"norms game", axelrodConfig(false), 2000, 100, 0, 0.9, 0, `Fig. 4: "the norm collapses almost always"`},
		{"metanorms, P' = 0.9, E' = 0.2", meta(func(c *Config) { c.Metanorms.Punishment, c.Metanorms.EnforcementCost = 0.9, 0.2 }), 1000, 100, 0, 0.8, 0.05, `Fig. 9: "the norm quickly collapses and such state is sustained"`},
		{"metanorms, random tournament", meta(func(c *Config) { c.Axelrod.Selection = agents.SelectTournament }), 2000, 100, 0, 0.8, 0.1, `Fig. 12: "the states where the norm has collapsed are quickly reached"`},
		{"metanorms, T = 10", meta(func(c *Config) { c.Payoffs.Temptation = 10 }), 1000, 100, 0.9, 0, 0, `Fig. 11: "the norm is clearly established in almost all runs"`},
	}
	for _, tc := range cases {
		est, col, _, _, _, _ := axelrodShares(t, tc.cfg, tc.steps, tc.reps)
		t.Logf("%s at %d: established %.2f, collapsed %.2f (G&I %s)", tc.name, tc.steps, est, col, tc.claim)
		if tc.col > 0 && col < tc.col {
			t.Errorf("%s at %d: collapsed in %.2f of runs, want >= %.2f (G&I %s)", tc.name, tc.steps, col, tc.col, tc.claim)
		}
		if tc.est > 0 && est < tc.est {
			t.Errorf("%s at %d: established in %.2f of runs, want >= %.2f (G&I %s)", tc.name, tc.steps, est, tc.est, tc.claim)
		}
		if tc.maxEst > 0 && est > tc.maxEst {
			t.Errorf("%s at %d: established in %.2f of runs, want <= %.2f (G&I %s)", tc.name, tc.steps, est, tc.maxEst, tc.claim)
		}
	}

	// Axelrod's metanorms game: the norm established by generation 100
	// (TestAxelrod100Generations) does not last. G&I Fig. 5: by 10^5
	// generations the norm has collapsed in a large share of runs and in
	// most by 10^6. Each run stops at its first collapse (the costly
	// state); a public re-implementation measured 43% collapsed at 10^5
	// over 100 runs. Want at least 20% by 10^5 (40 runs: 4 standard errors
	// below 43% is 12%).
	if testing.Short() {
		t.Skip("skipping the 10^5-generation metanorms runs in short mode")
	}
	c := axelrodConfig(true)
	const reps, gens = 40, 100000
	collapsed := 0
	for r := range reps {
		w, err := New(c, rand.NewPCG(c.Run.Seed, uint64(r)))
		if err != nil {
			t.Fatal(err)
		}
		for range gens {
			w.Step()
			if row := w.Row(); AxelrodRegion(row[BoldnessMean], row[VengefulnessMean]) == Collapsed {
				collapsed++
				break
			}
		}
	}
	p := float64(collapsed) / reps
	t.Logf("metanorms game: collapsed by %d generations in %.2f of runs", gens, p)
	if p < 0.2 {
		t.Errorf("metanorms game: collapsed by %d generations in %.2f of runs, want >= 0.2 (G&I Fig. 5)", gens, p)
	}
}

// TestAxelrodDeterminism checks that a seed fixes every row, that another
// seed changes them, and the invariants of every row: traits and rates in
// [0,1], counts consistent, no NaN.
func TestAxelrodDeterminism(t *testing.T) {
	for _, meta := range []bool{false, true} {
		c := axelrodConfig(meta)
		c.Run.Steps = 300
		a, _, err := RunReplicate(context.Background(), c, 2)
		if err != nil {
			t.Fatal(err)
		}
		b, _, _ := RunReplicate(context.Background(), c, 2)
		if !sameRows(a.Rows, b.Rows) {
			t.Fatalf("metanorms %v: the same seed gives different rows", meta)
		}
		d, _, _ := RunReplicate(context.Background(), c, 3)
		if sameRows(a.Rows, d.Rows) {
			t.Fatalf("metanorms %v: replicates 2 and 3 give the same rows", meta)
		}
		n := float64(c.World.States)
		for s, r := range a.Rows {
			for m, x := range r {
				if math.IsNaN(x) && !(Metric(m).MayBeEmpty() && (s == 0 || m != int(RestraintRate))) || math.IsInf(x, 0) {
					t.Fatalf("step %d: %v = %v", a.Steps[s], Metric(m), x)
				}
			}
			for _, m := range []Metric{BeliefRestraintMean, BeliefRestraintSD, BeliefResponseMean, BeliefResponseSD, BoldnessMean, VengefulnessMean, CredibilityMean} {
				if r[m] < 0 || r[m] > 1 {
					t.Fatalf("step %d: %v = %v, want in [0,1]", a.Steps[s], m, r[m])
				}
			}
			ok := r[Opportunities] == 4*n && r[Escalations] <= r[Opportunities] &&
				r[Detections] <= r[Escalations]*(n-1) && r[TrueAccusations] <= r[Detections] &&
				r[Responses] >= r[TrueAccusations] && r[FalseAccusations] == 0 &&
				math.Abs(r[BeliefRestraintMean]+r[BoldnessMean]-1) < 1e-12 &&
				math.Abs(r[ExpectationGap]-(r[BeliefRestraintMean]-r[RestraintRate])) < 1e-12
			if s == 0 {
				ok = r[Opportunities] == 0 && r[Escalations] == 0 && math.IsNaN(r[RestraintRate]) && r[PayoffMean] == 0
			}
			if !ok {
				t.Fatalf("metanorms %v step %d: inconsistent row %v", meta, a.Steps[s], r)
			}
			if !meta && r[Responses] != r[TrueAccusations] {
				t.Fatalf("norms game step %d: metapunishments", a.Steps[s])
			}
		}
	}
}

// TestAxelrodEvents checks that an event changes the payoffs the kernel
// pays from its step on (reconfigure): with S = 0 every agent of boldness
// 1/7 defects 4 times a generation unseen; with all 20 such, each gets
// 4 T - 76 H.
func TestAxelrodEvents(t *testing.T) {
	c := axelrodConfig(false)
	c.Opportunity.Seen = Dist{Kind: DistConstant, Value: 0}
	c.World.Boldness = Dist{Kind: DistConstant, Value: 1.0 / 7}
	c.Learning.Mutation = 0
	c.Run.Steps = 4
	c.Events = []Event{{Step: 3, Label: "AI-enabled tools", Set: []Assignment{{Key: "payoffs.temptation", Value: 10}}}}
	rep, _, err := RunReplicate(context.Background(), c, 0)
	if err != nil {
		t.Fatal(err)
	}
	for s, r := range rep.Rows {
		want := 0.0
		switch {
		case rep.Steps[s] >= 3:
			want = 4*10 - 76
		case rep.Steps[s] >= 1:
			want = 4*3 - 76
		}
		if r[PayoffMean] != want {
			t.Errorf("step %d: payoff %v, want %v", rep.Steps[s], r[PayoffMean], want)
		}
	}
}

// TestAxelrodConfigErrors checks that a distribution of S the kernel cannot
// condition on S < b is refused by name.
func TestAxelrodConfigErrors(t *testing.T) {
	c := axelrodConfig(true)
	c.Opportunity.Seen = Dist{Kind: DistNormal, Mean: 0.5, SD: 0.1}
	_, err := New(c, rand.NewPCG(1, 1))
	if err == nil || !strings.Contains(err.Error(), `opportunity.seen.dist = "normal": want constant or uniform`) {
		t.Errorf("err = %v, want the seen distribution refused", err)
	}
}

// TestAxelrodInitialTraits checks the initial levels: "levels" and a
// uniform on [0,1] give each of the 8 levels with probability 1/8
// (Axelrod's random bits), a constant k/7 gives level k, and an initial
// escalator gets boldness 7/7.
func TestAxelrodInitialTraits(t *testing.T) {
	for _, d := range []Dist{{Kind: DistLevels}, {Kind: DistUniform, Min: 0, Max: 1}} {
		c := axelrodConfig(false)
		c.World.States = 40000
		c.World.Boldness, c.World.Vengefulness = d, d
		_, k := axelrodWorld(t, c, 5)
		var count [8]int
		for _, g := range k.genome {
			count[g.Boldness()]++
			count[g.Vengefulness()]++
		}
		n := 2.0 * 40000
		for l, x := range count {
			if se := math.Sqrt(n / 8 * 7 / 8); math.Abs(float64(x)-n/8) > 4.5*se {
				t.Errorf("%s: level %d drawn %d times of %v, want %v", d.Kind, l, x, n, n/8)
			}
		}
	}
	c := axelrodConfig(false)
	c.World.Boldness = Dist{Kind: DistConstant, Value: 3.0 / 7}
	c.World.Vengefulness = Dist{Kind: DistConstant, Value: 1}
	c.World.Initial = InitialConfig{Pattern: InitList, Escalating: []int{4}}
	_, k := axelrodWorld(t, c, 5)
	for i, g := range k.genome {
		wantB := uint8(3)
		if i == 4 {
			wantB = 7
		}
		if g.Boldness() != wantB || g.Vengefulness() != 7 {
			t.Errorf("agent %d: levels (%d, %d), want (%d, 7)", i, g.Boldness(), g.Vengefulness(), wantB)
		}
	}
}

// TestAxelrodRegion checks Galan and Izquierdo's regions at their edges.
func TestAxelrodRegion(t *testing.T) {
	for _, c := range []struct {
		b, v float64
		want Outcome
	}{
		{6.0 / 7, 1.0 / 7, Collapsed}, {1, 0, Collapsed}, {6.0/7 - 0.01, 0, Contested},
		{2.0 / 7, 5.0 / 7, Established}, {0, 1, Established}, {2.0 / 7, 5.0/7 - 0.01, Contested},
		{0.5, 0.5, Contested},
	} {
		if got := AxelrodRegion(c.b, c.v); got != c.want {
			t.Errorf("AxelrodRegion(%v, %v) = %v, want %v", c.b, c.v, got, c.want)
		}
	}
	// Sums of levels over 20 agents land on the edges exactly.
	if got := AxelrodRegion(float64(120)/(7*20), float64(20)/(7*20)); got != Collapsed {
		t.Errorf("mean levels 6 and 1 = %v, want collapsed", got)
	}
}

// TestAxelrodSeenCounts checks the closed form of the number K of the
// c = n-1 others who see a defection when nobody can punish (S integrated
// out): against a numerical integral of Binomial(c, s) over S ~ Seen given
// S < b, and the alias sampler against E[K] = c E[S] and
// E[K^2] = c E[S] + c(c-1) E[S^2], within 4.5 standard errors.
func TestAxelrodSeenCounts(t *testing.T) {
	for _, seen := range []Dist{{Kind: DistUniform, Min: 0, Max: 1}, {Kind: DistUniform, Min: 0.2, Max: 0.9}, {Kind: DistConstant, Value: 0.3}} {
		c := axelrodConfig(false)
		c.Opportunity.Seen = seen
		c.World.Vengefulness = Dist{Kind: DistConstant, Value: 0}
		w, k := axelrodWorld(t, c, 17)
		n := k.n - 1
		for b := range uint8(8) {
			if k.pDefect[b] == 0 {
				continue
			}
			lo, wd := k.seenLo, k.seenWidth[b]
			es, es2 := lo, lo*lo
			if !k.seenConst {
				es, es2 = lo+wd/2, lo*lo+lo*wd+wd*wd/3
			}
			p := k.seenCounts(b)
			pmf := make([]float64, n+1)
			for j := range p {
				want := 0.0
				if k.seenConst {
					binomialPMF(n, lo, pmf)
					want = pmf[j]
				} else { // Simpson's rule on 2000 intervals
					const m = 2000
					for q := 0; q <= m; q++ {
						wq := 2.0 + 2*float64(q%2)
						if q == 0 || q == m {
							wq = 1
						}
						binomialPMF(n, lo+wd*float64(q)/m, pmf)
						want += wq * pmf[j] / (3 * m)
					}
				}
				if math.Abs(p[j]-want) > 1e-9 {
					t.Errorf("%s, b %d: P(K = %d) = %.12f, numerical %.12f", seen.Kind, b, j, p[j], want)
				}
			}
			const draws = 200000
			var s1, s2 float64
			for range draws {
				x := float64(k.seenBy[b].sample(k))
				s1 += x
				s2 += x * x
			}
			m1, m2 := float64(n)*es, float64(n)*es+float64(n*(n-1))*es2
			sd := math.Sqrt(math.Max(m2-m1*m1, 1e-12))
			if d := math.Abs(s1/draws - m1); d > 4.5*sd/math.Sqrt(draws) {
				t.Errorf("%s, b %d: mean K %.4f, want %.4f", seen.Kind, b, s1/draws, m1)
			}
			// K^2 is 2c-Lipschitz in K, so its sd is at most 2 c sd(K).
			if d := math.Abs(s2/draws - m2); d > 4.5*2*float64(n)*sd/math.Sqrt(draws) {
				t.Errorf("%s, b %d: E[K^2] %.4f, want %.4f", seen.Kind, b, s2/draws, m2)
			}
		}
		// And through the engine, without learning: nobody punishes, and
		// detections average sum_i 4 P(S < b_i) c E[S | S < b_i].
		c.Learning.Every = math.MaxInt32
		c.World.Boldness = Dist{Kind: DistValues, Values: levels(0, 1, 2, 3, 4, 5, 6, 7)}
		w, k = axelrodWorld(t, c, 19)
		want := 0.0
		for _, g := range k.genome {
			b := g.Boldness()
			es := k.seenLo
			if !k.seenConst {
				es += k.seenWidth[b] / 2
			}
			want += 4 * k.pDefect[b] * float64(n) * es
		}
		const gens = 20000
		var s1, s2 float64
		for range gens {
			w.Step()
			r := w.Row()
			if r[TrueAccusations] != 0 || r[Responses] != 0 {
				t.Fatalf("%s: punishments without vengeful agents: %v", seen.Kind, r)
			}
			s1 += r[Detections]
			s2 += r[Detections] * r[Detections]
		}
		mean := s1 / gens
		se := math.Sqrt((s2/gens - mean*mean) / gens)
		if math.Abs(mean-want) > 4.5*se {
			t.Errorf("%s: detections per generation %.3f, want %.3f (se %.3f)", seen.Kind, mean, want, se)
		}
	}
}
