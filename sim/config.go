package sim

import "github.com/normsim/normsim/agents"

// Config is a complete, typed description of one simulation: everything a
// run needs and nothing about where it came from. The scenarios package
// builds it from a TOML file; tests build it directly. Every field has the
// default returned by [DefaultConfig]; [Config.Validate] reports every
// problem at once.
type Config struct {
	// Name is a short identifier used in outputs.
	Name string

	Run          RunConfig
	World        WorldConfig
	Topology     TopologyConfig
	Opportunity  OpportunityConfig
	Payoffs      PayoffConfig
	Attribution  AttributionConfig
	Response     ResponseConfig
	Metanorms    MetanormsConfig
	Credibility  CredibilityConfig
	Expectations ExpectationsConfig
	Forum        ForumConfig
	Norms        NormsConfig
	Decision     DecisionConfig
	Game         GameConfig
	Learning     LearningConfig
	Axelrod      AxelrodConfig
	Convergence  ConvergenceConfig
	// Events change parameters at given steps, in step order.
	Events []Event
}

// RunConfig says how long and how often.
type RunConfig struct {
	Steps      int    // number of steps (rounds or generations) per replicate, >= 1
	Replicates int    // independent replicates, >= 1
	Seed       uint64 // master seed; replicate r uses PCG(Seed, r)
	// RecordEvery thins the recorded time series: step t is recorded when
	// t%RecordEvery == 0, and the last step always is. Convergence is still
	// detected on every step. >= 1.
	RecordEvery int
	// StepDays is the calendar length of a step, for comparing rates with
	// incident data; it changes no dynamics.
	StepDays float64
}

// Dist is a distribution of a per-state quantity, or of the chance S that an
// opportunity is seen. Kind is DistConstant (Value), DistUniform (Min,
// Max), DistNormal (Mean, SD, truncated below at Min and above at Max when
// they are set), DistPareto (Alpha, Min: the scale), DistValues (Values,
// one per state, or cycled when shorter) or DistLevels (Axelrod's k/7).
type Dist struct {
	Kind   DistKind
	Value  float64
	Min    float64
	Max    float64
	Mean   float64
	SD     float64
	Alpha  float64
	Values []float64
	// HasMin and HasMax say whether Min and Max bound a normal.
	HasMin, HasMax bool
}

// WorldConfig describes the states.
type WorldConfig struct {
	States int // N >= 1 (Axelrod kernel: >= 2)
	Power  Dist
	// Blocs is the number of blocs; states are assigned round-robin by index
	// unless BlocOf gives each state's bloc explicitly.
	Blocs     int
	BlocOf    []int
	Forensics Dist // d' of each state, >= 0 after truncation
	Initial   InitialConfig
	// Boldness and Vengefulness are the initial traits (each in [0,1]).
	// With the axelrod learning rule they are drawn from the eight levels
	// k/7 uniformly when Kind is DistLevels.
	Boldness     Dist
	Vengefulness Dist
	// Revisionists always escalate, never adopt the norm and never learn:
	// RevisionistList names them, or else Revisionists of them are drawn
	// at random per replicate.
	Revisionists    int
	RevisionistList []int
	// Stringency is each state's preferred norm stringency s_i in [0,1]
	// (1 = full restraint), lowered for great powers by
	// StringencyPowerSlope * ln(power / median power).
	Stringency           Dist
	StringencyPowerSlope float64
	// Threshold is each state's adoption threshold theta_i in [0,1]: the
	// power-weighted share of adopting neighbours it waits for.
	Threshold Dist
	// ForensicsPowerExponent phi scales forensics by (power/mean)^phi.
	ForensicsPowerExponent float64
}

// InitialConfig sets who starts as an escalator. Exactly one form is used:
// Pattern InitRandom (share Escalators), InitSingle (one escalator at Site,
// or at the lattice centre, or state N/2 off a lattice, when Site < 0) or
// InitList (the states in Escalating).
// An escalator starts with boldness 1 (threshold and logit rules) or the
// defect strategy (game rule); the others keep their drawn traits, or
// cooperate.
type InitialConfig struct {
	Pattern    Pattern
	Escalators float64
	Site       int
	Escalating []int
}

