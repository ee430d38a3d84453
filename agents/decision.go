package agents

import "math"

// The logit rule of MODEL.md step 2, as pure functions: a state escalates
// against a target with probability Logistic(beta (G - D - C)).

// Gain is G = 2 b T: the temptation T scaled by boldness b (b = 1/2 is
// neutral).
func Gain(boldness, temptation float64) float64 { return 2 * boldness * temptation }

// Deterrence is the expected cost D of an escalation seen with chance s:
//
//	D = s delta^L [ tpr rho P (1 + A) + tprPub R W ]
//
// tpr and tprPub are the target's chances to name the culprit at all and
// publicly, rho the escalating state's belief that attributed escalations
// are punished, P the punishment, A the expected number of others who
// join the target's response, R the reputation cost of a public
// accusation believed with weight 1 and W the weight it is expected to be
// believed with; late = delta^L (see [Late]) discounts a punishment that
// comes L steps late.
func Deterrence(s, late, tpr, rho, punishment, allies, tprPub, reputation, weight float64) float64 {
	return s * late * (tpr*rho*punishment*(1+allies) + tprPub*reputation*weight)
}

// Late is delta^L, the discount of a cost that comes L steps late (1 when
// L = 0).
func Late(discount, lag float64) float64 {
	if lag <= 0 {
		return 1
	}
	return math.Pow(discount, lag)
}

// NormCost is C = kappa r (1 + (mu - 1) a l sigma): conformity kappa to the
// restraint r the state expects of others, raised for an adopter (a = 1)
// of a text of stringency sigma by the codified pressure mu, scaled by the
// adopter's legitimacy l.
func NormCost(kappa, r, mu float64, adopted bool, legitimacy, sigma float64) float64 {
	if !adopted {
		return kappa * r
	}
	return kappa * r * (1 + (mu-1)*legitimacy*sigma)
}

// EscalationProb is the logit choice: 1 / (1 + exp(-beta (G - D - C))).
func EscalationProb(beta, gain, deterrence, norm float64) float64 {
	return Logistic(EscalationLogit(beta, gain, deterrence, norm))
}

// EscalationLogit is the argument of the logit choice, beta (G - D - C):
// EscalationProb is its Logistic, and a draw u escalates when
// LogisticAbove(x, u).
func EscalationLogit(beta, gain, deterrence, norm float64) float64 {
	return beta * (gain - deterrence - norm)
}

// LogisticAbove reports u < Logistic(x): whether a uniform draw u in
// [0, 1) falls under the logit probability, exactly as that comparison
// does. It skips the exponential when a power of two above Logistic(x)
// decides it: for x < -1, Logistic(x) <= exp(x) <= 2^(ceil(x log2 e) + 1)
// (the + 1 covers the rounding of x log2 e and of math.Exp), so a u at or
// above that bound does not escalate. A restrained state's draw usually
// is (at p = 0.01, 98% of draws), which saves most of the engine's
// exponentials.
func LogisticAbove(x, u float64) bool {
	if x < -1 {
		k := max(math.Ceil(x*math.Log2E)+1, -1000)
		if u >= math.Float64frombits(uint64(int64(k)+1023)<<52) {
			return false
		}
	}
	return u < Logistic(x)
}

// Belief returns the weight W with which others believe an accusation
// whose accusers' combined credibility is cAcc: cAcc, or, when the accused
// denies, cAcc / (cAcc + cAccused), its word against theirs.
func Belief(cAcc, cAccused float64, denied bool) float64 {
	if !denied {
		return cAcc
	}
	if cAcc+cAccused <= 0 {
		return 0
	}
	return cAcc / (cAcc + cAccused)
}

// ExpectedBelief is the expected W of an accusation by accusers of
// combined credibility cAcc against a state of credibility cAccused that
// denies with probability denial.
func ExpectedBelief(cAcc, cAccused, denial float64) float64 {
	return (1-denial)*Belief(cAcc, cAccused, false) + denial*Belief(cAcc, cAccused, true)
}
