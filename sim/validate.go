package sim

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

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

// check checks c's value of p against p's range (or, for a
// distribution, its support).
func (p *Param) check(k *checker, c *Config) {
	switch p.Kind {
	case KindFloat:
		if x := *p.Float(c); !k.inRange(p.Key, x, p.Range, false) && p.Note != "" && x > p.Range.Hi {
			k.errs[len(k.errs)-1].Msg += " (" + p.Note + ")"
		}
	case KindInt:
		if n := *p.Int(c); !k.intInRange(p.Key, n, p.Range) && p.Note != "" && float64(n) > p.Range.Hi {
			k.errs[len(k.errs)-1].Msg += " (" + p.Note + ")"
		}
	case KindEnum:
		if i := p.enum.get(c); i >= len(p.enum.names) {
			k.add(p.Key, i, "want one of %s", strings.Join(p.enum.names, ", "))
		}
	case KindDist:
		k.dist(p, *p.Dist(c))
	}
}

// inRange reports x outside r (NaN and infinities included).
func (c *checker) inRange(key string, x float64, r Range, integer bool) bool {
	if r.Contains(x) && !math.IsInf(x, 0) {
		return true
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		c.add(key, x, "want a finite number")
		return false
	}
	// Name the end that is crossed, unless the range is a probability.
	side := r
	if r != prob {
		if x < r.Lo || x == r.Lo && r.LoOpen {
			side.Hi, side.HiOpen = math.Inf(1), false
		} else {
			side.Lo, side.LoOpen = math.Inf(-1), false
		}
	}
	c.add(key, fmtNum(x, integer), "%s", side.Describe(integer))
	return false
}

// intInRange is inRange for an integer key: the message shows n as it is
// (9223372036854775807, not the float64 it rounds to).
func (c *checker) intInRange(key string, n int, r Range) bool {
	before := len(c.errs)
	if c.inRange(key, float64(n), r, true) {
		return true
	}
	if len(c.errs) > before {
		c.errs[len(c.errs)-1].Value = strconv.Itoa(n)
	}
	return false
}

