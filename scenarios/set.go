package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/normsim/normsim/sim"
)

// Set changes one key, "section.key=value", with the same validation and
// messages as the file (problems name "--set" as their file). The value is
// TOML (1.5, "logit", [1, 2], { dist = "uniform", min = 0.0, max = 1.0 });
// a bare word that is not TOML is taken as a string, so rule=threshold
// works. Setting one alternative of a choice replaces the others: for
// example world.initial.escalators when the file says pattern = "single",
// or world.power.values when it gives a Pareto. Keys of a distribution
// given as a number, or of a reciprocal preset, expand it to its table
// first. On error the scenario is unchanged.
func (s *Scenario) Set(assign string) error { return s.SetFrom("--set", assign) }

// SetFrom is Set with problems attributed to origin (for example "--seed"
// when the command turns its --seed flag into run.seed=N).
func (s *Scenario) SetFrom(origin, assign string) error {
	return s.SetAll(Assign{Origin: origin, Text: assign})
}

// Assign is one key=value assignment and where it came from ("--set",
// "--seed", ...), for [Scenario.SetAll].
type Assign struct{ Origin, Text string }

// SetAll applies every assignment, in order, and only then checks the
// result, so that keys which must change together (topology.kind =
// "lattice" with its width and height) can be set one by one. On error
// the scenario is unchanged and the error lists every problem.
func (s *Scenario) SetAll(assigns ...Assign) error {
	tree := deepCopy(s.tree).(map[string]any)
	over := maps.Clone(s.overrides)
	if over == nil {
		over = map[string]string{}
	}
	var errs []Problem
	for _, a := range assigns {
		key, err := assign(tree, &s.cfg, a.Origin, a.Text)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				errs = append(errs, e.Problems...)
				continue
			}
			return err
		}
		over[key] = a.Origin
	}
	if len(errs) > 0 {
		return &Error{Problems: errs}
	}
	t := &Scenario{File: s.File, pos: s.pos, overrides: over}
	if err := t.build(tree); err != nil {
		return err
	}
	*s = *t
	return nil
}

// assign applies one key=value to tree and returns the key, normalised.
// Setting one key of a value the file leaves at its default (for example
// world.threshold.max) starts from that default, taken from cfg.
func assign(tree map[string]any, cfg *sim.Config, origin, text string) (string, error) {
	key, raw, ok := strings.Cut(text, "=")
	key, raw = strings.TrimSpace(key), strings.TrimSpace(raw)
	fail := func(format string, args ...any) (string, error) {
		return key, &Error{Problems: []Problem{{File: origin, Key: key, Value: raw, Msg: fmt.Sprintf(format, args...)}}}
	}
	if !ok {
		return fail("want key=value, e.g. attribution.reporting=0.5")
	}
	parts, err := splitPath(key)
	if err != nil {
		return fail("%v", err)
	}
	key = joinParts(parts)
	value, err := parseValue(raw)
	if err != nil {
		return fail("%v", err)
	}

	var node any = tree
	for i, p := range parts {
		last := i == len(parts)-1
		if p.IsIndex {
			var l []any
			switch x := node.(type) {
			case []map[string]any:
				for _, e := range x {
					l = append(l, e)
				}
			case []any:
				l = x
			}
			if p.Index >= len(l) {
				return fail("no element %d in %s", p.Index, joinParts(parts[:i]))
			}
			if last {
				return fail("set the keys of %s one at a time", key)
			}
			node = l[p.Index]
			continue
		}
		m, ok := node.(map[string]any)
		if !ok {
			return fail("%s is not a table", joinParts(parts[:i]))
		}
		if last {
			m[p.Key] = value
			if i == 2 && !parts[0].IsIndex && !parts[1].IsIndex {
				if f, ok := fieldByKey[parts[0].Key+"."+parts[1].Key]; ok && f.c != nil {
					for _, x := range f.c.exclusive(p.Key) {
						delete(m, x)
					}
				}
			}
			break
		}
		next, has := m[p.Key]
		if !has {
			next = map[string]any{}
			if f, ok := fieldByKey[parts[0].Key+"."+p.Key]; ok && i == 1 && !parts[0].IsIndex && f.c != nil {
				next = f.c.table(cfg) // the default, in table form
			}
			m[p.Key] = next
		}
		if _, isMap := next.(map[string]any); !isMap && i == 1 && !parts[0].IsIndex {
			if f, ok := fieldByKey[parts[0].Key+"."+p.Key]; ok && f.c != nil {
				if e := f.c.expand(next); e != nil {
					next = e
					m[p.Key] = e
				}
			}
		}
		node = next
	}
	return key, nil
}

