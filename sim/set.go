package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// DistParams are the numbers each kind of distribution takes, by the names
// of the scenario format.
var DistParams = [...][]string{
	DistConstant: {"value"},
	DistUniform:  {"min", "max"},
	DistNormal:   {"mean", "sd", "min", "max"},
	DistPareto:   {"alpha", "min"},
	DistValues:   {"values"},
	DistLevels:   {},
}

// ReciprocalKeys name the numbers of decision.reciprocal: the chance of
// restraint after CC, CD, DC, DD, and at a first meeting.
var ReciprocalKeys = []string{"cc", "cd", "dc", "dd", "initial"}

// NumberKey reports whether [Config.SetNumber] accepts key, and whether
// the key takes only integers. Besides the numeric parameters these are
// the numbers inside values: a distribution's parameters
// ("world.power.alpha"), world.initial.escalators and .site, and
// decision.reciprocal's five chances.
func NumberKey(key string) (ok, integer bool) {
	if p, found := ParamByKey(key); found {
		return p.Numeric(), p.Integer()
	}
	i := strings.LastIndexByte(key, '.')
	if i < 0 {
		return false, false
	}
	p, found := ParamByKey(key[:i])
	if !found {
		return false, false
	}
	sub := key[i+1:]
	switch {
	case p.Kind == KindDist:
		return slices.Contains([]string{"value", "min", "max", "mean", "sd", "alpha"}, sub), false
	case p.Key == "world.initial":
		return sub == "escalators" || sub == "site", sub == "site"
	case p.Key == "decision.reciprocal":
		return slices.Contains(ReciprocalKeys, sub), false
	}
	return false, false
}

// SetNumber sets the number named by key (see [NumberKey]) to v: the typed
// path by which sweeps vary a configuration, with no text in between.
// Setting world.initial.escalators or .site selects that form of
// world.initial. It refuses a key it does not know, a fraction for an
// integer key and a parameter the distribution's kind does not take;
// ranges are checked by [Config.Validate].
func (c *Config) SetNumber(key string, v float64) error {
	ok, integer := NumberKey(key)
	if !ok {
		return fmt.Errorf("%s: not a number that can be set", key)
	}
	if integer && (v != math.Trunc(v) || math.Abs(v) > 1<<62) {
		return fmt.Errorf("%s = %g: want an integer", key, v)
	}
	if p, found := ParamByKey(key); found {
		switch p.Kind {
		case KindFloat:
			*p.Float(c) = v
		case KindInt:
			*p.Int(c) = int(v)
		case KindSeed:
			if v < 0 {
				return fmt.Errorf("%s = %g: want an integer >= 0", key, v)
			}
			*p.Seed(c) = uint64(v)
		}
		return nil
	}
	i := strings.LastIndexByte(key, '.')
	p, _ := ParamByKey(key[:i])
	sub := key[i+1:]
	switch {
	case p.Kind == KindDist:
		return p.Dist(c).set(p.Key, sub, v)
	case p.Key == "world.initial":
		in := &c.World.Initial
		if sub == "site" {
			*in = InitialConfig{Pattern: InitSingle, Site: int(v), Escalators: in.Escalators}
		} else {
			in.Pattern, in.Escalators, in.Escalating = InitRandom, v, nil
		}
	case p.Key == "decision.reciprocal":
		if j := slices.Index(ReciprocalKeys, sub); j < 4 {
			c.Decision.Reciprocal[j] = v
		} else {
			c.Decision.ReciprocalInitial = v
		}
	}
	return nil
}

// set sets the parameter named sub of d (of the key path key).
func (d *Dist) set(key, sub string, v float64) error {
	if !slices.Contains(DistParams[d.Kind], sub) {
		return fmt.Errorf("%s.%s: %s is a %s distribution, which takes %s", key, sub, key, d.Kind, strings.Join(DistParams[d.Kind], ", "))
	}
	switch sub {
	case "value":
		d.Value = v
	case "mean":
		d.Mean = v
	case "sd":
		d.SD = v
	case "alpha":
		d.Alpha = v
	case "min":
		d.Min, d.HasMin = v, true
	case "max":
		d.Max, d.HasMax = v, true
	}
	return nil
}

// number returns the value of a numeric parameter as a float64.
func (p *Param) number(c *Config) (float64, bool) {
	switch p.Kind {
	case KindFloat:
		return *p.Float(c), true
	case KindInt:
		return float64(*p.Int(c)), true
	case KindSeed:
		return float64(*p.Seed(c)), true
	}
	return 0, false
}

// Clone returns a copy of c that shares no slice with it.
func (c Config) Clone() Config {
	c.World.BlocOf = slices.Clone(c.World.BlocOf)
	c.World.Initial.Escalating = slices.Clone(c.World.Initial.Escalating)
	for i := range params {
		if d := params[i].Dist(&c); d != nil {
			d.Values = slices.Clone(d.Values)
		}
	}
	c.Topology.Edges = slices.Clone(c.Topology.Edges)
	c.Forum.Blocs = slices.Clone(c.Forum.Blocs)
	c.Events = slices.Clone(c.Events)
	for i := range c.Events {
		c.Events[i].Set = slices.Clone(c.Events[i].Set)
	}
	return c
}

// DropEventsAfter removes the events after step (for a run shortened by
// a sweep's run.steps) and returns how many it removed.
func (c *Config) DropEventsAfter(step int) int {
	n := len(c.Events)
	c.Events = slices.DeleteFunc(slices.Clone(c.Events), func(e Event) bool { return e.Step > step })
	return n - len(c.Events)
}
