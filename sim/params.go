package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/normsim/normsim/agents"
)

// The parameter registry: the only description of the configuration. Each
// key of the scenario format has one [Param] here, with its accessor, its
// default, its allowed range, its doc line and whether events may set it.
// [DefaultConfig], range checking in [Config.Validate], the keys events
// and sweeps may set, the scenario loader's keys, `normsim show` and the
// README's key reference all come from it. Adding a parameter means a
// field in Config, one entry below, the code that uses it and its test.

// ParamKind is the type of a parameter's value.
type ParamKind uint8

// The parameter kinds.
const (
	KindFloat ParamKind = iota
	KindInt
	KindSeed // a uint64
	KindBool
	KindEnum
	KindDist
	// KindValue is a value with a syntax of its own (world.blocs,
	// world.initial, topology.pairs, ...), checked by hand in Validate and
	// read by a codec of the scenarios package.
	KindValue
)

// Range is the interval of allowed numbers (for a distribution, of the
// values it draws). The ends are included unless LoOpen or HiOpen.
type Range struct {
	Lo, Hi         float64
	LoOpen, HiOpen bool
}

var (
	anyReal = Range{Lo: math.Inf(-1), Hi: math.Inf(1)}
	prob    = Range{Lo: 0, Hi: 1}
	nonneg  = Range{Lo: 0, Hi: math.Inf(1)}
	posReal = Range{Lo: 0, Hi: math.Inf(1), LoOpen: true}
)

func between(lo, hi float64) Range { return Range{Lo: lo, Hi: hi} }
func atLeast(lo float64) Range     { return Range{Lo: lo, Hi: math.Inf(1)} }

// Contains reports whether x is in r (NaN never is).
func (r Range) Contains(x float64) bool {
	lo := x > r.Lo || !r.LoOpen && x == r.Lo
	hi := x < r.Hi || !r.HiOpen && x == r.Hi
	return lo && hi
}

// Describe says what r allows, as the end of a message: "want a
// probability, 0 <= x <= 1"; integer says the values are integers.
func (r Range) Describe(integer bool) string {
	num := "x"
	if integer {
		num = "an integer"
	}
	lo, hi := "<=", "<="
	if r.LoOpen {
		lo = "<"
	}
	if r.HiOpen {
		hi = "<"
	}
	f := func(x float64) string { return fmtNum(x, integer) }
	switch {
	case r == prob && !integer:
		return "want a probability, 0 <= x <= 1"
	case math.IsInf(r.Lo, -1) && math.IsInf(r.Hi, 1):
		return "want a finite number"
	case math.IsInf(r.Lo, -1) && integer:
		return fmt.Sprintf("want at most %s", f(r.Hi))
	case math.IsInf(r.Hi, 1):
		return fmt.Sprintf("want %s %s %s", num, strings.NewReplacer("<=", ">=", "<", ">").Replace(lo), f(r.Lo))
	case math.IsInf(r.Lo, -1):
		return fmt.Sprintf("want %s %s %s", num, hi, f(r.Hi))
	}
	if integer {
		return fmt.Sprintf("want an integer %s %s x %s %s", f(r.Lo), lo, hi, f(r.Hi))
	}
	return fmt.Sprintf("want %s %s x %s %s", f(r.Lo), lo, hi, f(r.Hi))
}

// Param describes one key of the configuration.
type Param struct {
	Key  string // path in the scenario format, e.g. "forum.pull"
	Doc  string // one line: what it means
	Kind ParamKind
	// Range is what a number may be; for a distribution, what its draws
	// may be.
	Range Range
	// Event says whether an event (and so a point of a sweep, which may
	// set any number) can set it while a world runs.
	Event bool
	// Levels says whether a distribution may be Axelrod's "levels".
	Levels bool
	// Note, when set, follows the range in a message about a value above
	// the range: why the upper bound is what it is.
	Note string

	float func(*Config) *float64
	int   func(*Config) *int
	seed  func(*Config) *uint64
	bool  func(*Config) *bool
	enum  enumAccess
	dist  func(*Config) *Dist
	def   func(*Config)
}

