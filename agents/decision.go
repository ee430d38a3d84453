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
	return Logistic(beta * (gain - deterrence - norm))
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
