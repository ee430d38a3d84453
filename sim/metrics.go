package sim

// Metric indexes one recorded quantity of a step; see [MetricNames].
type Metric int

// The recorded metrics. Counts are per step (per generation in the
// classic kernels); rates are in [0,1]. Their CSV names are [MetricNames].
const (
	// RestraintRate is the share of opportunities in which the actor held
	// back (1 when there was no opportunity); in the game kernel, the share
	// of cooperators (at step 0 too).
	RestraintRate Metric = iota
	Opportunities
	Escalations
	Detections
	TrueAccusations
	FalseAccusations
	Responses
	// Spirals counts escalation spirals (counter-responses by punished
	// innocents); SpiralLength is the mean length of those that ended this
	// step (0 when none did).
	Spirals
	SpiralLength
	Collateral // total collateral damage this step
	BeliefRestraintMean
	BeliefRestraintSD
	BeliefResponseMean
	BeliefResponseSD
	// ExpectationGap is the mean restraint belief minus the restraint rate.
	ExpectationGap
	BoldnessMean
	VengefulnessMean
	CredibilityMean
	PayoffMean  // mean payoff per state this step
	ForumMarker // 1 at a step with a forum meeting
	Codified    // 1 once the norm has been codified
	EventMarker // 1 at a step where an event fired
	NumMetrics
)

// MetricNames are the snake_case column names of the metrics, in order.
var MetricNames = [NumMetrics]string{
	RestraintRate:       "restraint_rate",
	Opportunities:       "opportunities",
	Escalations:         "escalations",
	Detections:          "detections",
	TrueAccusations:     "true_accusations",
	FalseAccusations:    "false_accusations",
	Responses:           "responses",
	Spirals:             "spirals",
	SpiralLength:        "spiral_length",
	Collateral:          "collateral",
	BeliefRestraintMean: "belief_restraint_mean",
	BeliefRestraintSD:   "belief_restraint_sd",
	BeliefResponseMean:  "belief_response_mean",
	BeliefResponseSD:    "belief_response_sd",
	ExpectationGap:      "expectation_gap",
	BoldnessMean:        "boldness_mean",
	VengefulnessMean:    "vengefulness_mean",
	CredibilityMean:     "credibility_mean",
	PayoffMean:          "payoff_mean",
	ForumMarker:         "forum",
	Codified:            "codified",
	EventMarker:         "event",
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