// enumAccess reads and writes an enumeration as the index of its name.
type enumAccess struct {
	names []string
	get   func(*Config) int
	set   func(*Config, int)
}

func flt(key string, def float64, r Range, doc string, get func(*Config) *float64) Param {
	return Param{Key: key, Doc: doc, Kind: KindFloat, Range: r, float: get, def: func(c *Config) { *get(c) = def }}
}

func integer(key string, def int, r Range, doc string, get func(*Config) *int) Param {
	return Param{Key: key, Doc: doc, Kind: KindInt, Range: r, int: get, def: func(c *Config) { *get(c) = def }}
}

func boolean(key string, def bool, doc string, get func(*Config) *bool) Param {
	return Param{Key: key, Doc: doc, Kind: KindBool, bool: get, def: func(c *Config) { *get(c) = def }}
}

func enum[T enumeration](key string, def T, doc string, get func(*Config) *T) Param {
	return Param{Key: key, Doc: doc, Kind: KindEnum, enum: enumAccess{
		names: names[T](),
		get:   func(c *Config) int { return int(*get(c)) },
		set:   func(c *Config, i int) { *get(c) = T(i) },
	}, def: func(c *Config) { *get(c) = def }}
}

func dist(key string, def Dist, support Range, doc string, get func(*Config) *Dist) Param {
	return Param{Key: key, Doc: doc, Kind: KindDist, Range: support, dist: get,
		def: func(c *Config) { *get(c) = def; get(c).Values = slices.Clone(def.Values) }}
}

func value(key, doc string, def func(*Config)) Param {
	return Param{Key: key, Doc: doc, Kind: KindValue, def: def}
}

// event marks p as settable by events and sweeps while a world runs.
func (p Param) event() Param { p.Event = true; return p }

// note sets p's Note.
func (p Param) note(s string) Param { p.Note = s; return p }

// levels lets distribution p be Axelrod's levels.
func (p Param) levels() Param { p.Levels = true; return p }

// Float returns the field of a KindFloat parameter, nil for other kinds.
func (p *Param) Float(c *Config) *float64 { return call(p.float, c) }

// Int returns the field of a KindInt parameter, nil for other kinds.
func (p *Param) Int(c *Config) *int { return call(p.int, c) }

// Seed returns the field of a KindSeed parameter, nil for other kinds.
func (p *Param) Seed(c *Config) *uint64 { return call(p.seed, c) }

// Bool returns the field of a KindBool parameter, nil for other kinds.
func (p *Param) Bool(c *Config) *bool { return call(p.bool, c) }

// Dist returns the field of a KindDist parameter, nil for other kinds.
func (p *Param) Dist(c *Config) *Dist { return call(p.dist, c) }

func call[T any](f func(*Config) *T, c *Config) *T {
	if f == nil {
		return nil
	}
	return f(c)
}

// EnumNames returns the names a KindEnum parameter allows, in order.
func (p *Param) EnumNames() []string { return p.enum.names }

// EnumName returns the name of a KindEnum parameter's value in c.
func (p *Param) EnumName(c *Config) string {
	if i := p.enum.get(c); i < len(p.enum.names) {
		return p.enum.names[i]
	}
	return "?"
}

// SetEnum sets a KindEnum parameter by name.
func (p *Param) SetEnum(c *Config, name string) error {
	i := slices.Index(p.enum.names, name)
	if i < 0 {
		return fmt.Errorf("want one of %s", strings.Join(p.enum.names, ", "))
	}
	p.enum.set(c, i)
	return nil
}

