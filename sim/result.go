package sim

import "time"

// Outcome names how a run ended; see MODEL.md "What the stepper records".
type Outcome int

// The outcomes.
const (
	Contested Outcome = iota
	Established
	Collapsed
	NumOutcomes
)

var outcomeNames = [NumOutcomes]string{"contested", "established", "collapsed"}

// String returns "established", "collapsed" or "contested".
func (o Outcome) String() string {
	if o < 0 || o >= NumOutcomes {
		return "outcome(?)"
	}
	return outcomeNames[o]
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
	// Converged is the convergence step, or -1 if expectations never
	// converged (see ConvergenceConfig).
	Converged int
	Outcome   Outcome
	// Final is the last row; FinalRestraint is the restraint rate averaged
	// over the last Convergence.Window steps, which names the outcome.
	Final          Row
	FinalRestraint float64
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
