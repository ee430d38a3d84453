package main

import (
	"strings"

	"github.com/normsim/normsim/scenarios"
)

// paramDiff is one configuration key whose value differs from the
// default.
type paramDiff struct {
	Key     string // "forum.every"
	Value   string // as TOML, "25"
	Default string
	Doc     string // the key's one-line comment
}

// defaultScenario is the scenario with nothing but the required keys:
// every configuration key at its default.
const defaultScenario = "schema = 1\nname = \"defaults\"\n"

// changedParams lists the configuration keys of s whose values differ
// from the defaults, in the canonical order of `normsim show`. It compares
// the resolved text of s with that of a scenario that sets nothing, key by
// key, so it needs no knowledge of the schema: what `show` prints, it
// compares. Text ([info]), events, goals and sweeps are not configuration
// keys and are left out.
func changedParams(s *scenarios.Scenario) ([]paramDiff, error) {
	def, err := scenarios.Parse("defaults", []byte(defaultScenario))
	if err != nil {
		return nil, err
	}
	defs := map[string]paramDiff{}
	for _, p := range resolvedParams(def.Resolved()) {
		defs[p.Key] = p
	}
	var out []paramDiff
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
func resolvedParams(resolved []byte) []paramDiff {
	var out []paramDiff
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
		out = append(out, paramDiff{Key: section + "." + key, Value: value, Doc: doc})
	}
	return out
}
