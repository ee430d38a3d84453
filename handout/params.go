package handout

import (
	"strings"

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
// from the defaults, in the canonical order of `normsim show`. It compares
// the resolved text of s with that of a scenario that sets nothing, key by
// key, so it needs no knowledge of the schema: what `show` prints, it
// compares. Text ([info]), events, goals and sweeps are not configuration
// keys and are left out.
func ChangedParams(s *scenarios.Scenario) ([]Param, error) {
	defs, err := defaultParams()
	if err != nil {
		return nil, err
	}
	var out []Param
	for _, p := range resolvedParams(s.Resolved()) {
		d, ok := defs[p.Key]
		if ok && d.Value == p.Value {
			continue
		}
		p.Default = d.Value
		out = append(out, p)
	}
	return out, nil
}

// resolvedParams reads the configuration keys of a resolved scenario: the
// "key = value  # doc" lines of its [section] tables.
func resolvedParams(resolved []byte) []Param {
	var out []Param
	section := ""
	for line := range strings.SplitSeq(string(resolved), "\n") {
		switch {
		case strings.HasPrefix(line, "[["):
			section = "" // events, goals: not configuration keys
			continue
		case strings.HasPrefix(line, "["):
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "["), "]")
			section = name
			if name == "info" || strings.HasPrefix(name, "sweep") {
				section = ""
			}
			continue
		}
		if section == "" || line == "" || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "]") {
			continue
		}
		kv, doc, _ := strings.Cut(line, "  # ")
		key, value, ok := strings.Cut(kv, " = ")
		if !ok {
			continue
		}
		out = append(out, Param{Key: section + "." + key, Value: value, Doc: doc})
	}
	return out
}

// defaultParams are the configuration keys at their defaults, by key.
func defaultParams() (map[string]Param, error) {
	def, err := scenarios.Parse("defaults", []byte(defaultScenario))
	if err != nil {
		return nil, err
	}
	defs := map[string]Param{}
	for _, p := range resolvedParams(def.Resolved()) {
		defs[p.Key] = p
	}
	return defs, nil
}

// knownKeys is the set of configuration keys ("forum.every"), for
// setting them as code where a text names them.
func knownKeys() map[string]bool {
	defs, _ := defaultParams()
	keys := make(map[string]bool, len(defs))
	for k := range defs {
		keys[k] = true
	}
	return keys
}
