package scenarios

import (
	"reflect"
	"testing"

	"github.com/normsim/normsim/sim"
)

// TestEveryConfigFieldHasAKey: every field of sim.Config can be set from a
// scenario file. A field added to sim.Config without a key here fails.
func TestEveryConfigFieldHasAKey(t *testing.T) {
	var c sim.Config
	covered := map[uintptr]string{
		addr(&c.Name):                       "name",
		addr(&c.Events):                     "events",
		addr(&c.World.Blocs):                "world.blocs",
		addr(&c.World.BlocOf):               "world.blocs",
		addr(&c.World.Initial):              "world.initial",
		addr(&c.Decision.Reciprocal):        "decision.reciprocal",
		addr(&c.Decision.ReciprocalInitial): "decision.reciprocal",
		addr(&c.Topology.Edges):             "topology.pairs",
	}
	for _, f := range fields {
		var p uintptr
		switch {
		case f.f != nil:
			p = addr(f.f(&c))
		case f.i != nil:
			p = addr(f.i(&c))
		case f.u != nil:
			p = addr(f.u(&c))
		case f.b != nil:
			p = addr(f.b(&c))
		case f.s != nil:
			p = addr(f.s(&c))
		default:
			switch cd := f.c.(type) {
			case distCodec:
				p = addr(cd.get(&c))
			case intListCodec:
				p = addr(cd.get(&c))
			default:
				continue // listed above
			}
		}
		if prev, dup := covered[p]; dup {
			t.Errorf("%s and %s set the same field", f.key, prev)
		}
		covered[p] = f.key
	}
	// Leaves: fields that are not structs, plus Dist and InitialConfig,
	// which have their own syntax.
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		for i := range v.NumField() {
			fv, name := v.Field(i), path+"."+v.Type().Field(i).Name
			switch fv.Type() {
			case reflect.TypeFor[sim.Dist](), reflect.TypeFor[sim.InitialConfig]():
			default:
				if fv.Kind() == reflect.Struct {
					walk(fv, name)
					continue
				}
			}
			if _, ok := covered[fv.Addr().Pointer()]; !ok {
				t.Errorf("sim.Config%s has no scenario key", name)
			}
		}
	}
	walk(reflect.ValueOf(&c).Elem(), "")
}

func addr[T any](p *T) uintptr { return reflect.ValueOf(p).Pointer() }