// TopologyConfig says who can act against whom.
type TopologyConfig struct {
	Kind TopologyKind
	// Lattice.
	Width, Height int
	Neighbourhood Neighbourhood
	Torus         bool // periodic boundary; false = fixed edges
	Self          bool // a site is its own neighbour (Nowak and May)
	// Random (Erdos-Renyi): P. Small-world: K (even), Rewire. Scale-free: M.
	P      float64
	K      int
	Rewire float64
	M      int
	// Blocs: PIn inside a bloc, POut across blocs.
	PIn, POut float64
	// Edges: explicit undirected pairs.
	Edges [][2]int
}

// OpportunityConfig is step 1 of MODEL.md.
type OpportunityConfig struct {
	Rate float64 // chance per state per step of an opportunity, in [0,1]
	// Targets is TargetsOne (a neighbour drawn at random) or TargetsAll
	// (every neighbour is hurt and may see it, as in Axelrod's norms game).
	Targets Targets
	// PerStep is the number of opportunities each state has per step
	// (Axelrod: 4 per generation), each taken with chance Rate. >= 1.
	PerStep int
	Seen    Dist // distribution of S, in [0,1]
	// PowerExponent gamma scales each state's chance to take up an
	// opportunity by its capability w_i = N p_i^gamma / sum_j p_j^gamma.
	PowerExponent float64
}

// PayoffConfig is step 3 (and the costs of step 5).
type PayoffConfig struct {
	Temptation      float64 // T
	Harm            float64 // H
	Punishment      float64 // P
	EnforcementCost float64 // E
	Collateral      float64 // H_c
	Spillover       float64 // chance of collateral damage, [0,1]
	Reputation      float64 // R
	// Misrepresentation is the political gain of an opportunistic public
	// accusation.
	Misrepresentation float64
}

// AttributionConfig is step 4.
type AttributionConfig struct {
	EvidenceStandard   float64 // tau
	Suspects           int     // innocent candidates per incident, >= 0
	BackgroundRate     float64 // non-state incidents per state per step, [0,1]
	FalseFlag          float64 // [0,1]
	PrivateSectorBoost float64 // added to every d'
	Joint              bool    // bloc members pool evidence
	JointPartners      int     // how many bloc partners join, >= 0
	// PublicStandard: an accusation is public when the evidence exceeds
	// it (it is at least EvidenceStandard), private otherwise.
	PublicStandard float64
	// Exposure is the share of its forensics a public accuser loses
	// (sources and methods revealed); Recovery the share of the loss
	// regained per step.
	Exposure, Recovery float64
	// Lag is the mean number of steps from an incident to its
	// accusation (geometric; 0 = the same step).
	Lag float64
	// Cosign is the chance (times the accuser's credibility) that each of
	// Cosigners bloc partners co-signs a public accusation.
	Cosign    float64
	Cosigners int
	// Denial is the chance that the accused denies.
	Denial float64
	// Misrepresentation is the chance per step, times boldness, that a
	// state makes an opportunistic public accusation with no incident
	// behind it.
	Misrepresentation float64
	// Reporting is the chance that a detected incident is reported
	// publicly (by its operators, CERTs, firms), naming nobody.
	Reporting float64
}

// ResponseConfig is step 5.
type ResponseConfig struct {
	AllianceSolidarity float64 // chance each ally joins a response, [0,1]
	MaxSpiral          int     // longest counter-response chain, >= 0
}

// MetanormsConfig is step 6.
type MetanormsConfig struct {
	Enabled         bool
	Punishment      float64 // P'
	EnforcementCost float64 // E'
}

// CredibilityConfig is step 7.
type CredibilityConfig struct {
	Initial      float64 // [0,1]
	Verification float64 // chance an accusation is verified, [0,1]
	Rate         float64 // eta, [0,1]
}

// ExpectationsConfig is step 8.
type ExpectationsConfig struct {
	Smoothing        float64 // alpha, [0,1]
	InitialRestraint float64 // [0,1]
	InitialResponse  float64 // [0,1]
	PublicWeight     float64 // weight of the public record against one private observation, >= 0
	InitialSpread    float64 // sd of the initial beliefs around their means (clamped to [0,1]), >= 0
	// Correction in [0,1] is how far states correct for what they cannot
	// see: 1 = fully (unbiased beliefs), 0 = what is not seen looks like
	// restraint.
	Correction float64
}

