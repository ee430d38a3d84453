package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// DefaultConfig returns the configuration every scenario starts from: the
// values of the scenario format's defaults (SCENARIOS.md), a 193-state
// world on a complete topology with noisy attribution, no forum and
// imitation learning.
func DefaultConfig() Config {
	return Config{
		Name: "default",
		Run:  RunConfig{Steps: 500, Replicates: 32, Seed: 1, RecordEvery: 1},
		World: WorldConfig{
			States:       193,
			Power:        Dist{Kind: "pareto", Alpha: 1.16, Min: 1},
			Blocs:        3,
			Forensics:    Dist{Kind: "normal", Mean: 1, SD: 0.3, Min: 0, HasMin: true},
			Initial:      InitialConfig{Pattern: "random", Escalators: 0.1, Site: -1},
			Boldness:     Dist{Kind: "uniform", Min: 0, Max: 1},
			Vengefulness: Dist{Kind: "uniform", Min: 0, Max: 1},
		},
		Topology: TopologyConfig{
			Kind: TopoComplete, Neighbourhood: "moore", P: 0.05, K: 4, Rewire: 0.1, M: 2,
			PIn: 0.5, POut: 0.02,
		},
		Opportunity: OpportunityConfig{Rate: 1, Targets: "one", PerStep: 1, Seen: Dist{Kind: "uniform", Min: 0, Max: 1}},
		Payoffs: PayoffConfig{
			Temptation: 3, Harm: 1, Punishment: 9, EnforcementCost: 2,
			Collateral: 0.5, Spillover: 0.1, Reputation: 1,
		},
		Attribution: AttributionConfig{
			EvidenceStandard: 1.5, Suspects: 2, BackgroundRate: 0.01, FalseFlag: 0.05,
			Publicity: 0.5, JointPartners: 2,
		},
		Response:     ResponseConfig{MaxSpiral: 5},
		Metanorms:    MetanormsConfig{Punishment: 9, EnforcementCost: 2},
		Credibility:  CredibilityConfig{Initial: 0.8, Verification: 0.2, Rate: 0.1},
		Expectations: ExpectationsConfig{Smoothing: 0.1, InitialRestraint: 0.5, InitialResponse: 0.5, PublicWeight: 1},
		Forum: ForumConfig{
			Every: 0, Inclusivity: 1, Dominance: 0, Pull: 0.5, Codify: 0.8,
			CodifiedConformity: 2, BuyIn: true,
		},
		Decision: DecisionConfig{
			Rule: RuleLogit, Precision: 5, Conformity: 1,
			Reciprocal: [4]float64{1, 0, 1, 0}, ReciprocalInitial: 1,
		},
		Game:        GameConfig{Reward: 1, Temptation: 1.85, Sucker: 0, Punishment: 0},
		Learning:    LearningConfig{Rule: LearnImitation, Every: 10, Mutation: 0.01, Selection: 1, Aspiration: 0, Rate: 0.1, Schedule: "synchronous"},
		Axelrod:     AxelrodConfig{Selection: "axelrod", Refill: "random", Equal: "replicate-twice", SD: "population"},
		Convergence: ConvergenceConfig{Window: 50, Epsilon: 0.05, Delta: 0.01, High: 0.9, Low: 0.1},
	}
}

// FieldError is one problem with one configuration key.
type FieldError struct {
	Key   string // key path in the scenario format, e.g. "forum.pull"
	Value string // the offending value, formatted
	Msg   string // what is allowed
}

func (e FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Key, e.Msg)
	}
	return fmt.Sprintf("%s = %s: %s", e.Key, e.Value, e.Msg)
}

