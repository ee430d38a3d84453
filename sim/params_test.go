package sim

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestEveryConfigFieldHasAParam: every field of Config is described by one
// parameter of the registry (or is one of the values with their own
// syntax listed here). A field added to Config without a parameter fails.
func TestEveryConfigFieldHasAParam(t *testing.T) {
	var c Config
	covered := map[uintptr]string{
		addr(&c.Name):                       "name",
		addr(&c.Events):                     "events",
		addr(&c.World.Blocs):                "world.blocs",
		addr(&c.World.BlocOf):               "world.blocs",
		addr(&c.World.Initial):              "world.initial",
		addr(&c.Decision.Reciprocal):        "decision.reciprocal",
		addr(&c.Decision.ReciprocalInitial): "decision.reciprocal",
		addr(&c.Topology.Edges):             "topology.pairs",
		addr(&c.Forum.Blocs):                "forum.blocs",
		addr(&c.World.Revisionists):         "world.revisionists",
		addr(&c.World.RevisionistList):      "world.revisionists",
	}
	for i := range params {
		p := &params[i]
		var a uintptr
		switch p.Kind {
		case KindFloat:
			a = addr(p.Float(&c))
		case KindInt:
			a = addr(p.Int(&c))
		case KindSeed:
			a = addr(p.Seed(&c))
		case KindBool:
			a = addr(p.Bool(&c))
		case KindDist:
			a = addr(p.Dist(&c))
		case KindEnum:
			a = enumAddr(t, p, &c)
		default:
			continue // listed above
		}
		if prev, dup := covered[a]; dup {
			t.Errorf("%s and %s set the same field", p.Key, prev)
		}
		covered[a] = p.Key
	}
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		for i := range v.NumField() {
			fv, name := v.Field(i), path+"."+v.Type().Field(i).Name
			switch fv.Type() {
			case reflect.TypeFor[Dist](), reflect.TypeFor[InitialConfig]():
			default:
				if fv.Kind() == reflect.Struct {
					walk(fv, name)
					continue
				}
			}
			if _, ok := covered[fv.Addr().Pointer()]; !ok {
				t.Errorf("Config%s has no parameter in the registry", name)
			}
		}
	}
	walk(reflect.ValueOf(&c).Elem(), "")
}

func addr[T any](p *T) uintptr { return reflect.ValueOf(p).Pointer() }

// enumAddr finds the field of an enumeration by setting it through the
// registry and looking for the byte that changed.
func enumAddr(t *testing.T, p *Param, c *Config) uintptr {
	t.Helper()
	var found uintptr
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		for i := range v.NumField() {
			fv := v.Field(i)
			if fv.Kind() == reflect.Struct {
				walk(fv)
				continue
			}
			if fv.Kind() != reflect.Uint8 {
				continue
			}
			old := fv.Uint()
			p.enum.set(c, 1)
			if fv.Uint() == 1 && old != 1 {
				found = fv.Addr().Pointer()
			}
			p.enum.set(c, int(old))
		}
	}
	walk(reflect.ValueOf(c).Elem())
	if found == 0 {
		t.Fatalf("%s: cannot find its field", p.Key)
	}
	return found
}

// TestDefaultsValid: the registered defaults make a valid configuration,
// every parameter has a doc line, and every number is in its own range.
func TestDefaultsValid(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for i := range params {
		p := &params[i]
		if p.Doc == "" || !strings.Contains(p.Key, ".") {
			t.Errorf("%s: want a section.key and a doc line", p.Key)
		}
		if p.Event && !p.Numeric() {
			t.Errorf("%s: events set numbers only", p.Key)
		}
	}
}

// TestRangeChecks: every numeric parameter refuses a value just outside
// its range, NaN and infinity, naming its key; a value inside passes.
func TestRangeChecks(t *testing.T) {
	for i := range params {
		p := &params[i]
		if !p.Numeric() || p.Kind == KindSeed {
			continue
		}
		bad := []float64{math.NaN(), math.Inf(1)}
		if !math.IsInf(p.Range.Lo, -1) {
			bad = append(bad, p.Range.Lo-1)
		}
		if !math.IsInf(p.Range.Hi, 1) {
			bad = append(bad, p.Range.Hi+1)
		}
		for _, v := range bad {
			if p.Kind == KindInt && (math.IsNaN(v) || math.IsInf(v, 0)) {
				continue
			}
			c := DefaultConfig()
			if p.Kind == KindFloat {
				*p.Float(&c) = v
			} else {
				*p.Int(&c) = int(v)
			}
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), p.Key) {
				t.Errorf("%s = %g: want an error naming the key, got %v", p.Key, v, err)
			}
		}
	}
}