// Allowed says in a few words what p accepts, for the key reference:
// "[0, 1]", ">= 1", "one of a | b", "(0, inf)".
func (p *Param) Allowed() string {
	switch p.Kind {
	case KindBool:
		return "true | false"
	case KindEnum:
		return strings.Join(p.enum.names, " | ")
	case KindValue:
		return ""
	case KindSeed:
		return ">= 0"
	}
	r := p.Range
	f := func(x float64) string { return fmtNum(x, p.Integer()) }
	lo, hi := "[", "]"
	if r.LoOpen {
		lo = "("
	}
	if r.HiOpen {
		hi = ")"
	}
	switch {
	case math.IsInf(r.Lo, -1) && math.IsInf(r.Hi, 1):
		return "any"
	case math.IsInf(r.Hi, 1):
		if r.LoOpen {
			return "> " + f(r.Lo)
		}
		return ">= " + f(r.Lo)
	}
	return lo + f(r.Lo) + ", " + f(r.Hi) + hi
}

// Numeric reports whether p holds one number (float, int or seed).
func (p *Param) Numeric() bool {
	return p.Kind == KindFloat || p.Kind == KindInt || p.Kind == KindSeed
}

// Integer reports whether p takes only integers.
func (p *Param) Integer() bool { return p.Kind == KindInt || p.Kind == KindSeed }

// Sections are the tables of the configuration, in the order the scenario
// format writes them, with what each holds.
var Sections = []struct{ Name, Doc string }{
	{"run", "how long and how often"},
	{"world", "the states"},
	{"topology", "who can act against whom"},
	{"opportunity", "step 1: chances to operate"},
	{"payoffs", "step 3 and the costs of step 5"},
	{"attribution", "step 4: detection and attribution (signal detection)"},
	{"response", "step 5: countermeasures"},
	{"metanorms", "step 6: punishing those who do not punish (Axelrod 1986)"},
	{"credibility", "step 7: verification of accusations"},
	{"expectations", "step 8: beliefs about restraint and response"},
	{"forum", "step 9: multilateral forums that pool reports, pull beliefs together and negotiate a norm text"},
	{"norms", "step 10: cascades of adoption and renunciation"},
	{"decision", "step 2: the decision rule"},
	{"game", "the 2x2 game of decision.rule = \"game\" (restraint = cooperate)"},
	{"learning", "step 11: how traits change"},
	{"axelrod", "choices Axelrod (1986) left open, named as Galan and Izquierdo (2005) do"},
	{"convergence", "when shared expectations have converged, and how outcomes are named"},
}

// Payoffs and costs are bounded so that sums over thousands of states and
// steps stay finite.
var payoff = between(-1e6, 1e6)

// MaxPerStep bounds opportunity.per_step (and other per-step loop counts)
// so that one step cannot run for minutes out of reach of Ctrl-C.
const MaxPerStep = 1000

