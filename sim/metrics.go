package sim

import "math"

// Metric indexes one recorded quantity of a step; see [MetricNames].
type Metric int

// The recorded metrics. Counts are per step (per generation in the
// classic kernels); rates and shares are in [0,1]. Their CSV names are
// [MetricNames]; a rate with nothing to measure at a step (no
// opportunity) is NaN, written as an empty cell.
const (
	// RestraintRate is the share of opportunities in which the actor held
	// back (NaN when there was none); in the game kernel, the share of
	// cooperators (at step 0 too).
	RestraintRate Metric = iota
	// RestraintCompliant is the restraint rate among the states that are
	// not revisionists: the practice of those the norm could bind.
	RestraintCompliant
	Opportunities
	Escalations
	Detections
	// Reported counts detected incidents reported publicly, naming nobody.
	Reported
	TrueAccusations
	FalseAccusations
	PublicAccusations
	PrivateAccusations
	// Cosigned counts public accusations with at least one co-signer;
	// Denied those the accused denied; Misrepresentations the
	// opportunistic public accusations with no incident behind them.
	Cosigned
	Denied
	Misrepresentations
	Responses
	// Spirals counts escalation spirals (counter-responses by punished
	// innocents); SpiralLength is the mean length of those that ended this
	// step (NaN when none did).
	Spirals
	SpiralLength
	Collateral // total collateral damage this step
	// The restraint and response beliefs, over the states that are not
	// revisionists.
	BeliefRestraintMean
	BeliefRestraintSD
	BeliefResponseMean
	BeliefResponseSD
	// ExpectationGap is the mean restraint belief minus the restraint rate
	// among non-revisionists (NaN when that is).
	ExpectationGap
	// Adoption is the share of states that have adopted the norm text;
	// AdoptionPower the same weighted by power; Stringency the text in
	// force (NaN while there is none); LegitimacyMean the mean legitimacy
	// of the adopters (NaN when there are none).
	Adoption
	AdoptionPower
	Stringency
	LegitimacyMean
	BoldnessMean
	VengefulnessMean
	CredibilityMean
	ForensicsMean // the mean current d' (exposure lowers it)
	PayoffMean    // mean payoff per state this step
	// Restraint and adoption by power tercile (lowest power first), among
	// non-revisionists.
	RestraintLow
	RestraintMid
	RestraintHigh
	AdoptionLow
	AdoptionMid
	AdoptionHigh
	ForumMarker // 1 at a step with a forum meeting
	ForumFailed // 1 at a step whose forum failed to agree a text
	EventMarker // 1 at a step where an event fired
	NumMetrics
)

// MetricNames are the snake_case column names of the metrics, in order.
var MetricNames = [NumMetrics]string{
	RestraintRate:       "restraint_rate",
	RestraintCompliant:  "restraint_compliant",
	Opportunities:       "opportunities",
	Escalations:         "escalations",
	Detections:          "detections",
	Reported:            "reported",
	TrueAccusations:     "true_accusations",
	FalseAccusations:    "false_accusations",
	PublicAccusations:   "public_accusations",
	PrivateAccusations:  "private_accusations",
	Cosigned:            "cosigned",
	Denied:              "denied",
	Misrepresentations:  "misrepresentations",
	Responses:           "responses",
	Spirals:             "spirals",
	SpiralLength:        "spiral_length",
	Collateral:          "collateral",
	BeliefRestraintMean: "belief_restraint_mean",
	BeliefRestraintSD:   "belief_restraint_sd",
	BeliefResponseMean:  "belief_response_mean",
	BeliefResponseSD:    "belief_response_sd",
	ExpectationGap:      "expectation_gap",
	Adoption:            "adoption",
	AdoptionPower:       "adoption_power",
	Stringency:          "stringency",
	LegitimacyMean:      "legitimacy_mean",
	BoldnessMean:        "boldness_mean",
	VengefulnessMean:    "vengefulness_mean",
	CredibilityMean:     "credibility_mean",
	ForensicsMean:       "forensics_mean",
	PayoffMean:          "payoff_mean",
	RestraintLow:        "restraint_power_low",
	RestraintMid:        "restraint_power_mid",
	RestraintHigh:       "restraint_power_high",
	AdoptionLow:         "adoption_power_low",
	AdoptionMid:         "adoption_power_mid",
	AdoptionHigh:        "adoption_power_high",
	ForumMarker:         "forum",
	ForumFailed:         "forum_failed",
	EventMarker:         "event",
}

// MayBeEmpty reports whether m may be NaN (an empty cell): a rate or
// share with nothing to measure at a step. Every other metric is a number
// at every step; the stepper refuses to record a NaN or an infinity in
// one.
func (m Metric) MayBeEmpty() bool {
	switch m {
	case RestraintRate, RestraintCompliant, SpiralLength, ExpectationGap, Stringency, LegitimacyMean,
		RestraintLow, RestraintMid, RestraintHigh:
		return true
	}
	return false
}

// MetricByName returns the metric with the given column name.
func MetricByName(name string) (Metric, bool) {
	for i, n := range MetricNames {
		if n == name {
			return Metric(i), true
		}
	}
	return 0, false
}

// String returns the metric's column name.
func (m Metric) String() string {
	if m < 0 || m >= NumMetrics {
		return "metric(?)"
	}
	return MetricNames[m]
}

// Row is one recorded step: the values of every metric.
type Row [NumMetrics]float64

// rate returns k/n, or NaN when n is 0.
func rate(k, n float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	return k / n
}

// clearRow sets every metric that may be empty to NaN and the others to
// 0: the state of a row before a kernel fills it.
func clearRow(row *Row) {
	for m := range NumMetrics {
		if m.MayBeEmpty() {
			row[m] = math.NaN()
		} else {
			row[m] = 0
		}
	}
}