// TestEnumNames: every enumeration's names parse back to their values.
func TestEnumNames(t *testing.T) {
	check := func(names []string, parse func(string) (uint8, error), str func(uint8) string) {
		for i, n := range names {
			v, err := parse(n)
			if err != nil || v != uint8(i) || str(v) != n {
				t.Errorf("%s: parsed %d, %v; String %q", n, v, err, str(v))
			}
		}
		if _, err := parse("no-such-name"); err == nil {
			t.Errorf("%v: an unknown name parsed", names)
		}
	}
	check(Rule(0).Names(), func(s string) (uint8, error) { var v Rule; err := v.UnmarshalText([]byte(s)); return uint8(v), err },
		func(v uint8) string { return Rule(v).String() })
	check(LearningRule(0).Names(), func(s string) (uint8, error) {
		var v LearningRule
		err := v.UnmarshalText([]byte(s))
		return uint8(v), err
	}, func(v uint8) string { return LearningRule(v).String() })
	check(DistKind(0).Names(), func(s string) (uint8, error) { var v DistKind; err := v.UnmarshalText([]byte(s)); return uint8(v), err },
		func(v uint8) string { return DistKind(v).String() })
}

// TestSetNumber: every numeric key and the numbers inside values can be
// set by name, integers refuse fractions, and a distribution refuses a
// parameter its kind does not take.
func TestSetNumber(t *testing.T) {
	for i := range params {
		p := &params[i]
		if !p.Numeric() {
			continue
		}
		c := DefaultConfig()
		if err := c.SetNumber(p.Key, 3); err != nil {
			t.Errorf("%s: %v", p.Key, err)
		}
		if n, ok := p.number(&c); !ok || n != 3 {
			t.Errorf("%s: set 3, read %g", p.Key, n)
		}
		if p.Integer() && c.SetNumber(p.Key, 2.5) == nil {
			t.Errorf("%s: took 2.5", p.Key)
		}
	}
	c := DefaultConfig()
	for _, tc := range []struct {
		key  string
		v    float64
		want func(*Config) bool
	}{
		{"world.power.alpha", 2, func(c *Config) bool { return c.World.Power.Alpha == 2 }},
		{"world.forensics.max", 3, func(c *Config) bool { return c.World.Forensics.HasMax && c.World.Forensics.Max == 3 }},
		{"world.initial.site", 4, func(c *Config) bool { return c.World.Initial.Pattern == InitSingle && c.World.Initial.Site == 4 }},
		{"world.initial.escalators", 0.3, func(c *Config) bool {
			return c.World.Initial.Pattern == InitRandom && c.World.Initial.Escalators == 0.3
		}},
		{"decision.reciprocal.dd", 0.5, func(c *Config) bool { return c.Decision.Reciprocal[3] == 0.5 }},
		{"decision.reciprocal.initial", 0.25, func(c *Config) bool { return c.Decision.ReciprocalInitial == 0.25 }},
	} {
		if err := c.SetNumber(tc.key, tc.v); err != nil || !tc.want(&c) {
			t.Errorf("%s = %g: %v", tc.key, tc.v, err)
		}
	}
	for _, key := range []string{"world.power.mean", "world.initial.site.x", "nosuch.key", "world.blocs", "decision.rule"} {
		if err := c.SetNumber(key, 1); err == nil {
			t.Errorf("%s: set", key)
		}
	}
}

// TestRangeDescribe pins the wording of range messages.
func TestRangeDescribe(t *testing.T) {
	for _, tc := range []struct {
		r       Range
		integer bool
		want    string
	}{
		{prob, false, "want a probability, 0 <= x <= 1"},
		{nonneg, false, "want x >= 0"},
		{atLeast(1), true, "want an integer >= 1"},
		{posReal, false, "want x > 0"},
		{between(1, 1000), true, "want an integer 1 <= x <= 1000"},
		{Range{Lo: 0, Hi: 1, LoOpen: true}, false, "want 0 < x <= 1"},
	} {
		if got := tc.r.Describe(tc.integer); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.r, got, tc.want)
		}
	}
}