// ValidationError lists every problem found in a configuration.
type ValidationError struct {
	Problems []FieldError
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("sim: invalid configuration:")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// MaxStates bounds the world size so that a typo cannot exhaust memory:
// about 200 bytes a state, so 1e7 states need about 2 GB.
const MaxStates = 10_000_000

// MaxPairStates bounds N for rules that keep a memory per pair of states
// (reciprocal on a complete topology): N^2 bytes.
const MaxPairStates = 20_000

type checker struct{ errs []FieldError }

func (c *checker) add(key string, v any, format string, args ...any) {
	val := ""
	if v != nil {
		val = fmt.Sprint(v)
	}
	c.errs = append(c.errs, FieldError{Key: key, Value: val, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) finite(key string, x float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		c.add(key, x, "want a finite number")
		return false
	}
	return true
}

func (c *checker) prob(key string, x float64) {
	if c.finite(key, x) && (x < 0 || x > 1) {
		c.add(key, x, "want a probability, 0 <= x <= 1")
	}
}

func (c *checker) nonneg(key string, x float64) {
	if c.finite(key, x) && x < 0 {
		c.add(key, x, "want x >= 0")
	}
}

func (c *checker) atLeast(key string, x, lo int) {
	if x < lo {
		c.add(key, x, "want an integer >= %d", lo)
	}
}

func (c *checker) oneOf(key, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	c.add(key, fmt.Sprintf("%q", v), "want one of %s", strings.Join(allowed, ", "))
}

func (c *checker) dist(key string, d Dist, lo, hi float64) {
	switch d.Kind {
	case "constant":
		c.finite(key+".value", d.Value)
	case "uniform":
		if c.finite(key+".min", d.Min) && c.finite(key+".max", d.Max) && d.Min > d.Max {
			c.add(key+".max", d.Max, "want max >= min (%g)", d.Min)
		}
	case "normal":
		c.finite(key+".mean", d.Mean)
		c.nonneg(key+".sd", d.SD)
		if d.HasMin && d.HasMax && d.Min > d.Max {
			c.add(key+".max", d.Max, "want max >= min (%g)", d.Min)
		}
	case "pareto":
		if c.finite(key+".alpha", d.Alpha) && d.Alpha <= 0 {
			c.add(key+".alpha", d.Alpha, "want alpha > 0")
		}
		if c.finite(key+".min", d.Min) && d.Min <= 0 {
			c.add(key+".min", d.Min, "want a scale min > 0")
		}
	case "values":
		if len(d.Values) == 0 {
			c.add(key+".values", "[]", "want at least one value")
		}
		for i, v := range d.Values {
			k := fmt.Sprintf("%s.values[%d]", key, i)
			if c.finite(k, v) && (v < lo || v > hi) {
				c.add(k, v, "want %g <= x <= %g", lo, hi)
			}
		}
	case "levels":
	default:
		c.add(key+".dist", fmt.Sprintf("%q", d.Kind), "want one of constant, uniform, normal, pareto, values, levels")
	}
}

// Validate reports every problem with c at once, as a *ValidationError
// whose keys are those of the scenario format.
func (c *Config) Validate() error {
	var k checker
	k.atLeast("run.steps", c.Run.Steps, 1)
	k.atLeast("run.replicates", c.Run.Replicates, 1)
	k.atLeast("run.record_every", c.Run.RecordEvery, 1)

	w := c.World
	k.atLeast("world.states", w.States, 1)
	if w.States > MaxStates {
		k.add("world.states", w.States, "want at most %d states (about %d MB of memory); larger worlds are refused before anything is allocated", MaxStates, MaxStates*200/1_000_000)
	}
	k.dist("world.power", w.Power, 1e-300, math.MaxFloat64)
	k.dist("world.forensics", w.Forensics, 0, math.MaxFloat64)
	k.dist("world.boldness", w.Boldness, 0, 1)
	k.dist("world.vengefulness", w.Vengefulness, 0, 1)
	k.atLeast("world.blocs", w.Blocs, 1)
	if len(w.BlocOf) > 0 && len(w.BlocOf) != w.States && w.States <= MaxStates {
		k.add("world.blocs", fmt.Sprintf("[%d values]", len(w.BlocOf)), "want one bloc per state (%d)", w.States)
	}
	for i, b := range w.BlocOf {
		if b < 0 {
			k.add(fmt.Sprintf("world.blocs[%d]", i), b, "want a bloc number >= 0")
		}
	}
	switch w.Initial.Pattern {
	case "random":
		k.prob("world.initial.escalators", w.Initial.Escalators)
	case "single":
		if w.Initial.Site >= w.States {
			k.add("world.initial.site", w.Initial.Site, "want a state index < world.states (%d)", w.States)
		}
	case "list":
		for i, s := range w.Initial.Escalating {
			if s < 0 || s >= w.States {
				k.add(fmt.Sprintf("world.initial.escalating[%d]", i), s, "want a state index 0 <= i < %d", w.States)
			}
		}
	default:
		k.oneOf("world.initial.pattern", w.Initial.Pattern, "random", "single", "list")
	}

	t := c.Topology
	k.oneOf("topology.kind", t.Kind, TopoComplete, TopoLattice, TopoRandom, TopoSmallWorld, TopoScaleFree, TopoBlocs, TopoEdges)
	switch t.Kind {
	case TopoLattice:
		k.atLeast("topology.width", t.Width, 1)
		k.atLeast("topology.height", t.Height, 1)
		if t.Width >= 1 && t.Height >= 1 && t.Width*t.Height != w.States {
			k.add("topology.width", fmt.Sprintf("%d x %d", t.Width, t.Height), "want width x height = world.states (%d)", w.States)
		}
		k.oneOf("topology.neighbourhood", t.Neighbourhood, "moore", "von-neumann")
	case TopoRandom:
		k.prob("topology.p", t.P)
	case TopoSmallWorld:
		if t.K < 2 || t.K%2 != 0 || t.K >= w.States {
			k.add("topology.k", t.K, "want an even k, 2 <= k < world.states (%d)", w.States)
		}
		k.prob("topology.rewire", t.Rewire)
	case TopoScaleFree:
		if t.M < 1 || t.M >= w.States {
			k.add("topology.m", t.M, "want 1 <= m < world.states (%d)", w.States)
		}
	case TopoBlocs:
		k.prob("topology.p_in", t.PIn)
		k.prob("topology.p_out", t.POut)
	case TopoEdges:
		for i, e := range t.Edges {
			for _, v := range e {
				if v < 0 || v >= w.States {
					k.add(fmt.Sprintf("topology.pairs[%d]", i), fmt.Sprint(e), "want state indices 0 <= i < %d", w.States)
					break
				}
			}
		}
	}

	o := c.Opportunity
	k.prob("opportunity.rate", o.Rate)
	k.oneOf("opportunity.targets", o.Targets, "one", "all")
	k.atLeast("opportunity.per_step", o.PerStep, 1)
	k.dist("opportunity.seen", o.Seen, 0, 1)
	if o.Seen.Kind == "uniform" && (o.Seen.Min < 0 || o.Seen.Max > 1) {
		k.add("opportunity.seen", fmt.Sprintf("[%g, %g]", o.Seen.Min, o.Seen.Max), "want a range inside [0, 1]")
	}
	if o.Seen.Kind == "constant" {
		k.prob("opportunity.seen.value", o.Seen.Value)
	}
	if isAxelrod(c) && o.Seen.Kind != "constant" && o.Seen.Kind != "uniform" {
		k.add("opportunity.seen.dist", fmt.Sprintf("%q", o.Seen.Kind), "want constant or uniform in Axelrod's game (threshold rule, axelrod learning, targets \"all\")")
	}

	p := c.Payoffs
	for key, v := range map[string]float64{
		"payoffs.temptation": p.Temptation, "payoffs.harm": p.Harm, "payoffs.punishment": p.Punishment,
		"payoffs.enforcement_cost": p.EnforcementCost, "payoffs.collateral": p.Collateral,
		"payoffs.reputation": p.Reputation,
	} {
		k.finite(key, v)
	}
	k.prob("payoffs.spillover", p.Spillover)

	a := c.Attribution
	k.finite("attribution.evidence_standard", a.EvidenceStandard)
	k.atLeast("attribution.suspects", a.Suspects, 0)
	if a.Suspects > 1000 {
		k.add("attribution.suspects", a.Suspects, "want at most 1000")
	}
	k.prob("attribution.background_rate", a.BackgroundRate)
	k.prob("attribution.false_flag", a.FalseFlag)
	k.prob("attribution.publicity", a.Publicity)
	k.finite("attribution.private_sector_boost", a.PrivateSectorBoost)
	k.atLeast("attribution.joint_partners", a.JointPartners, 0)

	k.prob("response.alliance_solidarity", c.Response.AllianceSolidarity)
	k.atLeast("response.max_spiral", c.Response.MaxSpiral, 0)
	k.finite("metanorms.punishment", c.Metanorms.Punishment)
	k.finite("metanorms.enforcement_cost", c.Metanorms.EnforcementCost)
	k.prob("credibility.initial", c.Credibility.Initial)
	k.prob("credibility.verification", c.Credibility.Verification)
	k.prob("credibility.rate", c.Credibility.Rate)
	e := c.Expectations
	k.prob("expectations.smoothing", e.Smoothing)
	k.prob("expectations.initial_restraint", e.InitialRestraint)
	k.prob("expectations.initial_response", e.InitialResponse)
	k.nonneg("expectations.public_weight", e.PublicWeight)
	k.nonneg("expectations.initial_spread", e.InitialSpread)

	f := c.Forum
	k.atLeast("forum.every", f.Every, 0)
	k.prob("forum.inclusivity", f.Inclusivity)
	k.nonneg("forum.dominance", f.Dominance)
	k.prob("forum.pull", f.Pull)
	k.prob("forum.codify", f.Codify)
	if k.finite("forum.codified_conformity", f.CodifiedConformity) && f.CodifiedConformity < 1 {
		k.add("forum.codified_conformity", f.CodifiedConformity, "want x >= 1")
	}

	d := c.Decision
	k.oneOf("decision.rule", d.Rule, RuleThreshold, RuleLogit, RuleGame, RuleReciprocal)
	k.nonneg("decision.precision", d.Precision)
	k.nonneg("decision.conformity", d.Conformity)
	for i, x := range d.Reciprocal {
		k.prob(fmt.Sprintf("decision.reciprocal[%d]", i), x)
	}
	k.prob("decision.reciprocal_initial", d.ReciprocalInitial)
	if d.Rule == RuleReciprocal && t.Kind == TopoComplete && w.States > MaxPairStates {
		k.add("world.states", w.States, "want at most %d states for the reciprocal rule on a complete topology (it keeps N x N pair memories)", MaxPairStates)
	}
	g := c.Game
	k.finite("game.reward", g.Reward)
	k.finite("game.temptation", g.Temptation)
	k.finite("game.sucker", g.Sucker)
	k.finite("game.punishment", g.Punishment)

	l := c.Learning
	k.oneOf("learning.rule", l.Rule, LearnAxelrod, LearnImitation, LearnBestNeighbour, LearnReinforcement, LearnNone)
	k.atLeast("learning.every", l.Every, 1)
	k.prob("learning.mutation", l.Mutation)
	k.nonneg("learning.selection", l.Selection)
	k.finite("learning.aspiration", l.Aspiration)
	k.prob("learning.rate", l.Rate)
	k.oneOf("learning.schedule", l.Schedule, "synchronous", "asynchronous")

	x := c.Axelrod
	k.oneOf("axelrod.selection", x.Selection, "axelrod", "tournament", "roulette", "average")
	k.oneOf("axelrod.refill", x.Refill, "random", "replicate")
	k.oneOf("axelrod.equal", x.Equal, "replicate-twice", "keep")
	k.oneOf("axelrod.sd", x.SD, "population", "sample")
	if d.Rule == RuleGame && l.Rule == LearnAxelrod {
		k.add("learning.rule", fmt.Sprintf("%q", l.Rule), "want best-neighbour, imitation, reinforcement or none with the game rule")
	}
	if l.Rule == LearnAxelrod && w.States < 2 {
		k.add("world.states", w.States, "want at least 2 states for the axelrod learning rule")
	}

	v := c.Convergence
	k.atLeast("convergence.window", v.Window, 1)
	if k.finite("convergence.epsilon", v.Epsilon) && v.Epsilon <= 0 {
		k.add("convergence.epsilon", v.Epsilon, "want x > 0")
	}
	if k.finite("convergence.delta", v.Delta) && v.Delta <= 0 {
		k.add("convergence.delta", v.Delta, "want x > 0")
	}
	k.prob("convergence.high", v.High)
	k.prob("convergence.low", v.Low)
	if v.Low >= v.High {
		k.add("convergence.low", v.Low, "want low < high (%g)", v.High)
	}

	last := 0
	for i, ev := range c.Events {
		key := fmt.Sprintf("events[%d]", i)
		if ev.Step < 1 || ev.Step > c.Run.Steps {
			k.add(key+".step", ev.Step, "want a step 1 <= step <= run.steps (%d)", c.Run.Steps)
		}
		if ev.Step < last {
			k.add(key+".step", ev.Step, "want events in step order (the one before is at %d)", last)
		}
		last = ev.Step
		for _, as := range ev.Set {
			if paramPtr(c, as.Key) == nil {
				k.add(key+".set", fmt.Sprintf("%q", as.Key), "want a parameter an event can set: %s", strings.Join(EventParams(), ", "))
			} else {
				k.finite(key+".set."+as.Key, as.Value)
			}
		}
	}
	k.errs = append(k.errs, budget(c)...)
	if len(k.errs) > 0 {
		sortFieldErrors(k.errs)
		return &ValidationError{Problems: k.errs}
	}
	return nil
}

// sortFieldErrors puts problems in key order so that messages do not
// depend on map iteration.
func sortFieldErrors(errs []FieldError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Key < errs[j-1].Key; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

// ErrNoKernel is returned when no kernel can run a configuration.
var ErrNoKernel = errors.New("sim: no kernel for this configuration")
