package scenarios

import (
	"strings"

	"github.com/normsim/normsim/sim"
)

// field is one key of a configuration section: a parameter of sim's
// registry, and the codec that reads and writes it when its value has a
// syntax of its own (a distribution, a list, a choice of forms). Keys,
// docs, defaults and ranges all come from sim.Params(); this package adds
// only the TOML syntax.
type field struct {
	key string
	doc string
	p   *sim.Param
	c   codec // for KindDist and KindValue
}

// valueCodecs read the parameters of kind sim.KindValue.
var valueCodecs = map[string]codec{
	"world.blocs":         blocsCodec{},
	"world.initial":       initialCodec{},
	"world.revisionists":  revisionistsCodec{},
	"topology.pairs":      pairsCodec{},
	"forum.blocs":         intListCodec{get: func(c *sim.Config) *[]int { return &c.Forum.Blocs }},
	"decision.reciprocal": reciprocalCodec{},
}

// fields are the registry's parameters, in its order.
var fields = func() []field {
	ps := sim.Params()
	out := make([]field, len(ps))
	for i := range ps {
		p := &ps[i]
		f := field{key: p.Key, doc: p.Doc, p: p}
		switch p.Kind {
		case sim.KindDist:
			f.c = distCodec{p: p}
		case sim.KindValue:
			c, ok := valueCodecs[p.Key]
			if !ok {
				panic("scenarios: no codec for " + p.Key)
			}
			f.c = c
		}
		out[i] = f
	}
	return out
}()

// sections are the configuration tables in the order Resolved writes them.
var sections = func() []string {
	var s []string
	for _, sec := range sim.Sections {
		s = append(s, sec.Name)
	}
	return s
}()

// sectionDocs are the comments on the table headers.
var sectionDocs = func() map[string]string {
	m := map[string]string{}
	for _, sec := range sim.Sections {
		m[sec.Name] = sec.Doc
	}
	return m
}()

// fieldByKey indexes fields.
var fieldByKey = func() map[string]*field {
	m := make(map[string]*field, len(fields))
	for i := range fields {
		m[fields[i].key] = &fields[i]
	}
	return m
}()

// sectionFields returns the names (last pieces) of a section's keys, in
// table order.
func sectionFields(sec string) []string {
	var names []string
	for _, f := range fields {
		if rest, ok := strings.CutPrefix(f.key, sec+"."); ok {
			names = append(names, rest)
		}
	}
	return names
}

// topLevel are the keys and tables a scenario file may have at its top.
var topLevel = append([]string{"schema", "name", "title", "info"}, append(append([]string{}, sections...), "events", "sweep", "expect")...)
