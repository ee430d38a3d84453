package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/normsim/normsim/sim"
)

// otherValue sets p in c to a valid value other than its default, and
// reports whether it could.
func otherValue(p *sim.Param, c *sim.Config) bool {
	lo, hi := p.Range.Lo, p.Range.Hi
	if math.IsInf(lo, -1) {
		lo = -1
	}
	if math.IsInf(hi, 1) || hi > lo+10 {
		hi = lo + 10
	}
	switch p.Kind {
	case sim.KindFloat:
		old := *p.Float(c)
		for _, f := range []float64{0.37, 0.61, 0.83, 0.97} {
			v := math.Round((lo+(hi-lo)*f)*1000) / 1000
			if *p.Float(c) = v; v != old && c.Validate() == nil {
				return true
			}
		}
		if *p.Float(c) = old + 0.5; c.Validate() != nil {
			return false
		}
	case sim.KindInt:
		v := int(math.Ceil(lo)) + 1
		if *p.Int(c) == v {
			v++
		}
		*p.Int(c) = v
	case sim.KindSeed:
		*p.Seed(c) += 7
	case sim.KindBool:
		*p.Bool(c) = !*p.Bool(c)
	case sim.KindEnum:
		old := p.EnumName(c)
		for _, n := range p.EnumNames() {
			if n != old && p.SetEnum(c, n) == nil && c.Validate() == nil {
				return true
			}
		}
		return false
	case sim.KindDist:
		*p.Dist(c) = sim.Dist{Kind: sim.DistUniform, Min: math.Max(lo, 0) + 0.125, Max: math.Max(lo, 0) + 0.5}
	default:
		return false
	}
	return true
}

// TestRegistryRoundTrip: every parameter of sim's registry round-trips
// through a scenario file (Resolved, then Parse), through --set, through
// an event where events may set it, and through a sweep's typed setter
// where it is a number.
func TestRegistryRoundTrip(t *testing.T) {
	base := mustOpen(t, "baseline")
	base.DropEventsAfter(1)
	if err := base.Set("world.revisionists=0"); err != nil { // so that any world size is valid
		t.Fatal(err)
	}
	for i := range sim.Params() {
		p := &sim.Params()[i]
		t.Run(p.Key, func(t *testing.T) {
			cfg, _ := base.Config()
			if !otherValue(p, &cfg) {
				t.Skip("a value with its own syntax: its codec has its own tests")
			}
			if err := cfg.Validate(); err != nil {
				t.Fatalf("the test's value is invalid: %v", err)
			}
			f := fieldByKey[p.Key]
			text := encodeField(f, &cfg)
			want := get(p, &cfg)

			// TOML: the file written back and read again.
			s := base.Clone()
			s.cfg = cfg
			back, err := Parse("resolved.toml", s.Resolved())
			if err != nil {
				t.Fatalf("Resolved does not parse: %v", err)
			}
			if got := get(p, &back.cfg); !reflect.DeepEqual(got, want) {
				t.Errorf("TOML: got %v, want %v", got, want)
			}

			// --set.
			s = base.Clone()
			if err := s.Set(p.Key + "=" + text); err != nil {
				t.Fatalf("--set %s=%s: %v", p.Key, text, err)
			}
			if got := get(p, &s.cfg); !reflect.DeepEqual(got, want) {
				t.Errorf("--set: got %v, want %v", got, want)
			}
			if !p.Numeric() {
				return
			}

			// Sweeps: the typed setter.
			v, _ := want.(float64)
			if ok, _ := sim.NumberKey(p.Key); !ok {
				t.Fatalf("a number that sweeps cannot set")
			}
			c2, _ := base.Config()
			if err := c2.SetNumber(p.Key, v); err != nil || !reflect.DeepEqual(get(p, &c2), want) {
				t.Errorf("SetNumber(%g): %v, got %v", v, err, get(p, &c2))
			}

			// Events.
			src := fmt.Sprintf("schema = 1\nname = \"e\"\n[run]\nsteps = 10\n[[events]]\nstep = 5\nset = { %q = %s }\n", p.Key, text)
			ev, err := Parse("event.toml", []byte(src))
			if !p.Event {
				if err == nil {
					t.Errorf("an event set %s, which events may not set", p.Key)
				}
				return
			}
			if err != nil {
				t.Fatalf("event: %v", err)
			}
			if as := ev.cfg.Events[0].Set; len(as) != 1 || as[0].Key != p.Key || as[0].Value != v {
				t.Errorf("event: got %+v, want %s = %g", as, p.Key, v)
			}
		})
	}
}

// get returns a parameter's value in c, numbers as float64.
func get(p *sim.Param, c *sim.Config) any {
	switch p.Kind {
	case sim.KindFloat:
		return *p.Float(c)
	case sim.KindInt:
		return float64(*p.Int(c))
	case sim.KindSeed:
		return float64(*p.Seed(c))
	case sim.KindBool:
		return *p.Bool(c)
	case sim.KindEnum:
		return p.EnumName(c)
	case sim.KindDist:
		return *p.Dist(c)
	}
	return nil
}
