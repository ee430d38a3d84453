package handout

import (
	"sync"

	"github.com/normsim/normsim/scenarios"
)

// Param is one configuration key whose value differs from the default.
type Param struct {
	Key     string // "forum.every"
	Value   string // as TOML, "25"
	Default string
	Doc     string // the key's one-line comment
}

// defaultScenario is the scenario with nothing but the required keys:
// every configuration key at its default.
const defaultScenario = "schema = 1\nname = \"defaults\"\n"

// ChangedParams lists the configuration keys of s whose values differ
// from the defaults, in the canonical order of `normsim show`: it compares
// the values `show` prints ([scenarios.Scenario.Values]) with those of a
// scenario that sets nothing, key by key. Text ([info]), events, goals and
// sweeps are not configuration keys and are left out.
func ChangedParams(s *scenarios.Scenario) ([]Param, error) {
	defs, err := defaultParams()
	if err != nil {
		return nil, err
	}
	var out []Param
	for _, p := range params(s) {
		d, ok := defs[p.Key]
		if ok && d.Value == p.Value {
			continue
		}
		p.Default = d.Value
		out = append(out, p)
	}
	return out, nil
}

// params are the configuration keys of s with their values and docs.
func params(s *scenarios.Scenario) []Param {
	var out []Param
	for _, v := range s.Values() {
		out = append(out, Param{Key: v.Key(), Value: v.Value, Doc: v.Doc})
	}
	return out
}

// defaultParams are the configuration keys at their defaults, by key,
// parsed once; callers must not change the map.
var defaultParams = sync.OnceValues(func() (map[string]Param, error) {
	def, err := scenarios.Parse("defaults", []byte(defaultScenario))
	if err != nil {
		return nil, err
	}
	defs := map[string]Param{}
	for _, p := range params(def) {
		defs[p.Key] = p
	}
	return defs, nil
})

// knownKeys is the set of configuration keys ("forum.every"), for
// setting them as code where a text names them; callers must not change
// the map.
var knownKeys = sync.OnceValue(func() map[string]bool {
	defs, _ := defaultParams()
	keys := make(map[string]bool, len(defs))
	for k := range defs {
		keys[k] = true
	}
	return keys
})