// fmtNum formats a number of a message: integers in full.
func fmtNum(x float64, integer bool) string {
	if integer {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// dist checks a distribution's parameters and that every value it can draw
// lies in p's range (so that nothing is clamped silently).
func (c *checker) dist(p *Param, d Dist) {
	key, sup := p.Key, p.Range
	finite := func(k string, x float64) bool { return c.inRange(key+"."+k, x, anyReal, false) }
	inside := func(k string, x float64) { c.inRange(key+"."+k, x, sup, false) }
	switch d.Kind {
	case DistConstant:
		c.inRange(key, d.Value, sup, false)
	case DistUniform:
		if finite("min", d.Min) && finite("max", d.Max) {
			if d.Min > d.Max {
				c.add(key+".max", fmtNum(d.Max, false), "want max >= min (%g)", d.Min)
			}
			inside("min", d.Min)
			inside("max", d.Max)
		}
	case DistNormal:
		finite("mean", d.Mean)
		if finite("sd", d.SD) && d.SD < 0 {
			c.add(key+".sd", fmtNum(d.SD, false), "want sd >= 0")
		}
		c.bound(key, "min", d.HasMin, d.Min, sup.Lo, sup)
		c.bound(key, "max", d.HasMax, d.Max, sup.Hi, sup)
		if d.HasMin && d.HasMax && d.Min > d.Max {
			c.add(key+".max", fmtNum(d.Max, false), "want max >= min (%g)", d.Min)
		}
	case DistPareto:
		if finite("alpha", d.Alpha) && d.Alpha <= 0 {
			c.add(key+".alpha", fmtNum(d.Alpha, false), "want alpha > 0")
		}
		if finite("min", d.Min) && d.Min <= 0 {
			c.add(key+".min", fmtNum(d.Min, false), "want a scale min > 0")
		} else {
			inside("min", d.Min)
		}
		if !math.IsInf(sup.Hi, 1) {
			c.add(key+".dist", `"pareto"`, "a Pareto distribution is unbounded above: want one whose values stay <= %g (uniform, a normal with max, values)", sup.Hi)
		}
	case DistValues:
		if len(d.Values) == 0 {
			c.add(key+".values", "[]", "want at least one value")
		}
		for i, v := range d.Values {
			c.inRange(fmt.Sprintf("%s.values[%d]", key, i), v, sup, false)
		}
	case DistLevels:
		if !p.Levels {
			c.add(key+".dist", `"levels"`, "levels (Axelrod's k/7) are for boldness and vengefulness")
		}
	default:
		c.add(key+".dist", fmt.Sprint(d.Kind), "want one of %s", strings.Join(d.Kind.Names(), ", "))
	}
}

// bound checks one end of a truncated normal: it must be given when the
// support is bounded on that side, and lie inside the support.
func (c *checker) bound(key, name string, has bool, x, end float64, sup Range) {
	switch {
	case has:
		c.inRange(key+"."+name, x, sup, false)
	case !math.IsInf(end, 0):
		c.add(key+"."+name, "", "missing: a normal distribution here needs %s (values must stay in [%g, %g]): add %s = %g", name, sup.Lo, sup.Hi, name, end)
	}
}

// Validate reports every problem with c at once, as a *ValidationError
// whose keys are those of the scenario format: every parameter against its
// registered range, then the rules that tie parameters together.
func (c *Config) Validate() error {
	var k checker
	for i := range params {
		params[i].check(&k, c)
	}
	c.checkWorld(&k)
	c.checkTopology(&k)
	c.checkRules(&k)
	c.checkEvents(&k)
	if len(k.errs) == 0 { // the budget's estimates assume valid values
		k.errs = budget(c)
	}
	if len(k.errs) > 0 {
		sortFieldErrors(k.errs)
		return &ValidationError{Problems: k.errs}
	}
	return nil
}

// checkWorld checks the values of [world] that have a syntax of their own.
func (c *Config) checkWorld(k *checker) {
	w := &c.World
	if len(w.BlocOf) == 0 && w.Blocs < 1 {
		k.add("world.blocs", w.Blocs, "want a number of blocs >= 1, or a list with each state's bloc")
	}
	if len(w.BlocOf) > 0 && len(w.BlocOf) != w.States {
		k.add("world.blocs", fmt.Sprintf("[%d values]", len(w.BlocOf)), "want one bloc per state (%d)", w.States)
	}
	for i, b := range w.BlocOf {
		if b < 0 || b >= w.States {
			k.add(fmt.Sprintf("world.blocs[%d]", i), b, "want a bloc number 0 <= b < world.states (%d)", w.States)
		}
	}
	switch w.Initial.Pattern {
	case InitRandom:
		k.inRange("world.initial.escalators", w.Initial.Escalators, prob, false)
	case InitSingle:
		if w.Initial.Site >= w.States {
			k.add("world.initial.site", w.Initial.Site, "want a state index < world.states (%d)", w.States)
		}
	case InitList:
		k.indices("world.initial.escalating", w.Initial.Escalating, w.States)
	default:
		k.add("world.initial.pattern", w.Initial.Pattern, "want one of random, single, list")
	}
	if len(w.RevisionistList) > 0 {
		k.indices("world.revisionists", w.RevisionistList, w.States)
	} else if w.Revisionists < 0 || w.Revisionists > w.States {
		k.add("world.revisionists", w.Revisionists, "want a number 0 <= k <= world.states (%d), or a list of states", w.States)
	}
	nb := c.blocCount()
	for i, b := range c.Forum.Blocs {
		if b < 0 || b >= nb {
			k.add(fmt.Sprintf("forum.blocs[%d]", i), b, "want a bloc of the world, 0 <= b < %d", nb)
		}
	}
}

// blocCount is the number of blocs of the world.
func (c *Config) blocCount() int {
	if len(c.World.BlocOf) > 0 {
		return slices.Max(c.World.BlocOf) + 1
	}
	return c.World.Blocs
}

// indices reports the entries of list that are not state indices.
func (c *checker) indices(key string, list []int, n int) {
	for i, s := range list {
		if s < 0 || s >= n {
			c.add(fmt.Sprintf("%s[%d]", key, i), s, "want a state index 0 <= i < %d", n)
		}
	}
}

// checkTopology checks the keys of the chosen topology against the world.
func (c *Config) checkTopology(k *checker) {
	t, n := &c.Topology, c.World.States
	switch t.Kind {
	case TopoLattice:
		if t.Width < 1 || t.Height < 1 {
			k.add("topology.width", fmt.Sprintf("%d x %d", t.Width, t.Height), "want a lattice width and height >= 1")
		} else if t.Width > n || t.Height > n || t.Width*t.Height != n {
			k.add("topology.width", fmt.Sprintf("%d x %d", t.Width, t.Height), "want width x height = world.states (%d)", n)
		}
	case TopoSmallWorld:
		if t.K < 2 || t.K%2 != 0 || t.K >= n {
			k.add("topology.k", t.K, "want an even k, 2 <= k < world.states (%d)", n)
		}
	case TopoScaleFree:
		if t.M < 1 || t.M >= n {
			k.add("topology.m", t.M, "want 1 <= m < world.states (%d)", n)
		}
	case TopoEdges:
		for i, e := range t.Edges {
			switch {
			case e[0] < 0 || e[0] >= n || e[1] < 0 || e[1] >= n:
				k.add(fmt.Sprintf("topology.pairs[%d]", i), fmt.Sprint(e), "want state indices 0 <= i < %d", n)
			case e[0] == e[1]:
				k.add(fmt.Sprintf("topology.pairs[%d]", i), fmt.Sprint(e), "want two different states: a state is not its own neighbour")
			}
		}
	}
}

// checkRules checks the rules that tie decision, learning and the kernels
// together.
func (c *Config) checkRules(k *checker) {
	d, l, n := &c.Decision, &c.Learning, c.World.States
	for i, x := range d.Reciprocal {
		k.inRange("decision.reciprocal."+ReciprocalKeys[i], x, prob, false)
	}
	k.inRange("decision.reciprocal.initial", d.ReciprocalInitial, prob, false)
	if d.Rule == RuleReciprocal && c.Topology.Kind == TopoComplete && n > MaxPairStates {
		k.add("world.states", n, "want at most %d states for the reciprocal rule on a complete topology (it keeps N x N pair memories)", MaxPairStates)
	}
	if isAxelrod(c) && c.Opportunity.Seen.Kind != DistConstant && c.Opportunity.Seen.Kind != DistUniform {
		k.add("opportunity.seen.dist", fmt.Sprintf("%q", c.Opportunity.Seen.Kind), "want constant or uniform in Axelrod's game (threshold rule, axelrod learning, targets \"all\")")
	}
	if d.Rule == RuleGame && l.Rule == LearnAxelrod {
		k.add("learning.rule", fmt.Sprintf("%q", l.Rule), "want best-neighbour, imitation, reinforcement or none with the game rule")
	}
	if l.Rule == LearnAxelrod && n < 2 {
		k.add("world.states", n, "want at least 2 states for the axelrod learning rule")
	}
	if v := c.Convergence; v.Low >= v.High {
		k.add("convergence.low", v.Low, "want low < high (%g)", v.High)
	}
}

// checkEvents checks that events are in step order within the run and set
// parameters events may set, to values in their ranges.
func (c *Config) checkEvents(k *checker) {
	last := 0
	for i, ev := range c.Events {
		key := fmt.Sprintf("events[%d]", i)
		if ev.Step < 1 || ev.Step > c.Run.Steps {
			k.add(key+".step", ev.Step, "want a step 1 <= step <= run.steps (%d); to shorten a run, --steps N skips the events after step N", c.Run.Steps)
		}
		if ev.Step < last {
			k.add(key+".step", ev.Step, "want events in step order (the one before is at %d)", last)
		}
		last = ev.Step
		for _, as := range ev.Set {
			p, ok := ParamByKey(as.Key)
			if !ok || !p.Event {
				k.add(key+".set", fmt.Sprintf("%q", as.Key), "want a parameter an event can set: %s", strings.Join(EventParams(), ", "))
				continue
			}
			k.inRange(key+".set."+as.Key, as.Value, p.Range, p.Integer())
			if p.Integer() && as.Value != math.Trunc(as.Value) {
				k.add(key+".set."+as.Key, fmtNum(as.Value, false), "want an integer")
			}
		}
	}
}

// sortFieldErrors puts problems in key order so that messages do not
// depend on the order of the checks.
func sortFieldErrors(errs []FieldError) {
	slices.SortStableFunc(errs, func(a, b FieldError) int { return strings.Compare(a.Key, b.Key) })
}