// parseValue reads a --set value as TOML, or as a string when it is not,
// unless TOML says it is a number out of range (an integer beyond int64,
// a float beyond float64): that is an error, not a string.
func parseValue(raw string) (any, error) {
	var m map[string]any
	_, err := toml.Decode("v = "+raw, &m)
	if err == nil {
		if v, ok := m["v"]; ok {
			return v, nil
		}
	}
	if err != nil && strings.Contains(err.Error(), "out of range for int64") {
		if strings.HasPrefix(raw, "-") {
			return nil, errors.New("out of range of a 64-bit integer: want at least -9223372036854775808")
		}
		return nil, errors.New("out of range of a 64-bit integer: want at most 9223372036854775807")
	}
	if err != nil && strings.Contains(err.Error(), "out of range for float64") {
		return nil, errors.New("out of range of a 64-bit float: want a finite number")
	}
	return raw, nil
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []map[string]any:
		l := make([]map[string]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e).(map[string]any)
		}
		return l
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// Clone returns an independent copy of s, for example one point of a sweep
// to Set.
func (s *Scenario) Clone() *Scenario {
	t := *s
	t.cfg = s.cfg.Clone()
	t.tree = deepCopy(s.tree).(map[string]any)
	t.overrides = maps.Clone(s.overrides)
	t.Info.Notice = append([]string(nil), s.Info.Notice...)
	t.Info.Try = append([]string(nil), s.Info.Try...)
	t.Info.References = append([]string(nil), s.Info.References...)
	t.Expect = append([]Expect(nil), s.Expect...)
	if s.Sweep != nil {
		sw := *s.Sweep
		sw.Params = append([]SweepParam(nil), s.Sweep.Params...)
		t.Sweep = &sw
	}
	return &t
}

// DropEventsAfter removes the events that fire after step (for a run
// shortened by --steps), and the claims that vary a setting of one of
// them, and returns what it removed: each event's label and step, each
// claim's text. The scenario stays valid.
func (s *Scenario) DropEventsAfter(step int) []string {
	tree := deepCopy(s.tree).(map[string]any)
	dropped := pruneEvents(tree, step)
	if len(dropped) == 0 {
		return nil
	}
	t := &Scenario{File: s.File, pos: s.pos, overrides: s.overrides}
	if err := t.build(tree); err != nil {
		return nil // cannot happen: fewer events than a valid scenario had
	}
	*s = *t
	return dropped
}

// Changed returns the keys that --set, --steps and the other flags changed
// from the file, sorted, leaving out run.seed and run.replicates (which
// change the luck and the precision, not the scenario): a scenario's
// notices describe it as written, and a command says so when this is not
// empty.
func (s *Scenario) Changed() []string {
	var keys []string
	for k := range s.overrides {
		if k != "run.seed" && k != "run.replicates" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// NoticeCaveat is what a command prints above a scenario's notices when
// its run changes the scenario (see [Scenario.Changed]), or "".
func (s *Scenario) NoticeCaveat() string {
	keys := s.Changed()
	if len(keys) == 0 {
		return ""
	}
	return fmt.Sprintf("These notices describe the scenario as written; this run changes %s, so they may not hold.", strings.Join(keys, ", "))
}