var params = []Param{
	integer("run.steps", 500, between(1, 1e12), "steps (rounds, or generations in the classics) per replicate", func(c *Config) *int { return &c.Run.Steps }),
	integer("run.replicates", 32, between(1, 1e9), "independent replicates", func(c *Config) *int { return &c.Run.Replicates }),
	{Key: "run.seed", Doc: "master seed; replicate r draws from PCG(seed, r)", Kind: KindSeed, Range: between(0, math.MaxUint64),
		seed: func(c *Config) *uint64 { return &c.Run.Seed }, def: func(c *Config) { c.Run.Seed = 1 }},
	flt("run.step_days", 30, between(0, 1e6), "calendar days a step stands for, for comparing rates with incident data (0 = unsaid); changes no dynamics", func(c *Config) *float64 { return &c.Run.StepDays }),
	integer("run.record_every", 1, between(1, 1e12), "record every k-th step in timeseries.csv (the last step always)", func(c *Config) *int { return &c.Run.RecordEvery }),

	integer("world.states", 193, between(1, MaxStates), "number of states N", func(c *Config) *int { return &c.World.States }).
		note(fmt.Sprintf("about %d MB of memory at most; larger worlds are refused before anything is allocated", MaxStates*200/1_000_000)),
	dist("world.power", Dist{Kind: DistPareto, Alpha: 1.16, Min: 1}, posReal, "power of each state: a distribution", func(c *Config) *Dist { return &c.World.Power }),
	value("world.blocs", "number of blocs (states assigned round-robin), or a list with each state's bloc", func(c *Config) { c.World.Blocs, c.World.BlocOf = 3, nil }),
	dist("world.forensics", Dist{Kind: DistNormal, Mean: 1, SD: 0.3, Min: 0, HasMin: true}, nonneg, "forensic skill d' of each state: a distribution", func(c *Config) *Dist { return &c.World.Forensics }),
	value("world.initial", "initial escalators: { escalators = share } | { pattern = \"single\", site = i } | { escalating = [i, ...] }",
		func(c *Config) { c.World.Initial = InitialConfig{Pattern: InitRandom, Escalators: 0.1, Site: -1} }),
	dist("world.boldness", Dist{Kind: DistUniform, Min: 0, Max: 1}, prob, "initial boldness: a distribution, or { dist = \"levels\" } (uniform on k/7)", func(c *Config) *Dist { return &c.World.Boldness }).levels(),
	dist("world.vengefulness", Dist{Kind: DistUniform, Min: 0, Max: 1}, prob, "initial vengefulness: a distribution, or { dist = \"levels\" }", func(c *Config) *Dist { return &c.World.Vengefulness }).levels(),
	value("world.revisionists", "states that always escalate, never adopt and never learn: a number drawn at random per replicate, or a list of states",
		func(c *Config) { c.World.Revisionists, c.World.RevisionistList = 0, nil }),
	dist("world.stringency", Dist{Kind: DistUniform, Min: 0.3, Max: 1}, prob, "preferred stringency s_i of a norm text (1 = full restraint): a distribution", func(c *Config) *Dist { return &c.World.Stringency }),
	flt("world.stringency_power_slope", 0, between(-10, 10), "great powers prefer looser norms: s_i is lowered by slope * ln(power / median power)", func(c *Config) *float64 { return &c.World.StringencyPowerSlope }),
	dist("world.threshold", Dist{Kind: DistUniform, Min: 0, Max: 0.6}, prob, "adoption threshold theta_i: the power-weighted share of adopting neighbours a state waits for", func(c *Config) *Dist { return &c.World.Threshold }),
	flt("world.forensics_power_exponent", 0, between(-10, 10), "forensics scale with (power / mean power)^phi", func(c *Config) *float64 { return &c.World.ForensicsPowerExponent }),

	enum("topology.kind", TopoComplete, "the network of who can act against whom", func(c *Config) *TopologyKind { return &c.Topology.Kind }),
	integer("topology.width", 0, between(0, MaxStates), "lattice: width (width x height = world.states)", func(c *Config) *int { return &c.Topology.Width }),
	integer("topology.height", 0, between(0, MaxStates), "lattice: height", func(c *Config) *int { return &c.Topology.Height }),
	enum("topology.neighbourhood", Moore, "lattice: Moore (8 neighbours) or von Neumann (4)", func(c *Config) *Neighbourhood { return &c.Topology.Neighbourhood }),
	boolean("topology.torus", false, "lattice: periodic boundary; false = fixed edges", func(c *Config) *bool { return &c.Topology.Torus }),
	boolean("topology.self", false, "lattice: a site is its own neighbour (Nowak and May 1992)", func(c *Config) *bool { return &c.Topology.Self }),
	flt("topology.p", 0.05, prob, "random (Erdos-Renyi): edge probability", func(c *Config) *float64 { return &c.Topology.P }),
	integer("topology.k", 4, between(0, MaxStates), "small-world (Watts-Strogatz): neighbours on the ring, even", func(c *Config) *int { return &c.Topology.K }),
	flt("topology.rewire", 0.1, prob, "small-world: rewiring probability", func(c *Config) *float64 { return &c.Topology.Rewire }),
	integer("topology.m", 2, between(0, MaxStates), "scale-free (Barabasi-Albert): edges per new state", func(c *Config) *int { return &c.Topology.M }),
	flt("topology.p_in", 0.5, prob, "blocs: edge probability inside a bloc", func(c *Config) *float64 { return &c.Topology.PIn }),
	flt("topology.p_out", 0.02, prob, "blocs: edge probability across blocs", func(c *Config) *float64 { return &c.Topology.POut }),
	value("topology.pairs", "edges: undirected pairs of state indices, [[0, 1], ...]", func(c *Config) { c.Topology.Edges = nil }),

	flt("opportunity.rate", 1, prob, "chance that an opportunity is taken up, per state per opportunity", func(c *Config) *float64 { return &c.Opportunity.Rate }).event(),
	enum("opportunity.targets", TargetsOne, "who an escalation hurts: one random neighbour, or all (each may see it, as in Axelrod)", func(c *Config) *Targets { return &c.Opportunity.Targets }),
	integer("opportunity.per_step", 1, between(1, MaxPerStep), "opportunities per state per step (Axelrod: 4 per generation)", func(c *Config) *int { return &c.Opportunity.PerStep }),
	dist("opportunity.seen", Dist{Kind: DistUniform, Min: 0, Max: 1}, prob, "chance S that an opportunity is seen: a distribution", func(c *Config) *Dist { return &c.Opportunity.Seen }),
	flt("opportunity.power_exponent", 0, between(-10, 10), "capability scales with power: the chance to take up an opportunity is rate * N p^gamma / sum p^gamma (at most 1)", func(c *Config) *float64 { return &c.Opportunity.PowerExponent }).event(),

	flt("payoffs.temptation", 3, payoff, "T, to the escalating state", func(c *Config) *float64 { return &c.Payoffs.Temptation }).event(),
	flt("payoffs.harm", 1, payoff, "H, to the victim(s)", func(c *Config) *float64 { return &c.Payoffs.Harm }).event(),
	flt("payoffs.punishment", 9, payoff, "P, to the punished", func(c *Config) *float64 { return &c.Payoffs.Punishment }).event(),
	flt("payoffs.enforcement_cost", 2, payoff, "E, to the punisher", func(c *Config) *float64 { return &c.Payoffs.EnforcementCost }).event(),
	flt("payoffs.collateral", 0.5, payoff, "H_c, to each other neighbour of the victim", func(c *Config) *float64 { return &c.Payoffs.Collateral }).event(),
	flt("payoffs.spillover", 0.1, prob, "chance of collateral damage", func(c *Config) *float64 { return &c.Payoffs.Spillover }).event(),
	flt("payoffs.reputation", 1, payoff, "R, cost of a public accusation believed with weight 1", func(c *Config) *float64 { return &c.Payoffs.Reputation }).event(),
	flt("payoffs.misrepresentation", 0, payoff, "political gain of an opportunistic public accusation", func(c *Config) *float64 { return &c.Payoffs.Misrepresentation }).event(),

	flt("attribution.evidence_standard", 1.5, between(-10, 10), "tau: accuse when the evidence x > tau", func(c *Config) *float64 { return &c.Attribution.EvidenceStandard }).event(),
	integer("attribution.suspects", 2, between(0, 1000), "innocent candidates weighed per incident", func(c *Config) *int { return &c.Attribution.Suspects }),
	flt("attribution.background_rate", 0.01, prob, "non-state incidents per state per step", func(c *Config) *float64 { return &c.Attribution.BackgroundRate }).event(),
	flt("attribution.false_flag", 0.05, prob, "chance the culprit's evidence points at an innocent", func(c *Config) *float64 { return &c.Attribution.FalseFlag }).event(),
	flt("attribution.public_standard", 2, between(-10, 10), "accuse publicly when the evidence x exceeds this and evidence_standard, privately when only the latter", func(c *Config) *float64 { return &c.Attribution.PublicStandard }).event(),
	flt("attribution.exposure", 0, prob, "share of its forensics a public accuser loses (sources and methods revealed)", func(c *Config) *float64 { return &c.Attribution.Exposure }).event(),
	flt("attribution.recovery", 0.05, prob, "share of the lost forensics regained per step", func(c *Config) *float64 { return &c.Attribution.Recovery }).event(),
	flt("attribution.lag", 0, between(0, 1000), "mean steps from incident to accusation (geometric; 0 = the same step)", func(c *Config) *float64 { return &c.Attribution.Lag }).event(),
	flt("attribution.cosign", 0, prob, "chance (times the accuser's credibility) that a bloc partner co-signs a public accusation", func(c *Config) *float64 { return &c.Attribution.Cosign }).event(),
	integer("attribution.cosigners", 2, between(0, 1000), "bloc partners asked to co-sign", func(c *Config) *int { return &c.Attribution.Cosigners }),
	flt("attribution.denial", 0, prob, "chance that the accused denies (others then weigh the accusers' credibility against its own)", func(c *Config) *float64 { return &c.Attribution.Denial }).event(),
	flt("attribution.misrepresentation", 0, prob, "chance per step, times boldness, of an opportunistic public accusation with no incident behind it", func(c *Config) *float64 { return &c.Attribution.Misrepresentation }).event(),
	flt("attribution.reporting", 0, prob, "chance that a detected incident is reported publicly (operators, CERTs, firms), naming nobody", func(c *Config) *float64 { return &c.Attribution.Reporting }).event(),
	flt("attribution.private_sector_boost", 0, between(-100, 100), "added to every state's d'", func(c *Config) *float64 { return &c.Attribution.PrivateSectorBoost }).event(),
	boolean("attribution.joint", false, "bloc members pool evidence: d' = sqrt(sum d_j^2)", func(c *Config) *bool { return &c.Attribution.Joint }),
	integer("attribution.joint_partners", 2, between(0, 1000), "bloc partners who join a joint attribution", func(c *Config) *int { return &c.Attribution.JointPartners }),

	flt("response.alliance_solidarity", 0, prob, "chance each ally joins a response", func(c *Config) *float64 { return &c.Response.AllianceSolidarity }).event(),
	integer("response.max_spiral", 5, between(0, 1000), "longest chain of counter-responses", func(c *Config) *int { return &c.Response.MaxSpiral }),

	boolean("metanorms.enabled", false, "punish those who saw an escalation and did not respond", func(c *Config) *bool { return &c.Metanorms.Enabled }),
	flt("metanorms.punishment", 9, payoff, "P', to the state that failed to respond", func(c *Config) *float64 { return &c.Metanorms.Punishment }).event(),
	flt("metanorms.enforcement_cost", 2, payoff, "E', to the metapunisher", func(c *Config) *float64 { return &c.Metanorms.EnforcementCost }).event(),

	flt("credibility.initial", 0.8, prob, "initial credibility of every state", func(c *Config) *float64 { return &c.Credibility.Initial }),
	flt("credibility.verification", 0.2, prob, "chance an accusation is later verified", func(c *Config) *float64 { return &c.Credibility.Verification }).event(),
	flt("credibility.rate", 0.1, prob, "eta: how far a verification moves credibility", func(c *Config) *float64 { return &c.Credibility.Rate }).event(),

	flt("expectations.smoothing", 0.1, prob, "alpha: exponential smoothing of beliefs", func(c *Config) *float64 { return &c.Expectations.Smoothing }).event(),
	flt("expectations.initial_restraint", 0.5, prob, "initial belief that others hold back", func(c *Config) *float64 { return &c.Expectations.InitialRestraint }),
	flt("expectations.initial_response", 0.5, prob, "initial belief that escalations are punished", func(c *Config) *float64 { return &c.Expectations.InitialResponse }),
	flt("expectations.public_weight", 1, between(0, 1e6), "weight of the public record against one private observation", func(c *Config) *float64 { return &c.Expectations.PublicWeight }).event(),
	flt("expectations.initial_spread", 0, between(0, 10), "sd of initial beliefs around their means", func(c *Config) *float64 { return &c.Expectations.InitialSpread }),
	flt("expectations.correction", 1, prob, "how far states correct for what they cannot see: 1 = fully, 0 = what is not seen looks like restraint", func(c *Config) *float64 { return &c.Expectations.Correction }).event(),

	integer("forum.every", 0, between(0, 1e12), "steps between meetings; 0 = no forum", func(c *Config) *int { return &c.Forum.Every }),
	flt("forum.inclusivity", 1, prob, "chance each state takes part", func(c *Config) *float64 { return &c.Forum.Inclusivity }).event(),
	value("forum.blocs", "if not empty, only these blocs take part", func(c *Config) { c.Forum.Blocs = nil }),
	flt("forum.dominance", 0, between(0, 10), "voice weight ~ power^dominance; 0 = equal voice", func(c *Config) *float64 { return &c.Forum.Dominance }).event(),
	flt("forum.pull", 0.5, prob, "lambda: how far participants move to the consensus", func(c *Config) *float64 { return &c.Forum.Pull }).event(),
	flt("forum.codified_conformity", 2, between(1, 1e3), "mu: conformity multiplier of an adopter, scaled by its legitimacy and the text's stringency", func(c *Config) *float64 { return &c.Forum.CodifiedConformity }).event(),
	boolean("forum.buy_in", true, "a participant's pull and legitimacy scale with its voice share over its fair share (capped at 1)", func(c *Config) *bool { return &c.Forum.BuyIn }),
	flt("forum.tolerance", 0.25, prob, "a participant accepts a text within this of its preferred stringency", func(c *Config) *float64 { return &c.Forum.Tolerance }).event(),
	flt("forum.consensus", 1, prob, "share of participants that must accept for a forum to succeed (1 = consensus)", func(c *Config) *float64 { return &c.Forum.Consensus }).event(),

	integer("norms.every", 5, between(1, 1e12), "steps between adoption rounds (cascades and renunciation)", func(c *Config) *int { return &c.Norms.Every }),
	flt("norms.renounce_below", 0.4, prob, "an adopter renounces when its restraint belief falls below this", func(c *Config) *float64 { return &c.Norms.RenounceBelow }).event(),
	flt("norms.outsider_legitimacy", 0.5, prob, "legitimacy of a state that adopts by cascade, not at a forum", func(c *Config) *float64 { return &c.Norms.OutsiderLegitimacy }).event(),

	enum("decision.rule", RuleLogit, "how a state chooses: Axelrod's threshold, the logit of costs and benefits, a 2x2 game, or memory-one reciprocity", func(c *Config) *Rule { return &c.Decision.Rule }),
	flt("decision.precision", 5, between(0, 1e3), "beta of the logit rule", func(c *Config) *float64 { return &c.Decision.Precision }).event(),
	flt("decision.conformity", 1, between(0, 1e3), "kappa: weight of conformity to the expected norm (logit)", func(c *Config) *float64 { return &c.Decision.Conformity }).event(),
	flt("decision.discount", 0.95, prob, "delta: per-step discount of a late punishment (logit)", func(c *Config) *float64 { return &c.Decision.Discount }).event(),
	value("decision.reciprocal", "chance of restraint given (my last move, their perceived last move): a preset name or { cc, cd, dc, dd, initial }",
		func(c *Config) { c.Decision.Reciprocal, c.Decision.ReciprocalInitial = [4]float64{1, 0, 1, 0}, 1 }),

	flt("game.reward", 1, payoff, "R, both cooperate", func(c *Config) *float64 { return &c.Game.Reward }).event(),
	flt("game.temptation", 1.85, payoff, "T (Nowak and May's b), defect against a cooperator", func(c *Config) *float64 { return &c.Game.Temptation }).event(),
	flt("game.sucker", 0, payoff, "S, cooperate against a defector", func(c *Config) *float64 { return &c.Game.Sucker }).event(),
	flt("game.punishment", 0, payoff, "P, both defect", func(c *Config) *float64 { return &c.Game.Punishment }).event(),

	enum("learning.rule", LearnImitation, "how traits change: Axelrod's genetic algorithm, Fermi imitation, best neighbour, Bush-Mosteller reinforcement, majority copying, or not at all", func(c *Config) *LearningRule { return &c.Learning.Rule }),
	integer("learning.every", 10, between(1, 1e12), "steps between learning rounds", func(c *Config) *int { return &c.Learning.Every }),
	flt("learning.mutation", 0.01, prob, "mutation chance per trait (axelrod: per bit)", func(c *Config) *float64 { return &c.Learning.Mutation }).event(),
	flt("learning.selection", 1, between(0, 1e3), "Fermi intensity of imitation", func(c *Config) *float64 { return &c.Learning.Selection }).event(),
	flt("learning.aspiration", 0, payoff, "aspiration level of reinforcement (Bush-Mosteller)", func(c *Config) *float64 { return &c.Learning.Aspiration }).event(),
	flt("learning.rate", 0.1, prob, "learning rate of reinforcement", func(c *Config) *float64 { return &c.Learning.Rate }).event(),
	integer("learning.sample", 5, between(1, 1000), "neighbours a conformist looks at", func(c *Config) *int { return &c.Learning.Sample }),
	enum("learning.schedule", Synchronous, "who revises: all at once (synchronous) or one random state per round", func(c *Config) *Schedule { return &c.Learning.Schedule }),

	enum("axelrod.selection", agents.SelectAxelrod, "how parents are picked: Axelrod's mean +- 1 sd, random tournament, roulette wheel, or above the mean", func(c *Config) *agents.Selection { return &c.Axelrod.Selection }),
	enum("axelrod.refill", agents.RefillRandom, "how the population returns to N: at random, or by rank", func(c *Config) *agents.Refill { return &c.Axelrod.Refill }),
	enum("axelrod.equal", agents.EqualReplicateTwice, "when all payoffs are equal: everyone replicated twice then half removed, or kept", func(c *Config) *agents.Equal { return &c.Axelrod.Equal }),
	enum("axelrod.sd", SDPopulation, "the standard deviation selection uses", func(c *Config) *SDKind { return &c.Axelrod.SD }),

	integer("convergence.window", 50, between(1, 1e9), "steps the beliefs must stay put", func(c *Config) *int { return &c.Convergence.Window }),
	flt("convergence.epsilon", 0.05, Range{Lo: 0, Hi: 1, LoOpen: true}, "belief spread (sd) must stay below this", func(c *Config) *float64 { return &c.Convergence.Epsilon }),
	flt("convergence.delta", 0.01, Range{Lo: 0, Hi: 1, LoOpen: true}, "the mean belief must move less than this", func(c *Config) *float64 { return &c.Convergence.Delta }),
	flt("convergence.high", 0.9, prob, "established at or above (restraint rate and mean belief)", func(c *Config) *float64 { return &c.Convergence.High }),
	flt("convergence.low", 0.1, prob, "collapsed at or below; < high", func(c *Config) *float64 { return &c.Convergence.Low }),
}

// Params returns the registry, in the order of the scenario format.
func Params() []Param { return params }

var paramIndex = func() map[string]int {
	m := make(map[string]int, len(params))
	for i, p := range params {
		if _, dup := m[p.Key]; dup {
			panic("sim: parameter " + p.Key + " registered twice")
		}
		m[p.Key] = i
	}
	return m
}()

// ParamByKey returns the parameter with the given key path.
func ParamByKey(key string) (*Param, bool) {
	i, ok := paramIndex[key]
	if !ok {
		return nil, false
	}
	return &params[i], true
}

// DefaultConfig returns the configuration every scenario starts from:
// every parameter at its registered default (a 193-state world on a
// complete topology with noisy attribution, no forum and imitation
// learning).
func DefaultConfig() Config {
	c := Config{Name: "default"}
	for i := range params {
		params[i].def(&c)
	}
	return c
}

// EventParams returns, sorted, the key paths that an event may set: the
// numeric parameters that can change while a world runs.
func EventParams() []string {
	var keys []string
	for _, p := range params {
		if p.Event {
			keys = append(keys, p.Key)
		}
	}
	slices.Sort(keys)
	return keys
}
