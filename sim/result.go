package sim

import "time"

// Outcome names how a run ended; see MODEL.md "Outcomes and convergence".
// The general model reads it on two axes, practice P (restraint among
// non-revisionists) and expectations B (the mean restraint belief), over
// the last convergence.window steps: established (both high), latent
// (practice without expectation), hollow (expectation without practice),
// collapsed (both low), contested otherwise. The classic kernels name
// established, collapsed and contested by their own definitions (Galan
// and Izquierdo's regions of the traits for Axelrod's games).
type Outcome int

// The outcomes.
const (
	Contested Outcome = iota
	Established
	Collapsed
	Latent
	Hollow
	NumOutcomes
)

var outcomeNames = [NumOutcomes]string{"contested", "established", "collapsed", "latent", "hollow"}

// String returns the outcome's name.
func (o Outcome) String() string {
	if o < 0 || o >= NumOutcomes {
		return "outcome(?)"
	}
	return outcomeNames[o]
}

// OutcomeNames returns the names of the outcomes in the order outputs
// list them: from the norm established to the norm collapsed.
func OutcomeNames() []string {
	return []string{"established", "latent", "contested", "hollow", "collapsed"}
}

// ParseOutcome is the inverse of [Outcome.String].
func ParseOutcome(s string) (Outcome, bool) {
	for i, n := range outcomeNames {
		if n == s {
			return Outcome(i), true
		}
	}
	return 0, false
}

// Outcomes returns the outcomes a configuration's kernel can name, in the
// order outputs list them: Galan and Izquierdo's three regions for
// Axelrod's games, the five classes of the two axes otherwise.
func Outcomes(cfg *Config) []Outcome {
	if Kernel(cfg) == "axelrod" {
		return []Outcome{Established, Contested, Collapsed}
	}
	return []Outcome{Established, Latent, Contested, Hollow, Collapsed}
}

// Classify names the outcome of practice p and expectations b (see
// [Outcome]) by the thresholds high and low.
func Classify(c ConvergenceConfig, p, b float64) Outcome {
	hiP, loP := p >= c.High, p <= c.Low
	hiB, loB := b >= c.High, b <= c.Low
	switch {
	case hiP && hiB:
		return Established
	case hiP && loB:
		return Latent
	case loP && hiB:
		return Hollow
	case loP && loB:
		return Collapsed
	}
	return Contested
}

// Status says why a replicate stopped.
type Status int

// The statuses.
const (
	StepLimit Status = iota // ran all its steps
	Canceled                // the context was cancelled first
)

// Replicate is the record of one replicate.
type Replicate struct {
	Index int
	Seed  uint64 // the master seed; the stream is PCG(Seed, Index)
	// Steps are the recorded step numbers (0 is the initial state) and
	// Rows their metrics, in step order.
	Steps []int
	Rows  []Row
	// Converged is the first step after which expectations stayed
	// converged for a window, or -1 if they never did; ConvergedEnd says
	// whether they were converged over the run's last window, and
	// NotConverged, when they were not, which condition failed there
	// ("spread": the belief spread reached epsilon; "drift": the mean
	// belief moved by delta or more between the halves of the window).
	Converged    int
	ConvergedEnd bool
	NotConverged string
	Outcome      Outcome
	// Final is the last row. FinalRestraint (practice P) is the restraint
	// rate among non-revisionists averaged over the last
	// Convergence.Window steps that had opportunities, FinalBelief
	// (expectations B) the mean restraint belief over the same steps:
	// together they name the outcome.
	Final          Row
	FinalRestraint float64
	FinalBelief    float64
	// Window is the mean of every metric over the last Convergence.Window
	// steps (over the steps where it is not empty; empty when it never
	// is): the replicate's summary of each metric, steadier than the last
	// row.
	Window Row
	// Tipping is the first step at which at least half the states had
	// adopted the norm (the cascade's tipping point), or -1.
	Tipping int
	// Lattice holds snapshots of a lattice world's cells (0 = restrained
	// or cooperated, 1 = escalated or defected in the last step... see
	// LatticeSnapshot) for lattice topologies; nil otherwise.
	Lattice []LatticeSnapshot
	Status  Status
}

// LatticeSnapshot is the state of every site of a width x height lattice at
// a step, row-major. Cell values follow Nowak and May's colours: 0 = C
// after C, 1 = D after D, 2 = C after D (new cooperator), 3 = D after C
// (new defector).
type LatticeSnapshot struct {
	Step          int
	Width, Height int
	Cells         []uint8
}

// Result is the record of a run: every replicate, in index order, plus
// what was run and how long it took.
type Result struct {
	Config     Config
	Replicates []Replicate
	// Labels of the events that fired, by step.
	Events []Event
	// Stats of the run; Wall is not part of any CSV.
	AgentSteps int64
	Wall       time.Duration
	Status     Status
}