// ForumConfig is step 9.
type ForumConfig struct {
	Every       int     // steps between meetings; 0 = no forum
	Inclusivity float64 // chance each state takes part, [0,1]
	Blocs       []int   // if set, only these blocs take part (then Inclusivity applies)
	Dominance   float64 // voice weight ~ power^Dominance, >= 0
	Pull        float64 // lambda, [0,1]
	// CodifiedConformity mu multiplies the conformity of an adopter of
	// the norm text (scaled by its legitimacy and the text's stringency).
	// >= 1.
	CodifiedConformity float64
	// BuyIn, when true, shrinks a participant's pull and its legitimacy
	// by the ratio of its voice share to its fair share (capped at 1).
	BuyIn bool
	// Tolerance: a participant accepts a text within this of its
	// preferred stringency. Consensus: the share of participants that
	// must accept for the forum to succeed (1 = consensus).
	Tolerance, Consensus float64
}

// NormsConfig is step 10: cascades and decay of adoption.
type NormsConfig struct {
	Every int // steps between adoption rounds, >= 1
	// RenounceBelow: an adopter renounces when its restraint belief
	// falls below this.
	RenounceBelow float64
	// OutsiderLegitimacy is the legitimacy of a state that adopts by
	// cascade, not at a forum.
	OutsiderLegitimacy float64
}

// DecisionConfig is step 2.
type DecisionConfig struct {
	Rule       Rule
	Precision  float64 // beta of the logit rule, >= 0
	Conformity float64 // kappa of the logit rule, >= 0
	// Reciprocal: chance of restraint towards j given (my last move to j,
	// j's perceived last move to me): CC, CD, DC, DD, and Initial for a
	// first meeting. TFT is {1, 0, 1, 0}, initial 1.
	Reciprocal [4]float64
	// ReciprocalInitial is the chance of restraint at a first meeting.
	ReciprocalInitial float64
	// Discount delta per step of a late punishment (logit rule).
	Discount float64
}

// GameConfig is the symmetric 2x2 game of the game rule.
type GameConfig struct {
	Reward, Temptation, Sucker, Punishment float64
}

// LearningConfig is step 10.
type LearningConfig struct {
	Rule      LearningRule
	Every     int     // steps between learning rounds, >= 1
	Mutation  float64 // per-trait (axelrod: per-bit) mutation chance, [0,1]
	Selection float64 // Fermi intensity beta, >= 0
	// Aspiration and Rate of Bush-Mosteller reinforcement.
	Aspiration float64
	Rate       float64
	// Sample is the number of neighbours a conformist looks at.
	Sample int
	// Schedule is Synchronous (every state revises at once, from the
	// traits of the round before) or Asynchronous (one state drawn at
	// random revises per learning round: the Moran-type process whose
	// fixation probabilities are known in closed form).
	Schedule Schedule
}

// AxelrodConfig holds the choices Axelrod (1986) left open, as Galan and
// Izquierdo (2005) name them; the defaults are theirs.
type AxelrodConfig struct {
	// Selection: "axelrod" (a payoff of at least mean + 1 sd gives two
	// offspring, at most mean - 1 sd none, otherwise one, then Refill),
	// "tournament" (random pairs drawn with replacement, the better one
	// reproduces, ties at random), "roulette" (offspring drawn with
	// probability proportional to payoff - min) or "average" (a payoff of
	// at least the mean gives two offspring, below it none, then Refill).
	Selection agents.Selection
	// Refill: how the population is brought back to N after Axelrod or
	// average selection: "random" (members of the offspring list are
	// removed or replicated at random) or "replicate" (ranked: the
	// offspring of the lowest payoffs are removed first, the best are
	// replicated first).
	Refill agents.Refill
	// Equal: what happens when all payoffs are equal: "replicate-twice"
	// (everyone replicated twice, then half removed at random) or "keep".
	Equal agents.Equal
	// SD: the population or the sample standard deviation.
	SD SDKind
}

// ConvergenceConfig defines when shared expectations have converged and
// how a run's outcome is named.
type ConvergenceConfig struct {
	Window  int     // steps, >= 1
	Epsilon float64 // belief spread (sd) below this, > 0
	Delta   float64 // mean belief moves less than this, > 0
	High    float64 // established at or above, [0,1]
	Low     float64 // collapsed at or below, [0,1], < High
}

// Event changes parameters at a step, with a label the charts show.
type Event struct {
	Step  int
	Label string
	Set   []Assignment
}

// Assignment sets one numeric parameter, named by its key path
// ("payoffs.temptation"); see [EventParams].
type Assignment struct {
	Key   string
	Value float64
}
