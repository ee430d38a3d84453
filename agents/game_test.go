package agents

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestGamePayoff(t *testing.T) {
	// Nowak and May (1992): R = 1, T = b, S = P = 0. A cooperator with 5
	// cooperating and 4 defecting partners earns 5; a defector with 5
	// cooperating partners earns 5b.
	g := Game{Reward: 1, Sucker: 0, Temptation: 1.9, Punishment: 0}
	if got := g.Payoff(true, 5, 4); got != 5 {
		t.Errorf("cooperator: %g, want 5", got)
	}
	if got := g.Payoff(false, 5, 4); got != 5*1.9 {
		t.Errorf("defector: %g, want %g", got, 5*1.9)
	}
	// Axelrod's Prisoner's Dilemma R = 3, S = 0, T = 5, P = 1.
	pd := Game{Reward: 3, Sucker: 0, Temptation: 5, Punishment: 1}
	if got := pd.Payoff(true, 2, 3); got != 6 {
		t.Errorf("PD cooperator: %g, want 6", got)
	}
	if got := pd.Payoff(false, 2, 3); got != 13 {
		t.Errorf("PD defector: %g, want 13", got)
	}
	if lo, hi := pd.Bounds(); lo != 0 || hi != 5 {
		t.Errorf("bounds %g, %g, want 0, 5", lo, hi)
	}
}

func TestStimulus(t *testing.T) {
	// Macy and Flache (2002): s = (payoff - aspiration) / sup|payoff -
	// aspiration|. With R=3, S=0, T=5, P=1 and aspiration 2, the largest
	// distance is 3 (T): s(R) = 1/3, s(S) = -2/3, s(T) = 1, s(P) = -1/3.
	g := Game{Reward: 3, Sucker: 0, Temptation: 5, Punishment: 1}
	for _, c := range []struct{ pay, want float64 }{{3, 1.0 / 3}, {0, -2.0 / 3}, {5, 1}, {1, -1.0 / 3}, {2, 0}} {
		if got := g.Stimulus(c.pay, 2); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("stimulus(%g) = %g, want %g", c.pay, got, c.want)
		}
	}
	if got := (Game{1, 1, 1, 1}).Stimulus(1, 1); got != 0 {
		t.Errorf("all payoffs at the aspiration: stimulus %g, want 0", got)
	}
}

func TestBestNeighbour(t *testing.T) {
	inf := math.Inf(-1)
	for _, c := range []struct {
		bestC, bestD float64
		cur, want    bool
	}{
		{9, 8.5, false, true}, {8, 9.5, true, false},
		{9, 9, true, true}, {9, 9, false, false}, // a tie keeps the strategy
		{inf, 3, true, false}, {3, inf, false, true},
	} {
		if got := BestNeighbour(c.bestC, c.bestD, c.cur); got != c.want {
			t.Errorf("BestNeighbour(%g, %g, %v) = %v, want %v", c.bestC, c.bestD, c.cur, got, c.want)
		}
	}
}

func TestReinforceCooperation(t *testing.T) {
	// Bush-Mosteller (Macy and Flache 2002): p = 0.5, l = 0.2.
	// A satisfying cooperation (s = 1): 0.5 + 0.2 (0.5) = 0.6.
	// A satisfying defection: the defection probability goes to 0.6.
	// A disappointing cooperation (s = -0.5): 0.5 - 0.1 (0.5) = 0.45.
	// A disappointing defection: defection 0.45, cooperation 0.55.
	for _, c := range []struct {
		coop bool
		s    float64
		want float64
	}{{true, 1, 0.6}, {false, 1, 0.4}, {true, -0.5, 0.45}, {false, -0.5, 0.55}} {
		if got := ReinforceCooperation(0.5, c.coop, c.s, 0.2); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("ReinforceCooperation(0.5, %v, %g, 0.2) = %g, want %g", c.coop, c.s, got, c.want)
		}
	}
}

// fixationSum is the general fixation probability of one mutant,
// 1 / (1 + sum_{k=1}^{n-1} prod_{j=1}^{k} T-_j/T+_j), with the ratio
// e^{-beta dpi} of the pairwise comparison process (Traulsen, Nowak and
// Pacheco 2006) or 1/r of the Moran process (Nowak et al. 2004).
func fixationSum(ratio float64, n int) float64 {
	s, prod := 1.0, 1.0
	for range n - 1 {
		prod *= ratio
		s += prod
	}
	return 1 / s
}

func TestFixationClosedForms(t *testing.T) {
	for _, n := range []int{2, 10, 100} {
		for _, x := range []float64{-2, -0.3, -1e-9, 1e-9, 0.05, 0.45, 3} {
			want := fixationSum(math.Exp(-x), n)
			if got := FermiFixation(1, x, n); math.Abs(got-want) > 1e-9*want+1e-15 {
				t.Errorf("FermiFixation(1, %g, %d) = %g, want %g", x, n, got, want)
			}
			if got := FermiFixation(2, x/2, n); math.Abs(got-want) > 1e-9*want+1e-15 {
				t.Errorf("FermiFixation(2, %g, %d) = %g, want %g", x/2, n, got, want)
			}
			if got := MoranFixation(math.Exp(x), n); math.Abs(got-want) > 1e-9*want+1e-15 {
				t.Errorf("MoranFixation(e^%g, %d) = %g, want %g", x, n, got, want)
			}
		}
		if got := FermiFixation(0, 1, n); got != 1/float64(n) {
			t.Errorf("neutral Fermi: %g, want 1/%d", got, n)
		}
		if got := MoranFixation(1, n); got != 1/float64(n) {
			t.Errorf("neutral Moran: %g, want 1/%d", got, n)
		}
	}
	// Nowak et al. (2004): for large N an advantageous mutant fixes with
	// probability about 1 - 1/r.
	if got := MoranFixation(1.1, 1000); math.Abs(got-(1-1/1.1)) > 1e-12 {
		t.Errorf("MoranFixation(1.1, 1000) = %g, want %g", got, 1-1/1.1)
	}
}

// TestLogisticAbove: the shortcut decides every draw exactly as u <
// Logistic(x) does, near its bound too (u just above and below the power
// of two, and at Logistic(x) itself), over the whole range of x. It must
// agree bit for bit: the engine's results depend on it.
func TestLogisticAbove(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	check := func(x, u float64) {
		if got, want := LogisticAbove(x, u), u < Logistic(x); got != want {
			t.Fatalf("LogisticAbove(%v, %v) = %v, want %v (Logistic = %v)", x, u, got, want, Logistic(x))
		}
	}
	for range 2_000_000 {
		x := -800 * rng.Float64() * rng.Float64()
		if rng.IntN(4) == 0 {
			x = 10 * rng.NormFloat64()
		}
		check(x, rng.Float64())
		p := Logistic(x)
		for _, u := range []float64{p, math.Nextafter(p, 0), math.Nextafter(p, 1),
			math.Ldexp(1, int(math.Ceil(x*math.Log2E))), math.Ldexp(1, int(math.Ceil(x*math.Log2E))+1)} {
			if u >= 0 && u < 1 {
				check(x, u)
			}
		}
	}
	for _, x := range []float64{math.Inf(-1), -1e308, -745.2, -709, -1, -0.5, 0, math.NaN()} {
		for _, u := range []float64{0, 5e-324, 1e-300, 0.25, 0.999} {
			check(x, u)
		}
	}
}
