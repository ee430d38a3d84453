package agents

import "math"

// Fermi returns the probability that a state with payoff self copies a
// state with payoff other under the pairwise-comparison (Fermi) rule with
// selection intensity beta: 1 / (1 + exp(-beta (other - self))).
// Traulsen, Nowak and Pacheco (2006), Phys. Rev. E 74, 011909, eq. (1).
func Fermi(beta, self, other float64) float64 {
	return Logistic(beta * (other - self))
}

// Logistic returns 1 / (1 + exp(-x)), computed without overflow.
func Logistic(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// BushMosteller returns the updated probability p of an action after it
// earned the stimulus s in [-1, 1] (payoff against aspiration, scaled),
// with learning rate l in [0, 1]: a satisfactory outcome (s >= 0) moves p
// towards 1 by l s (1 - p); an unsatisfactory one moves it towards 0 by
// l |s| p. Bush and Mosteller (1955); Macy and Flache (2002), PNAS 99(3).
func BushMosteller(p, s, l float64) float64 {
	if s >= 0 {
		p += l * s * (1 - p)
	} else {
		p += l * s * p
	}
	return min(1, max(0, p))
}

// Phi is the standard normal distribution function.
func Phi(x float64) float64 {
	return 0.5 * math.Erfc(-x/math.Sqrt2)
}

// Detection returns the signal-detection rates of an accusation rule that
// names a candidate when its evidence x exceeds tau, when a culprit's
// evidence is Normal(dprime, 1) and an innocent's Normal(0, 1): the true
// positive rate 1 - Phi(tau - d') and the false positive rate 1 - Phi(tau).
// Green and Swets (1966), Signal Detection Theory and Psychophysics.
func Detection(dprime, tau float64) (tpr, fpr float64) {
	return 1 - Phi(tau-dprime), 1 - Phi(tau)
}
